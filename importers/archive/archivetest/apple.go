// Package archivetest makes test inputs for the package readers: a
// synthetic Apple Health export.xml of any size, streamed, for tests and
// benchmarks of the archive reader and of whatever imports through it.
package archivetest

import (
	"bytes"
	"fmt"
	"io"
)

// AppleHeader is the start of a generated export.xml: a DOCTYPE with an
// internal subset of element and attribute list declarations, shaped like
// the one Apple writes, then the root, ExportDate and Me.
const AppleHeader = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- A generated Health export for tests -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
]>
<HealthData locale="en_US">
 <ExportDate value="2021-01-02 09:00:00 -0700"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1970-05-06" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
`

const appleFooter = "</HealthData>\n"

// Per generated day: heart rate every genHRStep seconds (the bulk of the
// file), a step count and an active energy sample every 10 minutes, one
// weight, one resting heart rate, 12 oxygen saturation readings, and two
// blood pressure readings written the way Apple writes them (each half on
// its own and again inside a correlation).
const (
	genHRStep = 10
	// HeartRatesPerDay is how many heart-rate readings a generated day holds.
	HeartRatesPerDay = 86400 / genHRStep
	genSpO2Day       = 12
)

// genHR is the heart rate of the i-th reading of a day: 50 to 109.
func genHR(i int) int { return 50 + (i*37)%60 }

// AppleExport is an io.Reader producing a synthetic export.xml of at least
// size bytes, day after day from 2020-01-01, without holding more than one
// day (about 4.5 MB) in memory. Nothing is written to disk.
type AppleExport struct {
	size    int64
	written int64
	day     int
	tmpl    []byte
	dates   []int // offsets of "2020-01-01" in tmpl
	buf     []byte
	pending []byte
	done    bool
}

// NewAppleExport returns a generated export.xml of at least size bytes.
func NewAppleExport(size int64) *AppleExport {
	g := &AppleExport{size: size}
	g.buildTemplate()
	g.pending = []byte(AppleHeader)
	return g
}

// Days returns how many days the generator writes for its size.
func (g *AppleExport) Days() int {
	body := g.size - int64(len(AppleHeader))
	n := int((body + int64(len(g.tmpl)) - 1) / int64(len(g.tmpl)))
	return max(n, 1)
}

func (g *AppleExport) buildTemplate() {
	var b bytes.Buffer
	date := func() {
		g.dates = append(g.dates, b.Len())
		b.WriteString("2020-01-01")
	}
	stamp := func(sec int) {
		date()
		fmt.Fprintf(&b, " %02d:%02d:%02d -0700", sec/3600, sec%3600/60, sec%60)
	}
	record := func(typ, unit, value string, sec int, meta string) {
		b.WriteString(` <Record type="` + typ + `" sourceName="Jane’s Apple Watch" sourceVersion="9.1" device="&lt;&lt;HKDevice: 0x280a1c2d0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:9.1&gt;" unit="` + unit + `" creationDate="`)
		stamp(min(sec+7, 86399))
		b.WriteString(`" startDate="`)
		stamp(sec)
		b.WriteString(`" endDate="`)
		stamp(sec)
		b.WriteString(`" value="` + value + `"`)
		if meta == "" {
			b.WriteString("/>\n")
			return
		}
		b.WriteString(">\n  " + meta + "\n </Record>\n")
	}
	for i := 0; i < HeartRatesPerDay; i++ {
		sec := i * genHRStep
		record("HKQuantityTypeIdentifierHeartRate", "count/min", fmt.Sprint(genHR(i)), sec,
			`<MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>`)
		if sec%600 == 0 {
			record("HKQuantityTypeIdentifierStepCount", "count", fmt.Sprint(20+i%90), sec, "")
			record("HKQuantityTypeIdentifierActiveEnergyBurned", "kcal", "3.25", sec, "")
		}
		if sec%7200 == 0 {
			record("HKQuantityTypeIdentifierOxygenSaturation", "%", fmt.Sprintf("0.%d", 94+(i/720)%5), sec, "")
		}
	}
	record("HKQuantityTypeIdentifierBodyMass", "lb", "165.3", 7*3600, `<MetadataEntry key="HKWasUserEntered" value="1"/>`)
	record("HKQuantityTypeIdentifierRestingHeartRate", "count/min", "58", 12*3600, "")
	for _, sec := range []int{8 * 3600, 20 * 3600} {
		record("HKQuantityTypeIdentifierBloodPressureSystolic", "mmHg", "121", sec, "")
		record("HKQuantityTypeIdentifierBloodPressureDiastolic", "mmHg", "79", sec, "")
		b.WriteString(` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Jane’s Apple Watch" creationDate="`)
		stamp(sec)
		b.WriteString(`" startDate="`)
		stamp(sec)
		b.WriteString(`" endDate="`)
		stamp(sec)
		b.WriteString("\">\n")
		record("HKQuantityTypeIdentifierBloodPressureDiastolic", "mmHg", "79", sec, "")
		record("HKQuantityTypeIdentifierBloodPressureSystolic", "mmHg", "121", sec, "")
		b.WriteString(" </Correlation>\n")
	}
	g.tmpl = b.Bytes()
	g.buf = make([]byte, len(g.tmpl))
}

// dayText returns "2020-01-01" plus n days, without the time package's
// allocations on the hot path (all months treated as a calendar does).
func dayText(n int) string {
	y, m, d := 2020, 1, 1
	mdays := func(y, m int) int {
		switch m {
		case 2:
			if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
				return 29
			}
			return 28
		case 4, 6, 9, 11:
			return 30
		}
		return 31
	}
	for ; n > 0; n-- {
		if d++; d > mdays(y, m) {
			d = 1
			if m++; m > 12 {
				m, y = 1, y+1
			}
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

func (g *AppleExport) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(g.pending) == 0 {
			if g.done {
				break
			}
			if g.day >= g.Days() {
				g.pending = []byte(appleFooter)
				g.done = true
				continue
			}
			copy(g.buf, g.tmpl)
			day := dayText(g.day)
			for _, off := range g.dates {
				copy(g.buf[off:], day)
			}
			g.pending = g.buf
			g.day++
		}
		c := copy(p[n:], g.pending)
		g.pending = g.pending[c:]
		n += c
	}
	g.written += int64(n)
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}
