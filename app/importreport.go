package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// ImportReport is what the window shows when an import is done, in the
// order a person reads it (SCREENS.md, "Import"): sentences first, then
// the numbers of each file, what was left out and why, and the technical
// detail last. Build it with [Session.ImportReport].
type ImportReport struct {
	// Title heads the report: "Imported 3 files", "Nothing was imported".
	Title string
	// Headline says it all in a sentence or two: "Added 181 things for
	// John Doe and Rebecca Jones Larson from 3 files. 1 file needs you to
	// say whose it is."
	Headline string
	// Files are the files in the order given (a file asked about and then
	// imported once it was answered appears once per import).
	Files []ImportedFile
	// People are whom records went to, most added first.
	People []ImportedPerson
	// Show is the person the window should show when it is not the one on
	// screen (the records went to someone else, or to someone new); ""
	// to stay. ShowText says so: "Showing Rebecca Jones Larson, whose
	// records these are."
	Show, ShowText string
	// Asks are the files whose person must be asked about (one per file,
	// its documents together); answer with [Session.Import] of Path and
	// the chosen person.
	Asks []Ask
	// Refiles are the files to import again without a choice: they name
	// someone other than the person chosen, and go to that person.
	Refiles []string
	// Failed counts the files of which nothing was imported (asked about
	// or not); Added counts the new entries.
	Failed, Added int
}

// ImportedFile is one file's part of the report (or one document's, for a
// package's Parts).
type ImportedFile struct {
	File, Path string
	// Format says what it was read as ("C-CDA document").
	Format string
	// Person is whom its records went to ("" when nobody's yet).
	Person string
	// Summary says what happened in words; Sentences are it and what
	// follows from it (what could not be read, whom it was filed under).
	Summary   string
	Sentences []string
	// Failed says nothing of it was imported; Sentence says why, Detail
	// is the error's technical text (for a Details expander).
	Failed   bool
	Sentence string
	Detail   string
	// Before says it was imported before (nothing changed).
	Before bool
	// Numbers are the counts, kind by kind, then merged and differing.
	Numbers []Number
	// Unread are items that could not be read; NotRecords the files and
	// items passed over because they are not health records. Both are what
	// "Show what was left out" shows.
	Unread, NotRecords []LeftOut
	// Notes are the readers' remarks (technical, for Details).
	Notes []string
	// Parts are the documents of a package.
	Parts []ImportedFile
}

// Number is one count of a report: "Problems 7", "Already here 12".
type Number struct {
	Label string
	N     int
}

// LeftOut is one item not imported: why (in words), where it is in the
// file, and the format's own terms for why (for Details; may be "").
type LeftOut struct {
	Why, Where, Detail string
}

// ImportedPerson is someone records went to.
type ImportedPerson struct {
	ID, Name string
	Added    int
	// New says the import added them to the vault.
	New bool
}

// Ask is the question about one file: whose is it? Its Question says
// why; People lists everyone to choose from, the likeliest first; the
// window adds "Someone new", prefilled with Name and BirthDate.
type Ask struct {
	Path, File string
	Question
	// Text is the question in words, for the whole file ("This file names
	// no patient. Whose is it?"; for a package, which documents).
	Text string
	// Documents are the documents of a package it asks about.
	Documents []string
	People    []Person
}

// NameGiven is "Jeremy V Bates, born 1 Aug 1980" as the file gives it,
// or "" when it names no one and gives no birth date.
func (a *Ask) NameGiven() string {
	var parts []string
	if a.Name != "" {
		parts = append(parts, a.Name)
	}
	if !a.BirthDate.IsZero() {
		parts = append(parts, "born "+a.BirthDate.Human())
	}
	return strings.Join(parts, ", ")
}

