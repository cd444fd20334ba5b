package pdf

import (
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// fullSection is a numbered section of the full record. The numbers are
// fixed (IPS order, then the rest), so the visit summary can point to them
// ("→ Full Record §7") and every full record has the same sections.
type fullSection int

// The full record's sections: the IPS required sections (medications,
// allergies, problems), its recommended ones (immunizations, procedures,
// devices, results), its optional ones, then the rest.
const (
	fullMedications fullSection = iota
	fullAllergies
	fullProblems
	fullImmunizations
	fullProcedures
	fullDevices
	fullResults
	fullVitals
	fullPast
	fullFunctional
	fullPlan
	fullSocial
	fullPregnancy
	fullAdvance
	fullAlerts
	fullFamily
	fullEncounters
	fullDocuments
	fullClaims
	fullOther
	fullSections // count
)

func (s fullSection) number() int { return int(s) + 1 }

func (s fullSection) title() string {
	return [...]string{
		"Medications", "Allergies and intolerances", "Problems", "Immunizations", "Procedures",
		"Medical devices", "Results", "Vital signs", "Past illnesses", "Functional status and assessments",
		"Plan of care", "Social history", "Pregnancy", "Advance directives", "Alerts",
		"Family history", "Visits and hospital stays", "Reports and documents", "Claims and coverage", "Other entries",
	}[s]
}

// pregnancyLOINC are observations about pregnancy (IPS pregnancy section).
var pregnancyLOINC = map[string]bool{"82810-3": true, "11449-6": true, "8665-2": true, "11778-8": true, "11636-8": true, "11640-0": true, "11612-9": true, "11613-7": true, "11614-5": true, "11977-6": true}

// classify puts an entry in the one full-record section that prints it.
func classify(e *record.Entry, now record.Date) fullSection {
	cat := strings.ToLower(e.Category)
	if pregnancyLOINC[e.Code(record.SystemLOINC)] {
		return fullPregnancy
	}
	switch e.Kind {
	case record.KindMedication:
		return fullMedications
	case record.KindAllergy:
		return fullAllergies
	case record.KindCondition:
		if conditionActive(e, now) {
			return fullProblems
		}
		return fullPast
	case record.KindImmunization:
		return fullImmunizations
	case record.KindProcedure:
		return fullProcedures
	case record.KindLab:
		return fullResults
	case record.KindVital:
		return fullVitals
	case record.KindEncounter:
		return fullEncounters
	case record.KindDocument:
		return fullDocuments
	case record.KindClaim:
		return fullClaims
	}
	switch {
	case cat == "device":
		return fullDevices
	case strings.Contains(cat, "functional") || strings.Contains(cat, "cognitive") || cat == "survey" || strings.Contains(cat, "disabilit"):
		return fullFunctional
	case cat == "care-plan" || cat == "goal" || cat == "service request" || cat == "nutrition order" || strings.Contains(cat, "plan"):
		return fullPlan
	case cat == "social-history":
		return fullSocial
	case strings.Contains(cat, "advance"):
		return fullAdvance
	case cat == "flag" || cat == "alert":
		return fullAlerts
	case cat == "family-history":
		return fullFamily
	}
	return fullOther
}

// conditionActive mirrors the summary's rule: active, recurrence or relapse,
// or no status and not ended.
func conditionActive(e *record.Entry, now record.Date) bool {
	switch strings.ToLower(e.Status) {
	case "active", "recurrence", "relapse":
		return true
	case "":
		return e.End.IsZero() || e.End.T.After(now.T)
	}
	return false
}

// historySection reports whether the Since option filters a section.
func historySection(s fullSection) bool {
	switch s {
	case fullAllergies, fullProblems, fullDevices, fullAdvance, fullAlerts:
		return false
	}
	return true
}

// FullRecord prints everything held about the person: a cover with the
// contents (page numbers, and a PDF outline), the sections in IPS order
// then the rest, each table with status, dates and source, results with a
// chart per test, and appendices of the sources, the conflicts (both
// values) and a glossary. Errors are those of [VisitSummary].
func FullRecord(w io.Writer, in export.Input, o Options) error {
	if err := checkInput(&in); err != nil {
		return err
	}
	pw, ph := o.Paper.size()
	d := newDoc(&in, o, pw, ph, "Full record")
	p := pick(&in, d.keys, o.Since, record.KindCondition, record.KindMedication, record.KindAllergy,
		record.KindImmunization, record.KindProcedure, record.KindOther)
	fu := &furniture{title: "Full record", span: spanText(p.sum.From, p.sum.To)}
	d.setupFurniture(fu)
	fr := &fullRecord{doc: d, p: p, fu: fu}
	fr.write()
	d.drawFurniture(fu)
	return d.output(w)
}

type fullRecord struct {
	*doc
	p  *picked
	fu *furniture
	// by holds each section's entries, newest first.
	by [fullSections][]record.Entry
	// toc is the contents: title, page and link of each section and
	// appendix; tocY is where on the cover it goes.
	toc  []tocEntry
	tocY float64
}

type tocEntry struct {
	num, title string
	page       int
	link       int
	count      int
}

func (fr *fullRecord) write() {
	now := record.DateOf(fr.in.Now)
	for i := range fr.in.Entries {
		e := &fr.in.Entries[i]
		sec := classify(e, now)
		if !fr.opt.Since.IsZero() && historySection(sec) && !(sec == fullMedications && currentMedication(e, fr.in.Now)) && !onOrAfter(e.Date, fr.opt.Since) {
			continue
		}
		fr.by[sec] = append(fr.by[sec], *e)
	}
	for s := range fr.by {
		slices.SortStableFunc(fr.by[s], func(a, b record.Entry) int { return compareDate(b.Date, a.Date) })
	}
	fr.addPage()
	fr.cover()
	for s := fullSection(0); s < fullSections; s++ {
		fr.fullSection(s)
	}
	fr.appendixSources()
	fr.appendixConflicts()
	fr.appendixGlossary()
	fr.contents()
}

// cover prints the title block; the contents under it are filled in at the
// end (contents), when the sections' pages are known.
func (fr *fullRecord) cover() {
	d := fr.doc
	d.font("B", d.ts.name+4)
	d.text(d.left, d.y(), d.contentW(), "Full health record", "L")
	d.setY(d.y() + lh(d.ts.name+4) + 1)
	n := len(fr.in.Entries)
	lines := []string{
		clean(fr.in.Person.Name, &d.missing) + " · " + personLine(&fr.in.Person, record.DateOf(fr.in.Now)),
		"Every entry held, " + spanText(fr.p.sum.From, fr.p.sum.To) + ": " + plural(n, "entry", "entries") + " from " + plural(len(fr.keys.list), "source", "sources") + ".",
		"Printed " + humanDay(fr.in.Now) + " by the patient from their own records (Kinfolio).",
	}
	emergency, proxy, doctor := contacts(&fr.in.Person)
	var cs []string
	for i := range emergency {
		cs = append(cs, contactText(&emergency[i]))
	}
	if len(cs) > 0 {
		lines = append(lines, "Emergency contacts: "+strings.Join(cs, " · "))
	}
	if proxy != nil && !slices.Contains(cs, contactText(proxy)) {
		lines = append(lines, "Health-care proxy: "+contactText(proxy))
	}
	if doctor != nil {
		lines = append(lines, "Family doctor: "+contactText(doctor))
	}
	if l := strings.TrimSpace(fr.in.Person.Language); l != "" {
		lines = append(lines, "Prefers to be spoken to in "+l+".")
	}
	if !fr.opt.Since.IsZero() {
		lines = append(lines, "History (results, visits, procedures, documents) since "+fr.opt.Since.Human()+"; allergies, problems and current medications whatever their date.")
	}
	for _, l := range lines {
		fr.para(l, "", d.ts.body, 0)
	}
	d.gap(4)
	d.font("B", d.ts.head)
	d.f.Bookmark("Contents", 0, d.y())
	d.text(d.left, d.y(), d.contentW(), "Contents", "L")
	d.setY(d.y() + lh(d.ts.head) + 1)
	fr.tocY = d.y()
	// Reserve the contents' lines on this page.
	d.setY(d.y() + float64(int(fullSections)+3)*lh(d.ts.body)*1.15)
	fr.addPage()
}

func (fr *fullRecord) startSection(num, title string, count int) {
	link := fr.f.AddLink()
	fr.toc = append(fr.toc, tocEntry{num: num, title: title, link: link, count: count})
	fr.section(num+"  "+title, countNote(count), 0)
	fr.lastPending().page = &fr.toc[len(fr.toc)-1].page
	fr.lastPending().link = link
}

func countNote(n int) string {
	if n == 0 {
		return ""
	}
	return plural(n, "entry", "entries")
}

// contents fills the cover's contents: number, title, entries, page, each
// a link to its section.
func (fr *fullRecord) contents() {
	d := fr.doc
	last := d.f.PageNo()
	d.setPage(1)
	d.f.SetFillColor(255, 255, 255)
	y := fr.tocY
	size := d.ts.body
	step := lh(size) * 1.15
	for _, t := range fr.toc {
		d.font("", size)
		pg := strconv.Itoa(t.page)
		pw := d.width("0000")
		note := ""
		if t.count > 0 {
			note = thousands(t.count)
		}
		d.font("B", size)
		d.text(d.left, y, 10, t.num, "L")
		d.font("", size)
		tw := d.contentW() - 10 - pw - 30
		title := d.fit(t.title, tw)
		d.text(d.left+10, y, tw, title, "L")
		// dot leader from the title to the page number
		d.f.SetDrawColor(greyRule, greyRule, greyRule)
		d.f.SetLineWidth(0.15)
		x0 := d.left + 10 + d.width(title) + 2
		x1 := d.right - pw - 30
		d.f.SetDashPattern([]float64{0.3, 1.2}, 0)
		if x1 > x0 {
			d.f.Line(x0, y+lh(size)*0.72, x1, y+lh(size)*0.72)
		}
		d.f.SetDashPattern(nil, 0)
		d.grey(greyText)
		d.font("", d.ts.small)
		if note != "" {
			d.text(d.right-pw-30, y+(lh(size)-lh(d.ts.small))/2, 28, note, "R")
		}
		d.black()
		d.font("", size)
		d.text(d.right-pw, y, pw, pg, "R")
		d.f.Link(d.left, y, d.contentW(), lh(size), t.link)
		y += step
	}
	d.font("", d.ts.small)
	d.grey(greyText)
	d.text(d.right-pw0(d)-30, fr.tocY-lh(d.ts.small)-1, 28, "entries", "R")
	d.text(d.right-pw0(d), fr.tocY-lh(d.ts.small)-1, pw0(d), "page", "R")
	d.black()
	d.setPage(last)
}

func pw0(d *doc) float64 {
	d.font("", d.ts.body)
	return d.width("0000")
}

func (fr *fullRecord) fullSection(s fullSection) {
	es := fr.by[s]
	fr.startSection(strconv.Itoa(s.number()), s.title(), len(es))
	switch s {
	case fullMedications:
		fr.medications(es)
	case fullAllergies:
		fr.allergies(es)
	case fullProblems:
		fr.problems(es, true)
	case fullPast:
		fr.problems(es, false)
	case fullImmunizations:
		fr.immunizations(es)
	case fullProcedures:
		fr.procedures(es)
	case fullResults, fullVitals:
		fr.results(es)
	case fullEncounters:
		fr.encounters(es)
	case fullDocuments:
		fr.documents(es)
	case fullClaims:
		fr.claims(es)
	default:
		fr.generic(es)
	}
}

// none prints an empty section's state: none known (and who says so), or
// nothing in the records.
func (fr *fullRecord) none(k record.Kind, what string) {
	if d, ok := fr.p.sum.NoneKnown[k]; ok && k != "" {
		fr.para("None known"+statedOn(d)+".", "", fr.ts.body, 0)
		return
	}
	fr.para("No "+what+" in the records held"+fr.since()+".", "", fr.ts.body, 0)
}

func (fr *fullRecord) since() string {
	if fr.opt.Since.IsZero() {
		return ""
	}
	return " since " + fr.opt.Since.Human()
}

func (fr *fullRecord) sub(title string) {
	fr.gap(1.5)
	fr.section(title, "", 1)
}

// entryName is an entry's title cell: bold title, then "(self-reported)",
// "⚠ conflict: see Appendix B", and its note.
func (fr *fullRecord) entryName(e *record.Entry, boldTitle bool) cell {
	c := txt(e.Title)
	if boldTitle {
		c = bold(e.Title)
	}
	if fr.keys.selfReported(e) {
		c = c.addSmall("(self-reported)")
	}
	if e.Conflict {
		c = c.add(line{text: "⚠ sources differ: see Appendix B", small: true})
	}
	if n := strings.TrimSpace(e.Note); n != "" {
		c = c.addSmall(firstLines(n, 3))
	}
	return c
}

// firstLines keeps at most n lines (and 300 characters) of a note.
func firstLines(s string, n int) string {
	ls := strings.Split(s, "\n")
	if len(ls) > n {
		ls = append(ls[:n], "…")
	}
	out := strings.Join(ls, " ")
	if r := []rune(out); len(r) > 300 {
		out = string(r[:300]) + "…"
	}
	return out
}

// Widths of the columns every table has.
const (
	srcW    = 14
	statusW = 23
)

func status(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "not stated"
	}
	return s
}

