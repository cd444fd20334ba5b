package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/importers/archive/archivetest"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

const (
	appleMinimal = "apple-health/healthkit-to-sqlite-fixtures/export_minimal.xml"
	appleFolder  = "apple-health/healthkit-to-sqlite-fixtures"
)

func TestApple_CorpusExportXML(t *testing.T) {
	data := corpusFile(t, appleMinimal)
	b, err := readBytes(t, "export.xml", data, importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Format != FormatAppleHealth || b.Source.SHA256 != importers.HashBytes(data) || b.Source.Size != int64(len(data)) {
		t.Errorf("source = %+v; want apple-health with the file's hash and size", b.Source)
	}
	if !bytes.Equal(b.Original, data) {
		t.Error("the original bytes are not kept")
	}
	if len(b.Patients) != 1 || b.Patients[0].Patient != nil {
		t.Fatalf("patients = %+v; want one group without a Patient (export.xml names no one)", b.Patients)
	}
	per := b.Patients[0].Person
	if per.BirthDate.String() != "1990-02-02" || per.Sex != "male" {
		t.Errorf("person = %+v; want born 1990-02-02, male (from <Me>)", per)
	}
	es := entries(t, b)
	bmi := byTitle(es, "Body mass index")
	hr := byTitle(es, "Heart rate")
	if len(es) != 2 || len(bmi) != 1 || len(hr) != 1 {
		t.Fatalf("entries = %+v; want one BMI and one heart rate", es)
	}
	if e := bmi[0]; e.Kind != record.KindVital || e.Value != "22.5312" || e.Code(record.SystemLOINC) != "39156-5" || e.Date.String() != "2016-04-18T08:25:32-07:00" {
		t.Errorf("BMI entry = %+v", e)
	}
	if e := hr[0]; e.Value != "72" || e.Unit != "/min" || e.Code(record.SystemLOINC) != "8867-4" {
		t.Errorf("heart rate entry = %+v", e)
	}
	var ignored []string
	for _, ig := range b.Report.Ignored {
		ignored = append(ignored, ig.Path+": "+ig.Reason)
	}
	if got := strings.Join(ignored, "; "); !strings.Contains(got, "Workout: activity and fitness data Kinfolio does not keep (1)") ||
		!strings.Contains(got, "ActivitySummary: activity and fitness data Kinfolio does not keep (2)") {
		t.Errorf("ignored = %s; want the workout and the two activity summaries counted", got)
	}
	checkGolden(t, "apple_export_minimal", b)
}

func TestApple_CorpusFolder(t *testing.T) {
	in, err := importers.PathInput(corpus + "/" + appleFolder)
	if err != nil {
		t.Fatal(err)
	}
	b, err := importers.NewRegistry(New()).Read(context.Background(), in, importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Format != FormatAppleHealth || len(b.Parts) != 2 {
		t.Fatalf("format %s with %d parts; want apple-health with 2 (the two export.xml files)", b.Source.Format, len(b.Parts))
	}
	if len(b.Report.Ignored) != 1 || !strings.HasSuffix(b.Report.Ignored[0].Path, ".gpx") {
		t.Errorf("ignored = %+v; want the workout route", b.Report.Ignored)
	}
	for _, p := range b.Parts {
		if p.Source.Format != FormatAppleHealth || len(p.Original) == 0 || p.Source.SHA256 != importers.HashBytes(p.Original) {
			t.Errorf("part %s: format %s, %d original bytes", p.Source.File, p.Source.Format, len(p.Original))
		}
	}
	checkGolden(t, "apple_folder", b)
}

// appleZip packs the corpus folder the way the Health app does:
// apple_health_export/... inside export.zip, plus clinical records.
func appleZip(t *testing.T, clinical map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(data)
	}
	add("apple_health_export/export.xml", corpusFile(t, appleFolder+"/apple_health_export/export.xml"))
	add("apple_health_export/workout-routes/route_2019-06-11_3.00pm.gpx", corpusFile(t, appleFolder+"/apple_health_export/workout-routes/route_2019-06-11_3.00pm.gpx"))
	for name, data := range clinical {
		add("apple_health_export/clinical-records/"+name, data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestApple_ExportZip(t *testing.T) {
	data := appleZip(t, nil)
	b, err := readBytes(t, "export.zip", data, importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Format != FormatAppleHealth || len(b.Parts) != 1 || !bytes.Equal(b.Original, data) {
		t.Fatalf("format %s, %d parts; want apple-health with export.xml, original kept", b.Source.Format, len(b.Parts))
	}
	p := b.Parts[0]
	if p.Source.File != "apple_health_export/export.xml" || len(entries(t, p)) != 2 {
		t.Errorf("part %s with %d entries", p.Source.File, len(entries(t, p)))
	}
	if len(b.Report.Parts) != 1 || b.Report.Parts[0].File != "apple_health_export/export.xml" {
		t.Errorf("report parts = %+v", b.Report.Parts)
	}
}

func TestApple_DTD(t *testing.T) {
	body := "<HealthData locale=\"en_US\">\n <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"W\" unit=\"count/min\" startDate=\"2020-01-01 10:00:00 +0000\" endDate=\"2020-01-01 10:00:00 +0000\" value=\"60\"/>\n</HealthData>\n"
	tests := []struct {
		name, doctype string
		want          error // nil: read
	}{
		{"apple's subset", archivetest.AppleHeader[strings.Index(archivetest.AppleHeader, "<!DOCTYPE"):strings.Index(archivetest.AppleHeader, "<HealthData")], nil},
		{"no subset", "<!DOCTYPE HealthData>", nil},
		{"comment with markup", "<!DOCTYPE HealthData [<!-- <!ENTITY x 'not real'> -->]>", nil},
		{"quoted percent", "<!DOCTYPE HealthData [<!ATTLIST Record unit CDATA \"%\">]>", nil},
		{"entity", "<!DOCTYPE HealthData [<!ENTITY x \"boom\">]>", importers.ErrDoctype},
		{"billion laughs", "<!DOCTYPE HealthData [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>", importers.ErrDoctype},
		{"external entity", "<!DOCTYPE HealthData [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", importers.ErrDoctype},
		{"system id", "<!DOCTYPE HealthData SYSTEM \"http://example.com/x.dtd\">", importers.ErrDoctype},
		{"public id", "<!DOCTYPE HealthData PUBLIC \"-//x//EN\" \"x.dtd\">", importers.ErrDoctype},
		{"parameter entity", "<!DOCTYPE HealthData [%x;]>", importers.ErrDoctype},
		{"parameter entity in a declaration", "<!DOCTYPE HealthData [<!ELEMENT Record %x;>]>", importers.ErrDoctype},
		{"notation", "<!DOCTYPE HealthData [<!NOTATION n SYSTEM \"x\">]>", importers.ErrDoctype},
		{"processing instruction", "<!DOCTYPE HealthData [<?x y?>]>", importers.ErrDoctype},
		{"another root", "<!DOCTYPE ClinicalDocument [<!ELEMENT ClinicalDocument ANY>]>", importers.ErrDoctype},
		{"two doctypes", "<!DOCTYPE HealthData><!DOCTYPE HealthData>", importers.ErrDoctype},
		{"huge subset", "<!DOCTYPE HealthData [" + strings.Repeat("<!-- padding -->", 100_000) + "]>", importers.ErrDoctype},
		{"unclosed", "<!DOCTYPE HealthData [<!ELEMENT Record ANY>", importers.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + tt.doctype + "\n" + body)
			b, err := readBytes(t, "export.xml", data, importers.DefaultLimits())
			if tt.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want the file read", err)
				}
				if n := len(b.Patients[0].Resources); n != 1 {
					t.Errorf("%d observations, want 1", n)
				}
				return
			}
			if !errors.Is(err, tt.want) || b != nil {
				t.Fatalf("err = %v, batch %v; want an error wrapping %v", err, b != nil, tt.want)
			}
			var ie *importers.Error
			if !errors.As(err, &ie) || ie.File != "export.xml" || !strings.HasPrefix(ie.Place, "line ") {
				t.Errorf("err = %#v; want an *importers.Error naming export.xml and a line", err)
			}
		})
	}
}

func TestApple_Malformed(t *testing.T) {
	rec := `<Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="kg" startDate="2020-01-01 10:00:00 +0000" endDate="2020-01-01 10:00:00 +0000" value="70"/>`
	tests := []struct {
		name, doc string
		want      error
		place     string
	}{
		{"truncated", "<HealthData>\n" + rec + "\n" + rec[:40], importers.ErrMalformed, "line 3"},
		{"unclosed root", "<HealthData>\n" + rec + "\n", importers.ErrMalformed, "line 3"},
		{"mismatched", "<HealthData>\n<Workout>\n</Record>\n</HealthData>", importers.ErrMalformed, "line 3, column 1"},
		{"other root", "<ClinicalDocument/>", importers.ErrMalformed, "line 1"},
		{"two roots", "<HealthData/>\n<HealthData/>", importers.ErrMalformed, "line 2"},
		{"text outside", "<HealthData/>\ntrailing words", importers.ErrMalformed, "line 2"},
		{"unquoted attribute", "<HealthData>\n<Record type=x/>\n</HealthData>", importers.ErrMalformed, "line 2"},
		{"undeclared entity", "<HealthData>\n" + strings.Replace(rec, `sourceName="Scale"`, `sourceName="&ghost;"`, 1) + "\n</HealthData>", importers.ErrMalformed, "line 2"},
		{"bad UTF-8", "<HealthData>\n" + strings.Replace(rec, `sourceName="Scale"`, "sourceName=\"\xff\xfe\"", 1) + "\n</HealthData>", importers.ErrInvalidUTF8, "line 2"},
		{"deep", "<HealthData>" + strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300) + "</HealthData>", importers.ErrTooDeep, "line 1"},
		{"empty", "", importers.ErrMalformed, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAppleExport(context.Background(), "export.xml", strings.NewReader(tt.doc), importers.DefaultLimits())
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var ie *importers.Error
			if !errors.As(err, &ie) || ie.File != "export.xml" || !strings.HasPrefix(ie.Place, tt.place) {
				t.Errorf("err = %v; want it placed at %q", err, tt.place)
			}
		})
	}
}

