package pdf

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// Limits of the visit summary; what they cut is counted and pointed to in
// the full record.
const (
	maxLabRows      = 8
	minLabRows      = 4
	maxVitalRows    = 6
	maxPastProblems = 12
	procedureYears  = 10
	maxVisits       = 5
	maxProcedures   = 12
)

// VisitSummary prints the visit summary of in to w: one to a few pages a
// new doctor reads in a minute (see the package documentation for what it
// holds, in which order). It returns [ErrNoPerson] when the Input names no
// one, [ErrRender] if the PDF cannot be made, and errors writing to w.
func VisitSummary(w io.Writer, in export.Input, o Options) error {
	if err := checkInput(&in); err != nil {
		return err
	}
	pw, ph := o.Paper.size()
	d := newDoc(&in, o, pw, ph, "Visit summary")
	p := pick(&in, d.keys, o.Since, record.KindCondition, record.KindMedication, record.KindAllergy,
		record.KindImmunization, record.KindLab, record.KindVital, record.KindProcedure, record.KindEncounter, record.KindOther)
	fu := &furniture{title: "Patient-held summary", span: spanText(p.sum.From, p.sum.To)}
	d.setupFurniture(fu)
	d.addPage()
	s := &summary{doc: d, p: p, fu: fu}
	s.write()
	d.drawFurniture(fu)
	return d.output(w)
}

type summary struct {
	*doc
	p  *picked
	fu *furniture
	// absent are sections with nothing in the records, printed together
	// on one line rather than a heading each.
	absent []string
}

// begin starts a section; the line of absent sections before it prints
// when the next section with something to show draws its heading.
func (s *summary) begin(title, note string) {
	s.preHeading = s.flushAbsent
	s.section(title, note, 0)
}

// nothing drops the section just begun (its heading is not drawn yet) and
// notes it for the "Not in the records held" line.
func (s *summary) nothing(what string) {
	s.pending = s.pending[:0]
	s.absent = append(s.absent, what)
}

func (s *summary) flushAbsent() {
	if len(s.absent) == 0 {
		return
	}
	pending, cont := s.pending, s.cont
	s.pending, s.cont = nil, ""
	s.gap(3)
	s.inlineRows([]cell{{lines: []line{{text: "Not in the records held" + s.sinceText() + ": "}, {text: strings.Join(s.absent, " · ") + "."}}}})
	s.absent = nil
	s.pending, s.cont = pending, cont
}

func (s *summary) write() {
	o := &s.opt
	if o.wants(SectionReason) && strings.TrimSpace(o.Reason+o.ReferredBy) != "" {
		s.reason()
	}
	s.alerts()
	if o.wants(SectionMedications) {
		s.medications()
	}
	if o.wants(SectionProblems) {
		s.problems()
	}
	if o.wants(SectionResults) {
		s.results()
	}
	if o.wants(SectionVitals) {
		s.vitals()
	}
	if o.wants(SectionProcedures) {
		s.procedures()
	}
	if o.wants(SectionDevices) {
		s.devices()
	}
	if o.wants(SectionCareTeam) {
		s.careTeam()
	}
	if o.wants(SectionImmunizations) {
		s.immunizations()
	}
	if o.wants(SectionSources) {
		s.sources()
	}
	s.closing()
}

// asOf is a section's note: "as of 3 Mar 2024" (the newest date a source
// of the section's rows speaks for), or "".
func (s *summary) asOf(es []record.Entry) string {
	if d := s.keys.asOf(es); !d.IsZero() {
		return "as of " + d.Human()
	}
	return ""
}

// pointer prints what was cut and where it is: "+14 more → Full Record §7 Results".
func (s *summary) pointer(n int, what string, sec fullSection) {
	if n <= 0 {
		return
	}
	s.gap(0.8)
	s.para("+"+thousands(n)+" more "+what+" → Full Record §"+strconv.Itoa(sec.number())+" "+sec.title(), "", s.ts.small, 0)
}

// empty prints a section's one-line state when it has no rows.
func (s *summary) empty(text string) {
	s.para(text, "", s.ts.body, 0)
}