func (fr *fullRecord) medications(es []record.Entry) {
	if len(es) == 0 {
		fr.none(record.KindMedication, "medications")
		return
	}
	var current, past, fills []record.Entry
	for _, e := range es {
		switch {
		case e.Category == "fill":
			fills = append(fills, e)
		case currentMedication(&e, fr.in.Now):
			current = append(current, e)
		default:
			past = append(past, e)
		}
	}
	rows := func(list []record.Entry) table {
		ended := slices.ContainsFunc(list, func(e record.Entry) bool { return !e.End.IsZero() })
		t := table{cols: []col{{title: "Drug"}, {title: "How taken", w: 38}, {title: "For", w: 28}, {title: "Status", w: statusW}, {title: "Start", w: 24}}}
		if ended {
			t.cols = append(t.cols, col{title: "End", w: 24})
		}
		t.cols = append(t.cols, col{title: "Source", w: srcW})
		for _, e := range list {
			cells := []cell{fr.entryName(&e, true), txt(orDash(e.Dosage)), txt(trimFor(e.Reason)), txt(status(e.Status)), txt(dateOrUnknown(e.Date))}
			if ended {
				cells = append(cells, txt(endText(e.End)))
			}
			t.rows = append(t.rows, row{cells: append(cells, keysCell(fr.keys.of(&e))), shade: e.Conflict})
		}
		return t
	}
	if len(current) > 0 {
		fr.sub("Current (" + strconv.Itoa(len(current)) + ")")
		fr.table(rows(current))
	}
	if len(past) > 0 {
		fr.sub("Past and stopped (" + strconv.Itoa(len(past)) + ")")
		fr.table(rows(past))
	}
	if len(fills) > 0 {
		fr.sub("Pharmacy fills (" + strconv.Itoa(len(fills)) + ")")
		t := table{cols: []col{{title: "Drug"}, {title: "Filled", w: 24}, {title: "Supply", w: 36}, {title: "Pharmacy", w: 46}, {title: "Source", w: srcW}}}
		for _, e := range fills {
			t.rows = append(t.rows, row{cells: []cell{fr.entryName(&e, false), txt(dateOrUnknown(e.Date)), txt(joinNonEmpty(" · ", valueText(&e), e.Dosage)), txt(e.Place), keysCell(fr.keys.of(&e))}})
		}
		fr.table(t)
	}
}

