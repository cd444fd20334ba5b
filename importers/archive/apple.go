package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// FormatAppleHealth is the format name of an Apple Health export: the
// export.zip, its unpacked folder, or export.xml alone.
const FormatAppleHealth = record.FormatAppleHealth

// hkType says what one HealthKit quantity type becomes.
type hkType struct {
	name     string          // the HealthKit identifier
	idx      byte            // position in hkOrder
	codes    []record.Coding // LOINC codes, the first is the main one
	text     string          // the code's text, what a patient reads
	category string          // observation category code
	// convert says how a value in an Apple unit is written in UCUM; ok is
	// false for a unit it does not know.
	convert func(v float64, unit []byte) (c unitConv, ok bool)
	// frequent types are summarized per day when a day has more than
	// [dailyKeep] readings (a watch measuring every few seconds).
	frequent bool
}

// unitConv is a unit written in UCUM: the unit people read, its UCUM code,
// another LOINC code that goes with it (blood glucose by mass or by
// moles), and the arithmetic from Apple's unit (none when scale is 0, so
// the value is kept exactly as written).
type unitConv struct {
	human, ucum   string
	alt           []record.Coding
	scale, offset float64
}

// apply returns the value text in the UCUM unit: as written when no
// arithmetic is needed and it is a plain JSON number ("72", "0.5"), else
// formatted ("00" and "+5" are numbers to Apple but not to JSON).
func (c unitConv) apply(v float64, text []byte) (float64, string) {
	if c.scale == 0 {
		if isJSONNumber(text) {
			return v, string(text)
		}
		return v, numText(v)
	}
	v = v*c.scale + c.offset
	return v, numText(v)
}

// isJSONNumber reports whether b is a number in JSON's grammar.
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(b)
}

var hkOrder []*hkType

func init() {
	names := make([]string, 0, len(hkTypes))
	for n := range hkTypes {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		t := hkTypes[n]
		t.name, t.idx = n, byte(i)
		hkOrder = append(hkOrder, t)
	}
}

// dailyKeep is how many readings of a frequent type a day may have and
// still be stored one by one; a day with more becomes one daily summary.
const dailyKeep = 8

const (
	catVital = "vital-signs"
	catLab   = "laboratory"
)

func loinc(code, display string) record.Coding {
	return record.Coding{System: record.SystemLOINC, Code: code, Display: display}
}

// hkTypes are the HealthKit quantity types a clinician cares about. Every
// other type is counted and listed in the report as ignored.
var hkTypes = map[string]*hkType{
	"HKQuantityTypeIdentifierBodyMass": {
		codes: []record.Coding{loinc("29463-7", "Body weight")}, text: "Body weight", category: catVital,
		convert: massUnit,
	},
	"HKQuantityTypeIdentifierHeight": {
		codes: []record.Coding{loinc("8302-2", "Body height")}, text: "Body height", category: catVital,
		convert: lengthUnit,
	},
	"HKQuantityTypeIdentifierBodyMassIndex": {
		codes: []record.Coding{loinc("39156-5", "Body mass index (BMI) [Ratio]")}, text: "Body mass index", category: catVital,
		convert: bmiUnit,
	},
	"HKQuantityTypeIdentifierHeartRate": {
		codes: []record.Coding{loinc("8867-4", "Heart rate")}, text: "Heart rate", category: catVital,
		convert: perMinute, frequent: true,
	},
	"HKQuantityTypeIdentifierRestingHeartRate": {
		codes: []record.Coding{loinc("40443-4", "Heart rate --resting")}, text: "Resting heart rate", category: catVital,
		convert: perMinute,
	},
	"HKQuantityTypeIdentifierOxygenSaturation": {
		codes: []record.Coding{
			loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
			loinc("2708-6", "Oxygen saturation in Arterial blood"),
		},
		text: "Oxygen saturation", category: catVital, convert: fraction, frequent: true,
	},
	"HKQuantityTypeIdentifierBodyTemperature": {
		codes: []record.Coding{loinc("8310-5", "Body temperature")}, text: "Body temperature", category: catVital,
		convert: temperature, frequent: true,
	},
	"HKQuantityTypeIdentifierRespiratoryRate": {
		codes: []record.Coding{loinc("9279-1", "Respiratory rate")}, text: "Respiratory rate", category: catVital,
		convert: perMinute, frequent: true,
	},
	"HKQuantityTypeIdentifierBloodGlucose": {
		codes: []record.Coding{loinc("2339-0", "Glucose [Mass/volume] in Blood")}, text: "Blood glucose", category: catLab,
		convert: glucose, frequent: true,
	},
	hkSystolic: {
		codes: []record.Coding{loinc("8480-6", "Systolic blood pressure")}, text: "Systolic blood pressure", category: catVital,
		convert: mmHg,
	},
	hkDiastolic: {
		codes: []record.Coding{loinc("8462-4", "Diastolic blood pressure")}, text: "Diastolic blood pressure", category: catVital,
		convert: mmHg,
	},
}