func (s *summary) reason() {
	s.begin("Reason for visit", "in the patient's own words")
	lines := cleanLines(s.opt.Reason, &s.missing)
	for _, l := range lines {
		s.para(l, "", s.ts.body, 0)
	}
	if r := strings.TrimSpace(s.opt.ReferredBy); r != "" {
		s.para("Referred by: "+r, "", s.ts.body, 0)
	}
}

func (s *summary) alerts() {
	p := s.p
	var all []record.Entry
	all = append(all, p.sum.Allergies.Entries...)
	// Keep the band with its heading and first rows: start it where they fit.
	s.flow(s.headingH() + 3*lh(s.ts.body) + 6)
	s.beginFrame()
	s.begin("Alerts and allergies", s.asOf(all))
	switch p.sum.Allergies.State {
	case record.AllergiesRecorded:
		t := table{cols: []col{{title: "Allergy or intolerance"}, {title: "Reaction", w: 52}, {title: "Severity", w: 24},
			{title: "Since", w: 28}, {title: "Source", w: 14}}}
		for _, a := range p.allergies {
			name := bold(a.e.Title)
			if s.keys.selfReported(&a.e) {
				name = name.addSmall("(self-reported)")
			}
			if a.e.Category != "" && a.e.Category != "allergy" {
				name = name.addSmall(a.e.Category)
			}
			if d := p.differsText(a.differs); d != "" {
				name = name.addSmall(d)
			}
			reaction := strings.Join(a.e.Reactions, ", ")
			if reaction == "" {
				reaction = "not recorded"
			}
			sev := a.e.Severity
			if sev == "" {
				sev = "not recorded"
			}
			t.rows = append(t.rows, row{cells: []cell{name, txt(reaction), txt(sev), txt(year(a.since)), keysCell(s.keys.ofAll(a.sources))}, shade: len(a.differs) > 0})
		}
		s.table(t)
	case record.NoKnownAllergies:
		text := "No known allergies"
		if c := p.sum.Allergies.ConfirmedOn; !c.IsZero() {
			text += " (confirmed " + c.Human() + ")"
		}
		s.para(text, "B", s.ts.body, 0)
	default:
		s.para("No allergy information recorded", "B", s.ts.body, 0)
		s.para("No source states allergies or their absence: ask before prescribing.", "", s.ts.small, 0)
	}
	// Alerts: blood thinners and other high-risk drugs, devices, advance
	// directive, communication needs.
	var alerts []cell
	for _, m := range p.meds {
		if m.risk == "" {
			continue
		}
		label := "On a " + m.risk
		if m.risk == "insulin" {
			label = "On insulin"
		}
		alerts = append(alerts, cell{lines: []line{{text: label + ": ", bold: true}, {text: m.e.Title + sourcesSuffix(s.keys, m.sources)}}, keys: s.keys.ofAll(m.sources)})
	}
	for _, e := range p.sum.Devices {
		alerts = append(alerts, cell{lines: []line{{text: "Device: ", bold: true}, {text: e.Title + dateSuffix(e.Date) + sourcesSuffix(s.keys, e.Sources)}}, keys: s.keys.of(&e)})
	}
	for _, e := range advanceDirectives(s.in.Entries) {
		alerts = append(alerts, cell{lines: []line{{text: "Advance directive: ", bold: true}, {text: joinNonEmpty(": ", e.Title, e.Value) + dateSuffix(e.Date) + sourcesSuffix(s.keys, e.Sources)}}, keys: s.keys.of(&e)})
	}
	_, proxy, _ := contacts(&s.in.Person)
	if proxy != nil {
		alerts = append(alerts, cell{lines: []line{{text: "Health-care proxy: ", bold: true}, {text: contactText(proxy)}}})
	}
	if l := strings.TrimSpace(s.in.Person.Language); l != "" {
		alerts = append(alerts, cell{lines: []line{{text: "Communication: ", bold: true}, {text: "prefers " + l}}})
	}
	if len(alerts) > 0 {
		s.gap(1.5)
		s.inlineRows(alerts)
	}
	s.endFrame()
}

