package record

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// foldPairs maps accented Latin letters to their base letter, so "José
// Müller" and "JOSE MULLER" compare equal. It covers Latin-1 and Latin
// Extended-A, which hold the names our users' records carry.
var foldPairs = []struct {
	base    rune
	letters string
}{
	{'a', "àáâãäåāăąǎ"}, {'A', "ÀÁÂÃÄÅĀĂĄǍ"},
	{'c', "çćĉċč"}, {'C', "ÇĆĈĊČ"},
	{'d', "ďđ"}, {'D', "ĎĐ"},
	{'e', "èéêëēĕėęě"}, {'E', "ÈÉÊËĒĔĖĘĚ"},
	{'g', "ĝğġģ"}, {'G', "ĜĞĠĢ"},
	{'h', "ĥħ"}, {'H', "ĤĦ"},
	{'i', "ìíîïĩīĭįı"}, {'I', "ÌÍÎÏĨĪĬĮİ"},
	{'j', "ĵ"}, {'J', "Ĵ"},
	{'k', "ķ"}, {'K', "Ķ"},
	{'l', "ĺļľŀł"}, {'L', "ĹĻĽĿŁ"},
	{'n', "ñńņňŉ"}, {'N', "ÑŃŅŇ"},
	{'o', "òóôõöøōŏőǒ"}, {'O', "ÒÓÔÕÖØŌŎŐǑ"},
	{'r', "ŕŗř"}, {'R', "ŔŖŘ"},
	{'s', "śŝşšș"}, {'S', "ŚŜŞŠȘ"},
	{'t', "ţťŧț"}, {'T', "ŢŤŦȚ"},
	{'u', "ùúûüũūŭůűųǔ"}, {'U', "ÙÚÛÜŨŪŬŮŰŲǓ"},
	{'w', "ŵ"}, {'W', "Ŵ"},
	{'y', "ýÿŷ"}, {'Y', "ÝŸŶ"},
	{'z', "źżž"}, {'Z', "ŹŻŽ"},
}

var foldTable = func() map[rune]rune {
	m := map[rune]rune{}
	for _, p := range foldPairs {
		for _, r := range p.letters {
			m[r] = p.base
		}
	}
	return m
}()

func foldRune(r rune) rune {
	if r < 0xC0 {
		return r
	}
	if b, ok := foldTable[r]; ok {
		return b
	}
	return r
}

// nameTokens splits a name into folded, lower-case words. Letters such as
// ß and æ are spelled out ("ss", "ae"); apostrophes vanish ("O'Brien" is
// "obrien"); hyphens split ("Smith-Jones" is two words).
func nameTokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch r {
		case '\'', '’', '`':
			continue
		case 'ß':
			b.WriteString("ss")
			continue
		case 'æ', 'Æ':
			b.WriteString("ae")
			continue
		case 'œ', 'Œ':
			b.WriteString("oe")
			continue
		}
		r = unicode.ToLower(foldRune(r))
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			flush()
		}
	}
	flush()
	return out
}

// honorifics are words in names that say nothing about who a person is.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "jr": true, "sr": true,
	"ii": true, "iii": true, "iv": true, "md": true, "phd": true, "mx": true,
}

// parsedName is a name split into family and given words.
type parsedName struct {
	family []string // may hold several words ("de la cruz", "smith jones")
	given  []string // first name, middle names or initials
	// ordered is false when the order of the words is unknown (no comma
	// and no structured family name), so either end may be the family name.
	ordered bool
}

// parseName reads a structured or free-text name. "SMITH, JOHN A" is family
// first; "John A. Smith" is family last; structured names are used as given.
func parseName(text, family string, given []string) parsedName {
	strip := func(ws []string) []string {
		return slices.DeleteFunc(ws, func(w string) bool { return honorifics[w] })
	}
	if strings.TrimSpace(family) != "" {
		var g []string
		for _, x := range given {
			g = append(g, nameTokens(x)...)
		}
		return parsedName{family: strip(nameTokens(family)), given: strip(g), ordered: true}
	}
	if before, after, ok := strings.Cut(text, ","); ok {
		return parsedName{family: strip(nameTokens(before)), given: strip(nameTokens(after)), ordered: true}
	}
	// Free text in reading order: the last word is the family name, and a
	// hyphenated last word ("Garcia-Lopez") is all family name.
	fields := strings.Fields(text)
	for len(fields) > 0 && len(strip(nameTokens(fields[len(fields)-1]))) == 0 {
		fields = fields[:len(fields)-1] // "John Smith Jr."
	}
	if len(fields) == 0 {
		return parsedName{}
	}
	return parsedName{
		family: nameTokens(fields[len(fields)-1]),
		given:  strip(nameTokens(strings.Join(fields[:len(fields)-1], " "))),
	}
}

