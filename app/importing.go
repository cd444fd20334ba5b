package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
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
	// Progress, when set, is called as the work moves on (on the
	// goroutine running the import).
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
	// Stage is "reading" or "storing".
	Stage string
	// Text says it in words: "Reading summary.xml… 3 of 5 files".
	Text string
}

// FileResult is what importing one file (or folder) did.
type FileResult struct {
	// Path is the path as given; File its base name.
	Path, File string
	// Report is the importer's and the vault's account of the file (nil
	// when the file failed).
	Report *record.Report
	// NewPeople are the people the file added to the vault.
	NewPeople []string
	// Err is why the file failed (nothing of it was stored); Sentence says
	// it for a person.
	Err      error
	Sentence string
	// Summary says what happened in words, sentences first:
	// "Added 54 things for Ann Lee from Valley Clinic (7 problems, …)."
	Summary string
}

// Failed reports whether nothing of the file was stored because of an error.
func (r *FileResult) Failed() bool { return r.Err != nil }

// Import reads and imports each path (a file or a folder) in turn, each in
// one transaction: all of a file or nothing of it. A file that fails does
// not stop the others; its FileResult carries the error. Import returns an
// error only when it could not start ([ErrLocked], an unknown
// opts.Person: [vault.ErrNoSuchProfile]) or was cancelled (ctx.Err(); the
// file being imported when ctx ended left nothing, files not started are
// not in the results).
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
	var results []FileResult
	wrote := false
	defer func() {
		if wrote {
			s.changed(ChangeRecords)
		}
	}()
	for i, path := range paths {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		name := filepath.Base(path)
		progress := func(stage, verb string) {
			if opts.Progress != nil {
				opts.Progress(Progress{File: name, Index: i + 1, Files: len(paths), Stage: stage,
					Text: fmt.Sprintf("%s %s… %d of %s", verb, name, i+1, Plural(len(paths), "file", ""))})
			}
		}
		progress("reading", "Reading")
		r := FileResult{Path: path, File: name}
		b, err := reg.ReadPath(ctx, path, lim)
		if err == nil {
			progress("storing", "Storing")
			var res *vault.ImportResult
			res, err = v.Import(ctx, b, vault.ImportOptions{Profile: opts.Person})
			if err == nil {
				r.Report = res.Report
				for _, p := range res.NewProfiles {
					r.NewPeople = append(r.NewPeople, p.Name)
				}
				if !res.Report.AlreadyImported {
					wrote = true
				}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return results, ctx.Err()
			}
			r.Err = fileError(name, locked(err))
			r.Sentence = Sentence(r.Err)
		}
		r.Summary = importSummary(&r)
		results = append(results, r)
	}
	return results, nil
}

// fileError makes sure an import error names the file.
func fileError(name string, err error) error {
	var ie *importers.Error
	if errors.As(err, &ie) || strings.HasPrefix(err.Error(), name+":") {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// importSummary says in words what an import did.
func importSummary(r *FileResult) string {
	if r.Err != nil {
		return fmt.Sprintf("Nothing was imported from %s. %s", r.File, r.Sentence)
	}
	rep := r.Report
	if rep.AlreadyImported {
		return fmt.Sprintf("%s was imported before; nothing changed.", r.File)
	}
	added := totalAdded(rep)
	who := rep.Profile
	if who == "" {
		who = "no one"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Added %s for %s from %s", Plural(added, "thing", ""), who, r.File)
	if kinds := KindCounts(rep); kinds != "" {
		fmt.Fprintf(&b, " (%s)", kinds)
	}
	b.WriteString(".")
	if m := totalMerged(rep); m == 1 {
		b.WriteString(" 1 was already here.")
	} else if m > 1 {
		fmt.Fprintf(&b, " %d were already here.", m)
	}
	if c := totalConflicts(rep); c > 0 {
		fmt.Fprintf(&b, " %s differ from what another source says; both are kept.", Plural(c, "entry", "entries"))
	}
	if n := totalSkipped(rep); n > 0 {
		fmt.Fprintf(&b, " %s could not be read.", Plural(n, "item", ""))
	}
	if len(r.NewPeople) > 0 {
		fmt.Fprintf(&b, " New in the vault: %s.", strings.Join(r.NewPeople, ", "))
	}
	return b.String()
}

// KindCounts renders what a report added per kind, its parts included:
// "7 problems, 1 medication, 12 lab results".
func KindCounts(rep *record.Report) string {
	total := map[record.Kind]int{}
	var add func(r *record.Report)
	add = func(r *record.Report) {
		for k, n := range r.Added {
			total[k] += n
		}
		for i := range r.Parts {
			add(&r.Parts[i])
		}
	}
	add(rep)
	var parts []string
	for _, k := range record.Kinds {
		if n := total[k]; n > 0 {
			parts = append(parts, Count(n, k))
		}
	}
	return strings.Join(parts, ", ")
}

func sumReport(r *record.Report, f func(*record.Report) int) int {
	n := f(r)
	for i := range r.Parts {
		n += sumReport(&r.Parts[i], f)
	}
	return n
}

func totalAdded(r *record.Report) int { return r.TotalAdded() }
func totalMerged(r *record.Report) int {
	return sumReport(r, func(x *record.Report) int { return x.Merged })
}
func totalConflicts(r *record.Report) int {
	return sumReport(r, func(x *record.Report) int { return x.Conflicts })
}
func totalSkipped(r *record.Report) int {
	return sumReport(r, func(x *record.Report) int { return len(x.Skipped) })
}

// Go runs work in the background with the session's runner (a goroutine,
// or inline in tests): how a window starts an import or an export without
// freezing.
func (s *Session) Go(work func()) { s.opts.run(work) }
