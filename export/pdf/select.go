package pdf

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// picked is what the printouts select from a person's entries: the
// record's summary plus the groupings a printout needs (merged medication
// rows, conflicts by merge key, high-risk drugs, critical conditions).
type picked struct {
	in  *export.Input
	sum record.Summary
	sk  *sourceKeys
	// conflicts maps a merge key to the entries flagged as disagreeing
	// under it.
	conflicts map[string][]*record.Entry
	meds      []medRow
	problems  []factRow
	allergies []factRow
	// goals are the person's own targets, by LOINC code.
	goals map[string]goal
}

// medRow is one current medication as printed: the newest statement of the
// drug, with every source that lists it and what they disagree on.
type medRow struct {
	e record.Entry
	// since is the earliest start of the drug among its current entries.
	since record.Date
	// sources are the ids of every source listing the drug as current.
	sources []string
	// differs are the entries that disagree about it (empty when all agree).
	differs []*record.Entry
	// confirmed is the newest date a source listed it.
	confirmed record.Date
	// risk names the drug's high-risk class ("blood thinner"), if any.
	risk string
}

// factRow is a problem or an allergy as printed, with its disagreements.
// Entries of the same title (one condition coded two ways, a problem
// listed twice) are one row: since is the earliest date, sources all of
// theirs.
type factRow struct {
	e       record.Entry
	since   record.Date
	sources []string
	differs []*record.Entry
}

// factRows merges entries that name the same fact (the same normalized
// title) into one row each, in the order of their first entry.
func (p *picked) factRows(es []record.Entry) []factRow {
	var rows []factRow
	index := map[string]int{}
	for _, e := range es {
		k := record.NormalizeText(e.Title)
		i, ok := index[k]
		if !ok {
			index[k] = len(rows)
			rows = append(rows, factRow{e: e, since: e.Date, sources: slices.Clone(e.Sources)})
			i = len(rows) - 1
		} else {
			r := &rows[i]
			if !e.Date.IsZero() && (r.since.IsZero() || e.Date.Before(r.since)) {
				r.since = e.Date
			}
			for _, s := range e.Sources {
				if !slices.Contains(r.sources, s) {
					r.sources = append(r.sources, s)
				}
			}
		}
		r := &rows[i]
		for _, d := range p.differing(&e) {
			if !slices.Contains(r.differs, d) {
				r.differs = append(r.differs, d)
			}
		}
	}
	return rows
}

// pick selects from in what the printouts print. kinds limits the entries
// the summary is computed from (nil: all), sparing the work of series a
// printout does not show; the span of dates is always of every entry.
func pick(in *export.Input, sk *sourceKeys, since record.Date, kinds ...record.Kind) *picked {
	entries := in.Entries
	if kinds != nil {
		entries = make([]record.Entry, 0, len(in.Entries))
		for i := range in.Entries {
			if slices.Contains(kinds, in.Entries[i].Kind) {
				entries = append(entries, in.Entries[i])
			}
		}
	}
	p := &picked{in: in, sk: sk, sum: record.Summarize(entries, in.Now), conflicts: map[string][]*record.Entry{}}
	p.sum.From, p.sum.To = record.Date{}, record.Date{}
	for i := range in.Entries {
		e := &in.Entries[i]
		if !e.Date.IsZero() {
			if p.sum.From.IsZero() || e.Date.Before(p.sum.From) {
				p.sum.From = e.Date
			}
			if p.sum.To.IsZero() || p.sum.To.Before(e.Date) {
				p.sum.To = e.Date
			}
		}
		if e.Conflict {
			k := record.MergeKey(e)
			p.conflicts[k] = append(p.conflicts[k], e)
		}
	}
	if !since.IsZero() {
		p.sum.Labs = sinceSeries(p.sum.Labs, since)
		p.sum.Vitals = sinceSeries(p.sum.Vitals, since)
		p.sum.Procedures = sinceEntries(p.sum.Procedures, since)
		p.sum.Encounters = sinceEntries(p.sum.Encounters, since)
		p.sum.Immunizations = sinceEntries(p.sum.Immunizations, since)
		p.sum.PastProblems = sinceEntries(p.sum.PastProblems, since)
	}
	p.goals = personalGoals(in.Entries)
	p.meds = p.medicationRows()
	p.problems = p.factRows(p.sum.Problems)
	p.allergies = p.factRows(p.sum.Allergies.Entries)
	return p
}