func endText(d record.Date) string {
	if d.IsZero() {
		return "—"
	}
	return d.Human()
}

func (fr *fullRecord) allergies(es []record.Entry) {
	if len(es) == 0 {
		fr.para("No allergy information recorded: no source states allergies or their absence.", "", fr.ts.body, 0)
		return
	}
	if fr.p.sum.Allergies.State == record.NoKnownAllergies {
		c := fr.p.sum.Allergies.ConfirmedOn
		text := "No known allergies"
		if !c.IsZero() {
			text += " (confirmed " + c.Human() + ")"
		}
		fr.para(text+".", "B", fr.ts.body, 0)
	}
	t := table{cols: []col{{title: "Substance"}, {title: "Reaction", w: 42}, {title: "Severity", w: 22}, {title: "Status", w: statusW}, {title: "Recorded", w: 22}, {title: "Source", w: srcW}}}
	for _, e := range es {
		t.rows = append(t.rows, row{cells: []cell{fr.entryName(&e, true), txt(orDash(strings.Join(e.Reactions, ", "))), txt(orDash(e.Severity)), txt(status(e.Status)),
			txt(dateOrUnknown(e.Date)), keysCell(fr.keys.of(&e))}, shade: e.Conflict})
	}
	fr.table(t)
}

func (fr *fullRecord) problems(es []record.Entry, active bool) {
	if len(es) == 0 {
		if active {
			fr.none(record.KindCondition, "active problems")
		} else {
			fr.none("", "past or resolved problems")
		}
		return
	}
	ended := slices.ContainsFunc(es, func(e record.Entry) bool { return !e.End.IsZero() })
	t := table{cols: []col{{title: "Problem"}, {title: "Since", w: 26}}}
	if ended {
		t.cols = append(t.cols, col{title: "Resolved", w: 24})
	}
	t.cols = append(t.cols, col{title: "Status", w: statusW}, col{title: "Recorded by", w: 38}, col{title: "Source", w: srcW})
	for _, e := range es {
		cells := []cell{fr.entryName(&e, active), txt(dateOrUnknown(e.Date))}
		if ended {
			cells = append(cells, txt(endText(e.End)))
		}
		cells = append(cells, txt(status(e.Status)), txt(e.Performer), keysCell(fr.keys.of(&e)))
		t.rows = append(t.rows, row{cells: cells, shade: e.Conflict})
	}
	fr.table(t)
}