const (
	hkSystolic      = "HKQuantityTypeIdentifierBloodPressureSystolic"
	hkDiastolic     = "HKQuantityTypeIdentifierBloodPressureDiastolic"
	hkBloodPressure = "HKCorrelationTypeIdentifierBloodPressure"
)

var bpPanel = loinc("85354-9", "Blood pressure panel with all children optional")

// numText formats a converted value: at most 4 decimals, no trailing zeros.
func numText(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
}

// massUnit keeps pounds as pounds ([lb_av], what a US scale shows) and
// writes everything metric in kilograms.
func massUnit(_ float64, unit []byte) (unitConv, bool) {
	switch string(unit) {
	case "kg":
		return unitConv{human: "kg", ucum: "kg"}, true
	case "g":
		return unitConv{human: "kg", ucum: "kg", scale: 0.001}, true
	case "lb":
		return unitConv{human: "lb", ucum: "[lb_av]"}, true
	case "st":
		return unitConv{human: "lb", ucum: "[lb_av]", scale: 14}, true
	case "oz":
		return unitConv{human: "oz", ucum: "[oz_av]"}, true
	}
	return unitConv{}, false
}

// lengthUnit keeps inches as inches and writes metric lengths in centimetres.
func lengthUnit(_ float64, unit []byte) (unitConv, bool) {
	switch string(unit) {
	case "cm":
		return unitConv{human: "cm", ucum: "cm"}, true
	case "m":
		return unitConv{human: "cm", ucum: "cm", scale: 100}, true
	case "mm":
		return unitConv{human: "cm", ucum: "cm", scale: 0.1}, true
	case "in":
		return unitConv{human: "in", ucum: "[in_i]"}, true
	case "ft":
		return unitConv{human: "in", ucum: "[in_i]", scale: 12}, true
	}
	return unitConv{}, false
}

func perMinute(_ float64, unit []byte) (unitConv, bool) {
	switch string(unit) {
	case "count/min":
		return unitConv{human: "/min", ucum: "/min"}, true
	case "count/s":
		return unitConv{human: "/min", ucum: "/min", scale: 60}, true
	}
	return unitConv{}, false
}

func mmHg(_ float64, unit []byte) (unitConv, bool) {
	if string(unit) == "mmHg" {
		return unitConv{human: "mmHg", ucum: "mm[Hg]"}, true
	}
	return unitConv{}, false
}

// fraction reads oxygen saturation, which Apple writes as a fraction (0.97)
// under the unit "%", and writes it as a percentage (97).
func fraction(v float64, unit []byte) (unitConv, bool) {
	if string(unit) != "%" {
		return unitConv{}, false
	}
	if v <= 1 {
		return unitConv{human: "%", ucum: "%", scale: 100}, true
	}
	return unitConv{human: "%", ucum: "%"}, true
}

func temperature(_ float64, unit []byte) (unitConv, bool) {
	switch string(unit) {
	case "degC":
		return unitConv{human: "°C", ucum: "Cel"}, true
	case "degF":
		return unitConv{human: "°F", ucum: "[degF]"}, true
	case "K":
		return unitConv{human: "°C", ucum: "Cel", scale: 1, offset: -273.15}, true
	}
	return unitConv{}, false
}

var glucoseMoles = []record.Coding{loinc("15074-8", "Glucose [Moles/volume] in Blood")}

// glucose keeps the unit of measure and picks the LOINC code that goes
// with it: 2339-0 for mass per volume, 15074-8 for moles per volume. Apple
// writes millimoles with the molar mass of glucose, "mmol<180.155...>/L".
func glucose(_ float64, unit []byte) (unitConv, bool) {
	switch {
	case string(unit) == "mg/dL":
		return unitConv{human: "mg/dL", ucum: "mg/dL"}, true
	case string(unit) == "mmol/L" || bytes.HasPrefix(unit, []byte("mmol<")) && bytes.HasSuffix(unit, []byte(">/L")):
		return unitConv{human: "mmol/L", ucum: "mmol/L", alt: glucoseMoles}, true
	}
	return unitConv{}, false
}

