package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/all"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// ImportOptions tune [Session.Import].
type ImportOptions struct {
	// Person decides, by id or name, whose the files are that name no
	// patient or whose patient could be several people (kin's --profile,
	// the answer to the window's "Whose is it?"). A file that clearly names
	// someone else is never forced onto this person.
	Person string
	// Progress, when set, is called as the work moves on: as each file
	// starts, every quarter second while its reading moves on (a large
	// zip, read in place, is seen only at its start and end), and as its
	// copy is sealed and its records added. Calls come from the goroutine
	// running the import or, while a file is read, one of its own; never
	// two at once, and none after Import returns.
	Progress func(Progress)
	// Limits are the limits on untrusted input; zero means
	// [importers.DefaultLimits].
	Limits importers.Limits
}

// Progress says how an import is going.
type Progress struct {
	// File is the name of the file being worked on; Index counts from 1
	// to Files.
	File         string
	Index, Files int
	// Stage is "reading", "storing" (the original file, sealed) or
	// "merging" (the records).
	Stage string
	// Done and Total measure the stage (bytes when reading and storing,
	// records when merging; 0 when unknown); Fraction is the whole
	// import's share done, 0 to 1, never going back, for a progress bar.
	Done, Total int64
	Fraction    float64
	// Text says it in words: "Reading summary.xml… 3 of 5 files".
	Text string
}

// FileResult is what importing one file (or folder) did.
type FileResult struct {
	// Path is the path as given; File its base name.
	Path, File string
	// Report is the account of the file, its counts covering everything
	// inside it (nil when the file failed). Report.Own is the vault's
	// report as stored.
	Report *FileReport
	// Source is the id of the source the import stored ("" when it stored
	// none: the file was imported before, or failed).
	Source string
	// NewPeople are the people the file added to the vault, and
	// NewPeopleIDs their ids, in the same order.
	NewPeople    []string
	NewPeopleIDs []string
	// Err is why the file failed (nothing of it was stored); Sentence says
	// it for a person.
	Err      error
	Sentence string
	// LeftOut are the documents of a package that were not imported
	// because whose they are is not known; the rest was imported.
	LeftOut []*vault.PatientError
	// Questions are what to ask the person, one per file or document whose
	// person is unknown (from Err or LeftOut); import Path again with the
	// answer as ImportOptions.Person.
	Questions []Question
	// Summary says what happened in words, sentences first:
	// "Added 54 things for Ann Lee from Valley Clinic (7 problems, …)."
	Summary string
}

// Failed reports whether nothing of the file was stored because of an error.
func (r *FileResult) Failed() bool { return r.Err != nil }

// FileReport is one file's report: the counts cover the file and
// everything inside it, the lists say where each item is ("part: place"
// for a part's). The JSON names are those of `kin import --json`.
type FileReport struct {
	File            string              `json:"file"`
	Format          record.Format       `json:"format"`
	Version         string              `json:"version,omitempty"`
	Profile         string              `json:"profile"`
	Added           map[record.Kind]int `json:"added"`
	Merged          int                 `json:"merged"`
	Conflicts       int                 `json:"conflicts"`
	AlreadyImported bool                `json:"already_imported"`
	Skipped         []record.Skip       `json:"skipped"`
	Warnings        []string            `json:"warnings"`
	Ignored         []record.Skip       `json:"ignored,omitempty"`
	NewProfiles     []string            `json:"new_profiles,omitempty"`
	Error           string              `json:"error,omitempty"`
	Parts           []FileReport        `json:"parts,omitempty"`

	// Own is the level's own report, as the vault filled it.
	Own *record.Report `json:"-"`
}

// NewFileReport totals a vault report and its parts.
func NewFileReport(rep *record.Report) FileReport {
	r := FileReport{File: rep.File, Format: rep.Format, Version: rep.Version, Profile: rep.Profile,
		Added: map[record.Kind]int{}, Merged: rep.Merged, Conflicts: rep.Conflicts,
		AlreadyImported: rep.AlreadyImported, Own: rep,
		Skipped:  slices.Clone(rep.Skipped),
		Warnings: slices.Clone(rep.Warnings),
		Ignored:  slices.Clone(rep.Ignored)}
	for k, n := range rep.Added {
		r.Added[k] += n
	}
	for i := range rep.Parts {
		p := NewFileReport(&rep.Parts[i])
		for k, n := range p.Added {
			r.Added[k] += n
		}
		r.Merged += p.Merged
		r.Conflicts += p.Conflicts
		r.Parts = append(r.Parts, p)
		if p.AlreadyImported {
			continue // what it skipped was told when it was imported
		}
		for _, s := range p.Skipped {
			s.Path = p.File + ": " + s.Path
			r.Skipped = append(r.Skipped, s)
		}
		for _, s := range p.Ignored {
			s.Path = p.File + ": " + s.Path
			r.Ignored = append(r.Ignored, s)
		}
		for _, w := range p.Warnings {
			r.Warnings = append(r.Warnings, p.File+": "+w)
		}
	}
	if r.Skipped == nil {
		r.Skipped = []record.Skip{}
	}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	return r
}