// onOrAfter reports whether d is known and not before since.
func onOrAfter(d, since record.Date) bool {
	return !d.IsZero() && !d.T.Before(since.Truncate(record.PrecisionDay).T)
}

func sinceEntries(es []record.Entry, since record.Date) []record.Entry {
	var out []record.Entry
	for _, e := range es {
		if onOrAfter(e.Date, since) {
			out = append(out, e)
		}
	}
	return out
}

func sinceSeries(ss []record.Series, since record.Date) []record.Series {
	var out []record.Series
	for _, s := range ss {
		var pts []*record.Entry
		for _, e := range s.Points {
			if onOrAfter(e.Date, since) {
				pts = append(pts, e)
			}
		}
		if len(pts) > 0 {
			s.Points = pts
			out = append(out, s)
		}
	}
	return out
}

// differing returns e and the entries that disagree with it
// ([record.InConflict]: the same merge key, a field that differs, no
// document stating both), sorted by source key; nil when none does.
func (p *picked) differing(e *record.Entry) []*record.Entry {
	if !e.Conflict {
		return nil
	}
	out := []*record.Entry{e}
	for _, o := range p.conflicts[record.MergeKey(e)] {
		if o.ID != e.ID && record.InConflict(e, o) {
			out = append(out, o)
		}
	}
	if len(out) < 2 {
		return nil
	}
	slices.SortStableFunc(out, func(a, b *record.Entry) int {
		return cmp.Or(compareKeys(p.sk.of(a), p.sk.of(b)), compareDate(a.Date, b.Date))
	})
	return out
}

// versions are what each of a group of disagreeing entries says on the
// fields where they differ ([record.Differences]), in the fields' order.
type versions struct {
	fields []string
	// values[i][field] is entry i's value of field.
	values []map[string]string
}

func versionsOf(es []*record.Entry) versions {
	var v versions
	v.values = make([]map[string]string, len(es))
	for i := range es {
		v.values[i] = map[string]string{}
	}
	for i := range es {
		for j := i + 1; j < len(es); j++ {
			for _, d := range record.Differences(es[i], es[j]) {
				if !slices.Contains(v.fields, d.Field) {
					v.fields = append(v.fields, d.Field)
				}
				if _, ok := v.values[i][d.Field]; !ok {
					v.values[i][d.Field] = d.A
				}
				if _, ok := v.values[j][d.Field]; !ok {
					v.values[j][d.Field] = d.B
				}
			}
		}
	}
	return v
}

func compareDate(a, b record.Date) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// drugKey is what makes two medication entries the same drug: the RxNorm
// code, else the NDC, else the normalized title (as the summary groups them).
func drugKey(e *record.Entry) string {
	if c := e.Code(record.SystemRxNorm); c != "" {
		return "rxnorm#" + c
	}
	if c := e.Code(record.SystemNDC); c != "" {
		return "ndc#" + c
	}
	return "text:" + record.NormalizeText(e.Title)
}

// currentMedication reports whether a medication entry is current on now:
// not a pharmacy fill, not stopped, not ended.
func currentMedication(e *record.Entry, now time.Time) bool {
	if e.Kind != record.KindMedication || e.Category == "fill" {
		return false
	}
	switch strings.ToLower(e.Status) {
	case "active", "intended", "on-hold", "draft", "", "unknown":
	default:
		return false
	}
	return e.End.IsZero() || e.End.T.After(now)
}