func bmiUnit(_ float64, unit []byte) (unitConv, bool) {
	switch string(unit) {
	case "count", "", "kg/m^2", "kg/m2":
		return unitConv{human: "kg/m²", ucum: "kg/m2"}, true
	}
	return unitConv{}, false
}

// appleDate turns Apple's "2016-04-18 08:25:32 -0700" into FHIR's
// "2016-04-18T08:25:32-07:00". ok is false for anything else.
func appleDate(b []byte) (string, bool) {
	if !validAppleDate(b) {
		return "", false
	}
	var out [25]byte
	copy(out[:10], b[:10])
	out[10] = 'T'
	copy(out[11:19], b[11:19])
	out[19] = b[20]
	out[20], out[21], out[22], out[23], out[24] = b[21], b[22], ':', b[23], b[24]
	return string(out[:]), true
}

// validAppleDate checks the shape and ranges of an Apple date.
func validAppleDate(b []byte) bool {
	if len(b) != 25 || b[10] != ' ' || b[19] != ' ' || (b[20] != '+' && b[20] != '-') ||
		b[4] != '-' || b[7] != '-' || b[13] != ':' || b[16] != ':' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 21, 22, 23, 24} {
		if b[i] < '0' || b[i] > '9' {
			return false
		}
	}
	two := func(i int) int { return int(b[i]-'0')*10 + int(b[i+1]-'0') }
	mo, d, h, mi, sec := two(5), two(8), two(11), two(14), two(17)
	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && sec <= 60
}

// parseNumber reads a plain decimal quickly, falling back to strconv for
// exponents. NaN and infinities are refused.
func parseNumber(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 40 {
		return 0, false
	}
	neg := false
	i := 0
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	seenDot := false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if digits < 18 {
				mant = mant*10 + uint64(c-'0')
				digits++
				if seenDot {
					frac++
				}
			} else if !seenDot {
				return slowNumber(b)
			}
		case c == '.' && !seenDot:
			seenDot = true
		default:
			return slowNumber(b)
		}
	}
	if digits == 0 {
		return 0, false
	}
	v := float64(mant)
	if frac > 0 {
		v /= math.Pow10(frac)
	}
	if neg {
		v = -v
	}
	return v, true
}