func (fr *fullRecord) immunizations(es []record.Entry) {
	if len(es) == 0 {
		fr.none(record.KindImmunization, "immunizations")
		return
	}
	t := table{cols: []col{{title: "Vaccine"}, {title: "Date", w: 26}, {title: "Status", w: statusW}, {title: "Where, by whom", w: 50}, {title: "Source", w: srcW}}}
	for _, e := range es {
		st := status(e.Status)
		if e.Reason != "" && strings.EqualFold(e.Status, "not-done") {
			st += ": " + e.Reason
		}
		t.rows = append(t.rows, row{cells: []cell{fr.entryName(&e, false), txt(dateOrUnknown(e.Date)), txt(st), txt(joinNonEmpty(" · ", e.Place, e.Performer)), keysCell(fr.keys.of(&e))}})
	}
	fr.table(t)
}

func (fr *fullRecord) procedures(es []record.Entry) {
	if len(es) == 0 {
		fr.none(record.KindProcedure, "procedures")
		return
	}
	t := table{cols: []col{{title: "Date", w: 26}, {title: "Procedure"}, {title: "Status", w: statusW}, {title: "Where, by whom", w: 50}, {title: "Source", w: srcW}}}
	for _, e := range es {
		name := fr.entryName(&e, false)
		if r := trimFor(e.Reason); r != "" {
			name = name.addSmall("for " + r)
		}
		t.rows = append(t.rows, row{cells: []cell{txt(dateOrUnknown(e.Date)), name, txt(status(e.Status)), txt(joinNonEmpty(" · ", e.Place, e.Performer)), keysCell(fr.keys.of(&e))}})
	}
	fr.table(t)
}