func (p *picked) medicationRows() []medRow {
	groups := map[string][]*record.Entry{}
	for i := range p.in.Entries {
		e := &p.in.Entries[i]
		if currentMedication(e, p.in.Now) {
			k := drugKey(e)
			groups[k] = append(groups[k], e)
		}
	}
	var rows []medRow
	for _, m := range p.sum.Medications {
		r := medRow{e: m, since: m.Date, risk: riskClass(&m)}
		for _, e := range groups[drugKey(&m)] {
			if !e.Date.IsZero() && (r.since.IsZero() || e.Date.Before(r.since)) {
				r.since = e.Date
			}
			for _, s := range e.Sources {
				if !slices.Contains(r.sources, s) {
					r.sources = append(r.sources, s)
				}
			}
			if d := p.sk.confirmed(e); r.confirmed.Before(d) {
				r.confirmed = d
			}
			if r.differs == nil {
				r.differs = p.differing(e)
			}
		}
		if len(r.sources) == 0 {
			r.sources = m.Sources
			r.confirmed = p.sk.confirmed(&m)
		}
		rows = append(rows, r)
	}
	// One row per drug name, whatever its codes.
	var merged []medRow
	index := map[string]int{}
	for _, r := range rows {
		k := record.NormalizeText(r.e.Title)
		i, ok := index[k]
		if !ok {
			index[k] = len(merged)
			merged = append(merged, r)
			continue
		}
		m := &merged[i]
		if !r.since.IsZero() && (m.since.IsZero() || r.since.Before(m.since)) {
			m.since = r.since
		}
		for _, s := range r.sources {
			if !slices.Contains(m.sources, s) {
				m.sources = append(m.sources, s)
			}
		}
		if m.confirmed.Before(r.confirmed) {
			m.confirmed = r.confirmed
		}
		if len(m.differs) == 0 {
			m.differs = r.differs
		}
	}
	rows = merged
	// High-risk drugs first, then as the summary orders them (newest first).
	slices.SortStableFunc(rows, func(a, b medRow) int {
		return cmp.Compare(riskRank(a.risk), riskRank(b.risk))
	})
	return rows
}

// differsText says how the disagreeing entries differ, one part per
// entry with its source keys and its values of the differing fields:
// "⚠ Differs: A 10 mg daily (Mar 2024) · B 20 mg daily (Jun 2024)".
func (p *picked) differsText(es []*record.Entry) string {
	if len(es) < 2 {
		return ""
	}
	v := versionsOf(es)
	dated := !slices.Contains(v.fields, "onset date")
	var parts []string
	for i, e := range es {
		var what []string
		for _, f := range v.fields {
			val, ok := v.values[i][f]
			switch {
			case !ok || strings.TrimSpace(val) == "":
				val = f + " not stated"
			case f == "onset date":
				val = "since " + val
			case f == "end date":
				val = "until " + val
			}
			what = append(what, val)
		}
		if len(what) == 0 {
			what = append(what, joinNonEmpty(" ", e.Title, e.Dosage))
		}
		part := p.sk.of(e) + " " + strings.Join(what, ", ")
		if dated && !e.Date.IsZero() {
			part += " (" + monthYear(e.Date) + ")"
		}
		parts = append(parts, part)
	}
	return "⚠ Differs: " + strings.Join(parts, " · ")
}

func orDash(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "not stated"
	}
	return s
}