func slowNumber(b []byte) (float64, bool) {
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// appleReader turns one export.xml into a batch part. It keeps in memory
// only what it outputs (observations), one accumulator per type and day for
// frequent types, and counters; memory does not grow with the file.
type appleReader struct {
	name string
	lim  importers.Limits

	person     record.Person
	exportDate string
	resources  []record.Resource
	ids        map[string]bool
	duplicates int

	days   map[string]*dayAcc // frequent types, by type|unit|day
	keyBuf []byte

	bpPending map[string]*bpReading // top-level systolic/diastolic, by start|end|source
	bpOrder   []string
	bpDone    map[string]bool // keys covered by a correlation

	ignored      map[string]*int // ignored records and elements, by label key
	clinical     int             // ClinicalRecord elements
	skips        []record.Skip
	moreSkips    int
	sources      map[string]string // sourceName as written -> unescaped, interned
	resourceCap  bool
	h            hash.Hash
	bytesRead    int64
	summarizedIn map[string]int // readings that went into daily summaries, by type text
}

// reading is one kept measurement.
type reading struct {
	t           *hkType
	value       float64 // in the UCUM unit
	text        string  // value as written in the UCUM unit
	conv        unitConv
	start, end  string // FHIR dateTimes
	source      string
	userEntered bool
	mealTime    string
	day         *dayAcc // for frequent types: the day it belongs to
}

// dayAcc gathers one frequent type's readings of one day (in one unit).
type dayAcc struct {
	t           *hkType
	conv        unitConv
	day         string
	n           int
	sum         float64
	lo, hi      float64
	first, last [25]byte // Apple dates of the earliest start and latest end
	sources     []string
	pending     []reading // the day's readings while there are at most dailyKeep
}

type bpReading struct {
	start, end, source string
	sys, dia           *reading
	userEntered        bool
}

const (
	maxSkipLines = 100
	maxIgnored   = 256
)

func newAppleReader(name string, lim importers.Limits) *appleReader {
	return &appleReader{
		name: name, lim: lim,
		ids: map[string]bool{}, days: map[string]*dayAcc{}, bpPending: map[string]*bpReading{},
		bpDone: map[string]bool{}, ignored: map[string]*int{}, sources: map[string]string{},
		summarizedIn: map[string]int{}, h: sha256.New(),
	}
}

// countingReader hashes and counts what the parser reads, so the content
// hash comes from the same single pass.
type countingReader struct {
	r io.Reader
	a *appleReader
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.a.h.Write(p[:n])
	c.a.bytesRead += int64(n)
	return n, err
}

// readAppleExport parses export.xml from r into a batch (no Original set).
// Errors are [*importers.Error]s naming name and the line.
func readAppleExport(ctx context.Context, name string, r io.Reader, lim importers.Limits) (*record.Batch, error) {
	a := newAppleReader(name, lim)
	if err := a.parse(ctx, &countingReader{r: r, a: a}); err != nil {
		return nil, err
	}
	return a.batch(), nil
}

func (a *appleReader) fail(err error) error {
	var pe *posError
	if errors.As(err, &pe) {
		return &importers.Error{File: a.name, Place: fmt.Sprintf("line %d, column %d", pe.line, pe.col), Err: pe.err}
	}
	var ie *importers.Error
	if errors.As(err, &ie) {
		return err
	}
	return &importers.Error{File: a.name, Err: err}
}

func (a *appleReader) parse(ctx context.Context, r io.Reader) error {
	s := newScanner(r, a.lim.MaxDepth)
	defer s.release()
	var cur *reading    // a kept Record whose MetadataEntry children are being read
	var corr *bpReading // the blood pressure correlation being read
	n := 0
	for {
		kind, err := s.next()
		if err != nil {
			if s.readErr != nil {
				// The input failed (a size cap, a damaged zip entry), which
				// is the cause of whatever the scanner then ran into.
				return a.fail(s.readErr)
			}
			return a.fail(err)
		}
		if kind == tokEOF {
			break
		}
		if n++; n&0x3fff == 1 { // the first token, then every 16384th
			if err := ctx.Err(); err != nil {
				return a.fail(err)
			}
		}
		if kind == tokEnd {
			switch {
			case cur != nil && s.depth == 1 && corr == nil:
				a.keep(cur)
				cur = nil
			case cur != nil && s.depth == 2 && corr != nil:
				corr.add(cur, a)
				cur = nil
			case corr != nil && s.depth == 1:
				a.correlation(corr)
				corr = nil
			}
			continue
		}
		switch s.depth {
		case 1:
			if string(s.name) != "HealthData" {
				return a.fail(s.errAt(s.pos, importers.ErrMalformed, "the root element is <%s>, not Apple Health's <HealthData>", clip(s.name)))
			}
		case 2:
			switch string(s.name) {
			case "Record":
				rd, err := a.record(s, false)
				if err != nil {
					return a.fail(err)
				}
				if rd != nil {
					if s.selfClose {
						a.keep(rd)
					} else {
						cur = rd
					}
				}
			case "Correlation":
				typ, _ := s.attr("type")
				if string(typ) == hkBloodPressure {
					corr = a.correlationStart(s)
					if s.selfClose {
						a.correlation(corr)
						corr = nil
					}
				} else {
					a.count('C', typ)
				}
			case "Me":
				a.me(s)
			case "ExportDate":
				if v, ok := s.attr("value"); ok {
					if d, ok := appleDate(v); ok {
						a.exportDate = d
					}
				}
			case "ClinicalRecord":
				a.clinical++
			default:
				a.count('E', s.name)
			}
		case 3:
			switch {
			case corr != nil && string(s.name) == "Record":
				rd, err := a.record(s, true)
				if err != nil {
					return a.fail(err)
				}
				if rd != nil {
					if s.selfClose {
						corr.add(rd, a)
					} else {
						cur = rd
					}
				}
			case cur != nil && string(s.name) == "MetadataEntry":
				a.metadata(s, cur)
			case corr != nil && string(s.name) == "MetadataEntry":
				var rd reading
				a.metadata(s, &rd)
				corr.userEntered = corr.userEntered || rd.userEntered
			}
		case 4:
			if cur != nil && corr != nil && string(s.name) == "MetadataEntry" {
				a.metadata(s, cur)
			}
		}
	}
	a.finish()
	return nil
}

// count adds one to an ignored item's counter: kind 'R' record type, 'C'
// correlation type, 'E' element. Past maxIgnored labels the rest share one.
func (a *appleReader) count(kind byte, name []byte) {
	a.keyBuf = append(append(a.keyBuf[:0], kind), name...)
	if p, ok := a.ignored[string(a.keyBuf)]; ok {
		*p++
		return
	}
	key := string(a.keyBuf)
	if len(a.ignored) >= maxIgnored {
		key = "Eother items"
		if p, ok := a.ignored[key]; ok {
			*p++
			return
		}
	}
	one := 1
	a.ignored[key] = &one
}

func (a *appleReader) skip(s *scanner, reason string) {
	if len(a.skips) >= maxSkipLines {
		a.moreSkips++
		return
	}
	line, _ := s.place(s.pos)
	a.skips = append(a.skips, record.Skip{Path: fmt.Sprintf("line %d", line), Reason: reason})
}

// record reads a Record start tag. It returns nil when the record is not of
// a type kept (it is then counted), could not be read (it is then skipped,
// reported) or went into a daily summary. inCorrelation says the record is
// part of a correlation (a blood pressure reading).
func (a *appleReader) record(s *scanner, inCorrelation bool) (*reading, error) {
	var typ, unit, value, start, end, source []byte
	for _, at := range s.attrs {
		switch string(at.name) {
		case "type":
			typ = at.value
		case "unit":
			unit = at.value
		case "value":
			value = at.value
		case "startDate":
			start = at.value
		case "endDate":
			end = at.value
		case "sourceName":
			source = at.value
		}
	}
	t := hkTypes[string(typ)]
	if t == nil {
		if !inCorrelation {
			a.count('R', typ)
		}
		return nil, nil
	}
	v, ok := parseNumber(value)
	if !ok {
		a.skip(s, t.text+": the value is not a number")
		return nil, nil
	}
	conv, ok := t.convert(v, unit)
	if !ok {
		a.skip(s, fmt.Sprintf("%s: the unit %q is not one Kinfolio knows for it", t.text, clip(unit)))
		return nil, nil
	}
	if !validAppleDate(start) {
		a.skip(s, t.text+": the start date is not readable")
		return nil, nil
	}
	if !validAppleDate(end) {
		end = start
	}
	var acc *dayAcc
	if t.frequent && !inCorrelation {
		acc = a.dayOf(t, conv, start)
		cv := v
		if conv.scale != 0 {
			cv = v*conv.scale + conv.offset
		}
		acc.n++
		acc.sum += cv
		acc.lo, acc.hi = min(acc.lo, cv), max(acc.hi, cv)
		if acc.first[0] == 0 || bytes.Compare(start, acc.first[:]) < 0 {
			copy(acc.first[:], start)
		}
		if bytes.Compare(end, acc.last[:]) > 0 {
			copy(acc.last[:], end)
		}
		if len(acc.sources) < 5 && len(source) > 0 {
			if src, err := a.source(s, source); err == nil && !slices.Contains(acc.sources, src) {
				acc.sources = append(acc.sources, src)
			}
		}
		if acc.n > dailyKeep {
			acc.pending = nil
			return nil, nil
		}
	}
	rd := &reading{t: t, conv: conv, day: acc}
	rd.value, rd.text = conv.apply(v, value)
	rd.start, _ = appleDate(start)
	rd.end, _ = appleDate(end)
	if len(source) > 0 {
		src, err := a.source(s, source)
		if err != nil {
			return nil, err
		}
		rd.source = src
	}
	return rd, nil
}

// source returns the unescaped, interned source name.
func (a *appleReader) source(s *scanner, raw []byte) (string, error) {
	if src, ok := a.sources[string(raw)]; ok {
		return src, nil
	}
	src, err := unescape(raw)
	if err != nil {
		line, col := s.place(s.pos)
		return "", &posError{line: line, col: col, err: err}
	}
	if len(a.sources) < 4096 {
		a.sources[string(raw)] = src
	}
	return src, nil
}

func (a *appleReader) dayOf(t *hkType, conv unitConv, start []byte) *dayAcc {
	a.keyBuf = append(append(append(a.keyBuf[:0], t.idx), conv.ucum...), start[:10]...)
	if acc, ok := a.days[string(a.keyBuf)]; ok {
		return acc
	}
	acc := &dayAcc{t: t, conv: conv, day: string(start[:10]), lo: math.Inf(1), hi: math.Inf(-1)}
	a.days[string(a.keyBuf)] = acc
	return acc
}

func (a *appleReader) metadata(s *scanner, rd *reading) {
	k, _ := s.attr("key")
	v, _ := s.attr("value")
	switch string(k) {
	case "HKWasUserEntered":
		rd.userEntered = string(v) == "1"
	case "HKBloodGlucoseMealTime":
		switch string(v) {
		case "1":
			rd.mealTime = "before a meal"
		case "2":
			rd.mealTime = "after a meal"
		}
	}
}

func (a *appleReader) me(s *scanner) {
	if v, ok := s.attr("HKCharacteristicTypeIdentifierDateOfBirth"); ok {
		if d, err := record.ParseDate(string(v)); err == nil {
			a.person.BirthDate = d
		}
	}
	if v, ok := s.attr("HKCharacteristicTypeIdentifierBiologicalSex"); ok {
		switch string(v) {
		case "HKBiologicalSexMale":
			a.person.Sex = "male"
		case "HKBiologicalSexFemale":
			a.person.Sex = "female"
		case "HKBiologicalSexOther":
			a.person.Sex = "other"
		}
	}
}

func (a *appleReader) correlationStart(s *scanner) *bpReading {
	bp := &bpReading{}
	for _, at := range s.attrs {
		switch string(at.name) {
		case "startDate":
			bp.start, _ = appleDate(at.value)
		case "endDate":
			bp.end, _ = appleDate(at.value)
		case "sourceName":
			bp.source, _ = a.source(s, at.value)
		}
	}
	return bp
}

// add files a record read inside a blood pressure correlation.
func (bp *bpReading) add(rd *reading, a *appleReader) {
	switch rd.t.name {
	case hkSystolic:
		bp.sys = rd
	case hkDiastolic:
		bp.dia = rd
	default:
		a.keep(rd)
	}
}

// correlation stores a blood pressure reading from a correlation.
func (a *appleReader) correlation(bp *bpReading) {
	if bp.sys == nil && bp.dia == nil {
		a.count('C', []byte(hkBloodPressure+" without readings"))
		return
	}
	for _, rd := range []*reading{bp.sys, bp.dia} {
		if rd != nil {
			a.bpDone[bpKey(rd)] = true
		}
	}
	if bp.start == "" {
		first := bp.sys
		if first == nil {
			first = bp.dia
		}
		bp.start, bp.end, bp.source = first.start, first.end, first.source
	}
	a.emitBP(bp)
}

func bpKey(rd *reading) string { return rd.t.name + "|" + rd.start + "|" + rd.end + "|" + rd.source }

// keep stores a kept reading: blood pressure halves wait for their
// partner (Apple writes them both on their own and inside a correlation),
// frequent types wait in their day, the rest become observations.
func (a *appleReader) keep(rd *reading) {
	switch {
	case rd.t.name == hkSystolic || rd.t.name == hkDiastolic:
		k := rd.start + "|" + rd.end + "|" + rd.source
		bp := a.bpPending[k]
		if bp == nil {
			bp = &bpReading{start: rd.start, end: rd.end, source: rd.source}
			a.bpPending[k] = bp
			a.bpOrder = append(a.bpOrder, k)
		}
		if rd.t.name == hkSystolic {
			bp.sys = rd
		} else {
			bp.dia = rd
		}
	case rd.day != nil:
		if rd.day.n <= dailyKeep {
			rd.day.pending = append(rd.day.pending, *rd)
		}
	default:
		a.emit(rd)
	}
}

// finish turns what waited (days, unpaired blood pressure halves) into
// observations.
func (a *appleReader) finish() {
	for _, k := range a.bpOrder {
		bp := a.bpPending[k]
		var rds []*reading
		for _, rd := range []*reading{bp.sys, bp.dia} {
			if rd != nil && !a.bpDone[bpKey(rd)] {
				rds = append(rds, rd)
			}
		}
		switch len(rds) {
		case 2:
			a.emitBP(bp)
		case 1:
			a.emit(rds[0])
		}
	}
	a.bpPending, a.bpDone = nil, nil
	keys := make([]string, 0, len(a.days))
	for k := range a.days {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y string) int {
		dx, dy := a.days[x], a.days[y]
		if c := strings.Compare(dx.day, dy.day); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	})
	for _, k := range keys {
		acc := a.days[k]
		if acc.n <= dailyKeep {
			for i := range acc.pending {
				a.emit(&acc.pending[i])
			}
			continue
		}
		a.emitDay(acc)
		a.summarizedIn[acc.t.text] += acc.n
	}
	a.days = nil
}

