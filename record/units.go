package record

import "strings"

// UnitText writes a unit as people read it: UCUM's "mm[Hg]", "Cel",
// "[lb_av]" and "10*3/uL" become "mmHg", "°C", "lb" and "×10³/µL"; a
// unit that only says "a number" ("1", "{score}") becomes "". Units
// written for people already come back as they are. Store and compare
// units as written; use this only to show them.
func UnitText(u string) string {
	switch u {
	case "mm[Hg]", "mm Hg":
		return "mmHg"
	case "[lb_av]", "lbs":
		return "lb"
	case "[in_i]", "[in_us]":
		return "in"
	case "Cel", "degC":
		return "°C"
	case "[degF]", "degF":
		return "°F"
	case "kg/m2":
		return "kg/m²"
	case "/min", "{beats}/min", "{Beats}/min":
		return "/min"
	case "{breaths}/min":
		return "breaths/min"
	case "10*3/uL", "10*3/ul", "K/uL":
		return "×10³/µL"
	case "10*6/uL", "10*6/ul", "M/uL":
		return "×10⁶/µL"
	case "10*9/L":
		return "×10⁹/L"
	case "10*12/L":
		return "×10¹²/L"
	case "1", "{score}", "{ratio}":
		return ""
	case "ug/dL":
		return "µg/dL"
	case "ug/L":
		return "µg/L"
	case "uU/mL", "u[IU]/mL", "[iU]/mL", "m[IU]/L":
		return strings.NewReplacer("u[IU]", "µIU", "uU", "µU", "[iU]", "IU", "m[IU]", "mIU").Replace(u)
	}
	return strings.NewReplacer("[", "", "]", "", "{", "", "}", "").Replace(u)
}

// UnitKey is a unit's identity for grouping results: the spellings of one
// unit ("mm[Hg]", "mmHg", "mm Hg"; "Cel" and "°C"; "/min", "{beats}/min",
// "beats/min") give one key, so a chart or a summary never splits one
// test in two because two sources wrote its unit differently, and never
// joins two units.
func UnitKey(u string) string {
	k := NormalizeText(UnitText(strings.TrimSpace(u)))
	switch k {
	case "beats/min", "beats/minute", "bpm", "breaths/min":
		return "/min"
	}
	return k
}