// highRisk are the drug classes an emergency team must know about first,
// with the ingredient words that name them (generic and common brand names).
var highRisk = []struct {
	class string
	words []string
}{
	{"blood thinner", []string{"warfarin", "coumadin", "jantoven", "apixaban", "eliquis", "rivaroxaban", "xarelto",
		"dabigatran", "pradaxa", "edoxaban", "savaysa", "heparin", "enoxaparin", "lovenox", "dalteparin", "fondaparinux",
		"clopidogrel", "plavix", "prasugrel", "ticagrelor", "brilinta", "acenocoumarol", "phenprocoumon"}},
	{"insulin", []string{"insulin", "glargine", "lantus", "detemir", "levemir", "degludec", "tresiba", "lispro",
		"humalog", "aspart", "novolog", "novorapid", "glulisine", "humulin", "novolin"}},
	{"steroid", []string{"prednisone", "prednisolone", "methylprednisolone", "dexamethasone", "hydrocortisone",
		"cortisone", "fludrocortisone", "budesonide oral", "betamethasone"}},
	{"anti-seizure", []string{"levetiracetam", "keppra", "valproate", "valproic", "divalproex", "depakote",
		"carbamazepine", "tegretol", "oxcarbazepine", "phenytoin", "dilantin", "lamotrigine", "lamictal", "lacosamide",
		"topiramate", "phenobarbital", "zonisamide", "clobazam", "brivaracetam", "ethosuximide", "primidone"}},
	{"opioid", []string{"morphine", "oxycodone", "hydrocodone", "fentanyl", "hydromorphone", "methadone",
		"buprenorphine", "tramadol", "codeine", "tapentadol", "oxymorphone", "meperidine"}},
	{"immunosuppressant", []string{"tacrolimus", "cyclosporine", "ciclosporin", "mycophenolate", "azathioprine",
		"sirolimus", "everolimus", "methotrexate", "belatacept"}},
	{"heart rhythm", []string{"amiodarone", "digoxin", "flecainide", "sotalol", "dofetilide"}},
}

// riskClass returns the high-risk class of a medication entry, or "": a
// class word must be a whole word of the drug's normalized title.
func riskClass(e *record.Entry) string {
	t := " " + record.NormalizeText(e.Title) + " "
	for _, c := range highRisk {
		for _, w := range c.words {
			if strings.Contains(t, " "+w+" ") {
				return c.class
			}
		}
	}
	return ""
}

func riskRank(class string) int {
	if class == "" {
		return len(highRisk)
	}
	for i, c := range highRisk {
		if c.class == class {
			return i
		}
	}
	return len(highRisk)
}

// critical are conditions an emergency team must know, by words in their
// normalized title; each with the short alert the card prints.
var critical = []struct{ words []string }{
	{[]string{"diabetes"}},
	{[]string{"epilep", "seizure"}},
	{[]string{"heart failure", "cardiac failure", "cardiomyopathy"}},
	{[]string{"atrial fibrillation", "atrial flutter", "arrhythmia", "long qt"}},
	{[]string{"coronary", "myocardial infarction", "angina", "heart attack"}},
	{[]string{"stroke", "cerebral infarction", "transient ischemic"}},
	{[]string{"asthma", "copd", "chronic obstructive"}},
	{[]string{"kidney disease", "renal failure", "renal insufficiency", "dialysis", "ckd"}},
	{[]string{"adrenal insufficiency", "addison"}},
	{[]string{"hemophilia", "haemophilia", "von willebrand", "bleeding disorder", "thrombocytopenia"}},
	{[]string{"sickle cell"}},
	{[]string{"transplant"}},
	{[]string{"pulmonary embolism", "deep vein thrombosis", "thrombosis"}},
	{[]string{"dementia", "alzheimer"}},
	{[]string{"pregnan"}},
	{[]string{"anaphyla"}},
	{[]string{"hiv"}},
	{[]string{"cancer", "carcinoma", "lymphoma", "leukemia", "leukaemia", "malignant", "neoplasm"}},
	{[]string{"pacemaker", "defibrillator"}},
	{[]string{"myasthenia"}},
	{[]string{"hypertension"}},
}

// criticalRank returns how high a condition ranks for an emergency card
// (lower first), or -1 when it is not on the list.
func criticalRank(e *record.Entry) int {
	t := " " + record.NormalizeText(e.Title) + " "
	for i, c := range critical {
		for _, w := range c.words {
			if strings.Contains(t, " "+w) {
				return i
			}
		}
	}
	return -1
}