// fhirObservation is the JSON shape written for Apple readings.
type fhirObservation struct {
	ResourceType      string              `json:"resourceType"`
	ID                string              `json:"id"`
	Status            string              `json:"status"`
	Category          []concept           `json:"category"`
	Code              concept             `json:"code"`
	EffectiveDateTime string              `json:"effectiveDateTime,omitempty"`
	EffectivePeriod   *record.Period      `json:"effectivePeriod,omitempty"`
	ValueQuantity     *quantity           `json:"valueQuantity,omitempty"`
	Component         []obsComponent      `json:"component,omitempty"`
	Device            *record.Reference   `json:"device,omitempty"`
	Note              []record.Annotation `json:"note,omitempty"`
}

type concept struct {
	Coding []record.Coding `json:"coding,omitempty"`
	Text   string          `json:"text,omitempty"`
}

type quantity struct {
	Value  json.Number `json:"value"`
	Unit   string      `json:"unit,omitempty"`
	System string      `json:"system,omitempty"`
	Code   string      `json:"code,omitempty"`
}

type obsComponent struct {
	Code          concept   `json:"code"`
	ValueQuantity *quantity `json:"valueQuantity,omitempty"`
	ValueInteger  *int      `json:"valueInteger,omitempty"`
}

var categoryDisplay = map[string]string{catVital: "Vital Signs", catLab: "Laboratory"}