func (n parsedName) empty() bool { return len(n.family) == 0 && len(n.given) == 0 }

// givenCompatible reports whether two lists of given names can be the same
// person's: the first names equal (or one is the other's initial: the birth
// date must then agree too, and twins "John" and "James" both fit "J", which
// [MatchPatient] reports as ambiguous), and
// middle names, where both have them, agree or are initials of each other.
func givenCompatible(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	if !wordCompatible(a[0], b[0], true) {
		return false
	}
	for i := 1; i < len(a) && i < len(b); i++ {
		if !wordCompatible(a[i], b[i], true) {
			return false
		}
	}
	return true
}

// wordCompatible compares two name words; with initials allowed, "a" fits "adam".
func wordCompatible(x, y string, initials bool) bool {
	if x == y {
		return true
	}
	if initials && (len(x) == 1 || len(y) == 1) {
		return x[0] == y[0]
	}
	return false
}

// familyCompatible compares family names: equal, or one a word of the
// other (a double-barrelled name written in part).
func familyCompatible(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if slices.Equal(a, b) {
		return true
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	for _, w := range short {
		if !slices.Contains(long, w) {
			return false
		}
	}
	return true
}

// SameName reports whether two names can denote the same person, allowing
// for case, accents, punctuation, order ("SMITH, JOHN A" and "John A.
// Smith"), a missing or abbreviated middle name, and titles (Dr., Jr.).
func SameName(a, b Person) bool {
	return namesCompatible(parseName(a.Name, a.Family, a.Given), parseName(b.Name, b.Family, b.Given))
}

func namesCompatible(a, b parsedName) bool {
	if a.empty() || b.empty() {
		return false
	}
	try := func(x, y parsedName) bool {
		return familyCompatible(x.family, y.family) && givenCompatible(x.given, y.given)
	}
	if try(a, b) {
		return true
	}
	// Without a comma or structure, "Smith John" may be family first.
	for _, x := range reorderings(a) {
		for _, y := range reorderings(b) {
			if try(x, y) {
				return true
			}
		}
	}
	return false
}

// reorderings returns the readings of an unordered name with the family
// name first instead of last.
func reorderings(n parsedName) []parsedName {
	out := []parsedName{n}
	if n.ordered {
		return out
	}
	words := append(append([]string{}, n.given...), n.family...)
	if len(words) >= 2 {
		out = append(out, parsedName{family: words[:1], given: words[1:]})
	}
	return out
}

func profileNames(p *Profile) []parsedName {
	out := []parsedName{parseName(p.Name, "", nil)}
	for _, n := range p.Names {
		out = append(out, parseName(n, "", nil))
	}
	return out
}

// MatchOutcome is the verdict of [MatchPatient].
type MatchOutcome int

// The verdicts of [MatchPatient].
const (
	// NoMatch: no profile is this person; the caller creates one.
	NoMatch MatchOutcome = iota
	// Matched: exactly one profile is this person.
	Matched
	// Ambiguous: the evidence does not decide; the user must choose.
	Ambiguous
)

func (o MatchOutcome) String() string {
	switch o {
	case Matched:
		return "match"
	case Ambiguous:
		return "ambiguous"
	}
	return "no match"
}

// MatchResult is the verdict of [MatchPatient] with its reason.
type MatchResult struct {
	Outcome MatchOutcome
	// Profile is the matched profile's id (Matched only).
	Profile string
	// Candidates are the profile ids that were considered (Ambiguous only).
	Candidates []string
	// Why explains the verdict in words shown to the user. It names
	// profiles but no health data.
	Why string
}

// MatchPatient decides which profile, if any, an imported file's patient is.
// The rules, in order:
//
//  1. A shared identifier (same system and value) is strong evidence: the
//     profile matches unless its birth date contradicts, which is ambiguous.
//  2. Otherwise a compatible name ([SameName]) with the same birth date
//     matches.
//  3. A compatible name where the profile has no birth date yet (a person
//     added by hand with a name only) matches when it is the only profile
//     the name fits: the caller may then learn the birth date from the file.
//  4. A compatible name where the file lacks a birth date is ambiguous, as
//     is a compatible name with a different birth date only when the birth
//     dates differ by a likely typing slip (same year, day and month
//     swapped); any other different birth date is not a match.
//  5. Several profiles fitting equally well is ambiguous.
//
// A person with neither name nor birth date nor identifiers is ambiguous
// when any profiles exist (the caller asks), and no match otherwise.
func MatchPatient(p Person, profiles []Profile) MatchResult {
	if len(profiles) == 0 {
		return MatchResult{Outcome: NoMatch, Why: "the vault holds no people yet"}
	}
	pn := parseName(p.Name, p.Family, p.Given)
	if pn.empty() && p.BirthDate.IsZero() && len(p.Identifiers) == 0 {
		ids := make([]string, len(profiles))
		for i := range profiles {
			ids[i] = profiles[i].ID
		}
		return MatchResult{Outcome: Ambiguous, Candidates: ids, Why: "the file does not say who the patient is"}
	}

	// 1. identifiers
	var byID []int
	for i := range profiles {
		if sharesIdentifier(p.Identifiers, profiles[i].Identifiers) {
			byID = append(byID, i)
		}
	}
	if len(byID) == 1 {
		pr := &profiles[byID[0]]
		if !p.BirthDate.IsZero() && !pr.BirthDate.IsZero() && !sameDay(p.BirthDate, pr.BirthDate) {
			return MatchResult{Outcome: Ambiguous, Candidates: []string{pr.ID},
				Why: fmt.Sprintf("the record number matches %q but the birth date differs", pr.Name)}
		}
		return MatchResult{Outcome: Matched, Profile: pr.ID, Why: fmt.Sprintf("same record number as %q", pr.Name)}
	}
	if len(byID) > 1 {
		return ambiguous(profiles, byID, "the record number matches several people")
	}

	// 2 to 4. names and birth dates
	var exact, undated, unsure, slips []int
	for i := range profiles {
		pr := &profiles[i]
		if !nameFits(pn, pr) {
			continue
		}
		switch {
		case p.BirthDate.IsZero():
			unsure = append(unsure, i)
		case pr.BirthDate.IsZero():
			undated = append(undated, i)
		case sameDay(p.BirthDate, pr.BirthDate):
			exact = append(exact, i)
		case typingSlip(p.BirthDate, pr.BirthDate):
			slips = append(slips, i)
		}
	}
	others := len(undated) + len(unsure)
	switch {
	case len(exact) == 1 && others == 0:
		pr := &profiles[exact[0]]
		return MatchResult{Outcome: Matched, Profile: pr.ID, Why: fmt.Sprintf("same name and birth date as %q", pr.Name)}
	case len(exact) > 1:
		return ambiguous(profiles, exact, "several people have this name and birth date")
	case len(exact) == 1:
		return ambiguous(profiles, append(append(exact, undated...), unsure...), "several people have this name, and not all have a birth date")
	case len(undated) == 1 && len(unsure) == 0 && len(slips) == 0:
		pr := &profiles[undated[0]]
		return MatchResult{Outcome: Matched, Profile: pr.ID, Why: fmt.Sprintf("same name as %q, who has no birth date yet", pr.Name)}
	case len(undated) > 1:
		return ambiguous(profiles, append(undated, slips...), "several people have this name, and not all have a birth date")
	case len(unsure) > 0:
		return ambiguous(profiles, append(unsure, undated...), "the name matches but the file gives no birth date")
	case len(slips) > 0:
		return ambiguous(profiles, append(slips, undated...), "the name matches but the birth date differs slightly")
	}
	return MatchResult{Outcome: NoMatch, Why: "no person in the vault has this name and birth date"}
}

// DisplayName is the name a file gives its patient, as people write it:
// spaces tidied, and a name typed all in capitals written with a capital
// at the start of each word and after an apostrophe or a hyphen
// ("JEREMY V BATES" is "Jeremy V Bates", "O'BRIEN-SMITH" "O'Brien-Smith").
// It is "" when the file gives no name.
func (p Person) DisplayName() string {
	n := strings.Join(strings.Fields(p.Name), " ")
	if n == "" {
		n = strings.Join(strings.Fields(strings.Join(append(slices.Clone(p.Given), p.Family), " ")), " ")
	}
	if strings.ToUpper(n) != n || strings.ToLower(n) == n {
		return n
	}
	var b strings.Builder
	start := true
	for _, r := range n {
		if start {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = r == ' ' || r == '-' || r == '\'' || r == '’'
	}
	return b.String()
}

// nameFits reports whether a parsed name fits any of a profile's names.
func nameFits(pn parsedName, pr *Profile) bool {
	for _, n := range profileNames(pr) {
		if namesCompatible(pn, n) {
			return true
		}
	}
	return false
}

// Verdict is how one field of an imported file's patient compares with a
// profile's: the same, different, or not known on one side.
type Verdict int

// The verdicts of [Compare].
const (
	Unknown Verdict = iota
	Same
	Differs
)

func (v Verdict) String() string {
	switch v {
	case Same:
		return "same"
	case Differs:
		return "differs"
	}
	return "unknown"
}

// Likeness compares an imported file's patient with one profile, field by
// field; see [Compare].
type Likeness struct {
	// Name: Same when the names are compatible ([SameName], the profile's
	// other known names included), Differs when both have one and they are
	// not, Unknown when either has none.
	Name Verdict
	// BirthDate: Same on the same day (at the coarser precision), Differs
	// when both are known and differ, Unknown when either is missing.
	BirthDate Verdict
	// Identifier: Same when they share a record number (system and value),
	// Differs when they hold different values in the same system, Unknown
	// otherwise.
	Identifier Verdict
}

// ClearlyOther reports whether the file's patient is clearly someone other
// than the profile: the name or the birth date differs, and nothing agrees
// (not the name, not the birth date, not a record number). A married name
// with the same birth date, or a typo in the birth date under the same
// name, is not clearly someone else.
func (l Likeness) ClearlyOther() bool {
	return (l.Name == Differs || l.BirthDate == Differs) &&
		l.Name != Same && l.BirthDate != Same && l.Identifier != Same
}

// Compare says how the patient a file names compares with one profile.
// Unlike [MatchPatient] it does not look at other profiles: it is how a
// file the user put under a person is checked against that person.
func Compare(p Person, pr Profile) Likeness {
	var l Likeness
	pn := parseName(p.Name, p.Family, p.Given)
	switch {
	case pn.empty() || strings.TrimSpace(pr.Name) == "":
	case nameFits(pn, &pr):
		l.Name = Same
	default:
		l.Name = Differs
	}
	switch {
	case p.BirthDate.IsZero() || pr.BirthDate.IsZero():
	case sameDay(p.BirthDate, pr.BirthDate):
		l.BirthDate = Same
	default:
		l.BirthDate = Differs
	}
	switch {
	case sharesIdentifier(p.Identifiers, pr.Identifiers):
		l.Identifier = Same
	case otherValueSameSystem(p.Identifiers, pr.Identifiers):
		l.Identifier = Differs
	}
	return l
}

func otherValueSameSystem(a, b []Identifier) bool {
	for _, x := range a {
		if x.System == "" || strings.TrimSpace(x.Value) == "" {
			continue
		}
		for _, y := range b {
			if SameSystem(x.System, y.System) && strings.TrimSpace(y.Value) != "" {
				return true
			}
		}
	}
	return false
}

func ambiguous(profiles []Profile, idx []int, why string) MatchResult {
	r := MatchResult{Outcome: Ambiguous, Why: why}
	var names []string
	for _, i := range idx {
		r.Candidates = append(r.Candidates, profiles[i].ID)
		names = append(names, fmt.Sprintf("%q", profiles[i].Name))
	}
	r.Why += " (" + strings.Join(names, ", ") + ")"
	return r
}

func sharesIdentifier(a, b []Identifier) bool {
	for _, x := range a {
		xv := strings.TrimSpace(x.Value)
		if xv == "" || x.System == "" {
			continue
		}
		for _, y := range b {
			if SameSystem(x.System, y.System) && strings.EqualFold(xv, strings.TrimSpace(y.Value)) {
				return true
			}
		}
	}
	return false
}

func sameDay(a, b Date) bool { return a.SameDay(b) }

// typingSlip reports birth dates that differ only by a swapped day and
// month (03/04 vs 04/03).
func typingSlip(a, b Date) bool {
	if a.Precision < PrecisionDay || b.Precision < PrecisionDay {
		return false
	}
	return a.T.Year() == b.T.Year() && int(a.T.Month()) == b.T.Day() && a.T.Day() == int(b.T.Month())
}
