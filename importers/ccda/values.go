package ccda

import (
	"encoding/json"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// fhirTime converts an HL7 v3 TS ("20140302103000.123-0500", "201403",
// "2014") to a FHIR date or dateTime at the precision written. A time of
// day keeps its offset; a date without a time drops it (FHIR dates carry
// none). Vendors who write ISO 8601 ("2014-03-02") are read as they mean.
// ok is false for text that is no date (or an impossible one, such as a
// 30th of February); the caller warns.
func fhirTime(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", false
	}
	if len(v) >= 7 && v[4] == '-' {
		if d, err := record.ParseDate(v); err == nil && !d.IsZero() {
			return v, true
		}
		return "", false
	}
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	digits := v[:i]
	rest := v[i:]
	frac := ""
	if strings.HasPrefix(rest, ".") {
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		frac = rest[1:j]
		rest = rest[j:]
	}
	tz := ""
	switch {
	case rest == "":
	case rest == "Z" || rest == "z":
		tz = "Z"
	case len(rest) == 5 && (rest[0] == '+' || rest[0] == '-') && allDigits(rest[1:]):
		if rest[1:3] > "14" || rest[3:5] > "59" {
			return "", false
		}
		tz = rest[:3] + ":" + rest[3:]
	case len(rest) == 3 && (rest[0] == '+' || rest[0] == '-') && allDigits(rest[1:]):
		tz = rest + ":00"
	default:
		return "", false
	}
	var out string
	switch len(digits) {
	case 4:
		out = digits
	case 6:
		out = digits[:4] + "-" + digits[4:6]
	case 8:
		out = digits[:4] + "-" + digits[4:6] + "-" + digits[6:8]
	case 10:
		out = digits[:4] + "-" + digits[4:6] + "-" + digits[6:8] + "T" + digits[8:10] + ":00:00"
	case 12:
		out = digits[:4] + "-" + digits[4:6] + "-" + digits[6:8] + "T" + digits[8:10] + ":" + digits[10:12] + ":00"
	case 14:
		out = digits[:4] + "-" + digits[4:6] + "-" + digits[6:8] + "T" + digits[8:10] + ":" + digits[10:12] + ":" + digits[12:14]
		if frac != "" {
			out += "." + frac
		}
	default:
		return "", false
	}
	if len(digits) > 8 && tz != "" {
		out += tz
	}
	if !validDate(digits) {
		return "", false
	}
	return out, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var monthDays = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func validDate(d string) bool {
	atoi := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	year := atoi(d[:4])
	if year < 1800 {
		return false
	}
	if len(d) >= 6 {
		mo := atoi(d[4:6])
		if mo < 1 || mo > 12 {
			return false
		}
		if len(d) >= 8 {
			day := atoi(d[6:8])
			if day < 1 || day > monthDays[mo] {
				return false
			}
			if mo == 2 && day == 29 && !(year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
				return false
			}
		}
	}
	if len(d) >= 10 && atoi(d[8:10]) > 23 {
		return false
	}
	if len(d) >= 12 && atoi(d[10:12]) > 59 {
		return false
	}
	if len(d) >= 14 && atoi(d[12:14]) > 59 {
		return false
	}
	return true
}

// ts reads the value attribute of a TS element; an unreadable value is
// warned about and left out.
func (m *mapper) ts(n *node) string {
	if n == nil {
		return ""
	}
	v := n.attr("value")
	if strings.TrimSpace(v) == "" {
		return ""
	}
	t, ok := fhirTime(v)
	if !ok {
		m.warn("an unreadable date was left out at " + n.xpath())
		return ""
	}
	if strings.HasPrefix(t, "1900-01-01") && (len(t) == 10 || strings.HasPrefix(t[10:], "T00:00:00")) {
		// 1 January 1900 at midnight is what some systems write for "unknown".
		m.warnOnce("1900", "dates of 1 January 1900 were read as unknown (first at "+n.xpath()+")")
		return ""
	}
	return t
}

// when is an effectiveTime read as a point or an interval.
type when struct {
	at         string // a single point in time (value or center)
	start, end string // an interval; either may be missing
}

func (w when) zero() bool { return w.at == "" && w.start == "" && w.end == "" }

// first returns the earliest known time: the point, else the start, else the end.
func (w when) first() string {
	switch {
	case w.at != "":
		return w.at
	case w.start != "":
		return w.start
	}
	return w.end
}

// period renders the interval (or the point as a one-instant period's start).
func (w when) period() *obj {
	if w.start == "" && w.end == "" {
		if w.at != "" {
			return newObj("start", w.at)
		}
		return nil
	}
	return newObj("start", w.start, "end", w.end)
}

// setOn sets name+"DateTime" to a point or name+"Period" to an interval.
func (w when) setOn(o *obj, name string) {
	switch {
	case w.at != "":
		o.SetNonEmpty(name+"DateTime", w.at)
	case w.start != "" && w.end == "":
		// IVL_TS with only a low: the start is when it happened or began.
		o.SetNonEmpty(name+"Period", newObj("start", w.start))
	case w.start != "" || w.end != "":
		o.SetNonEmpty(name+"Period", w.period())
	}
}

// effective reads an effectiveTime (TS or IVL_TS, value/low/high/center).
func (m *mapper) effective(n *node) when {
	var w when
	if n == nil || (n.nullFlavor() != "" && len(n.elems()) == 0 && !n.has("value")) {
		return w
	}
	if n.has("value") {
		w.at = m.ts(n)
		if w.at != "" {
			return w
		}
	}
	w.start = m.ts(n.child("low"))
	w.end = m.ts(n.child("high"))
	if c := m.ts(n.child("center")); c != "" && w.start == "" && w.end == "" {
		w.at = c
	}
	return w
}

// intervalTime returns the first effectiveTime that is not a periodic
// schedule (medications carry an IVL_TS and a PIVL_TS side by side).
func (m *mapper) intervalTime(n *node) when {
	for _, et := range n.children("effectiveTime") {
		switch et.xsiType() {
		case "PIVL_TS", "EIVL_TS", "PIVL_PPD_TS", "SXPR_TS":
			continue
		}
		if w := m.effective(et); !w.zero() {
			return w
		}
	}
	return when{}
}

// decimal checks and tidies a PQ/INT value so that it is a valid JSON and
// FHIR decimal: "+5" -> "5", ".5" -> "0.5", "5." -> "5", "007" -> "7".
// ok is false for anything that is not a number ("<5", "5-10", "neg").
func decimal(v string) (json.Number, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", false
	}
	neg := false
	switch v[0] {
	case '+':
		v = v[1:]
	case '-':
		neg = true
		v = v[1:]
	}
	v = strings.TrimSuffix(v, ".")
	intPart, frac, hasDot := strings.Cut(v, ".")
	exp := ""
	if i := strings.IndexAny(frac, "eE"); hasDot && i >= 0 {
		frac, exp = frac[:i], frac[i:]
	} else if i := strings.IndexAny(intPart, "eE"); !hasDot && i >= 0 {
		intPart, exp = intPart[:i], intPart[i:]
	}
	if intPart == "" {
		intPart = "0"
	}
	if !allDigits(intPart) || (hasDot && !allDigits(frac)) {
		return "", false
	}
	if exp != "" {
		e := exp[1:]
		if e != "" && (e[0] == '+' || e[0] == '-') {
			e = e[1:]
		}
		if !allDigits(e) {
			return "", false
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if hasDot && frac != "" {
		out += "." + frac
	}
	out += exp
	if neg {
		out = "-" + out
	}
	return json.Number(out), true
}

// ucumAliases maps units vendors write to their UCUM code.
var ucumAliases = map[string]string{
	"mmhg": "mm[Hg]", "mm hg": "mm[Hg]", "mm[hg]": "mm[Hg]",
	"lb": "[lb_av]", "lbs": "[lb_av]", "[lb_av]": "[lb_av]", "pounds": "[lb_av]",
	"in": "[in_i]", "inch": "[in_i]", "inches": "[in_i]", "[in_i]": "[in_i]", "[in_us]": "[in_i]",
	"ft": "[ft_i]", "oz": "[oz_av]", "[oz_av]": "[oz_av]",
	"f": "[degF]", "degf": "[degF]", "°f": "[degF]", "deg f": "[degF]", "[degf]": "[degF]",
	"c": "Cel", "degc": "Cel", "°c": "Cel", "deg c": "Cel", "cel": "Cel",
	"bpm": "/min", "beats/min": "/min", "breaths/min": "/min", "br/min": "/min", "/min": "/min",
	"{beats}/min": "{beats}/min", "{breaths}/min": "{breaths}/min", "1/min": "/min",
	"kg/m2": "kg/m2", "kg/m^2": "kg/m2", "%": "%", "kg": "kg", "g": "g", "cm": "cm", "m": "m",
	"mg/dl": "mg/dL", "g/dl": "g/dL", "mmol/l": "mmol/L", "meq/l": "meq/L", "u/l": "U/L",
	"iu/l": "[IU]/L", "ng/ml": "ng/mL", "pg/ml": "pg/mL", "ug/dl": "ug/dL", "mg/l": "mg/L",
	"fl": "fL", "pg": "pg", "ml": "mL", "l": "L", "mg": "mg", "ug": "ug", "mcg": "ug",
	"10*3/ul": "10*3/uL", "10*6/ul": "10*6/uL", "10*9/l": "10*9/L", "10*12/l": "10*12/L",
	"10^3/ul": "10*3/uL", "10^6/ul": "10*6/uL", "k/ul": "10*3/uL", "m/ul": "10*6/uL",
	"mm/h": "mm/h", "mm/hr": "mm/h", "s": "s", "sec": "s", "min": "min", "h": "h", "hr": "h",
	"d": "d", "day": "d", "days": "d", "wk": "wk", "mo": "mo", "a": "a", "yr": "a", "years": "a",
	"ml/min": "mL/min", "ml/min/1.73m2": "mL/min/{1.73_m2}", "ml/min/{1.73_m2}": "mL/min/{1.73_m2}",
	"mg/g": "mg/g", "miu/ml": "m[IU]/mL", "uiu/ml": "u[IU]/mL", "[iu]": "[IU]", "iu": "[IU]",
	"{tbl}": "{tbl}", "{tablet}": "{tablet}", "{capsule}": "{capsule}", "{puff}": "{puff}",
	"meq": "meq", "mmol": "mmol", "ratio": "{ratio}", "{ratio}": "{ratio}", "{score}": "{score}",
	"/[hpf]": "/[HPF]", "/[lpf]": "/[LPF]", "[ph]": "[pH]", "ph": "[pH]", "kg/m²": "kg/m2",
}

// quantity converts a PQ (or the low/high of an IVL_PQ) to a Quantity: the
// value as written (tidied to a valid decimal), the unit as written, and
// its UCUM code when the unit is UCUM or a known way of writing one. ok is
// false when the value is not a number.
func quantity(n *node) (*obj, bool) {
	if n == nil {
		return nil, false
	}
	v, ok := decimal(n.attr("value"))
	if !ok {
		return nil, false
	}
	q := newObj("value", v)
	unit := strings.TrimSpace(n.attr("unit"))
	if unit != "" && unit != "1" {
		q.SetNonEmpty("unit", unit)
		if code, ok := ucumAliases[strings.ToLower(unit)]; ok {
			q.SetNonEmpty("system", record.SystemUCUM).SetNonEmpty("code", code)
		} else if plausibleUCUM(unit) {
			q.SetNonEmpty("system", record.SystemUCUM).SetNonEmpty("code", unit)
		}
	}
	return q, true
}

// plausibleUCUM accepts unit strings made of UCUM's characters only, with
// a letter, bracket or digit-power form and no spaces ("mg/dL",
// "10*3/uL", "[IU]/L", "{cells}/uL").
func plausibleUCUM(u string) bool {
	if len(u) > 30 {
		return false
	}
	letters := false
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letters = true
		case c >= '0' && c <= '9', strings.IndexByte("/.*[]{}%^_-+()'", c) >= 0:
		default:
			return false
		}
	}
	return letters || u == "%"
}