// bloodType returns a lab-confirmed blood group ("A Rh+", "O negative"),
// or "" when no result states one.
func bloodType(es []record.Entry) (string, *record.Entry) {
	var best *record.Entry
	for i := range es {
		e := &es[i]
		if e.Kind != record.KindLab || strings.TrimSpace(e.Value) == "" {
			continue
		}
		switch e.Code(record.SystemLOINC) {
		case "882-1", "883-9", "34474-7", "34530-6":
		default:
			continue
		}
		if best == nil || best.Date.Before(e.Date) {
			best = e
		}
	}
	if best == nil {
		return "", nil
	}
	return best.Value, best
}

// isHospitalStay reports whether an encounter was a stay in hospital or an
// emergency visit (FHIR v3 ActCode classes).
func isHospitalStay(e *record.Entry) (bool, string) {
	switch strings.ToUpper(e.Category) {
	case "IMP", "ACUTE", "NONAC", "SS", "OBSENC", "PRENC":
		return true, "Hospital stay"
	case "EMER":
		return true, "Emergency visit"
	}
	t := record.NormalizeText(e.Title)
	switch {
	case strings.Contains(t, "inpatient") || strings.Contains(t, "admission") || strings.Contains(t, "hospitalization"):
		return true, "Hospital stay"
	case strings.Contains(t, "emergency"):
		return true, "Emergency visit"
	}
	return false, ""
}

// labsForProblem are the LOINC tests that follow common long-term
// conditions, by words of the condition's title.
var labsForProblem = []struct {
	words []string
	loinc []string
}{
	{[]string{"diabetes", "prediabetes", "hyperglyc"}, []string{"4548-4", "17856-6", "2345-7", "2339-0", "14749-6", "9318-7", "14959-1"}},
	{[]string{"hyperlipid", "cholesterol", "dyslipid", "lipid"}, []string{"13457-7", "18262-6", "2089-1", "2093-3", "2085-9", "2571-8"}},
	{[]string{"coronary", "myocardial", "angina", "stroke"}, []string{"13457-7", "18262-6", "2089-1", "2093-3"}},
	{[]string{"kidney", "renal", "ckd", "nephro"}, []string{"2160-0", "33914-3", "48642-3", "48643-1", "62238-1", "98979-8", "2823-3", "9318-7", "14959-1"}},
	{[]string{"hypertension"}, []string{"2160-0", "2823-3", "2951-2", "33914-3", "62238-1"}},
	{[]string{"anemia", "anaemia"}, []string{"718-7", "4544-3", "787-2", "2276-4"}},
	{[]string{"thyroid"}, []string{"3016-3", "3024-7", "11580-8"}},
	{[]string{"heart failure", "cardiomyopathy"}, []string{"30934-4", "33762-6", "2160-0", "2823-3"}},
	{[]string{"atrial fibrillation", "thrombosis", "embolism"}, []string{"6301-6", "34714-6"}},
	{[]string{"liver", "hepat", "cirrhosis"}, []string{"1742-6", "1920-8", "1975-2", "6768-6", "1751-7"}},
	{[]string{"gout"}, []string{"3084-1"}},
	{[]string{"hiv"}, []string{"24467-3", "20447-9", "8128-1"}},
}