// inlineRows prints label-and-text rows ("Device: Pacemaker (2019) · B"),
// the label bold, wrapped, never split across pages.
func (s *summary) inlineRows(rows []cell) {
	for _, r := range rows {
		label := clean(r.lines[0].text, &s.missing)
		rest := clean(r.lines[1].text, &s.missing)
		s.font("B", s.ts.body)
		lw := s.width(label + " ")
		s.font("", s.ts.body)
		lines := s.wrap(rest, s.contentW()-lw)
		s.flow(lh(s.ts.body) * float64(max(1, len(lines))))
		y := s.y()
		s.font("B", s.ts.body)
		s.text(s.left, y, lw, label, "L")
		s.font("", s.ts.body)
		for _, l := range lines {
			s.text(s.left+lw, y, s.contentW()-lw, l, "L")
			y += lh(s.ts.body)
		}
		s.setY(y)
		s.useKeys(r.keys)
	}
}

func sourcesSuffix(sk *sourceKeys, ids []string) string {
	if k := sk.ofAll(ids); k != "" {
		return " · " + k
	}
	return ""
}

func dateSuffix(d record.Date) string {
	if d.IsZero() {
		return ""
	}
	return " (" + monthYear(d) + ")"
}

func (s *summary) medications() {
	p := s.p
	var es []record.Entry
	for _, m := range p.meds {
		es = append(es, m.e)
	}
	s.begin("Current medications", s.asOf(es))
	if len(p.meds) == 0 {
		if d, ok := p.sum.NoneKnown[record.KindMedication]; ok {
			s.empty("No current medications" + statedOn(d))
		} else {
			s.empty("No current medications recorded in the records held.")
		}
		return
	}
	t := table{cols: []col{{title: "Drug and strength"}, {title: "How taken", w: 46}, {title: "For", w: 32},
		{title: "Since", w: 28}, {title: "Source", w: 14}}}
	stale := monthsBefore(s.in.Now, 12)
	for _, m := range p.meds {
		drug := bold(m.e.Title)
		if m.risk != "" {
			drug = drug.addSmall("high-risk: " + m.risk)
		}
		if s.keys.selfReported(&m.e) {
			drug = drug.addSmall("(self-reported)")
		}
		if d := p.differsText(m.differs); d != "" {
			drug = drug.add(line{text: d, small: true})
		}
		how := m.e.Dosage
		if how == "" {
			how = "not recorded"
		}
		since := txt(dateOrUnknown(m.since))
		if !m.confirmed.IsZero() && m.confirmed.Before(stale) {
			since = since.addSmall("last confirmed " + m.confirmed.T.Format("2006"))
		}
		t.rows = append(t.rows, row{cells: []cell{drug, txt(how), txt(trimFor(m.e.Reason)), since, keysCell(s.keys.ofAll(m.sources))}, shade: len(m.differs) > 0})
	}
	s.table(t)
}

func statedOn(d record.Date) string {
	if d.IsZero() {
		return " (stated by a source)"
	}
	return " (stated " + d.Human() + ")"
}

func (s *summary) problems() {
	p := s.p
	s.begin("Active problems", s.asOf(p.sum.Problems))
	if len(p.problems) == 0 {
		if d, ok := p.sum.NoneKnown[record.KindCondition]; ok {
			s.empty("No current problems" + statedOn(d))
		} else {
			s.empty("No active problems recorded in the records held.")
		}
	} else {
		t := table{cols: []col{{title: "Problem"}, {title: "Since", w: 26}, {title: "Managed by", w: 52}, {title: "Source", w: 14}}}
		for _, r := range p.problems {
			name := bold(r.e.Title)
			if s.keys.selfReported(&r.e) {
				name = name.addSmall("(self-reported)")
			}
			if d := p.differsText(r.differs); d != "" {
				name = name.add(line{text: d, small: true})
			}
			by := r.e.Performer
			if by == "" {
				by = "not recorded"
			}
			t.rows = append(t.rows, row{cells: []cell{name, txt(dateOrUnknown(r.since)), txt(by), keysCell(s.keys.ofAll(r.sources))}, shade: len(r.differs) > 0})
		}
		s.table(t)
	}
	if past := p.sum.PastProblems; len(past) > 0 {
		var items []string
		var keys []string
		seen := map[string]bool{}
		cut := 0
		for _, e := range past {
			k := record.NormalizeText(e.Title)
			if seen[k] {
				continue
			}
			seen[k] = true
			if len(items) == maxPastProblems {
				cut++
				continue
			}
			items = append(items, e.Title+" ("+year(e.Date)+", "+s.keys.of(&e)+")")
			keys = append(keys, s.keys.of(&e))
		}
		s.gap(1)
		s.inlineRows([]cell{{lines: []line{{text: "Past history: "}, {text: strings.Join(items, " · ")}}, keys: strings.Join(keys, " ")}})
		s.pointer(cut, "past problems", fullPast)
	}
}

