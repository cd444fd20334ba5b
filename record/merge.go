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
		return join(string(e.Kind), concept, e.Date.String(), normalizeNumber(e.Value), NormalizeText(e.Unit))
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
	// Added: no held entry has the key; the entry is new.
	Added Outcome = iota
	// Merged: a held entry states the same fact; the incoming entry's
	// sources and resources were added to it.
	Merged
	// Conflict: held entries have the key but say something different; the
	// incoming entry is to be kept as well, and all of them are flagged.
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
//   - [Added] with index -1 when held is empty;
//   - [Merged] with the index of the held entry that [Agrees] with the
//     incoming one; that entry gains the incoming Sources and Resources (each
//     once) and is otherwise unchanged;
//   - [Conflict] with index -1 when none agrees; the held entries are marked
//     Conflict and the caller stores the incoming entry with Conflict set
//     (Merge sets it on in).
func Merge(held []*Entry, in *Entry) (Outcome, int) {
	if len(held) == 0 {
		return Added, -1
	}
	for i, h := range held {
		if ok, _ := Agrees(h, in); ok {
			for _, s := range in.Sources {
				if !slices.Contains(h.Sources, s) {
					h.Sources = append(h.Sources, s)
				}
			}
			for _, r := range in.Resources {
				if !slices.Contains(h.Resources, r) {
					h.Resources = append(h.Resources, r)
				}
			}
			return Merged, i
		}
	}
	for _, h := range held {
		h.Conflict = true
	}
	in.Conflict = true
	return Conflict, -1
}

// Agrees reports whether two entries with the same merge key say the same
// thing, and if not, names the fields that differ. A field known on one side
// only is no disagreement: one source may simply say less. Compared fields
// per kind: condition status and onset; medication status, dose amounts and end;
// allergy status, severity and reactions; immunization status; lab and
// vital interpretation; procedure and encounter status; claim status; and
// for every kind the title when neither has a code. Medication doses are
// compared by the amounts they state, not their wording.
func Agrees(a, b *Entry) (bool, []string) {
	var diff []string
	check := func(field, x, y string) {
		x, y = NormalizeText(x), NormalizeText(y)
		if x != "" && y != "" && x != y {
			diff = append(diff, field)
		}
	}
	checkDate := func(field string, x, y Date) {
		if x.IsZero() || y.IsZero() {
			return
		}
		p := min(x.Precision, y.Precision, PrecisionDay)
		if x.Truncate(p).String() != y.Truncate(p).String() {
			diff = append(diff, field)
		}
	}
	switch a.Kind {
	case KindCondition:
		check("status", a.Status, b.Status)
		checkDate("onset", a.Date, b.Date)
	case KindMedication:
		check("status", statusGroup(a.Status), statusGroup(b.Status))
		if !amountsCompatible(doseAmounts(a.Dosage), doseAmounts(b.Dosage)) {
			diff = append(diff, "dose")
		}
		checkDate("end", a.End, b.End)
	case KindAllergy:
		check("status", a.Status, b.Status)
		check("severity", a.Severity, b.Severity)
		if len(a.Reactions) > 0 && len(b.Reactions) > 0 {
			check("reactions", sortedJoin(a.Reactions), sortedJoin(b.Reactions))
		}
	case KindImmunization, KindProcedure, KindEncounter, KindClaim:
		check("status", a.Status, b.Status)
	case KindLab, KindVital:
		check("interpretation", a.Interpretation, b.Interpretation)
	}
	return len(diff) == 0, diff
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
