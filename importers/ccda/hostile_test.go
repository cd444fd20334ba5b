package ccda

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

const minimalDoc = `<ClinicalDocument xmlns="urn:hl7-org:v3"><templateId root="2.16.840.1.113883.10.20.22.1.1"/><effectiveTime value="20200101"/>` +
	`<recordTarget><patientRole><patient><name><given>Ann</given><family>Lee</family></name><birthTime value="19800101"/></patient></patientRole></recordTarget>` +
	`<component><structuredBody>%s</structuredBody></component></ClinicalDocument>`

// countingInput serves content and records how many bytes were read, so a
// test can show a file was refused after its first bytes.
type countingInput struct {
	data []byte
	read int64
}

func (c *countingInput) input(name string) *importers.Input {
	return &importers.Input{Name: name, Size: int64(len(c.data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(&countingReader{r: bytes.NewReader(c.data), n: &c.read}), nil
	}}
}

type countingReader struct {
	r io.Reader
	n *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

func TestRead_Hostile(t *testing.T) {
	bomb := `<?xml version="1.0"?>
<!DOCTYPE ClinicalDocument [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&d;</title></ClinicalDocument>`
	xxe := `<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
		`<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>`
	// 32 MB of internal subset behind the DOCTYPE: refused from the head.
	huge := "<?xml version='1.0'?>\n<?xml-stylesheet href='cda.xsl'?>\n<!DOCTYPE ClinicalDocument [" +
		strings.Repeat("<!ENTITY e 'x'>", 32<<20/15) + "]><ClinicalDocument xmlns='urn:hl7-org:v3'/>"
	deep := strings.Replace(minimalDoc, "%s", `<component><section>`+strings.Repeat("<entry>", 300)+strings.Repeat("</entry>", 300)+`</section></component>`, 1)
	tests := []struct {
		name    string
		in      string
		lim     importers.Limits
		want    error
		maxRead int64 // when > 0, the file must be refused after at most this many bytes
		place   string
	}{
		// The DOCTYPE's own line and column.
		{"billion laughs", bomb, importers.DefaultLimits(), importers.ErrDoctype, importers.HeadSize, "line 2, column 1"},
		{"external entity", xxe, importers.DefaultLimits(), importers.ErrDoctype, importers.HeadSize, "line 1, column 22"},
		{"32 MB DOCTYPE", huge, importers.DefaultLimits(), importers.ErrDoctype, importers.HeadSize, "line 3, column 1"},
		{"too deep", deep, importers.DefaultLimits(), importers.ErrTooDeep, 0, "/ClinicalDocument/component/structuredBody/component/section/entry"},
		{"too large", minimalDoc, importers.Limits{MaxFileSize: 100, MaxDepth: 256}, importers.ErrTooLarge, 0, ""},
		{"truncated", minimalDoc[:200], importers.DefaultLimits(), importers.ErrMalformed, 0, "line 1"},
		{"unknown entity", strings.Replace(minimalDoc, "<given>Ann", "<given>&nbsp;Ann", 1), importers.DefaultLimits(), importers.ErrMalformed, 0, "line 1"},
		{"not UTF-8", strings.Replace(minimalDoc, "Ann", "A\xffn", 1), importers.DefaultLimits(), importers.ErrInvalidUTF8, 0, "line 1"},
		{"not a CDA document", `<Bundle xmlns="http://hl7.org/fhir"/>`, importers.DefaultLimits(), importers.ErrMalformed, 0, "/Bundle"},
		{"CDA root in another namespace", `<ClinicalDocument xmlns="urn:example"/>`, importers.DefaultLimits(), importers.ErrMalformed, 0, "/ClinicalDocument"},
		{"empty", ``, importers.DefaultLimits(), importers.ErrMalformed, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ci := &countingInput{data: []byte(tc.in)}
			b, err := new(Reader).Read(context.Background(), ci.input("hostile.xml"), &importers.Env{Limits: tc.lim})
			if b != nil {
				t.Error("a batch came back with the error")
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var ie *importers.Error
			if !errors.As(err, &ie) || ie.File != "hostile.xml" || !strings.Contains(ie.Place, tc.place) {
				t.Errorf("error %v does not name the file and the place %q", err, tc.place)
			}
			if tc.maxRead > 0 && ci.read > tc.maxRead {
				t.Errorf("read %d bytes before refusing, want at most %d", ci.read, tc.maxRead)
			}
		})
	}
}

func TestRead_Cancelled(t *testing.T) {
	data, err := os.ReadFile("testdata/corpus/ccda/hl7-c-cda-examples/CCD_1.XML")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b, err := new(Reader).Read(ctx, importers.BytesInput("CCD_1.XML", data), nil)
	if b != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("batch %v, error %v", b != nil, err)
	}
}

// TestRead_VendorQuirks reads small documents that are wrong in the ways
// real exports are, and checks they are read as they plainly mean.
func TestRead_VendorQuirks(t *testing.T) {
	section := func(entries string) string {
		return strings.Replace(minimalDoc, "%s", `<component><section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><title>Results</title><text><table><tbody><tr><td ID="r1">Glucose fasting</td></tr></tbody></table></text>`+entries+`</section></component>`, 1)
	}
	obs := func(code, value, time string) string {
		return `<entry><observation classCode="OBS" moodCode="EVN">` + code + `<statusCode code="completed"/>` + time + value + `</observation></entry>`
	}
	tests := []struct {
		name       string
		doc        string
		title      string
		value      string
		date       string
		wantWarned bool
	}{
		{"display from originalText reference",
			section(obs(`<code code="1558-6" codeSystem="2.16.840.1.113883.6.1"><originalText><reference value="#r1"/></originalText></code>`, `<value xsi:type="PQ" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" value="95" unit="mg/dL"/>`, `<effectiveTime value="20140302"/>`)),
			"Glucose fasting", "95 mg/dL", "2014-03-02", false},
		{"reference without '#', missing xsi:type, non-UCUM unit",
			section(obs(`<code code="1558-6" codeSystem="2.16.840.1.113883.6.1"><originalText><reference value="r1"/></originalText></code>`, `<value value="5.5" unit="mmol per liter"/>`, `<effectiveTime value="201403021030-0500"/>`)),
			"Glucose fasting", "5.5 mmol per liter", "2014-03-02T10:30:00-05:00", false},
		{"prefixed lower-case xsi:type, a value with a leading dot, only a low time",
			section(obs(`<code code="1558-6" codeSystem="2.16.840.1.113883.6.1" displayName="Glucose"/>`, `<value xmlns:x="http://www.w3.org/2001/XMLSchema-instance" x:type="cda:pq" value=".5" unit="mg/dL"/>`, `<effectiveTime><low value="2014"/></effectiveTime>`)),
			"Glucose", "0.5 mg/dL", "2014", false},
		{"a value that is not a number is kept as text, with a warning",
			section(obs(`<code code="1558-6" codeSystem="2.16.840.1.113883.6.1" displayName="Glucose"/>`, `<value xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="PQ" value="&lt;5" unit="mg/dL"/>`, `<effectiveTime value="20140230"/>`)),
			"Glucose", "<5 mg/dL", "", true},
		{"ISO dates as vendors write them",
			section(obs(`<code code="1558-6" codeSystem="2.16.840.1.113883.6.1" displayName="Glucose"/>`, `<value xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ST">normal</value>`, `<effectiveTime value="2014-03-02"/>`)),
			"Glucose", "normal", "2014-03-02", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := new(Reader).Read(context.Background(), importers.BytesInput("q.xml", []byte(tc.doc)), nil)
			if err != nil {
				t.Fatal(err)
			}
			g := normalize(t, b)
			var lab *record.Entry
			for i := range g.Entries {
				if g.Entries[i].Kind == record.KindLab {
					lab = &g.Entries[i]
				}
			}
			if lab == nil {
				t.Fatalf("no lab entry; skipped %v", b.Report.Skipped)
			}
			if lab.Title != tc.title || lab.ValueText() != tc.value || lab.Date.String() != tc.date {
				t.Errorf("got %q %q %q, want %q %q %q", lab.Title, lab.ValueText(), lab.Date, tc.title, tc.value, tc.date)
			}
			if warned := len(b.Report.Warnings) > 0; warned != tc.wantWarned {
				t.Errorf("warnings %v", b.Report.Warnings)
			}
		})
	}
}

