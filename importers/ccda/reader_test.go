package ccda

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// corpusFiles lists the sample documents under testdata/corpus.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/corpus/*/*/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".tsv") && !strings.HasSuffix(f, ".md") {
			out = append(out, f)
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d corpus documents found", len(out))
	}
	return out
}

// readFile reads a corpus file through the Reader, as the registry would.
func readFile(t testing.TB, path string) *record.Batch {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := new(Reader).Read(context.Background(), importers.BytesInput(filepath.Base(path), data), &importers.Env{Limits: importers.DefaultLimits()})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

// resolver resolves references among a batch's resources, as the vault does.
func resolver(b *record.Batch) record.Resolver {
	byRef := map[string]record.Resource{}
	for _, g := range b.Patients {
		if g.Patient != nil {
			byRef[g.Patient.Ref()] = *g.Patient
		}
		for _, r := range g.Resources {
			byRef[r.Ref()] = r
		}
	}
	return func(ref string) (record.Resource, bool) {
		r, ok := byRef[ref]
		return r, ok
	}
}

func TestReader_Sniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"C-CDA", `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3">`, true},
		{"BOM, stylesheet, comment", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<?xml-stylesheet type=\"text/xsl\" href=\"CDA.xsl\"?>\r\n<!-- exported -->\r\n<ClinicalDocument xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"urn:hl7-org:v3\">", true},
		{"no declaration", `<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc">`, true},
		{"prefixed", `<cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3">`, true},
		{"no namespace", `<ClinicalDocument>`, true},
		{"long comment first", "<!--" + strings.Repeat("x", importers.HeadSize) + "--><ClinicalDocument xmlns=\"urn:hl7-org:v3\">", false},
		{"long comment, tag in head", "<!--" + strings.Repeat("x", 100) + "--><ClinicalDocument xmlns=\"urn:hl7-org:v3\" " + strings.Repeat(" ", importers.HeadSize), true},
		{"lone section", `<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>`, true},
		{"other component", `<component><section>`, false},
		{"FHIR XML", `<Bundle xmlns="http://hl7.org/fhir">`, false},
		{"other namespace", `<ClinicalDocument xmlns="urn:example">`, false},
		{"Apple Health", `<HealthData locale="en_US">`, false},
		{"JSON", `{"resourceType":"Bundle"}`, false},
		{"empty", ``, false},
	}
	r := new(Reader)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			head := []byte(tc.head)
			if len(head) > importers.HeadSize {
				head = head[:importers.HeadSize]
			}
			got := r.Sniff(importers.BytesInput("x.xml", []byte(tc.head)), head) > 0
			if got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
	// Every corpus document is recognized from its head, whatever its name.
	for _, f := range corpusFiles(t) {
		in, err := importers.PathInput(f)
		if err != nil {
			t.Fatal(err)
		}
		head, err := in.Head()
		if err != nil {
			t.Fatal(err)
		}
		if r.Sniff(in, head) == 0 {
			t.Errorf("%s not recognized", f)
		}
	}
}

// TestRead_Corpus reads every sample document and checks what a user
// would: whose record it is, where it came from, and that every entry has
// a readable title.
func TestRead_Corpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		t.Run(strings.TrimPrefix(f, "testdata/corpus/"), func(t *testing.T) {
			b := readFile(t, f)
			fragment := strings.Contains(f, "No_Information")
			wantFormat := record.FormatCCDA
			if strings.Contains(filepath.ToSlash(f), "/c32-ccd/") {
				wantFormat = "c32"
			}
			if b.Source.Format != wantFormat || b.Report.Format != wantFormat {
				t.Errorf("format %q/%q, want %q", b.Source.Format, b.Report.Format, wantFormat)
			}
			if b.Source.SHA256 == "" || b.Source.Size == 0 || len(b.Original) == 0 {
				t.Error("source hash, size or original bytes missing")
			}
			if len(b.Patients) != 1 {
				t.Fatalf("%d patient groups", len(b.Patients))
			}
			g := b.Patients[0]
			if !fragment {
				if g.Patient == nil || g.Person.Name == "" || g.Person.BirthDate.IsZero() {
					t.Errorf("patient %+v not read", g.Person)
				}
				if b.Source.Author == "" || b.Source.DocumentDate.IsZero() || b.Source.Title == "" {
					t.Errorf("source author %q, date %v, title %q", b.Source.Author, b.Source.DocumentDate, b.Source.Title)
				}
			}
			resolve := resolver(b)
			seen := map[string]bool{}
			entries := 0
			for _, r := range g.Resources {
				if seen[r.Ref()] {
					t.Errorf("resource %s twice", r.Ref())
				}
				seen[r.Ref()] = true
				if !json.Valid(r.JSON) {
					t.Fatalf("%s: invalid JSON", r.Ref())
				}
				e, ok, err := record.Project(r, resolve)
				if err != nil {
					t.Fatalf("%s: %v", r.Ref(), err)
				}
				if !ok {
					continue
				}
				entries++
				for _, c := range e.Codes {
					if e.Title == c.Code {
						t.Errorf("%s titled with a bare code %q", r.Ref(), c.Code)
					}
				}
				if isNullWord(e.Title) || strings.HasPrefix(e.Title, "Unnamed ") || strings.HasPrefix(e.Title, "Untitled ") {
					t.Errorf("%s has no readable title (%q)", r.Ref(), e.Title)
				}
				if strings.Contains(e.Title, "<") && strings.Contains(e.Title, ">") {
					t.Errorf("%s title looks like markup: %q", r.Ref(), e.Title)
				}
			}
			if entries == 0 && !fragment {
				t.Error("no entries")
			}
			if fragment && len(b.Report.Warnings) == 0 {
				t.Error("a lone section is read without a warning")
			}
			// References resolve within the batch.
			for _, r := range g.Resources {
				for _, ref := range references(r.JSON) {
					if _, ok := resolve(ref); !ok {
						t.Errorf("%s refers to %s, which is not in the batch", r.Ref(), ref)
					}
				}
			}
		})
	}
}