// appleDoc wraps records in a minimal export.xml.
func appleDoc(records ...string) []byte {
	return []byte("<HealthData locale=\"en_US\">\n <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1970-05-06\" HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\"/>\n" +
		strings.Join(records, "\n") + "\n</HealthData>\n")
}

func rec(typ, unit, value, start string, extra ...string) string {
	s := fmt.Sprintf(`<Record type="%s" sourceName="Jane’s iPhone" unit="%s" creationDate="%s" startDate="%s" endDate="%s" value="%s"`, typ, unit, start, start, start, value)
	if len(extra) == 0 {
		return s + "/>"
	}
	return s + ">" + strings.Join(extra, "") + "</Record>"
}

func TestApple_Units(t *testing.T) {
	const at = "2021-03-04 08:00:00 +0100"
	tests := []struct {
		typ, unit, value string
		loinc            string
		wantValue        string
		wantUnit, ucum   string
		kind             record.Kind
	}{
		{"HKQuantityTypeIdentifierBodyMass", "kg", "70.25", "29463-7", "70.25", "kg", "kg", record.KindVital},
		{"HKQuantityTypeIdentifierBodyMass", "lb", "165.3", "29463-7", "165.3", "lb", "[lb_av]", record.KindVital},
		{"HKQuantityTypeIdentifierBodyMass", "g", "70250", "29463-7", "70.25", "kg", "kg", record.KindVital},
		{"HKQuantityTypeIdentifierBodyMass", "st", "11", "29463-7", "154", "lb", "[lb_av]", record.KindVital},
		{"HKQuantityTypeIdentifierHeight", "cm", "172", "8302-2", "172", "cm", "cm", record.KindVital},
		{"HKQuantityTypeIdentifierHeight", "m", "1.72", "8302-2", "172", "cm", "cm", record.KindVital},
		{"HKQuantityTypeIdentifierHeight", "ft", "5.5", "8302-2", "66", "in", "[in_i]", record.KindVital},
		{"HKQuantityTypeIdentifierHeight", "in", "66", "8302-2", "66", "in", "[in_i]", record.KindVital},
		{"HKQuantityTypeIdentifierBodyMassIndex", "count", "23.7", "39156-5", "23.7", "kg/m²", "kg/m2", record.KindVital},
		{"HKQuantityTypeIdentifierHeartRate", "count/min", "64", "8867-4", "64", "/min", "/min", record.KindVital},
		{"HKQuantityTypeIdentifierRestingHeartRate", "count/min", "55", "40443-4", "55", "/min", "/min", record.KindVital},
		{"HKQuantityTypeIdentifierOxygenSaturation", "%", "0.97", "59408-5", "97", "%", "%", record.KindVital},
		{"HKQuantityTypeIdentifierBodyTemperature", "degF", "98.6", "8310-5", "98.6", "°F", "[degF]", record.KindVital},
		{"HKQuantityTypeIdentifierBodyTemperature", "degC", "37.1", "8310-5", "37.1", "°C", "Cel", record.KindVital},
		{"HKQuantityTypeIdentifierRespiratoryRate", "count/min", "14", "9279-1", "14", "/min", "/min", record.KindVital},
		{"HKQuantityTypeIdentifierBloodGlucose", "mg/dL", "104", "2339-0", "104", "mg/dL", "mg/dL", record.KindLab},
		{"HKQuantityTypeIdentifierBloodGlucose", "mmol<180.1558800000541>/L", "5.8", "15074-8", "5.8", "mmol/L", "mmol/L", record.KindLab},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.unit, func(t *testing.T) {
			b, err := readBytes(t, "export.xml", appleDoc(rec(tt.typ, tt.unit, tt.value, at)), importers.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			es := entries(t, b)
			if len(es) != 1 {
				t.Fatalf("%d entries, want 1", len(es))
			}
			e := es[0]
			if e.Kind != tt.kind || e.Code(record.SystemLOINC) != tt.loinc || e.Value != tt.wantValue || e.Unit != tt.wantUnit {
				t.Errorf("entry = %s %s %s %q %q; want %s %s %s %s", e.Kind, e.Code(record.SystemLOINC), e.Title, e.Value, e.Unit, tt.kind, tt.loinc, tt.wantValue, tt.wantUnit)
			}
			if e.Date.String() != "2021-03-04T08:00:00+01:00" {
				t.Errorf("date = %s", e.Date)
			}
			o, err := record.Decode[record.Observation](b.Patients[0].Resources[0])
			if err != nil {
				t.Fatal(err)
			}
			if q := o.ValueQuantity; q == nil || q.System != record.SystemUCUM || q.Code != tt.ucum {
				t.Errorf("valueQuantity = %+v, want UCUM code %s", q, tt.ucum)
			}
		})
	}
}

