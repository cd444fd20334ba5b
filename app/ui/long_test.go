package ui

import (
	"bytes"
	"context"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/app"
)

// longTests are the tests and vital signs of a generated long record:
// LOINC code, name, unit, category, normal range and a typical value.
var longTests = []struct {
	code, name, unit, cat string
	low, high, typical    float64
}{
	{"2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory", 70, 99, 85},
	{"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "laboratory", 4, 5.6, 5.8},
	{"2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory", 0, 200, 190},
	{"718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", "laboratory", 12, 16, 13.5},
	{"2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", "laboratory", 0.6, 1.2, 1.0},
	{"8867-4", "Heart rate", "/min", "vital-signs", 60, 100, 72},
	{"29463-7", "Body Weight", "kg", "vital-signs", 0, 0, 80},
}

// writeLongRecord writes a FHIR R4 NDJSON file of one patient with n
// resources spread over 35 years, mostly results and vital signs (some
// out of range), with problems, medications and visits, as a long record
// of a person with a chronic illness has.
func writeLongRecord(tb testing.TB, dir string, n int) string {
	tb.Helper()
	rng := mrand.New(mrand.NewPCG(13, 7))
	var buf bytes.Buffer
	buf.WriteString(`{"resourceType":"Patient","id":"long","name":[{"family":"Long","given":["Lee"]}],"birthDate":"1950-04-02","identifier":[{"system":"urn:test","value":"long"}]}` + "\n")
	start := time.Date(1990, 1, 1, 8, 0, 0, 0, time.UTC)
	step := time.Duration(float64(35*365*24*time.Hour) / float64(n))
	for i := 1; i < n; i++ {
		when := start.Add(time.Duration(i) * step).Format(time.RFC3339)
		switch r := rng.IntN(100); {
		case r < 2:
			fmt.Fprintf(&buf, `{"resourceType":"Condition","id":"c%d","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"%s"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"%d","display":"Condition number %d"}]},"subject":{"reference":"Patient/long"},"onsetDateTime":"%s"}`+"\n",
				i, []string{"active", "resolved"}[rng.IntN(2)], 100000+i, i, when)
		case r < 4:
			fmt.Fprintf(&buf, `{"resourceType":"MedicationRequest","id":"m%d","status":"%s","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"%d","display":"Medicine number %d 10 MG Oral Tablet"}]},"subject":{"reference":"Patient/long"},"authoredOn":"%s","dosageInstruction":[{"text":"1 tablet daily"}]}`+"\n",
				i, []string{"active", "stopped"}[rng.IntN(2)], 200000+i, i, when)
		case r < 8:
			fmt.Fprintf(&buf, `{"resourceType":"Encounter","id":"e%d","status":"finished","class":{"code":"AMB"},"type":[{"text":"Check-up"}],"subject":{"reference":"Patient/long"},"period":{"start":"%s"}}`+"\n", i, when)
		default:
			c := longTests[rng.IntN(len(longTests))]
			v := c.typical * (0.8 + 0.4*rng.Float64())
			rangeJSON, interp := "", ""
			if c.high > 0 {
				rangeJSON = fmt.Sprintf(`,"referenceRange":[{"low":{"value":%g},"high":{"value":%g}}]`, c.low, c.high)
				switch {
				case v > c.high:
					interp = `,"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H"}]}]`
				case v < c.low:
					interp = `,"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"L"}]}]`
				}
			}
			fmt.Fprintf(&buf, `{"resourceType":"Observation","id":"o%d","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"%s"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"%s","display":"%s"}]},"subject":{"reference":"Patient/long"},"effectiveDateTime":"%s","valueQuantity":{"value":%.1f,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}%s%s}`+"\n",
				i, c.cat, c.code, c.name, when, v, c.unit, c.unit, rangeJSON, interp)
		}
	}
	path := filepath.Join(dir, fmt.Sprintf("long-%d.ndjson", n))
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// newLongSession is a new vault holding one person (Lee Long) with a
// record of n entries; it is locked when the test ends.
func newLongSession(tb testing.TB, n int) (*app.Session, string) {
	tb.Helper()
	dir := tb.TempDir()
	s, err := app.Create(filepath.Join(dir, "vault.kinfolio"), "long record passphrase", pagesOptions())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Lock() })
	res, err := s.Import(context.Background(), []string{writeLongRecord(tb, dir, n)}, app.ImportOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	if res[0].Failed() {
		tb.Fatal(res[0].Err)
	}
	p, err := s.Person("Lee Long")
	if err != nil {
		tb.Fatal(err)
	}
	return s, p.ID
}

// longSize is the long record's size: 50,000 entries, 5,000 with -short.
func longSize() int {
	if testing.Short() {
		return 5000
	}
	return 50000
}

// cpuTime is the CPU time this process has used: on a machine shared with
// other work, the cost of an operation shows better in it than in wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU reports the CPU milliseconds per operation of the loop that
// follows; call the returned function after it.
func measureCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op") }
}