// references returns the relative references ("Type/id") in a resource.
func references(data []byte) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["reference"].(string); ok && !strings.HasPrefix(s, "#") {
				out = append(out, s)
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	var v any
	if json.Unmarshal(data, &v) == nil {
		walk(v)
	}
	return out
}

// entryPaths walks a document with encoding/xml alone, independently of
// the reader, and returns the XPath-like path of every entry of every
// section (nested sections included), positions written where a parent has
// several children of the same name.
func entryPaths(t testing.TB, data []byte) []string {
	t.Helper()
	type el struct {
		name   string
		parent *el
		pos    int
		counts map[string]int
	}
	var all []*el
	var cur *el
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := &el{name: x.Name.Local, parent: cur, counts: map[string]int{}}
			if cur != nil {
				cur.counts[e.name]++
				e.pos = cur.counts[e.name]
			}
			all = append(all, e)
			cur = e
		case xml.EndElement:
			cur = cur.parent
		}
	}
	path := func(e *el) string {
		var parts []string
		for m := e; m != nil; m = m.parent {
			p := m.name
			if m.parent != nil && m.parent.counts[m.name] > 1 {
				p += "[" + strconv.Itoa(m.pos) + "]"
			}
			parts = append(parts, p)
		}
		slices.Reverse(parts)
		return "/" + strings.Join(parts, "/")
	}
	var out []string
	for _, e := range all {
		if e.name == "entry" && e.parent != nil && e.parent.name == "section" {
			out = append(out, path(e))
		}
	}
	return out
}

// storedPaths returns the entry paths the batch's resources carry.
func storedPaths(t testing.TB, b *record.Batch) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, g := range b.Patients {
		for _, r := range g.Resources {
			var v struct {
				Extension []struct {
					URL         string `json:"url"`
					ValueString string `json:"valueString"`
				} `json:"extension"`
			}
			if err := json.Unmarshal(r.JSON, &v); err != nil {
				t.Fatal(err)
			}
			for _, x := range v.Extension {
				if x.URL == EntryPathExtension && !record.IsSupporting(r.Type) {
					out[x.ValueString]++
				}
			}
		}
	}
	return out
}

// TestRead_Accounting checks, for every document, that each entry of each
// section is either stored or skipped with a reason, and nothing else.
func TestRead_Accounting(t *testing.T) {
	totals := map[string]int{}
	for _, f := range corpusFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := entryPaths(t, data)
		b := readFile(t, f)
		stored := storedPaths(t, b)
		skipped := map[string]string{}
		for _, s := range b.Report.Skipped {
			if s.Reason == "" {
				t.Errorf("%s: %s skipped without a reason", f, s.Path)
			}
			skipped[s.Path] = s.Reason
		}
		nStored, nSkipped := 0, 0
		for _, p := range want {
			_, isStored := stored[p]
			_, isSkipped := skipped[p]
			switch {
			case isStored && isSkipped:
				t.Errorf("%s: %s both stored and skipped", f, p)
			case isStored:
				nStored++
			case isSkipped:
				nSkipped++
			default:
				t.Errorf("%s: %s neither stored nor skipped", f, p)
			}
		}
		for p := range stored {
			if !slices.Contains(want, p) {
				t.Errorf("%s: a resource names %s, which is no section entry", f, p)
			}
		}
		for p := range skipped {
			if !slices.Contains(want, p) {
				t.Errorf("%s: skipped %s, which is no section entry", f, p)
			}
		}
		t.Logf("%-80s entries %3d  stored %3d  skipped %2d", strings.TrimPrefix(f, "testdata/corpus/"), len(want), nStored, nSkipped)
		totals["entries"] += len(want)
		totals["stored"] += nStored
		totals["skipped"] += nSkipped
	}
	t.Logf("all documents: entries %d, stored %d, skipped %d", totals["entries"], totals["stored"], totals["skipped"])
}