// results prints each test (or vital sign) with its chart and every result.
func (fr *fullRecord) results(es []record.Entry) {
	if len(es) == 0 {
		fr.none("", "results")
		return
	}
	type group struct {
		title, unit string
		key         string
		pts         []*record.Entry
	}
	groups := map[string]*group{}
	var order []*group
	var reports []record.Entry
	for i := range es {
		e := &es[i]
		if e.Category == "report" {
			reports = append(reports, *e)
			continue
		}
		k := testKey(e) + "|" + record.UnitKey(e.Unit)
		g := groups[k]
		if g == nil {
			g = &group{key: k, unit: e.Unit, title: e.Title}
			groups[k] = g
			order = append(order, g)
		}
		g.pts = append(g.pts, e)
	}
	for _, g := range order {
		// es is newest first: the title is the latest's; points go oldest first.
		slices.Reverse(g.pts)
	}
	slices.SortStableFunc(order, func(a, b *group) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.title), strings.ToLower(b.title)), strings.Compare(a.key, b.key))
	})
	cs := chartSize{plotW: min(110, fr.contentW()-40), plotH: 20, labelSize: fr.ts.small}
	for _, g := range order {
		title := g.title
		if u := unitText(g.unit); u != "" {
			title += " · " + u
		}
		fr.sub(title + " (" + plural(len(g.pts), "result", "results") + ")")
		sr := record.Series{Title: g.title, Unit: g.unit, Points: g.pts}
		if c := g.pts[0].Code(record.SystemLOINC); c != "" {
			sr.Code = record.Coding{System: record.SystemLOINC, Code: c}
		}
		tr := makeTrend(&sr)
		tr.goal = fr.p.goalFor(&sr)
		if len(tr.t) >= 2 {
			w, h := fr.chartBox(&tr, cs)
			fr.flow(h + 3)
			y := fr.y() + 1
			fr.drawChart(fr.left+max(0, (fr.contentW()-w)/2), y, &tr, cs)
			fr.setY(y + h + 1.5)
			if tr.varies {
				fr.para("The normal range varies by lab; the band shows the latest.", "", fr.ts.small, 0)
			}
			if tr.goal != nil {
				fr.para("Dashed: the personal "+tr.goal.String()+" (“"+tr.goal.text+"”).", "", fr.ts.small, 0)
			}
		}
		t := table{cols: []col{{title: "Date", w: 37}, {title: "Result", w: 36, align: "R"}, {title: "Flag", w: 16}, {title: "Normal range"}, {title: "Status", w: statusW}, {title: "Source", w: 14}}}
		for i := len(g.pts) - 1; i >= 0; i-- {
			e := g.pts[i]
			v := txt(orDash(valueText(e)))
			fl := txt("")
			if f := flagOf(e); f != "" {
				v = bold(valueText(e))
				fl = bold(f)
			}
			if e.Conflict {
				v = v.add(line{text: "⚠ see Appendix B", small: true})
			}
			if n := strings.TrimSpace(e.Note); n != "" {
				v = v.addSmall(firstLines(n, 2))
			}
			t.rows = append(t.rows, row{cells: []cell{txt(dateTime(e.Date)), v, fl, txt(e.Range.String()), txt(status(e.Status)), keysCell(fr.keys.of(e))}})
		}
		fr.table(t)
	}
	if len(reports) > 0 {
		fr.sub("Reports (" + strconv.Itoa(len(reports)) + ")")
		fr.generic(reports)
	}
}