func category(code string) []concept {
	return []concept{{Coding: []record.Coding{{System: record.SystemObsCat, Code: code, Display: categoryDisplay[code]}}}}
}

func ucumQuantity(value, human, ucum string) *quantity {
	return &quantity{Value: json.Number(value), Unit: human, System: record.SystemUCUM, Code: ucum}
}

func (t *hkType) concept(alt []record.Coding, text string) concept {
	codes := t.codes
	if len(alt) > 0 {
		codes = alt
	}
	if text == "" {
		text = t.text
	}
	return concept{Coding: slices.Clone(codes), Text: text}
}

func effective(o *fhirObservation, start, end string) {
	if end == "" || end == start {
		o.EffectiveDateTime = start
		return
	}
	o.EffectivePeriod = &record.Period{Start: start, End: end}
}

func device(source string) *record.Reference {
	if source == "" {
		return nil
	}
	return &record.Reference{Display: source}
}

// emit stores one reading as an observation.
func (a *appleReader) emit(rd *reading) {
	o := fhirObservation{
		ResourceType: "Observation", Status: "final",
		Category: category(rd.t.category), Code: rd.t.concept(rd.conv.alt, ""),
		ValueQuantity: ucumQuantity(rd.text, rd.conv.human, rd.conv.ucum), Device: device(rd.source),
	}
	effective(&o, rd.start, rd.end)
	var notes []string
	if rd.mealTime != "" {
		notes = append(notes, "Measured "+rd.mealTime)
	}
	if rd.userEntered {
		notes = append(notes, "Entered by hand in the Health app")
	}
	if len(notes) > 0 {
		o.Note = []record.Annotation{{Text: strings.Join(notes, ". ")}}
	}
	a.add(&o, rd.t.name, rd.start, rd.end, rd.text, rd.conv.ucum, rd.source)
}