func TestApple_BadRecordsSkipped(t *testing.T) {
	const at = "2021-03-04 08:00:00 +0100"
	b, err := readBytes(t, "export.xml", appleDoc(
		rec("HKQuantityTypeIdentifierBodyMass", "kg", "seventy", at),
		rec("HKQuantityTypeIdentifierBodyMass", "furlong", "3", at),
		rec("HKQuantityTypeIdentifierBodyMass", "kg", "70", "yesterday"),
		rec("HKQuantityTypeIdentifierBodyMass", "kg", "71", at),
		rec("HKQuantityTypeIdentifierStepCount", "count", "1200", at),
		rec("HKQuantityTypeIdentifierStepCount", "count", "800", at),
	), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.Patients[0].Resources); n != 1 {
		t.Errorf("%d observations, want 1 (the readable weight)", n)
	}
	want := []record.Skip{
		{Path: "line 3", Reason: "Body weight: the value is not a number"},
		{Path: "line 4", Reason: `Body weight: the unit "furlong" is not one Kinfolio knows for it`},
		{Path: "line 5", Reason: "Body weight: the start date is not readable"},
	}
	if fmt.Sprint(b.Report.Skipped) != fmt.Sprint(want) {
		t.Errorf("skipped = %v\nwant      %v", b.Report.Skipped, want)
	}
	if len(b.Report.Ignored) != 1 || b.Report.Ignored[0].Path != "Record type=HKQuantityTypeIdentifierStepCount" ||
		!strings.Contains(b.Report.Ignored[0].Reason, "(2 records)") {
		t.Errorf("ignored = %v; want the two step counts counted", b.Report.Ignored)
	}
}