// keyLabs chooses the visit summary's lab trend rows: tests that follow an
// active problem, then tests whose latest result is abnormal within 24
// months, at most limit; when fewer than min qualify, the most recent other
// tests fill up to min. It returns the chosen series and how many were left
// out.
func (p *picked) keyLabs(minRows, limit int) ([]record.Series, int) {
	wanted := map[string]bool{}
	for _, e := range p.sum.Problems {
		t := record.NormalizeText(e.Title)
		for _, m := range labsForProblem {
			for _, w := range m.words {
				if strings.Contains(t, w) {
					for _, c := range m.loinc {
						wanted[c] = true
					}
				}
			}
		}
	}
	recent := monthsBefore(p.in.Now, 24)
	type cand struct {
		s    record.Series
		rank int
	}
	var cands []cand
	for _, s := range p.sum.Labs {
		last := s.Latest()
		rank := 3
		_, hasGoal := p.goals[s.Code.Code]
		switch {
		case s.Code.System == record.SystemLOINC && (wanted[s.Code.Code] || hasGoal):
			rank = 0
			if !last.Date.Before(recent) && last.Abnormal() {
				rank = -1
			}
		case last.Abnormal() && !last.Date.Before(recent):
			rank = 1
		case anyAbnormalSince(&s, recent):
			rank = 2
		}
		cands = append(cands, cand{s, rank})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(a.rank, b.rank) })
	var out []record.Series
	for _, c := range cands {
		if len(out) >= limit || (c.rank == 3 && len(out) >= minRows) {
			break
		}
		out = append(out, c.s)
	}
	return out, len(p.sum.Labs) - len(out)
}

func anyAbnormalSince(s *record.Series, since record.Date) bool {
	for i := len(s.Points) - 1; i >= 0; i-- {
		e := s.Points[i]
		if e.Date.Before(since) {
			return false
		}
		if e.Abnormal() {
			return true
		}
	}
	return false
}

// contacts splits the person's contacts into emergency contacts, the
// health-care proxy and the family doctor, by the relation the user gave.
func contacts(pr *record.Profile) (emergency []record.Contact, proxy, doctor *record.Contact) {
	for i := range pr.Contacts {
		c := &pr.Contacts[i]
		rel := record.NormalizeText(c.Relation)
		switch {
		case doctor == nil && (strings.Contains(rel, "doctor") || strings.Contains(rel, "physician") ||
			rel == "gp" || strings.Contains(rel, "general practitioner") || strings.Contains(rel, "pcp") ||
			strings.Contains(rel, "primary care")):
			doctor = c
			continue
		case proxy == nil && (strings.Contains(rel, "proxy") || strings.Contains(rel, "power of attorney") ||
			strings.Contains(rel, "guardian") || strings.Contains(rel, "surrogate")):
			proxy = c
		}
		emergency = append(emergency, *c)
	}
	return emergency, proxy, doctor
}

// contactText is "Ana Ñúñez (mother) 555-0100".
func contactText(c *record.Contact) string {
	s := c.Name
	if c.Relation != "" {
		s += " (" + c.Relation + ")"
	}
	if c.Phone != "" {
		s += " " + c.Phone
	}
	return s
}