// chart sizes of the summary's trend rows.
func (s *summary) trendSize() chartSize {
	return chartSize{plotW: 35, plotH: 8, labelSize: s.ts.small}
}

// trendTable prints lab or vital series as trend rows: Test | Latest
// (value, flag, date) | Normal range | chart | Results | Source.
func (s *summary) trendTable(series []record.Series) {
	cs := s.trendSize()
	var trends []trend
	for i := range series {
		tr := makeTrend(&series[i])
		tr.goal = s.p.goalFor(&series[i])
		trends = append(trends, tr)
	}
	for i := range trends {
		l, _ := s.chartLabelWidths(&trends[i], cs)
		cs.leftW = max(cs.leftW, l)
	}
	chartW := 0.0
	for i := range trends {
		w, _ := s.chartBox(&trends[i], cs)
		chartW = max(chartW, w)
	}
	chartW += 2 * cellPadX
	scale := s.ts.body / normalType.body
	// The chart beside the test when that leaves the test's name room,
	// else under it (large print).
	stacked := s.contentW()-(32+26+14)*scale-chartW < 45
	t := table{cols: []col{{title: "Test"}, {title: "Latest", w: 32, align: "R"},
		{title: "Normal range", w: 26}, {title: "Trend", w: chartW, fixed: true}, {title: "Source", w: 14}}}
	if stacked {
		t.cols = []col{{title: "Test and trend"}, {title: "Latest", w: 32, align: "R"}, {title: "Normal range", w: 26}, {title: "Source", w: 14}}
	}
	for i := range series {
		sr := &series[i]
		tr := &trends[i]
		last := sr.Latest()
		latest := txt(valueText(last))
		if f := flagOf(last); f != "" {
			latest = bold(valueText(last) + "\u00a0" + f)
		}
		latest = latest.addSmall(dateOrUnknown(last.Date))
		latest = latest.addSmall(plural(len(sr.Points), "result", "results"))
		rng := last.Range.String()
		if rng != "" && last.Range != nil && last.Range.Text == "" {
			if u := unitText(last.Unit); u != "" && u != "%" {
				rng += " " + u
			}
		}
		if rng == "" {
			rng = "not stated"
		}
		rc := txt(rng)
		if tr.varies {
			rc = rc.addSmall("range varies by lab")
		}
		if tr.goal != nil {
			rc = rc.add(line{text: "personal " + tr.goal.String() + " (dashed)", small: true})
		}
		var chart cell
		if len(tr.t) > 1 || len(tr.t) == 1 && (tr.low != nil || tr.high != nil) {
			trc := tr
			_, h := s.chartBox(trc, cs)
			chart = cell{drawH: h, draw: func(x, y, w, h float64) { s.drawChart(x, y+0.4, trc, cs) }}
		} else if tr.text > 0 {
			chart = cell{lines: []line{{text: "results are text", small: true, grey: true}}}
		}
		srcs := map[string]bool{}
		var ids []string
		for _, e := range sr.Points {
			for _, id := range e.Sources {
				if !srcs[id] {
					srcs[id] = true
					ids = append(ids, id)
				}
			}
		}
		if stacked {
			test := txt(sr.Title)
			test.draw, test.drawH, test.below = chart.draw, chart.drawH+0.8, true
			if chart.draw == nil {
				test.lines = append(test.lines, chart.lines...)
			}
			t.rows = append(t.rows, row{cells: []cell{test, latest, rc, keysCell(s.keys.ofAll(ids))}})
			continue
		}
		t.rows = append(t.rows, row{cells: []cell{txt(sr.Title), latest, rc, chart, keysCell(s.keys.ofAll(ids))}})
	}
	s.table(t)
}

func seriesEntries(ss []record.Series) []record.Entry {
	var out []record.Entry
	for _, s := range ss {
		out = append(out, *s.Latest())
	}
	return out
}