// testKey groups results of one test: LOINC, else first code, else title.
func testKey(e *record.Entry) string {
	if c := e.Code(record.SystemLOINC); c != "" {
		return "loinc#" + c
	}
	for _, c := range e.Codes {
		if c.Code != "" {
			return record.CanonicalSystem(c.System) + "#" + c.Code
		}
	}
	return "text:" + record.NormalizeText(e.Title)
}

// dateTime is a result's date with its time of day when known ("12 Mar 2024 08:30").
func dateTime(d record.Date) string {
	if d.Precision == record.PrecisionTime {
		return d.T.Format("2 Jan 2006 15:04")
	}
	return d.Human()
}

func (fr *fullRecord) encounters(es []record.Entry) {
	if len(es) == 0 {
		fr.none("", "visits")
		return
	}
	t := table{cols: []col{{title: "Date", w: 26}, {title: "Visit"}, {title: "Where, with whom", w: 52}, {title: "Status", w: statusW}, {title: "Source", w: srcW}}}
	for _, e := range es {
		name := fr.entryName(&e, false)
		if ok, label := isHospitalStay(&e); ok {
			name = name.addSmall(label)
		}
		if r := strings.TrimSpace(e.Reason); r != "" {
			name = name.addSmall("for " + r)
		}
		when := dateOrUnknown(e.Date)
		if !e.End.IsZero() && !e.End.SameDay(e.Date) {
			when += " – " + e.End.Human()
		}
		t.rows = append(t.rows, row{cells: []cell{txt(when), name, txt(joinNonEmpty(" · ", e.Place, e.Performer)), txt(status(e.Status)), keysCell(fr.keys.of(&e))}})
	}
	fr.table(t)
}

