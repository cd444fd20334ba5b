package record

import (
	"slices"
	"strings"
	"unicode"
)

// MergeKey returns the key under which two entries of one person are the
// same fact. Entries of different kinds never share a key. The key is built
// from the codes where the entry has them and from its normalized title
// otherwise, so "Lisinopril 10 MG Oral Tablet" from a C-CDA and from a FHIR
// export meet:
//
//   - lab, vital: LOINC code (else first code, else title) + time + value + unit
//   - medication: RxNorm code (else title) + start day; fills are keyed apart from orders
//   - condition: SNOMED CT code (else ICD-10, else first code, else title)
//   - allergy: substance code (else title)
//   - immunization: CVX code (else first code, else title) + day
//   - procedure: code (else title) + day
//   - encounter: day + type + place
//   - document: title + day
//   - claim: type + day + place + amount + the codes of what was billed
//   - other: category + code (else title) + day + value
func MergeKey(e *Entry) string {
	day := e.Date.Day()
	concept := conceptKey(e)
	switch e.Kind {
	case KindLab, KindVital:
		return join(string(e.Kind), concept, e.Date.String(), normalizeNumber(e.Value), UnitKey(e.Unit))
	case KindMedication:
		k := "medication"
		if e.Category == "fill" {
			k = "fill"
		}
		return join(k, concept, day)
	case KindCondition, KindAllergy:
		return join(string(e.Kind), concept)
	case KindImmunization, KindProcedure:
		return join(string(e.Kind), concept, day)
	case KindEncounter:
		return join("encounter", day, concept, NormalizeText(e.Place))
	case KindDocument:
		return join("document", NormalizeText(e.Title), day)
	case KindClaim:
		return join("claim", e.Category, day, NormalizeText(e.Place), normalizeNumber(e.Value), claimItems(e))
	}
	return join("other", e.Category, concept, day, NormalizeText(e.Value))
}

// preferredSystems lists, per kind, the code systems that identify a fact
// best, in order.
var preferredSystems = map[Kind][]string{
	KindLab:          {SystemLOINC},
	KindVital:        {SystemLOINC},
	KindMedication:   {SystemRxNorm, SystemNDC},
	KindCondition:    {SystemSNOMED, SystemICD10CM, SystemICD10, SystemICD9CM},
	KindAllergy:      {SystemRxNorm, SystemSNOMED, "http://fdasis.nlm.nih.gov", "urn:oid:2.16.840.1.113883.4.9"},
	KindImmunization: {SystemCVX},
	KindProcedure:    {SystemSNOMED, SystemCPT, "http://www.cms.gov/Medicare/Coding/ICD10"},
}

func conceptKey(e *Entry) string {
	for _, sys := range preferredSystems[e.Kind] {
		if c := e.Code(sys); c != "" {
			return CanonicalSystem(sys) + "#" + strings.ToLower(c)
		}
	}
	if e.Kind == KindLab || e.Kind == KindVital || e.Kind == KindCondition || e.Kind == KindImmunization || e.Kind == KindProcedure || e.Kind == KindOther {
		for _, c := range e.Codes {
			if c.Code != "" && c.System != "" {
				return CanonicalSystem(c.System) + "#" + strings.ToLower(c.Code)
			}
		}
	}
	return "text:" + NormalizeText(e.Title)
}

// claimItems lists a claim's billed codes (drugs, services), sorted, so two
// fills on one day for the same amount but of different drugs stay apart.
func claimItems(e *Entry) string {
	var codes []string
	for _, c := range e.Codes {
		if c.Code != "" {
			codes = append(codes, CanonicalSystem(c.System)+"#"+strings.ToLower(c.Code))
		}
	}
	slices.Sort(codes)
	return strings.Join(slices.Compact(codes), ",")
}

func join(parts ...string) string { return strings.Join(parts, "|") }

