package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// KindName names one entry of a kind in plain words ("lab result",
// "visit"), as [record.Kind.Label] names many ("Lab results").
func KindName(k record.Kind) string {
	switch k {
	case record.KindCondition:
		return "problem"
	case record.KindMedication:
		return "medication"
	case record.KindAllergy:
		return "allergy"
	case record.KindImmunization:
		return "immunization"
	case record.KindLab:
		return "lab result"
	case record.KindVital:
		return "vital sign"
	case record.KindProcedure:
		return "procedure"
	case record.KindEncounter:
		return "visit"
	case record.KindDocument:
		return "document"
	case record.KindClaim:
		return "claim"
	case record.KindOther:
		return "other entry"
	}
	return string(k)
}

// Count says "1 lab result", "3 lab results", "no lab results".
func Count(n int, k record.Kind) string {
	switch n {
	case 0:
		return "no " + strings.ToLower(k.Label())
	case 1:
		return "1 " + KindName(k)
	}
	return fmt.Sprintf("%d %s", n, strings.ToLower(k.Label()))
}

// Plural says "1 file", "2 files" (regular English plurals only; irregular
// ones pass their plural).
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	if many == "" {
		many = one + "s"
	}
	return fmt.Sprintf("%d %s", n, many)
}

// DateText writes a date so it cannot be misread: "12 Mar 2024", "Mar
// 2024", "2024", or "date unknown".
func DateText(d record.Date) string { return d.Human() }

// DayHeading writes a day for a timeline's header: "Tue 12 Mar 2024";
// coarser dates as DateText does.
func DayHeading(d record.Date) string {
	if d.Precision >= record.PrecisionDay {
		return d.T.Format("Mon 2 Jan 2006")
	}
	return d.Human()
}

// Ago says how long ago t was from now in words: "today", "yesterday",
// "3 days ago", "2 months ago", "4 years ago".
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	ty, tm, td := t.In(now.Location()).Date()
	ny, nm, nd := now.Date()
	days := int(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC).Sub(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days <= 0:
		return "today"
	case days == 1:
		return "yesterday"
	case days < 45:
		return fmt.Sprintf("%d days ago", days)
	case days < 365*2:
		return Plural((days+15)/30, "month", "") + " ago"
	}
	return fmt.Sprintf("%d years ago", days/365)
}

// AgeText says a person's age: "44", "7 months", "10 days", or "" when the
// birth date is unknown.
func AgeText(birth record.Date, now time.Time) string {
	years := record.Age(birth, now)
	if years < 0 {
		return ""
	}
	if years >= 2 || birth.Precision < record.PrecisionDay {
		return fmt.Sprint(years)
	}
	months := (now.Year()-birth.T.Year())*12 + int(now.Month()-birth.T.Month())
	if now.Day() < birth.T.Day() {
		months--
	}
	if months >= 1 {
		return Plural(months, "month", "")
	}
	days := int(now.Sub(birth.T).Hours() / 24)
	return Plural(max(days, 0), "day", "")
}

// StatusText puts an entry's status in words a patient reads, or "" for
// statuses not worth showing (final, completed results).
func StatusText(e *record.Entry) string {
	if e.Kind == record.KindMedication && strings.EqualFold(e.Status, "completed") {
		return "stopped" // a medication statement's "no longer taken"
	}
	switch strings.ToLower(e.Status) {
	case "", "final", "amended", "corrected", "completed", "unknown", "preliminary-final":
		return ""
	case "active", "recurrence", "relapse":
		return "active"
	case "resolved", "remission":
		return "resolved"
	case "inactive":
		return "inactive"
	case "stopped", "ended":
		return "stopped"
	case "on-hold":
		return "on hold"
	case "intended", "planned", "draft", "requested", "proposed":
		return "planned"
	case "entered-in-error":
		return "entered in error"
	case "in-progress":
		return "in progress"
	case "not-done":
		return "not done"
	case "cancelled", "revoked":
		return "cancelled"
	case "preliminary", "registered", "partial":
		return "preliminary"
	case "refuted":
		return "ruled out"
	case "unconfirmed", "provisional", "differential":
		return "unconfirmed"
	case "confirmed":
		return "confirmed"
	}
	return strings.ReplaceAll(strings.ToLower(e.Status), "-", " ")
}

// FlagText is the symbol and letter of an abnormal result, never colour
// alone: "▲ H", "▼ L", "▲▲ HH", "▼▼ LL", "◆ A" (abnormal), or "".
func FlagText(interp string) string {
	switch interp {
	case "H", "HU":
		return "▲ H"
	case "HH", "H>":
		return "▲▲ HH"
	case "L", "LU":
		return "▼ L"
	case "LL", "L<":
		return "▼▼ LL"
	case "A", "AA", "POS", "DET", "R", "W":
		return "◆ A"
	}
	return ""
}

// SystemName names a code system the way people in health care say it:
// "SNOMED CT", "LOINC", "RxNorm", "ICD-10-CM", "CVX"; unknown systems as
// written.
func SystemName(system string) string {
	switch record.CanonicalSystem(system) {
	case record.SystemLOINC:
		return "LOINC"
	case record.SystemSNOMED:
		return "SNOMED CT"
	case record.SystemRxNorm:
		return "RxNorm"
	case record.SystemCVX:
		return "CVX"
	case record.SystemICD10CM:
		return "ICD-10-CM"
	case record.SystemICD10:
		return "ICD-10"
	case record.SystemICD9CM:
		return "ICD-9-CM"
	case record.SystemCPT:
		return "CPT"
	case record.SystemNDC:
		return "NDC"
	case record.SystemUCUM:
		return "UCUM"
	}
	if system == "" {
		return "no system"
	}
	return system
}

// ValueText writes an entry's value with its unit for reading: a number
// written with more decimals than any instrument measures (a computed
// 61.427863654328746 kg) is rounded to one decimal ("61.4 kg"; two below
// 10, three below 1); values as people write them ("7.25", "120/80",
// "Positive") stay as they are. The stored value is never changed:
// [RoundedFrom] says when a shown value was rounded.
func ValueText(e *record.Entry) string {
	v := strings.TrimSpace(e.Value)
	if v == "" {
		return ""
	}
	shown := roundValue(v)
	return withUnit(shown, e.Unit)
}

// withUnit writes a value with its unit as people read it ("128/82 mmHg",
// "37.2 °C", "98%").
func withUnit(value, unit string) string {
	switch u := record.UnitText(unit); {
	case value == "" || u == "":
		return value
	case u == "%":
		return value + "%"
	default:
		return value + " " + u
	}
}

// RoundedFrom returns the value as recorded when [ValueText] rounded it,
// else "".
func RoundedFrom(e *record.Entry) string {
	v := strings.TrimSpace(e.Value)
	if roundValue(v) == v {
		return ""
	}
	return v
}

func roundValue(v string) string {
	if sys, dia, ok := strings.Cut(v, "/"); ok {
		return roundValue(sys) + "/" + roundValue(dia)
	}
	dot := strings.IndexByte(v, '.')
	if dot < 0 || len(v)-dot-1 <= 3 {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	decimals := 1
	if math.Abs(f) < 10 {
		decimals = 2
	}
	if math.Abs(f) < 1 {
		decimals = 3
	}
	return strconv.FormatFloat(f, 'f', decimals, 64)
}