func (fr *fullRecord) documents(es []record.Entry) {
	if len(es) == 0 {
		fr.none("", "reports or documents")
		return
	}
	t := table{cols: []col{{title: "Date", w: 26}, {title: "Document"}, {title: "Author, custodian", w: 52}, {title: "Status", w: statusW}, {title: "Source", w: srcW}}}
	for _, e := range es {
		name := txt(e.Title)
		if v := strings.TrimSpace(e.Value); v != "" {
			name = name.addSmall(v)
		}
		t.rows = append(t.rows, row{cells: []cell{txt(dateOrUnknown(e.Date)), name, txt(joinNonEmpty(" · ", e.Performer, e.Place)), txt(status(e.Status)), keysCell(fr.keys.of(&e))}})
	}
	fr.table(t)
}

func (fr *fullRecord) claims(es []record.Entry) {
	if len(es) == 0 {
		fr.none("", "claims or coverage")
		return
	}
	t := table{cols: []col{{title: "Date", w: 26}, {title: "Claim"}, {title: "Amount", w: 28, align: "R"}, {title: "Billed by", w: 46}, {title: "Status", w: statusW}, {title: "Source", w: srcW}}}
	for _, e := range es {
		name := txt(e.Title)
		if r := strings.TrimSpace(e.Reason); r != "" {
			name = name.addSmall(r)
		}
		t.rows = append(t.rows, row{cells: []cell{txt(dateOrUnknown(e.Date)), name, txt(joinNonEmpty(" ", e.Value, e.Unit)), txt(e.Place), txt(status(e.Status)), keysCell(fr.keys.of(&e))}})
	}
	fr.table(t)
}

// generic prints entries as Date | Entry | Value | Status | Source; the
// entry's category shows when the entries are of several.
func (fr *fullRecord) generic(es []record.Entry) {
	mixed := slices.ContainsFunc(es, func(e record.Entry) bool { return e.Category != es[0].Category })
	if len(es) == 0 {
		fr.para("None in the records held"+fr.since()+".", "", fr.ts.body, 0)
		return
	}
	t := table{cols: []col{{title: "Date", w: 26}, {title: "Entry"}, {title: "Value", w: 46}, {title: "Status", w: statusW}, {title: "Source", w: srcW}}}
	for _, e := range es {
		name := fr.entryName(&e, false)
		if c := e.Category; mixed && c != "" && !strings.Contains(c, "/") {
			name = name.addSmall(c)
		}
		v := valueText(&e)
		if len(e.Components) > 0 && v == "" {
			var parts []string
			for _, c := range e.Components {
				parts = append(parts, joinNonEmpty(": ", c.Title, joinNonEmpty(" ", c.Value, unitText(c.Unit))))
			}
			v = strings.Join(parts, "; ")
		}
		t.rows = append(t.rows, row{cells: []cell{txt(dateOrUnknown(e.Date)), name, txt(v), txt(status(e.Status)), keysCell(fr.keys.of(&e))}})
	}
	fr.table(t)
}

func (fr *fullRecord) appendixSources() {
	fr.startSection("A", "Appendix: sources", len(fr.keys.list))
	fr.paraKeep("Every file the entries came from, with its key as the pages print it.", "", fr.ts.small, 0, 20)
	if len(fr.keys.list) == 0 {
		fr.para("No records: nothing has been imported or entered for this person.", "", fr.ts.body, 0)
	} else {
		fr.sourceTable()
	}
	fr.fu.sourcesPage = fr.toc[len(fr.toc)-1].page
}