// ImportReport words the results of one or more imports for the window.
// onScreen is the id of the person on show when the import began ("" for
// none): records that went to someone else are said to have, and Show
// names whom to show.
func (s *Session) ImportReport(results []FileResult, onScreen string) ImportReport {
	var rep ImportReport
	people := map[string]*ImportedPerson{}
	var order []string
	onScreenName := ""
	if onScreen != "" {
		if p, err := s.Person(onScreen); err == nil {
			onScreenName = p.Name
		}
	}
	everyone, _ := s.People()
	byName := map[string]Person{}
	for _, p := range everyone {
		byName[p.Name] = p
	}
	results, refiled := latest(results)
	for i := range results {
		r := &results[i]
		f := importedFile(r)
		if r.Failed() {
			rep.Failed++
		}
		var news []string
		news = append(news, r.NewPeople...)
		if r.Report != nil {
			rep.Added += r.Report.TotalAdded()
			for name, n := range addedBy(r.Report) {
				p, ok := people[name]
				if !ok {
					p = &ImportedPerson{Name: name, ID: byName[name].ID, New: slices.Contains(news, name)}
					people[name] = p
					order = append(order, name)
				}
				p.Added += n
			}
		}
		f.Sentences = append([]string{f.Summary}, unreadSentence(f.Unread)...)
		f.Sentences = append(f.Sentences, refiled[r.Path]...)
		if to := fileProfiles(r.Report); len(refiled[r.Path]) == 0 && onScreenName != "" && len(to) > 0 && !slices.Contains(to, onScreenName) {
			f.Sentences = append(f.Sentences, fmt.Sprintf("It is about %s, not %s, so it was filed under %s.",
				joinAnd(to), onScreenName, joinAnd(to)))
		}
		var ask *Ask
		for _, q := range r.Questions {
			if q.Kind == SomeoneElse {
				if !slices.Contains(rep.Refiles, r.Path) {
					rep.Refiles = append(rep.Refiles, r.Path)
					f.Sentences = append(f.Sentences, q.Text)
				}
				continue
			}
			if ask == nil {
				ask = &Ask{Path: r.Path, File: r.File, Question: q}
			}
			if q.Package != "" {
				ask.Documents = append(ask.Documents, q.File)
			}
		}
		if ask != nil {
			ask.Text = askText(ask)
			ask.People = likeliestFirst(everyone, ask.Candidates)
			rep.Asks = append(rep.Asks, *ask)
		}
		rep.Files = append(rep.Files, f)
	}
	for _, name := range order {
		rep.People = append(rep.People, *people[name])
	}
	slices.SortStableFunc(rep.People, func(a, b ImportedPerson) int { return cmp.Compare(b.Added, a.Added) })
	rep.Title = reportTitle(&rep, len(results))
	rep.Headline = headline(&rep, len(results))
	// Show the person the records went to when the one on screen got none
	// of them.
	if len(rep.People) > 0 && !slices.ContainsFunc(rep.People, func(p ImportedPerson) bool { return p.ID == onScreen && p.Added > 0 }) {
		to := rep.People[0]
		if to.ID != "" && to.Added > 0 && to.ID != onScreen {
			rep.Show = to.ID
			rep.ShowText = fmt.Sprintf("Showing %s, whose records these are.", to.Name)
			if onScreenName != "" {
				rep.ShowText = fmt.Sprintf("Showing %s, whose records these are (not %s's).", to.Name, onScreenName)
			}
		}
	}
	return rep
}

func reportTitle(rep *ImportReport, files int) string {
	ok := files - rep.Failed
	switch {
	case ok == 0 && len(rep.Asks) > 0:
		return "Whose records are these?"
	case ok == 0:
		return "Nothing was imported"
	case rep.Failed > 0:
		return fmt.Sprintf("Imported %d of %s", ok, Plural(files, "file", ""))
	case rep.Added == 0:
		return "Nothing new"
	}
	return "Imported " + Plural(files, "file", "")
}