// emitBP stores a blood pressure reading as a panel with systolic and
// diastolic components, the shape FHIR's vital signs profile gives it.
func (a *appleReader) emitBP(bp *bpReading) {
	o := fhirObservation{
		ResourceType: "Observation", Status: "final", Category: category(catVital),
		Code: concept{Coding: []record.Coding{bpPanel}, Text: "Blood pressure"}, Device: device(bp.source),
	}
	effective(&o, bp.start, bp.end)
	var sig []string
	byHand := bp.userEntered
	for _, rd := range []*reading{bp.sys, bp.dia} {
		if rd == nil {
			continue
		}
		o.Component = append(o.Component, obsComponent{Code: rd.t.concept(nil, ""), ValueQuantity: ucumQuantity(rd.text, rd.conv.human, rd.conv.ucum)})
		sig = append(sig, rd.t.name+"="+rd.text)
		byHand = byHand || rd.userEntered
	}
	if byHand {
		o.Note = []record.Annotation{{Text: "Entered by hand in the Health app"}}
	}
	a.add(&o, hkBloodPressure, bp.start, bp.end, strings.Join(sig, ","), "", bp.source)
}

var statistics = "http://terminology.hl7.org/CodeSystem/observation-statistics"

// emitDay stores a day of frequent readings as one observation: the mean as
// its value (so trends chart it), the lowest, highest and count as
// components, over the period from the first to the last reading.
func (a *appleReader) emitDay(acc *dayAcc) {
	mean := numText(math.Round(acc.sum/float64(acc.n)*10) / 10)
	c := acc.conv
	first, _ := appleDate(acc.first[:])
	last, _ := appleDate(acc.last[:])
	o := fhirObservation{
		ResourceType: "Observation", Status: "final", Category: category(acc.t.category),
		Code:            acc.t.concept(c.alt, acc.t.text+", daily average"),
		EffectivePeriod: &record.Period{Start: first, End: last},
		ValueQuantity:   ucumQuantity(mean, c.human, c.ucum),
	}
	n := acc.n
	o.Component = []obsComponent{
		{Code: concept{Coding: []record.Coding{{System: statistics, Code: "minimum", Display: "Minimum"}}, Text: "Lowest"},
			ValueQuantity: ucumQuantity(numText(acc.lo), c.human, c.ucum)},
		{Code: concept{Coding: []record.Coding{{System: statistics, Code: "maximum", Display: "Maximum"}}, Text: "Highest"},
			ValueQuantity: ucumQuantity(numText(acc.hi), c.human, c.ucum)},
		{Code: concept{Coding: []record.Coding{{System: statistics, Code: "count", Display: "Count"}}, Text: "Readings"},
			ValueInteger: &n},
	}
	note := fmt.Sprintf("Daily summary of %d readings", acc.n)
	if len(acc.sources) > 0 {
		note += " from " + strings.Join(acc.sources, ", ")
	}
	o.Note = []record.Annotation{{Text: note}}
	a.add(&o, acc.t.name, "daily", acc.day, c.ucum)
}