func (s *summary) results() {
	labs, cut := s.p.keyLabs(minLabRows, maxLabRows)
	s.begin("Key results", s.asOf(seriesEntries(labs)))
	if len(labs) == 0 {
		s.nothing("lab results")
		return
	}
	s.trendTable(labs)
	what := "tests"
	if cut == 1 {
		what = "test"
	}
	s.pointer(cut, what, fullResults)
}

func (s *summary) sinceText() string {
	if s.opt.Since.IsZero() {
		return ""
	}
	return " since " + s.opt.Since.Human()
}

func (s *summary) vitals() {
	vs := s.p.sum.Vitals
	if len(vs) == 0 {
		return // no section: vital signs are rarely in exported records
	}
	cut := 0
	if len(vs) > maxVitalRows {
		cut = len(vs) - maxVitalRows
		vs = vs[:maxVitalRows]
	}
	s.begin("Vital signs", s.asOf(seriesEntries(vs)))
	s.trendTable(vs)
	s.pointer(cut, "vital signs", fullVitals)
}

func (s *summary) procedures() {
	p := s.p
	type item struct {
		e    record.Entry
		what string
	}
	var items []item
	for _, e := range p.sum.Procedures {
		items = append(items, item{e: e, what: e.Title})
	}
	for _, e := range s.in.Entries {
		if e.Kind != record.KindEncounter || (!s.opt.Since.IsZero() && !onOrAfter(e.Date, s.opt.Since)) {
			continue
		}
		if ok, label := isHospitalStay(&e); ok && label == "Hospital stay" {
			what := label
			if r := strings.TrimSpace(e.Reason); r != "" {
				what += ": " + r
			} else if e.Title != "" && record.NormalizeText(e.Title) != record.NormalizeText(label) {
				what += ": " + e.Title
			}
			items = append(items, item{e: e, what: what})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return compareDate(b.e.Date, a.e.Date) })
	limit := record.DateOf(s.in.Now.AddDate(-procedureYears, 0, 0))
	var es []record.Entry
	var keep []item
	cut := 0
	for _, it := range items {
		stay, _ := isHospitalStay(&it.e)
		if len(keep) == maxProcedures || !stay && !it.e.Date.IsZero() && it.e.Date.Before(limit) {
			cut++
			continue
		}
		keep = append(keep, it)
		es = append(es, it.e)
	}
	s.begin("Procedures and hospital stays", s.asOf(es))
	if len(keep) == 0 {
		if cut > 0 {
			s.empty("None in the last " + strconv.Itoa(procedureYears) + " years.")
		} else if d, ok := p.sum.NoneKnown[record.KindProcedure]; ok {
			s.empty("No past procedures" + statedOn(d))
		} else {
			s.nothing("procedures or hospital stays")
			return
		}
		s.pointer(cut, "older procedures", fullProcedures)
		return
	}
	t := table{cols: []col{{title: "Date", w: 26}, {title: "What"}, {title: "Where", w: 52}, {title: "Source", w: 14}}}
	for _, it := range keep {
		where := joinNonEmpty(" · ", it.e.Place, it.e.Performer)
		t.rows = append(t.rows, row{cells: []cell{txt(monthYear(it.e.Date)), txt(it.what), txt(where), keysCell(s.keys.of(&it.e))}})
	}
	s.table(t)
	if cut > 0 {
		s.gap(0.8)
		s.para("+"+thousands(cut)+" more procedures and stays → Full Record §"+strconv.Itoa(fullProcedures.number())+" "+fullProcedures.title()+
			", §"+strconv.Itoa(fullEncounters.number())+" "+fullEncounters.title(), "", s.ts.small, 0)
	}
}

func (s *summary) devices() {
	ds := s.p.sum.Devices
	s.begin("Implanted devices", s.asOf(ds))
	if len(ds) == 0 {
		if d, ok := s.p.sum.NoneKnown[record.KindOther]; ok {
			s.empty("No implanted devices" + statedOn(d))
			return
		}
		s.nothing("implanted devices")
		return
	}
	t := table{cols: []col{{title: "Device"}, {title: "Since", w: 26}, {title: "Status", w: 30}, {title: "Source", w: 14}}}
	for _, e := range ds {
		name := bold(e.Title)
		if e.Note != "" {
			name = name.addSmall(e.Note)
		}
		t.rows = append(t.rows, row{cells: []cell{name, txt(dateOrUnknown(e.Date)), txt(orDash(e.Status)), keysCell(s.keys.of(&e))}})
	}
	s.table(t)
}