func headline(rep *ImportReport, files int) string {
	var b strings.Builder
	var names []string
	for _, p := range rep.People {
		names = append(names, p.Name)
	}
	from := Plural(files, "file", "")
	if files == 1 && len(rep.Files) == 1 {
		from = rep.Files[0].File
	}
	switch {
	case rep.Added > 0:
		fmt.Fprintf(&b, "Added %s for %s from %s.", Plural(rep.Added, "thing", ""), joinAnd(names), from)
	case rep.Failed < files:
		fmt.Fprintf(&b, "Nothing new in %s: everything in it was here already.", from)
	}
	asked := len(rep.Asks)
	if n := rep.Failed - asked; n > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		if n == files && n == 1 {
			b.WriteString("Nothing was imported from " + rep.Files[0].File + ".")
		} else {
			fmt.Fprintf(&b, "%s could not be imported.", Plural(n, "file", ""))
		}
	}
	if asked > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		if asked == 1 {
			b.WriteString("1 file needs you to say whose it is.")
		} else {
			fmt.Fprintf(&b, "%d files need you to say whose they are.", asked)
		}
	}
	return b.String()
}

// importedFile words one file's result.
func importedFile(r *FileResult) ImportedFile {
	f := ImportedFile{File: r.File, Path: r.Path, Summary: r.Summary}
	if r.Failed() {
		f.Failed, f.Sentence, f.Detail = true, r.Sentence, r.Err.Error()
		return f
	}
	fillFile(&f, r.Report)
	f.Summary = r.Summary
	for _, w := range r.Report.Warnings {
		if strings.HasPrefix(w, "the records were put under ") {
			f.Summary += " " + upperFirst(w) + "."
		}
	}
	return f
}

func fillFile(f *ImportedFile, rep *FileReport) {
	f.Format = rep.Format.Text()
	f.Person = rep.Profile
	f.Before = rep.AlreadyImported && rep.TotalAdded() == 0
	for _, k := range record.Kinds {
		if n := rep.Added[k]; n > 0 {
			f.Numbers = append(f.Numbers, Number{Label: k.Label(), N: n})
		}
	}
	if rep.Merged > 0 {
		f.Numbers = append(f.Numbers, Number{Label: "Already here (merged)", N: rep.Merged})
	}
	if rep.Conflicts > 0 {
		f.Numbers = append(f.Numbers, Number{Label: "Differ between sources", N: rep.Conflicts})
	}
	if n := len(rep.Skipped); n > 0 {
		f.Numbers = append(f.Numbers, Number{Label: "Could not be read", N: n})
	}
	own := rep.Own
	if own == nil {
		own = &record.Report{Skipped: rep.Skipped, Ignored: rep.Ignored, Warnings: rep.Warnings}
	}
	// A package's own lists hold only its own items; its parts say theirs.
	for _, s := range own.Skipped {
		f.Unread = append(f.Unread, LeftOut{Why: s.Reason, Where: s.Path, Detail: s.Detail})
	}
	for _, s := range own.Ignored {
		f.NotRecords = append(f.NotRecords, LeftOut{Why: s.Reason, Where: s.Path, Detail: s.Detail})
	}
	f.Notes = slices.Clone(own.Warnings)
	if len(rep.Parts) == 0 {
		return
	}
	for i := range rep.Parts {
		p := &rep.Parts[i]
		pf := ImportedFile{File: p.File, Path: p.File}
		fillFile(&pf, p)
		pf.Summary = partSummary(&pf, p)
		f.Parts = append(f.Parts, pf)
		// The package's left-out list covers its documents too, each
		// named by where it is in the package.
		for _, s := range pf.Unread {
			s.Where = joinWhere(p.File, s.Where)
			f.Unread = append(f.Unread, s)
		}
		for _, s := range pf.NotRecords {
			s.Where = joinWhere(p.File, s.Where)
			f.NotRecords = append(f.NotRecords, s)
		}
	}
}

func joinWhere(file, where string) string {
	if where == "" {
		return file
	}
	return file + ": " + where
}

