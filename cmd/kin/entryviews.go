package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// This file turns entries and sources into what kin prints: pure
// functions over plain data, with no vault access, so the same views can
// move into package app for the window.

// Widths at which text tables cut a cell (with "…"); --json and show print
// everything whole.
const (
	titleWidth  = 60
	valueWidth  = 30
	personWidth = 24
	fileWidth   = 50
)

// entryRow is an entry as list and search print it: the entry's fields
// with the name of its person beside its profile id (the --json contract:
// id, profile, profile_name, kind, title, ...).
type entryRow struct {
	ID          string `json:"id"`
	Profile     string `json:"profile"`
	ProfileName string `json:"profile_name"`
	record.Entry
}

// newEntryRow pairs an entry with its person's name, with codes and
// sources always arrays.
func newEntryRow(e record.Entry, names map[string]string) entryRow {
	if e.Codes == nil {
		e.Codes = []record.Coding{}
	}
	if e.Sources == nil {
		e.Sources = []string{}
	}
	return entryRow{ID: e.ID, Profile: e.Profile, ProfileName: names[e.Profile], Entry: e}
}

func newEntryRows(es []record.Entry, names map[string]string) []entryRow {
	out := make([]entryRow, len(es))
	for i, e := range es {
		out[i] = newEntryRow(e, names)
	}
	return out
}