// advanceDirectives are entries recording an advance directive (not those
// saying the document has none to give).
func advanceDirectives(es []record.Entry) []record.Entry {
	var out []record.Entry
	for _, e := range es {
		if e.Kind != record.KindOther || !strings.Contains(strings.ToLower(e.Category), "advance") {
			continue
		}
		t := record.NormalizeText(e.Title + " " + e.Value)
		if strings.Contains(t, "not available") || strings.Contains(t, "excluded") || strings.Contains(t, "no information") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// unitText writes a UCUM unit the way people read it ("mmHg", "°C").
func unitText(u string) string { return record.UnitText(u) }

// tidyNumber shortens a number written with more than three decimals to
// about four significant figures ("60.718698926166006" → "60.72"), as a lab
// report prints it; other text is returned as it is.
func tidyNumber(s string) string {
	s = strings.TrimSpace(s)
	dot := strings.IndexByte(s, '.')
	if dot < 0 || len(s)-dot-1 <= 3 {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return s
	}
	dec := 3
	if a := math.Abs(f); a >= 1 {
		dec = max(0, 3-int(math.Floor(math.Log10(a))))
	}
	return strconv.FormatFloat(f, 'f', dec, 64)
}

// valueText is an entry's value with its unit as people read it.
func valueText(e *record.Entry) string {
	v := tidyNumber(e.Value)
	if a, b, ok := strings.Cut(e.Value, "/"); ok {
		v = tidyNumber(a) + "/" + tidyNumber(b)
	}
	if v == "" {
		return ""
	}
	if u := unitText(e.Unit); u != "" {
		if u == "%" {
			return v + "%"
		}
		return v + " " + u
	}
	return v
}

// flagOf returns the printed flag of an abnormal result: "▲ H", "▼ L",
// "▲▲ HH", "▼▼ LL", "◆ A" (abnormal), or "" when normal or not stated. The
// space is a no-break space: symbol and letter never part.
func flagOf(e *record.Entry) string {
	switch strings.ToUpper(e.Interpretation) {
	case "H", "HU", ">":
		return "▲\u00a0H"
	case "HH":
		return "▲▲\u00a0HH"
	case "L", "LU", "<":
		return "▼\u00a0L"
	case "LL":
		return "▼▼\u00a0LL"
	case "", "N":
		return ""
	case "AA":
		return "◆\u00a0AA"
	}
	return "◆\u00a0A"
}

// trimFor drops a leading "For:" from a reason.
func trimFor(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"For:", "for:", "For "} {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// goal is a person's own target for a test, read from a Goal's words
// ("Hemoglobin A1c total in Blood < 7.0", "Maintain blood pressure below
// 140/90 mmHg"): below (or above) one value, or two for blood pressure.
type goal struct {
	above  bool
	values []float64
	text   string
}

// goalFor returns the person's goal for a series' test, if any.
func (p *picked) goalFor(s *record.Series) *goal {
	code := s.Code.Code
	if s.Code.System != record.SystemLOINC && len(s.Points) > 0 {
		code = s.Latest().Code(record.SystemLOINC)
	}
	if g, ok := p.goals[code]; ok && code != "" {
		return &g
	}
	return nil
}

// goalTests are the tests personal goals are set for, by words of the goal.
var goalTests = []struct {
	words []string
	loinc []string
}{
	{[]string{"a1c"}, []string{"4548-4", "17856-6"}},
	{[]string{"glucose"}, []string{"2345-7", "2339-0"}},
	{[]string{"blood pressure"}, []string{"85354-9", "55284-4"}},
	{[]string{"ldl"}, []string{"13457-7", "18262-6", "2089-1"}},
	{[]string{"weight"}, []string{"29463-7"}},
	{[]string{"body mass index", "bmi"}, []string{"39156-5"}},
}

var goalNumber = regexp.MustCompile(`(<|≤|>|≥|below|under|less than|lower than|above|over|more than|at least)\s*(\d+(?:\.\d+)?)(?:\s*/\s*(\d+(?:\.\d+)?))?`)

// personalGoals reads the person's current goals that state a number for
// a test, by the test's LOINC code.
func personalGoals(es []record.Entry) map[string]goal {
	out := map[string]goal{}
	for i := range es {
		e := &es[i]
		if e.Kind != record.KindOther || e.Category != "goal" {
			continue
		}
		switch strings.ToLower(e.Status) {
		case "cancelled", "rejected", "entered-in-error", "completed":
			continue
		}
		t := strings.ToLower(e.Title)
		m := goalNumber.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		g := goal{text: strings.TrimSpace(e.Title)}
		switch m[1] {
		case ">", "≥", "above", "over", "more than", "at least":
			g.above = true
		}
		for _, v := range m[2:] {
			if v == "" {
				continue
			}
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				g.values = append(g.values, f)
			}
		}
		n := record.NormalizeText(t)
		for _, gt := range goalTests {
			for _, w := range gt.words {
				if strings.Contains(n, w) {
					for _, c := range gt.loinc {
						if _, seen := out[c]; !seen {
							out[c] = g
						}
					}
				}
			}
		}
	}
	return out
}

// String is the goal as the range column prints it: "goal < 7", "goal < 140/90".
func (g goal) String() string {
	op := "<"
	if g.above {
		op = ">"
	}
	var vs []string
	for _, v := range g.values {
		vs = append(vs, strconv.FormatFloat(v, 'f', -1, 64))
	}
	return "goal " + op + " " + strings.Join(vs, "/")
}