// partSummary says what one document of a package gave.
func partSummary(f *ImportedFile, p *FileReport) string {
	if f.Before {
		return "Imported before; nothing changed."
	}
	who := p.Profile
	if who == "" {
		who = "no one"
	}
	s := fmt.Sprintf("Added %s for %s", Plural(p.TotalAdded(), "thing", ""), who)
	if kinds := KindCounts(p.Added); kinds != "" {
		s += " (" + kinds + ")"
	}
	return s + "."
}

// unreadSentence says what could not be read, by reason: "Not read: a
// goal that does not say what the goal is; 2 × a planned test, …".
func unreadSentence(items []LeftOut) []string {
	if len(items) == 0 {
		return nil
	}
	var reasons []string
	count := map[string]int{}
	for _, it := range items {
		if count[it.Why] == 0 {
			reasons = append(reasons, it.Why)
		}
		count[it.Why]++
	}
	const most = 4
	var parts []string
	for i, why := range reasons {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %s more", Plural(len(reasons)-most, "kind", "kinds")))
			break
		}
		if n := count[why]; n > 1 {
			why = fmt.Sprintf("%s (%d times)", why, n)
		}
		parts = append(parts, why)
	}
	what := "What could not be read: "
	if len(items) == 1 {
		what = "The item that could not be read: "
	}
	return []string{what + strings.Join(parts, "; ") + "."}
}

// addedBy counts a report's new entries by whom they went to.
func addedBy(rep *FileReport) map[string]int {
	out := map[string]int{}
	var walk func(r *FileReport)
	walk = func(r *FileReport) {
		if len(r.Parts) == 0 {
			if r.Profile != "" {
				out[r.Profile] += r.TotalAdded()
			}
			return
		}
		own := 0
		if r.Own != nil {
			for _, n := range r.Own.Added {
				own += n
			}
		}
		if own > 0 && r.Profile != "" {
			out[r.Profile] += own
		}
		for i := range r.Parts {
			walk(&r.Parts[i])
		}
	}
	walk(rep)
	for name, n := range out {
		if n == 0 {
			delete(out, name)
		}
	}
	return out
}

// latest drops the failed results of files imported again later (a
// question answered, or a file filed under the person it names): the
// later result tells what happened. It also returns, per file, what the
// dropped tries said about a file naming someone other than the person
// chosen, for the report to keep saying.
func latest(results []FileResult) ([]FileResult, map[string][]string) {
	var out []FileResult
	refiled := map[string][]string{}
	for i, r := range results {
		later := slices.ContainsFunc(results[i+1:], func(o FileResult) bool { return o.Path == r.Path })
		if r.Failed() && later {
			// Imported again: what the first try found (it names someone
			// other than the person chosen) still belongs in the report.
			for _, q := range r.Questions {
				if q.Kind == SomeoneElse && !slices.Contains(refiled[r.Path], q.Text) {
					refiled[r.Path] = append(refiled[r.Path], q.Text)
				}
			}
			continue
		}
		out = append(out, r)
	}
	return out, refiled
}

func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// fileProfiles are the people a report's records went to (none for a
// failed file).
func fileProfiles(rep *FileReport) []string {
	if rep == nil {
		return nil
	}
	var names []string
	for name := range addedBy(rep) {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func askText(a *Ask) string {
	if len(a.Documents) == 0 {
		return a.Question.Text
	}
	if len(a.Documents) == 1 {
		return fmt.Sprintf("In %s: %s", a.File, a.Question.Text)
	}
	return fmt.Sprintf("%s in %s name no patient Kinfolio can tell (%s). Whose are they?",
		Plural(len(a.Documents), "document", ""), a.File, strings.Join(a.Documents, ", "))
}

// likeliestFirst is everyone, the candidates first in their order.
func likeliestFirst(everyone, candidates []Person) []Person {
	out := slices.Clone(candidates)
	for _, p := range everyone {
		if !slices.ContainsFunc(out, func(c Person) bool { return c.ID == p.ID }) {
			out = append(out, p)
		}
	}
	return out
}