// cell makes s fit one table cell: control characters (tabs, line breaks)
// become spaces, runs of spaces one, and text longer than width runes is
// cut at a word where one is near, with "…".
func cell(s string, width int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	rs := []rune(s)
	if len(rs) <= width {
		return s
	}
	cut := width - 1
	for i := cut; i > width*3/4; i-- {
		if rs[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ,;:-") + "…"
}

// cellTail is cell for file paths: it keeps the end (the file's name).
func cellTail(s string, width int) string {
	s = cell(s, len(s)+1)
	rs := []rune(s)
	if len(rs) <= width {
		return s
	}
	return "…" + string(rs[len(rs)-width+1:])
}

// writeEntryTable prints entries one a line: date, the person (when
// perPerson), kind, title, value, status and id. Long titles and values are
// cut to keep the rows narrow.
func writeEntryTable(w io.Writer, rows []entryRow, perPerson bool) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, r := range rows {
		title := cell(r.Title, titleWidth)
		if r.Conflict {
			title += " (conflict)"
		}
		cols := []string{r.Date.Human()}
		if perPerson {
			cols = append(cols, cell(r.ProfileName, personWidth))
		}
		cols = append(cols, string(r.Kind), title, cell(r.ValueText(), valueWidth), cell(r.Status, 20), r.ID)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	return tw.Flush()
}

// sourceRow is a source as `kin sources` prints it.
type sourceRow struct {
	vault.SourceInfo
	// Profile is the person the source's records went to (the first, when
	// a file held several people); ProfileName is their name and
	// ProfileNames the names of all of them.
	Profile      string   `json:"profile"`
	ProfileName  string   `json:"profile_name"`
	ProfileNames []string `json:"profile_names"`
	// Author is always present, empty when the document does not say.
	Author string `json:"author"`
}

func newSourceRow(s vault.SourceInfo, names map[string]string) sourceRow {
	r := sourceRow{SourceInfo: s, Author: s.Author, ProfileNames: []string{}}
	if r.Profiles == nil {
		r.Profiles = []string{}
	}
	for _, p := range s.Profiles {
		r.ProfileNames = append(r.ProfileNames, names[p])
	}
	if len(s.Profiles) > 0 {
		r.Profile, r.ProfileName = s.Profiles[0], names[s.Profiles[0]]
	}
	return r
}

// writeSourceTable prints sources one a line: when imported, the people
// (when perPerson), the file, its format, how many entries, and the id.
func writeSourceTable(w io.Writer, rows []sourceRow, perPerson bool) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, s := range rows {
		cols := []string{s.ImportedAt.Local().Format("2006-01-02 15:04")}
		if perPerson {
			cols = append(cols, cell(strings.Join(s.ProfileNames, ", "), personWidth))
		}
		cols = append(cols, cellTail(s.File, fileWidth), string(s.Format), count(s.Entries, "entry", "entries"), s.ID)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	return tw.Flush()
}

// entryDetail is everything `kin show` prints about one entry.
type entryDetail struct {
	Row       entryRow
	Sources   []vault.SourceInfo
	Conflicts []vault.Conflict
}

// writeEntryDetail prints one entry whole: its fields in words, codes,
// sources, and each conflict side by side.
func writeEntryDetail(w io.Writer, d entryDetail) {
	e := d.Row.Entry
	fmt.Fprintf(w, "%s\n", oneLine(e.Title))
	line := func(label, value string) {
		if value = strings.TrimSpace(value); value != "" {
			// Lines of a long note stay under the value, not the labels.
			value = strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\n", "\n"+strings.Repeat(" ", 17))
			fmt.Fprintf(w, "  %-14s %s\n", label+":", value)
		}
	}
	line("person", d.Row.ProfileName)
	line("kind", string(e.Kind))
	line("date", e.Date.Human())
	if !e.End.IsZero() {
		line("until", e.End.Human())
	}
	line("status", e.Status)
	line("value", e.ValueText())
	if e.Range != nil {
		line("normal range", e.Range.String())
	}
	if e.Interpretation != "" {
		flag := record.InterpretationText(e.Interpretation)
		if !strings.EqualFold(flag, e.Interpretation) {
			flag += " (" + e.Interpretation + ")"
		}
		line("flag", flag)
	}
	line(record.CategoryField(e.Kind), record.CategoryLabel(e.Kind, e.Category))
	line("dosage", e.Dosage)
	line("reason", e.Reason)
	line("reactions", strings.Join(e.Reactions, ", "))
	line("severity", e.Severity)
	line("place", e.Place)
	line("performer", e.Performer)
	line("note", e.Note)
	for _, comp := range e.Components {
		line(comp.Title, strings.TrimSpace(comp.Value+" "+comp.Unit))
	}
	for _, cd := range e.Codes {
		line("code", strings.TrimSpace(fmt.Sprintf("%s %s %s", cd.System, cd.Code, cd.Display)))
	}
	for _, s := range d.Sources {
		line("source", fmt.Sprintf("%s (%s, imported %s) %s", s.File, s.Format, s.ImportedAt.Format(time.DateOnly), s.ID))
	}
	line("id", e.ID)
	for _, c := range d.Conflicts {
		writeConflict(w, c)
	}
}

// writeConflict prints a conflict side by side: the fields that differ,
// this entry's value and the other's, and the files each comes from.
func writeConflict(w io.Writer, c vault.Conflict) {
	fmt.Fprintf(w, "\n  conflict: another source says something different about this; both entries are kept.\n")
	fmt.Fprintf(w, "  The other entry: %s, %s (kin show %s)\n", oneLine(c.Other.Title), c.Other.Date.Human(), c.Other.ID)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "    \tthis entry\tthe other entry\n")
	for _, d := range c.Differences {
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", d.Field, cell(d.A, 40), cell(d.B, 40))
	}
	a, b := sourceFiles(c.EntrySources), sourceFiles(c.OtherSources)
	for i := range max(len(a), len(b)) {
		label := ""
		if i == 0 {
			label = "from"
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", label, at(a, i), at(b, i))
	}
	tw.Flush()
}

func sourceFiles(ss []vault.SourceInfo) []string {
	var out []string
	for _, s := range ss {
		out = append(out, cellTail(s.File, 40))
	}
	return out
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return ""
}

// oneLine is s with line breaks and tabs as spaces.
func oneLine(s string) string { return cell(s, len(s)+1) }

// conflictJSON is a conflict as `kin show --json` prints it.
type conflictJSON struct {
	// Other is the id of the entry that disagrees, OtherTitle its title.
	Other      string `json:"other"`
	OtherTitle string `json:"other_title"`
	// Fields are the fields that differ: this entry's value and the other's.
	Fields []differenceJSON `json:"fields"`
	// Sources and OtherSources are the files each side comes from.
	Sources      []conflictSource `json:"sources"`
	OtherSources []conflictSource `json:"other_sources"`
}

type differenceJSON struct {
	Field string `json:"field"`
	This  string `json:"this"`
	Other string `json:"other"`
}

type conflictSource struct {
	ID   string `json:"id"`
	File string `json:"file"`
}

func newConflictJSON(c vault.Conflict) conflictJSON {
	out := conflictJSON{Other: c.Other.ID, OtherTitle: c.Other.Title, Fields: []differenceJSON{},
		Sources: conflictSources(c.EntrySources), OtherSources: conflictSources(c.OtherSources)}
	for _, d := range c.Differences {
		out.Fields = append(out.Fields, differenceJSON{Field: d.Field, This: d.A, Other: d.B})
	}
	return out
}

func conflictSources(ss []vault.SourceInfo) []conflictSource {
	out := []conflictSource{}
	for _, s := range ss {
		out = append(out, conflictSource{ID: s.ID, File: s.File})
	}
	return out
}