// careTeam lists who looks after the person (the clinicians and places
// the records name most recently), their contacts, and the recent visits.
func (s *summary) careTeam() {
	type member struct {
		name    string
		roles   []string
		visits  int
		last    record.Date
		sources []string
	}
	var team []*member
	byName := map[string]*member{}
	add := func(name, role string, e *record.Entry) {
		name = strings.TrimSpace(name)
		if name == "" {
			return
		}
		k := record.NormalizeText(name)
		m := byName[k]
		if m == nil {
			m = &member{name: name}
			byName[k] = m
			team = append(team, m)
		}
		if role == "" {
			m.visits++
		} else if !slices.Contains(m.roles, role) {
			m.roles = append(m.roles, role)
		}
		if m.last.Before(e.Date) {
			m.last = e.Date
		}
		for _, id := range e.Sources {
			if !slices.Contains(m.sources, id) {
				m.sources = append(m.sources, id)
			}
		}
	}
	for i := range s.in.Entries {
		e := &s.in.Entries[i]
		switch e.Kind {
		case record.KindEncounter:
			add(e.Performer, "", e)
		case record.KindCondition:
			if slices.ContainsFunc(s.p.sum.Problems, func(x record.Entry) bool { return x.ID == e.ID }) {
				add(e.Performer, "manages a current problem", e)
			}
		case record.KindMedication:
			if currentMedication(e, s.in.Now) && e.Category == "order" {
				add(e.Performer, "prescribes", e)
			}
		}
	}
	slices.SortStableFunc(team, func(a, b *member) int { return compareDate(b.last, a.last) })
	if len(team) > 8 {
		team = team[:8]
	}
	emergency, proxy, doctor := contacts(&s.in.Person)
	var es []record.Entry
	es = append(es, s.p.sum.Encounters...)
	s.begin("Care team and contacts", s.asOf(es))
	var rows []cell
	if doctor != nil {
		rows = append(rows, cell{lines: []line{{text: "Family doctor: "}, {text: contactText(doctor)}}})
	}
	for i, c := range emergency {
		if i == 2 {
			break
		}
		rows = append(rows, cell{lines: []line{{text: "Emergency contact: "}, {text: contactText(&c)}}})
	}
	if proxy != nil && !slices.ContainsFunc(emergency[:min(2, len(emergency))], func(c record.Contact) bool { return c == *proxy }) {
		rows = append(rows, cell{lines: []line{{text: "Health-care proxy: "}, {text: contactText(proxy)}}})
	}
	if len(rows) == 0 {
		rows = append(rows, cell{lines: []line{{text: "Contacts: "}, {text: "none entered (add them in Kinfolio under the person's profile)"}}})
	}
	s.inlineRows(rows)
	if len(team) > 0 {
		s.gap(1.5)
		t := table{cols: []col{{title: "Clinician"}, {title: "Role", w: 62}, {title: "Latest", w: 24}, {title: "Source", w: 14}}}
		for _, m := range team {
			roles := slices.Clone(m.roles)
			if m.visits > 0 {
				roles = append([]string{"seen at " + plural(m.visits, "visit", "visits")}, roles...)
			}
			role := strings.Join(roles, "; ")
			t.rows = append(t.rows, row{cells: []cell{txt(m.name), txt(role), txt(dateOrUnknown(m.last)), keysCell(s.keys.ofAll(m.sources))}})
		}
		s.table(t)
	}
	visits := s.p.sum.Encounters
	if len(visits) == 0 {
		return
	}
	if len(visits) > maxVisits {
		visits = visits[:maxVisits]
	}
	all := 0
	for i := range s.in.Entries {
		if e := &s.in.Entries[i]; e.Kind == record.KindEncounter && (s.opt.Since.IsZero() || onOrAfter(e.Date, s.opt.Since)) {
			all++
		}
	}
	cut := max(0, all-len(visits))
	s.gap(1.5)
	s.paraKeep("Recent visits", "B", s.ts.body, 0, 3*lh(s.ts.body)+lh(s.ts.small))
	t := table{cols: []col{{title: "Date", w: 26}, {title: "Visit"}, {title: "Where", w: 52}, {title: "Source", w: 14}}}
	for _, e := range visits {
		what := e.Title
		if r := strings.TrimSpace(e.Reason); r != "" {
			what += " — " + r
		}
		t.rows = append(t.rows, row{cells: []cell{txt(dateOrUnknown(e.Date)), txt(what), txt(joinNonEmpty(" · ", e.Place, e.Performer)), keysCell(s.keys.of(&e))}})
	}
	s.table(t)
	s.pointer(cut, "visits", fullEncounters)
}