// TotalAdded is the number of new entries the report counts.
func (r *FileReport) TotalAdded() int {
	n := 0
	for _, c := range r.Added {
		n += c
	}
	return n
}

// Import reads and imports each path (a file or a folder), each in its own
// transaction: all of a file or nothing of it (a package's documents whose
// person is unknown are left out, the rest imported). The paths are one run
// (see [vault.Run]): a file whose records only refer to their patient (a
// claims file beside the patient's file) is imported after the files that
// may hold that patient, whatever the order given; the results are in the
// order given. A file that fails does not stop the others; its FileResult
// carries the error.
//
// Import returns an error only when it could not start ([ErrLocked], an
// unknown opts.Person: [vault.ErrNoSuchProfile]) or was cancelled (ctx's
// error: the file being imported when ctx ended left nothing; the results
// are those of the files finished before, which are kept — see
// [Session.UndoImport] — in the order given; files not started are not in
// them).
func (s *Session) Import(ctx context.Context, paths []string, opts ImportOptions) ([]FileResult, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	if opts.Person != "" {
		p, err := v.Profile(opts.Person)
		if err != nil {
			return nil, locked(err)
		}
		opts.Person = p.ID
	}
	lim := opts.Limits
	if lim == (importers.Limits{}) {
		lim = importers.DefaultLimits()
	}
	reg := all.Registry()
	run := &vault.Run{}
	paths = slices.Clone(paths)
	for i := range paths {
		if p, err := LocalPath(paths[i]); err == nil {
			paths[i] = p
		}
	}
	results := make([]FileResult, len(paths))
	wrote := false
	defer func() {
		if wrote {
			s.changed(ChangeRecords)
		}
	}()
	done := 0
	finished := make([]bool, len(paths))
	sofar := func() []FileResult {
		var out []FileResult
		for i, ok := range finished {
			if ok {
				out = append(out, results[i])
			}
		}
		return out
	}
	one := func(i int, b *record.Batch, readErr error) error {
		path := paths[i]
		r := FileResult{Path: path, File: filepath.Base(path)}
		err := readErr
		if err == nil {
			var res *vault.ImportResult
			res, err = v.Import(ctx, b, vault.ImportOptions{Profile: opts.Person, Run: run,
				Progress: func(p vault.ImportProgress) { opts.report(done, len(paths), r.File, p) }})
			if err == nil {
				rep := NewFileReport(res.Report)
				rep.File = r.File
				for _, p := range res.NewProfiles {
					r.NewPeople = append(r.NewPeople, p.Name)
					r.NewPeopleIDs = append(r.NewPeopleIDs, p.ID)
				}
				rep.NewProfiles = r.NewPeople
				r.Report, r.LeftOut, r.Source = &rep, res.LeftOut, res.Source
				if !res.Report.AlreadyImported || res.Source != "" {
					wrote = true
				}
			}
		}
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			r.Err = fileError(r.File, path, locked(err))
			r.Sentence = Sentence(r.Err)
		}
		r.Questions = s.questions(&r)
		r.Summary = importSummary(&r)
		results[i] = r
		finished[i] = true
		done++
		return nil
	}
	var later []int
	for i, path := range paths {
		if err := ctx.Err(); err != nil {
			return sofar(), err
		}
		b, err := opts.read(ctx, reg, lim, path, done, len(paths))
		if err == nil && refersOnly(b) && len(paths) > 1 {
			later = append(later, i)
			continue
		}
		if err := one(i, b, err); err != nil {
			return sofar(), err
		}
	}
	for _, i := range later {
		b, err := opts.read(ctx, reg, lim, paths[i], done, len(paths))
		if err := one(i, b, err); err != nil {
			return sofar(), err
		}
	}
	return results, nil
}

// read reads one path, telling Progress how far it got.
func (o *ImportOptions) read(ctx context.Context, reg *importers.Registry, lim importers.Limits, path string, done, files int) (*record.Batch, error) {
	name := filepath.Base(path)
	o.reportReading(done, files, name, 0, 0)
	if o.Progress == nil {
		return readPath(ctx, reg, lim, path)
	}
	return readPathWatched(ctx, reg, lim, path, func(d, t int64) { o.reportReading(done, files, name, d, t) })
}

func (o *ImportOptions) reportReading(done, files int, name string, read, size int64) {
	if o.Progress != nil {
		frac := 0.0
		if size > 0 {
			frac = float64(min(read, size)) / float64(size)
		}
		o.Progress(Progress{File: name, Index: done + 1, Files: files, Stage: "reading", Done: read, Total: size,
			Fraction: (float64(done) + shareReading*frac) / float64(files),
			Text:     fmt.Sprintf("Reading %s… %d of %s", name, done+1, Plural(files, "file", ""))})
	}
}