func TestRead_Encodings(t *testing.T) {
	doc := strings.Replace(minimalDoc, "Ann", "Ren\xe9e", 1) // ISO-8859-1
	for _, enc := range []string{"ISO-8859-1", "windows-1252"} {
		b, err := new(Reader).Read(context.Background(), importers.BytesInput("l.xml", []byte(`<?xml version="1.0" encoding="`+enc+`"?>`+doc)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Patients[0].Person.Name; got != "Renée Lee" {
			t.Errorf("%s: name %q", enc, got)
		}
	}
}

func TestRead_UnstructuredDocument(t *testing.T) {
	pdf := "JVBERi0xLjQKJcfsj6IK" // "%PDF-1.4\n..." base64
	doc := strings.Replace(minimalDoc, `<structuredBody>%s</structuredBody>`,
		`<nonXMLBody><text mediaType="application/pdf" representation="B64">`+pdf+"\n</text></nonXMLBody>", 1)
	doc = strings.Replace(doc, `<recordTarget>`, `<title>Scanned letter</title><recordTarget>`, 1)
	b, err := new(Reader).Read(context.Background(), importers.BytesInput("u.xml", []byte(doc)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, r := range b.Patients[0].Resources {
		if r.Type != "DocumentReference" {
			continue
		}
		d, _ := record.Decode[record.DocumentReference](r)
		att := d.Content[0].Attachment
		if att.ContentType == "application/pdf" && att.Data == pdf && d.Description == "Scanned letter" {
			found = true
		}
	}
	if !found {
		t.Error("the PDF was not kept as a document")
	}
}

// FuzzReadCCDA feeds the reader mutations of the corpus: it must never
// panic, and an error always comes without a batch.
func FuzzReadCCDA(f *testing.F) {
	files, _ := filepath.Glob("testdata/corpus/*/*/*")
	for _, p := range files {
		if strings.HasSuffix(p, ".tsv") || strings.HasSuffix(p, ".md") {
			continue
		}
		data, err := os.ReadFile(p)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(strings.Replace(minimalDoc, "%s", "", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := importers.DefaultLimits()
		lim.MaxDepth = 64
		b, err := new(Reader).Read(context.Background(), importers.BytesInput("fuzz.xml", data), &importers.Env{Limits: lim})
		if err != nil {
			if b != nil {
				t.Fatal("batch with error")
			}
			var ie *importers.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *importers.Error", err)
			}
			return
		}
		if b == nil {
			t.Fatal("no batch and no error")
		}
		for _, g := range b.Patients {
			for _, r := range g.Resources {
				if _, _, err := record.Project(r, nil); err != nil {
					t.Fatalf("%s: %v", r.Ref(), err)
				}
			}
		}
	})
}