func TestApple_BloodPressure(t *testing.T) {
	const at = "2021-03-04 08:00:00 +0100"
	sys := rec("HKQuantityTypeIdentifierBloodPressureSystolic", "mmHg", "128", at)
	dia := rec("HKQuantityTypeIdentifierBloodPressureDiastolic", "mmHg", "84", at)
	corr := `<Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Jane’s iPhone" startDate="` + at + `" endDate="` + at + `">` + dia + sys + `</Correlation>`
	const later = "2021-03-05 08:00:00 +0100"
	tests := []struct {
		name    string
		records []string
		want    []string // entry values
	}{
		{"halves and correlation (as Apple writes)", []string{sys, dia, corr}, []string{"128/84 mmHg"}},
		{"correlation first", []string{corr, sys, dia}, []string{"128/84 mmHg"}},
		{"correlation only", []string{corr}, []string{"128/84 mmHg"}},
		{"halves only", []string{sys, dia}, []string{"128/84 mmHg"}},
		{"systolic alone", []string{sys}, []string{"128 mmHg"}},
		{"two readings", []string{corr, strings.ReplaceAll(corr, at, later)}, []string{"128/84 mmHg", "128/84 mmHg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := readBytes(t, "export.xml", appleDoc(tt.records...), importers.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range entries(t, b) {
				got = append(got, e.ValueText())
				if e.Kind != record.KindVital {
					t.Errorf("%s is %s, want vital", e.Title, e.Kind)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("entries = %v, want %v", got, tt.want)
			}
			if b.Report.Warnings != nil {
				t.Errorf("warnings = %v", b.Report.Warnings)
			}
		})
	}
	// "entered by hand" on the correlation, or on a half inside it
	userEntered := `<MetadataEntry key="HKWasUserEntered" value="1"/>`
	for _, doc := range []string{
		strings.Replace(corr, `">`+dia, `">`+userEntered+dia, 1),
		strings.Replace(corr, sys, rec("HKQuantityTypeIdentifierBloodPressureSystolic", "mmHg", "128", at, userEntered), 1),
	} {
		b, err := readBytes(t, "export.xml", appleDoc(doc), importers.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if es := entries(t, b); len(es) != 1 || es[0].Note != "Entered by hand in the Health app" || es[0].ValueText() != "128/84 mmHg" {
			t.Errorf("entries = %+v; want one reading noted as entered by hand", es)
		}
	}
	b, _ := readBytes(t, "export.xml", appleDoc(corr), importers.DefaultLimits())
	e := entries(t, b)[0]
	if e.Code(record.SystemLOINC) != "85354-9" || len(e.Components) != 2 || e.Components[0].Codes[0].Code != "8462-4" && e.Components[0].Codes[0].Code != "8480-6" {
		t.Errorf("panel = %+v", e)
	}
}

func TestApple_DailySummaries(t *testing.T) {
	day := func(d string, n int, value func(i int) string) []string {
		var out []string
		for i := range n {
			out = append(out, rec("HKQuantityTypeIdentifierHeartRate", "count/min", value(i), fmt.Sprintf("%s %02d:%02d:00 -0700", d, i/60, i%60)))
		}
		return out
	}
	records := day("2022-06-01", dailyKeep, func(i int) string { return strconv.Itoa(60 + i) })                 // kept one by one
	records = append(records, day("2022-06-02", 600, func(i int) string { return strconv.Itoa(50 + i%51) })...) // summarized
	// a glucose meter reading with its meal time stays a reading
	records = append(records, rec("HKQuantityTypeIdentifierBloodGlucose", "mg/dL", "98", "2022-06-02 07:00:00 -0700",
		`<MetadataEntry key="HKBloodGlucoseMealTime" value="1"/>`))
	b, err := readBytes(t, "export.xml", appleDoc(records...), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	es := entries(t, b)
	if n := len(byTitle(es, "Heart rate")); n != dailyKeep {
		t.Errorf("%d single heart rate readings, want %d", n, dailyKeep)
	}
	sum := byTitle(es, "Heart rate, daily average")
	if len(sum) != 1 {
		t.Fatalf("%d daily summaries, want 1", len(sum))
	}
	s := sum[0]
	// 600 readings cycling 50..100: mean 44766/600 = 74.61, lowest 50, highest 100
	if s.Value != "74.6" || s.Unit != "/min" || s.Kind != record.KindVital || s.Code(record.SystemLOINC) != "8867-4" {
		t.Errorf("summary = %+v", s)
	}
	comps := map[string]string{}
	for _, c := range s.Components {
		comps[c.Title] = c.Value
	}
	if comps["Lowest"] != "50" || comps["Highest"] != "100" || comps["Readings"] != "600" {
		t.Errorf("components = %v", comps)
	}
	if s.Date.String() != "2022-06-02T00:00:00-07:00" || s.End.String() != "2022-06-02T09:59:00-07:00" {
		t.Errorf("period %s – %s", s.Date, s.End)
	}
	if !strings.Contains(s.Note, "Daily summary of 600 readings from Jane’s iPhone") {
		t.Errorf("note = %q", s.Note)
	}
	g := byTitle(es, "Blood glucose")
	if len(g) != 1 || g[0].Kind != record.KindLab || g[0].Note != "Measured before a meal" {
		t.Errorf("glucose = %+v", g)
	}
	if len(b.Report.Warnings) != 1 || !strings.Contains(b.Report.Warnings[0], "Heart rate: 600 readings") {
		t.Errorf("warnings = %v", b.Report.Warnings)
	}
}

func TestApple_Duplicates(t *testing.T) {
	w := rec("HKQuantityTypeIdentifierBodyMass", "kg", "70", "2021-03-04 08:00:00 +0100")
	b, err := readBytes(t, "export.xml", appleDoc(w, w, w), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.Patients[0].Resources); n != 1 {
		t.Errorf("%d observations, want 1", n)
	}
	if len(b.Report.Warnings) != 1 || !strings.HasPrefix(b.Report.Warnings[0], "2 readings appeared more than once") {
		t.Errorf("warnings = %v", b.Report.Warnings)
	}
	// Reading the same export again gives the same ids: importing twice changes nothing.
	b2, _ := readBytes(t, "export.xml", appleDoc(w), importers.DefaultLimits())
	if b2.Patients[0].Resources[0].ID != b.Patients[0].Resources[0].ID {
		t.Error("ids differ between two readings of the same record")
	}
}

func TestApple_ClinicalRecordsWithoutFiles(t *testing.T) {
	doc := appleDoc(`<ClinicalRecord type="HKClinicalTypeIdentifierLabResultRecord" identifier="x" sourceName="Clinic" fhirVersion="4.0.1" receivedDate="2021-01-01 00:00:00 +0000" resourceFilePath="/clinical-records/Observation-1.json"/>`)
	b, err := readBytes(t, "export.xml", doc, importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Report.Warnings) != 1 || !strings.Contains(b.Report.Warnings[0], "import the whole export.zip") {
		t.Errorf("warnings = %v; want advice to import the whole export", b.Report.Warnings)
	}
}

func TestApple_Cancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := readAppleExport(ctx, "export.xml", archivetest.NewAppleExport(8<<20), importers.DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// checkGenerated checks what the reader made of days of generated data.
func checkGenerated(t *testing.T, b *record.Batch, days int) {
	t.Helper()
	es := entries(t, b)
	count := map[string]int{}
	for _, e := range es {
		count[e.Title]++
	}
	want := map[string]int{
		"Heart rate, daily average": days, "Oxygen saturation, daily average": days,
		"Body weight": days, "Resting heart rate": days, "Blood pressure": 2 * days,
	}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Errorf("entries by title = %v\nwant %v", count, want)
	}
	for _, e := range byTitle(es, "Heart rate, daily average") {
		comps := map[string]string{}
		for _, c := range e.Components {
			comps[c.Title] = c.Value
		}
		if e.Value != "79.5" || comps["Lowest"] != "50" || comps["Highest"] != "109" || comps["Readings"] != strconv.Itoa(archivetest.HeartRatesPerDay) {
			t.Fatalf("heart rate summary = %s %v; want mean 79.5, 50-109 over %d readings", e.Value, comps, archivetest.HeartRatesPerDay)
		}
	}
	for _, e := range byTitle(es, "Oxygen saturation, daily average") {
		if e.Value != "95.8" || e.Unit != "%" {
			t.Fatalf("oxygen summary = %s %s, want 95.8 %%", e.Value, e.Unit)
		}
	}
	for _, e := range byTitle(es, "Blood pressure") {
		if e.ValueText() != "121/79 mmHg" {
			t.Fatalf("blood pressure = %s", e.ValueText())
		}
	}
	for _, e := range byTitle(es, "Body weight") {
		if e.ValueText() != "165.3 lb" || e.Note != "Entered by hand in the Health app" {
			t.Fatalf("weight = %s (%s)", e.ValueText(), e.Note)
		}
	}
}

// TestApple_Generated reads a generated 48 MB export.xml, streamed from a
// generator: nothing is written to disk.
func TestApple_Generated(t *testing.T) {
	g := archivetest.NewAppleExport(48 << 20)
	days := g.Days()
	var b *record.Batch
	var err error
	peak := memPeak(func() {
		in := &importers.Input{Name: "export.xml", Size: -1, Open: func() (io.ReadCloser, error) { return io.NopCloser(archivetest.NewAppleExport(48 << 20)), nil }}
		b, err = New().Read(context.Background(), in, &importers.Env{Limits: importers.DefaultLimits()})
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGenerated(t, b, days)
	if b.Original != nil || b.OpenOriginal == nil {
		t.Error("a large export.xml should be streamed again for storage, not held")
	}
	t.Logf("%d days, %d MB read, heap peak %d MB", days, b.Source.Size>>20, peak>>20)
	if peak > 100<<20 {
		t.Errorf("heap peaked at %d MB reading 48 MB; want it independent of the size", peak>>20)
	}
}

// TestApple_1GB reads a generated 1 GB export.xml in a child process and
// checks the child's peak resident memory. The export is produced by a
// generator as it is read: nothing is written to disk.
func TestApple_1GB(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 1 GB; skipped in -short")
	}
	if os.Getenv("KINFOLIO_APPLE_1GB_CHILD") == "1" {
		return // the child's work is in TestAppleChild
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAppleChild$", "-test.v")
	cmd.Env = append(os.Environ(), "KINFOLIO_APPLE_1GB_CHILD=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	elapsed := time.Since(start)
	rss, measured := peakRSS(cmd.ProcessState)
	t.Logf("1 GB export.xml: %.1f s (%.0f MB/s), peak RSS %d MB\n%s", elapsed.Seconds(), 1024/elapsed.Seconds(), rss>>20, out)
	if !measured {
		t.Log("this system does not report a child's peak memory: not checked")
	} else if rss > 300<<20 {
		t.Errorf("peak resident memory %d MB, want under 300 MB", rss>>20)
	}
	if !strings.Contains(string(out), "PASS") {
		t.Errorf("child did not pass:\n%s", out)
	}
}

// TestAppleChild is the child of TestApple_1GB; it does nothing otherwise.
func TestAppleChild(t *testing.T) {
	if os.Getenv("KINFOLIO_APPLE_1GB_CHILD") != "1" {
		t.Skip("run by TestApple_1GB")
	}
	const size = 1 << 30
	g := archivetest.NewAppleExport(size)
	days := g.Days()
	in := &importers.Input{Name: "export.xml", Size: -1, Open: func() (io.ReadCloser, error) { return io.NopCloser(archivetest.NewAppleExport(size)), nil }}
	b, err := importers.NewRegistry(New()).Read(context.Background(), in, importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Size < size {
		t.Fatalf("read %d bytes, want at least 1 GiB", b.Source.Size)
	}
	checkGenerated(t, b, days)
	t.Logf("%d days, %d bytes, %d observations", days, b.Source.Size, len(b.Patients[0].Resources))
}

// FuzzAppleExport feeds arbitrary bytes to the export.xml tokenizer and
// mapper: no panic, no hang, an error or a batch, never both.
func FuzzAppleExport(f *testing.F) {
	f.Add(corpusFile(f, appleMinimal))
	f.Add([]byte(archivetest.AppleHeader + "</HealthData>"))
	f.Add(appleDoc(rec("HKQuantityTypeIdentifierBloodPressureSystolic", "mmHg", "120", "2020-01-01 10:00:00 +0000"),
		`<Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="x" startDate="2020-01-01 10:00:00 +0000" endDate="2020-01-01 10:00:00 +0000">`+
			rec("HKQuantityTypeIdentifierBloodPressureDiastolic", "mmHg", "80", "2020-01-01 10:00:00 +0000")+`</Correlation>`))
	f.Add([]byte("<!DOCTYPE HealthData [<!ENTITY a 'b'>]><HealthData/>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := readAppleExport(context.Background(), "export.xml", bytes.NewReader(data), importers.DefaultLimits())
		if (err == nil) == (b == nil) {
			t.Fatalf("err %v with batch %v", err, b != nil)
		}
		if err == nil {
			for _, r := range b.Patients[0].Resources {
				if _, _, err := record.Project(r, nil); err != nil {
					t.Fatalf("an observation record.Project cannot read: %v", err)
				}
			}
		}
	})
}

func TestApple_StreamOverLimit(t *testing.T) {
	lim := importers.DefaultLimits()
	lim.MaxEntrySize = 40 << 20
	in := &importers.Input{Name: "export.xml", Size: -1, Open: func() (io.ReadCloser, error) { return io.NopCloser(archivetest.NewAppleExport(48 << 20)), nil }}
	_, err := New().Read(context.Background(), in, &importers.Env{Limits: lim})
	if !errors.Is(err, importers.ErrTooLarge) {
		t.Errorf("a 48 MB stream with a 40 MB limit: err = %v, want ErrTooLarge", err)
	}
}