// TestRead_Deterministic reads each document twice: same batch, byte for byte.
func TestRead_Deterministic(t *testing.T) {
	for _, f := range corpusFiles(t) {
		a, b := readFile(t, f), readFile(t, f)
		ja, _ := json.Marshal(a.Patients)
		jb, _ := json.Marshal(b.Patients)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s: two reads differ", f)
		}
		ra, _ := json.Marshal(a.Report)
		rb, _ := json.Marshal(b.Report)
		if !bytes.Equal(ra, rb) {
			t.Errorf("%s: two reports differ", f)
		}
	}
}

// TestRead_Registry reads odd file names (.ccd, .txt, .XML) through a
// registry, which picks the reader by content.
func TestRead_Registry(t *testing.T) {
	reg := importers.NewRegistry(new(Reader))
	for _, f := range []string{
		"testdata/corpus/c32-ccd/kareo/Kareo_CCD_export_Joey_Miller.ccd",
		"testdata/corpus/ccda/nextgen/CCDA_Sample_NextGen_JonesIsabella.txt",
		"testdata/corpus/ccda/hl7-c-cda-examples/CCD_1.XML",
		"testdata/corpus/ccda/greenway/26562_ExportSummary_CCDA.xml", // BOM, CRLF
	} {
		b, err := reg.ReadPath(context.Background(), f, importers.DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if b.Source.File != filepath.Base(f) || len(b.Patients[0].Resources) == 0 {
			t.Errorf("%s: file %q, %d resources", f, b.Source.File, len(b.Patients[0].Resources))
		}
	}
}

func TestRead_Header(t *testing.T) {
	b := readFile(t, "testdata/corpus/ccda/hl7-c-cda-examples/CCD_1.XML")
	p := b.Patients[0].Person
	if p.Family != "Betterhalf" || !slices.Equal(p.Given, []string{"Eve"}) || p.BirthDate.String() != "1975-05-01" || p.Sex != "female" {
		t.Errorf("person %+v", p)
	}
	if b.Source.Author != "Good Health HIE" && b.Source.Author != "Community Health and Hospitals" {
		t.Errorf("author %q", b.Source.Author)
	}
	if b.Source.DocumentDate.String() != "2013-08-15T10:30:00-08:00" || b.Source.Title != "Patient Chart Summary" {
		t.Errorf("date %v title %q", b.Source.DocumentDate, b.Source.Title)
	}
	if b.Report.Version != "R2.0" {
		t.Errorf("version %q", b.Report.Version)
	}
	pat, err := record.Decode[record.Patient](*b.Patients[0].Patient)
	if err != nil {
		t.Fatal(err)
	}
	if len(pat.Address) == 0 || pat.Address[0].City != "Beaverton" || len(pat.Telecom) == 0 || len(pat.Contact) == 0 {
		t.Errorf("patient address/telecom/guardian not read: %s", b.Patients[0].Patient.JSON)
	}
	// The VA C32 names the author organization only on its custodian.
	va := readFile(t, "testdata/corpus/c32-ccd/va-c32/VA_CCD_Sample_File_Version_12_5_1.xml")
	if va.Source.Author != "Department of Veterans Affairs" || va.Report.Version != "HITSP C32" {
		t.Errorf("VA author %q version %q", va.Source.Author, va.Report.Version)
	}
}

func TestRead_ErrorsNameTheFile(t *testing.T) {
	_, err := new(Reader).Read(context.Background(), importers.BytesInput("visit.xml", []byte(`<Bundle xmlns="http://hl7.org/fhir"/>`)), nil)
	var ie *importers.Error
	if !errors.As(err, &ie) || ie.File != "visit.xml" || !errors.Is(err, importers.ErrMalformed) {
		t.Fatalf("error %v", err)
	}
}