func (s *summary) immunizations() {
	imms := s.p.sum.Immunizations
	s.begin("Immunizations", s.asOf(imms))
	if len(imms) == 0 {
		if d, ok := s.p.sum.NoneKnown[record.KindImmunization]; ok {
			s.empty("No immunizations" + statedOn(d))
			return
		}
		s.nothing("immunizations")
		return
	}
	doses := map[string]int{}
	for i := range s.in.Entries {
		e := &s.in.Entries[i]
		if e.Kind == record.KindImmunization && !strings.EqualFold(e.Status, "not-done") && !strings.EqualFold(e.Status, "entered-in-error") {
			doses[vaccineKey(e)]++
		}
	}
	t := table{cols: []col{{title: "Vaccine"}, {title: "Latest dose", w: 26}, {title: "Doses", w: 14, align: "R"}, {title: "Source", w: 14}}}
	for _, e := range imms {
		name := txt(e.Title)
		if strings.EqualFold(e.Status, "not-done") {
			name = name.addSmall("not given" + joinNonEmpty("", ": "+e.Reason))
		}
		t.rows = append(t.rows, row{cells: []cell{name, txt(dateOrUnknown(e.Date)), txt(strconv.Itoa(max(1, doses[vaccineKey(&e)]))), keysCell(s.keys.of(&e))}})
	}
	s.table(t)
	s.para("Every dose: Full Record §"+strconv.Itoa(fullImmunizations.number())+".", "", s.ts.small, 0)
}

// vaccineKey groups doses of one vaccine: CVX code, else normalized title.
func vaccineKey(e *record.Entry) string {
	if c := e.Code(record.SystemCVX); c != "" {
		return "cvx#" + c
	}
	return record.NormalizeText(e.Title)
}

func (s *summary) sources() {
	s.begin("Sources", "")
	s.lastPending().page = &s.fu.sourcesPage
	if len(s.keys.list) == 0 {
		s.empty("No records: nothing has been imported or entered for this person.")
		return
	}
	s.sourceTable()
}

// sourceTable lists the keyed sources: key, name, dates of their entries,
// when imported, how many entries.
func (d *doc) sourceTable() {
	t := table{cols: []col{{title: "Key", w: 11}, {title: "Source"}, {title: "Records dated", w: 40}, {title: "Imported", w: 26}, {title: "Entries", w: 16, align: "R"}}}
	for _, ks := range d.keys.list {
		name := txt(ks.src.Name)
		if ks.key == selfKey {
			name = txt("Entered by the patient or family (self-reported)")
		} else if f := ks.src.File; f != "" && f != ks.src.Name {
			name = name.addSmall(joinNonEmpty(" · ", f, ks.src.Format.Text()))
		}
		dated := "no dated entries"
		if !ks.from.IsZero() {
			dated = monthYear(ks.from)
			if !ks.to.SameDay(ks.from) {
				dated += " – " + monthYear(ks.to)
			}
		}
		imported := ""
		if !ks.src.ImportedAt.IsZero() {
			imported = humanDay(ks.src.ImportedAt)
		}
		t.rows = append(t.rows, row{cells: []cell{bold(ks.key), name, txt(dated), txt(imported), txt(strconv.Itoa(ks.entries))}})
	}
	d.table(t)
}

func (s *summary) closing() {
	s.flushAbsent()
	s.cont = ""
	s.gap(4)
	text := "This summary was printed by the patient from their own records (Kinfolio). It shows what the sources above state; " +
		"it is not a complete medical record. Every entry, with every source, is in the Full Record."
	if s.missing > 0 {
		text += " Some characters of the records cannot be printed with this document's font and show as \uFFFD."
	}
	if hasRTL(s.in) {
		text += " " + rtlNote
	}
	s.para(text, "", s.ts.small, 0)
}