// add gives the observation an id derived from what it says, so the same
// export read twice gives the same ids, and stores it once.
func (a *appleReader) add(o *fhirObservation, parts ...string) {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	o.ID = "apple-" + hex.EncodeToString(h.Sum(nil)[:10])
	if a.ids[o.ID] {
		a.duplicates++
		return
	}
	if len(a.resources) >= a.lim.MaxResources {
		a.resourceCap = true
		return
	}
	data, err := json.Marshal(o)
	if err != nil {
		// Values are checked numbers and dates; should one still not
		// encode, it is reported, never stored half-made.
		a.skips = append(a.skips, record.Skip{Path: o.Code.Text, Reason: "could not be written as FHIR: " + err.Error()})
		return
	}
	a.ids[o.ID] = true
	a.resources = append(a.resources, record.Resource{Type: "Observation", ID: o.ID, JSON: data})
}

func (a *appleReader) batch() *record.Batch {
	b := &record.Batch{}
	b.Source = record.Source{
		File: a.name, Format: FormatAppleHealth, Title: "Apple Health export",
		SHA256: hex.EncodeToString(a.h.Sum(nil)), Size: a.bytesRead,
	}
	if a.exportDate != "" {
		b.Source.DocumentDate, _ = record.ParseDate(a.exportDate)
	}
	b.Patients = []record.PatientRecords{{Person: a.person, Resources: a.resources}}
	rep := &b.Report
	rep.File, rep.Format = a.name, FormatAppleHealth
	rep.Skipped = a.skips
	if a.moreSkips > 0 {
		rep.Skip("export.xml", fmt.Sprintf("%d more records could not be read (see the lines above for the kinds of problem)", a.moreSkips))
	}
	if a.resourceCap {
		rep.Skip("export.xml", fmt.Sprintf("more than %d observations; the rest were not stored", a.lim.MaxResources))
	}
	texts := make([]string, 0, len(a.summarizedIn))
	for t := range a.summarizedIn {
		texts = append(texts, t)
	}
	slices.Sort(texts)
	for _, t := range texts {
		rep.Warn(fmt.Sprintf("%s: %d readings on days with more than %d were stored as daily summaries (lowest, average, highest)",
			t, a.summarizedIn[t], dailyKeep))
	}
	if a.duplicates > 0 {
		rep.Warn(fmt.Sprintf("%d readings appeared more than once in the export and were stored once", a.duplicates))
	}
	if a.clinical > 0 {
		rep.Ignore("ClinicalRecord", fmt.Sprintf("%d clinical records are listed here; their content is read from the clinical-records folder of the export", a.clinical))
	}
	labels := make([]string, 0, len(a.ignored))
	for k := range a.ignored {
		labels = append(labels, k)
	}
	slices.Sort(labels)
	for _, k := range labels {
		n := *a.ignored[k]
		name := string(bytes.ToValidUTF8([]byte(k[1:]), []byte("\uFFFD")))
		switch k[0] {
		case 'R':
			rep.Ignore("Record type="+name, fmt.Sprintf("not a measurement Kinfolio keeps (%d records)", n))
		case 'C':
			rep.Ignore("Correlation type="+name, fmt.Sprintf("not a measurement Kinfolio keeps (%d)", n))
		default:
			rep.Ignore(name, fmt.Sprintf("activity and fitness data Kinfolio does not keep (%d)", n))
		}
	}
	return b
}