func (o *ImportOptions) report(done, files int, name string, p vault.ImportProgress) {
	if o.Progress == nil {
		return
	}
	frac := 0.0
	if p.Total > 0 {
		frac = float64(p.Done) / float64(p.Total)
	}
	stage, verb, share, base := "storing", "Keeping a sealed copy of", shareStoring, shareReading
	if p.Stage == vault.StageRecords {
		stage, verb, share, base = "merging", "Adding the records of", shareMerging, shareReading+shareStoring
	}
	o.Progress(Progress{File: name, Index: done + 1, Files: files, Stage: stage, Done: p.Done, Total: p.Total,
		Fraction: (float64(done) + base + share*frac) / float64(files),
		Text:     fmt.Sprintf("%s %s… %d of %s", verb, name, done+1, Plural(files, "file", ""))})
}

// refersOnly reports whether a file (not a package) holds records that
// name no patient but refer to one.
func refersOnly(b *record.Batch) bool {
	if len(b.Parts) > 0 {
		return false
	}
	for _, g := range b.Patients {
		if g.Patient == nil && g.PatientRef != "" {
			return true
		}
	}
	return false
}

// ErrNoFile: a path given to import is not there. It is also
// [fs.ErrNotExist].
var ErrNoFile error = noFile{}

type noFile struct{}

func (noFile) Error() string        { return "there is no such file or folder" }
func (noFile) Is(target error) bool { return target == fs.ErrNotExist }

// readPath reads one path, saying in a sentence when it is not there.
func readPath(ctx context.Context, reg *importers.Registry, lim importers.Limits, path string) (*record.Batch, error) {
	if _, err := os.Stat(path); err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("%s: %w", path, ErrNoFile)
		case errors.Is(err, fs.ErrPermission):
			return nil, fmt.Errorf("%s: this user may not read it: %w", path, fs.ErrPermission)
		}
		return nil, fmt.Errorf("%s: cannot be read: %v", path, errors.Unwrap(err))
	}
	return reg.ReadPath(ctx, path, lim)
}

// fileError makes sure an import error names the file.
func fileError(name, path string, err error) error {
	var ie *importers.Error
	msg := err.Error()
	if errors.As(err, &ie) || strings.HasPrefix(msg, name+":") || strings.HasPrefix(msg, path+":") {
		return err
	}
	var pe *vault.PatientError
	if errors.As(err, &pe) && pe.File == name {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// PatientErrors finds the [*vault.PatientError]s in err (one, or several
// joined).
func PatientErrors(err error) []*vault.PatientError {
	var out []*vault.PatientError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *vault.PatientError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		default:
			walk(errors.Unwrap(err))
		}
	}
	if err != nil {
		walk(err)
	}
	return out
}

// importSummary says in words what an import did.
func importSummary(r *FileResult) string {
	if r.Err != nil {
		return fmt.Sprintf("Nothing was imported from %s. %s", r.File, r.Sentence)
	}
	rep := r.Report
	if rep.AlreadyImported && len(r.LeftOut) == 0 && rep.TotalAdded() == 0 {
		return fmt.Sprintf("%s was imported before; nothing changed.", r.File)
	}
	who := rep.Profile
	if who == "" {
		who = "no one"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Added %s for %s from %s", Plural(rep.TotalAdded(), "thing", ""), who, r.File)
	if kinds := KindCounts(rep.Added); kinds != "" {
		fmt.Fprintf(&b, " (%s)", kinds)
	}
	b.WriteString(".")
	switch m := rep.Merged; {
	case m == 1:
		b.WriteString(" 1 was already here.")
	case m > 1:
		fmt.Fprintf(&b, " %d were already here.", m)
	}
	if c := rep.Conflicts; c > 0 {
		fmt.Fprintf(&b, " %s %s from what another source says; both are kept.", Plural(c, "entry", "entries"), map[bool]string{true: "differs", false: "differ"}[c == 1])
	}
	if n := len(rep.Skipped); n > 0 {
		fmt.Fprintf(&b, " %s could not be read.", Plural(n, "item", ""))
	}
	if n := len(r.LeftOut); n > 0 {
		fmt.Fprintf(&b, " %s left out until you say whose %s.", Plural(n, "document was", "documents were"), map[bool]string{true: "it is", false: "they are"}[n == 1])
	}
	if len(r.NewPeople) > 0 {
		fmt.Fprintf(&b, " New in the vault: %s.", strings.Join(r.NewPeople, ", "))
	}
	return b.String()
}

// KindCounts renders additions per kind: "7 problems, 1 medication, 12 lab
// results".
func KindCounts(added map[record.Kind]int) string {
	var parts []string
	for _, k := range record.Kinds {
		if n := added[k]; n > 0 {
			parts = append(parts, Count(n, k))
		}
	}
	return strings.Join(parts, ", ")
}

// Go runs work in the background with the session's runner (a goroutine,
// or inline in tests): how a window starts an import or an export without
// freezing.
func (s *Session) Go(work func()) { s.opts.run(work) }