func (fr *fullRecord) appendixConflicts() {
	type group struct {
		key string
		es  []*record.Entry
	}
	var groups []group
	for k, es := range fr.p.conflicts {
		if len(es) > 1 {
			groups = append(groups, group{k, es})
		}
	}
	slices.SortFunc(groups, func(a, b group) int {
		return cmp.Or(cmp.Compare(kindRank(a.es[0].Kind), kindRank(b.es[0].Kind)), strings.Compare(strings.ToLower(a.es[0].Title), strings.ToLower(b.es[0].Title)), strings.Compare(a.key, b.key))
	})
	fr.startSection("B", "Appendix: conflicts", len(groups))
	if len(groups) == 0 {
		fr.para("No conflicts: where sources state the same fact, they agree.", "", fr.ts.body, 0)
		return
	}
	fr.paraKeep("Where sources state the same fact differently, both are kept; neither is chosen. Each group shows every version.", "", fr.ts.small, 0, 20)
	for _, g := range groups {
		es := fr.p.differing(g.es[0])
		if len(es) < 2 {
			es = g.es
		}
		v := versionsOf(es)
		title := es[0].Kind.Label() + ": " + es[0].Title
		fr.gap(1.5)
		note := ""
		if len(v.fields) > 0 {
			note = "differs in " + strings.Join(v.fields, ", ")
		}
		fr.section(title, note, 1)
		t := table{cols: []col{{title: "Source", w: 14}, {title: "Date", w: 26}, {title: "Status", w: statusW}, {title: "What it says"}}}
		for i, e := range es {
			what := txt(joinNonEmpty(" · ", e.Title, valueText(e), e.Dosage))
			for _, f := range v.fields {
				if val, ok := v.values[i][f]; ok {
					what = what.add(line{text: f + ": " + orDash(val), bold: true})
				}
			}
			t.rows = append(t.rows, row{cells: []cell{{lines: []line{{text: fr.keys.of(e), bold: true}}, keys: fr.keys.of(e)}, txt(dateOrUnknown(e.Date)), txt(status(e.Status)), what}})
		}
		fr.table(t)
	}
}

func kindRank(k record.Kind) int {
	if i := slices.Index(record.Kinds, k); i >= 0 {
		return i
	}
	return len(record.Kinds)
}

// glossary explains the words and marks the printouts use.
var glossary = [][2]string{
	{"Active", "Current: the problem is still present, the drug still taken."},
	{"Resolved, inactive", "A problem that has ended or no longer needs care."},
	{"Stopped, completed", "A medication no longer taken."},
	{"Normal range", "The range of results the lab considers normal (reference range); the grey band in a chart."},
	{"▲ H, ▼ L", "A result above (H) or below (L) the normal range; ▲▲ HH and ▼▼ LL: far outside it; ◆ A: abnormal."},
	{"Trend chart", "Each dot is a result at its true date; the larger dot is the latest, labelled; min and max are ringed and labelled."},
	{"Source key", "The letter of the file an entry came from (A, B…); P: entered by the patient or family (self-reported). Appendix A lists them."},
	{"Merged", "The same fact stated by several sources is printed once, with every source's key."},
	{"⚠ Sources differ", "Sources state the same fact differently (another dose, another status); both are kept and shown in Appendix B."},
	{"Self-reported", "Entered by the patient or family, not from a clinic's record."},
	{"Date unknown", "The source gives no date."},
	{"LOINC, SNOMED CT, RxNorm, CVX", "The code systems clinics use for tests, conditions, drugs and vaccines."},
	{"IPS", "International Patient Summary: the standard order of a patient summary's sections, which this record follows."},
}

func (fr *fullRecord) appendixGlossary() {
	fr.startSection("C", "Appendix: glossary", 0)
	t := table{noHeader: true, cols: []col{{w: 48}, {}}}
	for _, g := range glossary {
		t.rows = append(t.rows, row{cells: []cell{bold(g[0]), txt(g[1])}})
	}
	fr.table(t)
	if fr.missing > 0 {
		fr.gap(2)
		fr.para("Some characters of the records cannot be printed with this document's font and show as \uFFFD.", "", fr.ts.small, 0)
	}
	if hasRTL(fr.in) {
		fr.gap(2)
		fr.para(rtlNote, "", fr.ts.small, 0)
	}
}