func normalizeNumber(s string) string {
	s = strings.TrimSpace(s)
	if f, ok := parseNumber(s); ok && !strings.ContainsAny(s, "/:–") {
		prefix := ""
		for _, c := range []string{"<=", ">=", "<", ">", "≤", "≥"} {
			if strings.HasPrefix(s, c) {
				prefix = c
				break
			}
		}
		return prefix + fmtNum(f)
	}
	return NormalizeText(s)
}

// NormalizeText folds text for comparison: lower case, accents removed,
// punctuation and runs of spaces collapsed to one space.
func NormalizeText(s string) string {
	var b strings.Builder
	rs := []rune(s)
	space := false
	write := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	for i, r := range rs {
		r = foldRune(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			write(unicode.ToLower(r))
		case r == '%' || r == '/':
			// characters that change a value's meaning
			write(r)
		case r == '.' && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			// a decimal point: "7.2" is not "72"
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// Outcome is what [Merge] decided for an incoming entry.
type Outcome int

// The outcomes of [Merge].
const (
	// Added: no held entry states the same fact, and none contradicts the
	// incoming one; it is a new entry.
	Added Outcome = iota
	// Merged: a held entry states the same fact; the incoming entry's
	// sources and resources were added to it.
	Merged
	// Conflict: held entries have the key but say something different, and
	// at least one of them comes from another document ([InConflict]); the
	// incoming entry is to be kept as well, and the disagreeing entries are
	// flagged.
	Conflict
)

func (o Outcome) String() string {
	switch o {
	case Merged:
		return "merged"
	case Conflict:
		return "conflict"
	}
	return "added"
}

// Merge folds an incoming entry into the entries already held for one
// person that share its [MergeKey] (the caller finds them; held may be
// empty). It returns:
//
//   - [Merged] with the index of the first held entry that [Agrees] with the
//     incoming one; that entry gains the incoming Sources and Resources (each
//     once) and is otherwise unchanged;
//   - [Conflict] with index -1 when none agrees and at least one is
//     [InConflict] with it: the caller stores the incoming entry too;
//   - [Added] with index -1 otherwise: nothing held, or only entries of the
//     same document that differ from it (two facts that document states
//     side by side, not a disagreement).
//
// Merge keeps every Conflict flag of the group right as it now stands (held
// plus, unless merged, in): an entry is flagged when it is [InConflict] with
// another. A merge can clear flags (the merged entry now shares a document
// with one it disagreed with), an addition can set them; the caller writes
// back every held entry whose flag changed.
func Merge(held []*Entry, in *Entry) (Outcome, int) {
	for i, h := range held {
		if ok, _ := Agrees(h, in); !ok {
			continue
		}
		grew := false
		for _, s := range in.Sources {
			if !slices.Contains(h.Sources, s) {
				h.Sources = append(h.Sources, s)
				grew = true
			}
		}
		for _, r := range in.Resources {
			if !slices.Contains(h.Resources, r) {
				h.Resources = append(h.Resources, r)
			}
		}
		if grew {
			// Only pairs with h can have changed: h now shares a document
			// with entries it may have disagreed with.
			for j, g := range held {
				if j != i && g.Conflict && sharesSource(g, h) {
					g.Conflict = inConflictWithAny(g, held)
				}
			}
			h.Conflict = inConflictWithAny(h, held)
		}
		return Merged, i
	}
	in.Conflict = false
	for _, h := range held {
		if InConflict(h, in) {
			h.Conflict = true
			in.Conflict = true
		}
	}
	if in.Conflict {
		return Conflict, -1
	}
	return Added, -1
}

// InConflict reports whether two entries of one person that share a
// [MergeKey] contradict each other: they say something different about the
// fact ([Differences] finds a field) and no document states both. Entries
// that share a source are two facts one document lists side by side (two
// episodes of an illness, a problem and its resolved history), not a
// disagreement between sources.
func InConflict(a, b *Entry) bool {
	if a == b || sharesSource(a, b) {
		return false
	}
	return len(Differences(a, b)) > 0
}

// MarkConflicts sets the Conflict flag of every entry of a group (one
// person's entries that share a [MergeKey]): true when it is [InConflict]
// with another entry of the group, false otherwise. It reports whether any
// flag changed.
func MarkConflicts(group []*Entry) bool {
	changed := false
	for _, e := range group {
		c := inConflictWithAny(e, group)
		if c != e.Conflict {
			e.Conflict = c
			changed = true
		}
	}
	return changed
}

func inConflictWithAny(e *Entry, group []*Entry) bool {
	for _, o := range group {
		if InConflict(e, o) {
			return true
		}
	}
	return false
}

func sharesSource(a, b *Entry) bool {
	for _, s := range a.Sources {
		if slices.Contains(b.Sources, s) {
			return true
		}
	}
	return false
}

// Difference is one field on which two entries of the same fact disagree,
// with each side's value as a person reads it.
type Difference struct {
	// Field names the field in words: "status", "onset date", "dose",
	// "end date", "severity", "reactions" or "result flag".
	Field string `json:"field"`
	// A and B are the values of the first and the second entry given to
	// [Differences].
	A string `json:"a"`
	B string `json:"b"`
}

// Agrees reports whether two entries with the same merge key say the same
// thing, and if not, names the fields that differ (the Field of each of
// their [Differences]).
func Agrees(a, b *Entry) (bool, []string) {
	d := Differences(a, b)
	if len(d) == 0 {
		return true, nil
	}
	fields := make([]string, len(d))
	for i, x := range d {
		fields[i] = x.Field
	}
	return false, fields
}

// Differences lists the fields on which two entries with the same merge key
// disagree, with both values; nil when they say the same thing. A field
// known on one side only is no disagreement: one source may simply say
// less. Compared fields per kind: condition status and onset; medication
// status (as a patient reads it: "on-hold" is still taking it), dose
// amounts and end; allergy status, severity and reactions; immunization,
// procedure, encounter and claim status; lab and vital result flag.
// Medication doses are compared by the amounts they state, not their
// wording.
//
// Two statements that something is absent ("no known allergies", "no
// known medications", "no information about problems", a problem marked
// refuted, a vaccine not given) never differ: whatever status or date each
// gives, they say the same. One such statement and one that states the
// fact do differ, in status.
func Differences(a, b *Entry) []Difference {
	if statesAbsence(a) && statesAbsence(b) {
		return nil
	}
	var diff []Difference
	text := func(field, x, y string) {
		if nx, ny := NormalizeText(x), NormalizeText(y); nx != "" && ny != "" && nx != ny {
			diff = append(diff, Difference{Field: field, A: x, B: y})
		}
	}
	date := func(field string, x, y Date) {
		if x.IsZero() || y.IsZero() {
			return
		}
		p := min(x.Precision, y.Precision, PrecisionDay)
		if x.Truncate(p).String() != y.Truncate(p).String() {
			diff = append(diff, Difference{Field: field, A: x.Human(), B: y.Human()})
		}
	}
	switch a.Kind {
	case KindCondition:
		text("status", a.Status, b.Status)
		date("onset date", a.Date, b.Date)
	case KindMedication:
		if x, y := statusGroup(a.Status), statusGroup(b.Status); x != "" && y != "" && NormalizeText(x) != NormalizeText(y) {
			diff = append(diff, Difference{Field: "status", A: a.Status, B: b.Status})
		}
		if !amountsCompatible(doseAmounts(a.Dosage), doseAmounts(b.Dosage)) {
			diff = append(diff, Difference{Field: "dose", A: a.Dosage, B: b.Dosage})
		}
		date("end date", a.End, b.End)
	case KindAllergy:
		text("status", a.Status, b.Status)
		text("severity", a.Severity, b.Severity)
		if len(a.Reactions) > 0 && len(b.Reactions) > 0 && sortedJoin(a.Reactions) != sortedJoin(b.Reactions) {
			diff = append(diff, Difference{Field: "reactions", A: strings.Join(a.Reactions, ", "), B: strings.Join(b.Reactions, ", ")})
		}
	case KindImmunization, KindProcedure, KindEncounter, KindClaim:
		text("status", a.Status, b.Status)
	case KindLab, KindVital:
		if x, y := strings.TrimSpace(a.Interpretation), strings.TrimSpace(b.Interpretation); x != "" && y != "" && !strings.EqualFold(x, y) {
			diff = append(diff, Difference{Field: "result flag", A: InterpretationText(x), B: InterpretationText(y)})
		}
	}
	return diff
}

// statesAbsence reports whether an entry states that something is absent,
// unknown or not so ("no known allergies", "no current medications", IPS
// "no-problem-info", a refuted or cancelled entry) rather than a fact.
func statesAbsence(e *Entry) bool {
	return removedStatus(e.Status) || isNoKnownAllergy(e) || isNoneKnown(e) || isNoInformation(e)
}

// doseUnits are the units of an amount of drug, as dosage text writes them.
var doseUnits = map[string]string{
	"mg": "mg", "milligram": "mg", "milligrams": "mg", "g": "g", "gram": "g", "grams": "g",
	"mcg": "ug", "ug": "ug", "µg": "ug", "microgram": "ug", "micrograms": "ug",
	"ml": "ml", "milliliter": "ml", "milliliters": "ml", "millilitre": "ml", "l": "l",
	"unit": "unit", "units": "unit", "u": "unit", "iu": "unit", "meq": "meq", "mmol": "mmol", "%": "%",
	"tablet": "tablet", "tablets": "tablet", "tab": "tablet", "tabs": "tablet",
	"capsule": "capsule", "capsules": "capsule", "cap": "capsule", "caps": "capsule",
	"puff": "puff", "puffs": "puff", "drop": "drop", "drops": "drop", "spray": "spray", "sprays": "spray",
	"patch": "patch", "patches": "patch",
}

// doseAmounts reduces dosage text to the drug amounts it states, sorted
// ("10 mg", "0.5 ml"), so two sources that word the same dose differently
// ("1 tab by mouth daily, 10 mg" and "10mg once a day") agree, and two that
// state different amounts do not. Text without amounts gives "".
func doseAmounts(s string) string {
	s = strings.ToLower(s)
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' || rs[j] == ',') {
			j++
		}
		num := strings.TrimRight(strings.ReplaceAll(string(rs[i:j]), ",", ""), ".")
		k := j
		for k < len(rs) && rs[k] == ' ' {
			k++
		}
		u := k
		for u < len(rs) && (unicode.IsLetter(rs[u]) || rs[u] == '%' || rs[u] == 'µ') {
			u++
		}
		if unit, ok := doseUnits[string(rs[k:u])]; ok {
			if f, ok := parseNumber(num); ok {
				out = append(out, fmtNum(f)+" "+unit)
			}
		}
		i = max(j, u)
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ", ")
}

// amountsCompatible reports whether two dose amount lists can describe the
// same dose: one is empty, or one lists a subset of the other's amounts
// ("1 tablet, 10 mg" and "10 mg").
func amountsCompatible(a, b string) bool {
	if a == "" || b == "" || a == b {
		return true
	}
	as, bs := strings.Split(a, ", "), strings.Split(b, ", ")
	if len(as) > len(bs) {
		as, bs = bs, as
	}
	for _, x := range as {
		if !slices.Contains(bs, x) {
			return false
		}
	}
	return true
}

// statusGroup folds medication statuses that mean the same to a patient.
func statusGroup(s string) string {
	switch strings.ToLower(s) {
	case "active", "intended", "on-hold", "draft":
		return "active"
	case "completed", "stopped", "cancelled", "ended":
		return "stopped"
	}
	return s
}

func sortedJoin(xs []string) string {
	ys := make([]string, len(xs))
	for i, x := range xs {
		ys[i] = NormalizeText(x)
	}
	slices.Sort(ys)
	return strings.Join(ys, ",")
}
