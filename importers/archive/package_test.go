package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers/archive/archivetest"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

var xdmCorpus = []struct {
	file    string
	golden  string
	doc     string // the document inside
	ignored []string
}{
	{"xdm/direct-project/xd-common_samplexdm.zip", "xdm_xd-common", "samplexdm/IHE_XDM/SUBSET01/Document01.xml",
		[]string{"samplexdm/IHE_XDM/SUBSET01/CCD.xsl", "samplexdm/IHE_XDM/SUBSET01/METADATA.xml", "samplexdm/INDEX.htm", "samplexdm/README.txt"}},
	{"xdm/direct-project/xdmail_samplexdm_backslash_paths.zip", "xdm_xdmail_backslash", "SUBSET01/DOCUMENT.xml",
		[]string{"INDEX.htm", "README.txt", "SUBSET01/CCD.xsl", "SUBSET01/METADATA.xml"}},
	{"xdm/direct-project/xd_2010_xdm_backslash_paths.zip", "xdm_xd_2010_backslash", "SUBSET01/DOCUMENT.xml",
		[]string{"INDEX.htm", "README.txt", "SUBSET01/CCD.xsl", "SUBSET01/METADATA.xml"}},
}

// zipEntries returns every file entry of a zip, by its path made
// slash-separated, with its content (for comparing with what was read).
func zipEntries(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		out[strings.ReplaceAll(f.Name, `\`, "/")] = buf.Bytes()
	}
	return out
}

// accountedFor checks that every file of the package is exactly one of: a
// part (whose Original is the file's bytes), skipped or ignored.
func accountedFor(t *testing.T, b *record.Batch, files map[string][]byte) {
	t.Helper()
	seen := map[string]string{}
	note := func(p, as string) {
		if prev, dup := seen[p]; dup {
			t.Errorf("%s is both %s and %s", p, prev, as)
		}
		seen[p] = as
	}
	for _, p := range b.Parts {
		note(p.Source.File, "a part")
		if want, ok := files[p.Source.File]; ok && !bytes.Equal(p.Original, want) {
			t.Errorf("part %s: Original is not the file's bytes", p.Source.File)
		}
	}
	for _, s := range b.Report.Skipped {
		note(s.Path, "skipped")
	}
	for _, s := range b.Report.Ignored {
		note(s.Path, "ignored")
	}
	for f := range files {
		if seen[f] == "" {
			t.Errorf("%s is not accounted for", f)
		}
	}
	if len(seen) != len(files) {
		t.Errorf("%d files accounted for, the package has %d", len(seen), len(files))
	}
}

// sameAsAlone checks that a part holds exactly what reading its document
// on its own gives: the same people, resources and report.
func sameAsAlone(t *testing.T, part *record.Batch) {
	t.Helper()
	alone, err := registry().Read(context.Background(), importers.BytesInput(part.Source.File, part.Original), importers.DefaultLimits())
	if err != nil {
		t.Fatalf("reading %s alone: %v", part.Source.File, err)
	}
	if len(alone.Patients) != len(part.Patients) {
		t.Fatalf("%s: %d patient groups alone, %d in the package", part.Source.File, len(alone.Patients), len(part.Patients))
	}
	for i := range alone.Patients {
		a, p := alone.Patients[i], part.Patients[i]
		if len(a.Resources) != len(p.Resources) {
			t.Errorf("%s: %d resources alone, %d in the package", part.Source.File, len(a.Resources), len(p.Resources))
			continue
		}
		for j := range a.Resources {
			if !a.Resources[j].Equivalent(p.Resources[j]) {
				t.Errorf("%s: resource %d differs from reading the document alone", part.Source.File, j)
			}
		}
	}
	if !slices.Equal(alone.Report.Skipped, part.Report.Skipped) {
		t.Errorf("%s: skipped %v alone, %v in the package", part.Source.File, alone.Report.Skipped, part.Report.Skipped)
	}
}

func TestXDM_Corpus(t *testing.T) {
	for _, tt := range xdmCorpus {
		t.Run(path.Base(tt.file), func(t *testing.T) {
			data := corpusFile(t, tt.file)
			b, err := registry().Read(context.Background(), importers.BytesInput(path.Base(tt.file), data), importers.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if b.Source.Format != FormatXDM || b.Report.Format != FormatXDM {
				t.Errorf("format %q, want xdm", b.Source.Format)
			}
			if !bytes.Equal(b.Original, data) || b.Source.SHA256 != importers.HashBytes(data) {
				t.Error("the package's original bytes or hash are not kept")
			}
			// The submission set's metadata describes the package.
			if b.Source.Title != "Physical" || b.Source.Author != "Cleveland Clinic" || b.Source.DocumentDate.String() != "2004-12-25T23:50:50Z" {
				t.Errorf("package source = %q by %q on %s; want Physical by Cleveland Clinic on 2004-12-25", b.Source.Title, b.Source.Author, b.Source.DocumentDate)
			}
			if len(b.Parts) != 1 || b.Parts[0].Source.File != tt.doc {
				t.Fatalf("parts = %d; want %s", len(b.Parts), tt.doc)
			}
			part := b.Parts[0]
			if part.Patients[0].Person.Name != "John Doe" || part.Patients[0].Person.BirthDate.String() != "1956-05-27" {
				t.Errorf("patient = %+v", part.Patients[0].Person)
			}
			var ignored []string
			for _, ig := range b.Report.Ignored {
				ignored = append(ignored, ig.Path)
			}
			if !slices.Equal(ignored, tt.ignored) {
				t.Errorf("ignored = %v\nwant %v", ignored, tt.ignored)
			}
			if len(b.Report.Skipped) != 0 || len(b.Report.Warnings) != 0 {
				t.Errorf("skipped %v, warnings %v; want none", b.Report.Skipped, b.Report.Warnings)
			}
			if len(b.Report.Parts) != 1 || b.Report.Parts[0].File != tt.doc || b.Report.Parts[0].Format == "" {
				t.Errorf("report parts = %+v", b.Report.Parts)
			}
			accountedFor(t, b, zipEntries(t, data))
			sameAsAlone(t, part)
			checkGolden(t, tt.golden, b)
		})
	}
}

// metadataXML writes a METADATA.XML describing one document, the way the
// ebXML registry schema has it (ITI TF-3 §4.2).
func metadataXML(id, uri, title, author, created, hash string, size int) []byte {
	slot := func(name, value string) string {
		if value == "" {
			return ""
		}
		return `<Slot name="` + name + `"><ValueList><Value>` + value + `</Value></ValueList></Slot>`
	}
	sizeText := ""
	if size > 0 {
		sizeText = slot("size", itoaTest(size))
	}
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
<RegistryObjectList>
<ExtrinsicObject id="` + id + `" mimeType="text/xml">` + slot("creationTime", created) + slot("hash", hash) + sizeText + slot("URI", uri) + `
<Name><LocalizedString value="` + title + `"/></Name>
<Classification classificationScheme="urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d" classifiedObject="` + id + `" id="c1">` +
		slot("authorInstitution", author+"^^^^^^^^^1.2.3.4") + `</Classification>
</ExtrinsicObject>
</RegistryObjectList>
</lcm:SubmitObjectsRequest>
`)
}

func itoaTest(n int) string { b, _ := json.Marshal(n); return string(b) }

func sha1Hex(b []byte) string {
	s := sha1.Sum(b)
	return hex.EncodeToString(s[:])
}

func TestXDM_Metadata(t *testing.T) {
	doc := zipEntries(t, corpusFile(t, xdmCorpus[0].file))[xdmCorpus[0].doc]
	// XDM may carry any document; a FHIR bundle has no title, author or
	// date of its own, so the metadata's show.
	untitled := corpusFile(t, "fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json")
	tests := []struct {
		name     string
		parts    []zipPart
		title    string
		warnings []string
	}{
		{"URI slot, mixed case, no IHE_XDM folder",
			[]zipPart{{name: "subset01/metadata.XML", data: metadataXML("d1", "DOC0001.XML", "Visit summary", "Mercy Clinic", "20230405", sha1Hex(untitled), len(untitled))},
				{name: "subset01/DOC0001.XML", data: untitled}},
			"Visit summary", nil},
		{"id matches the file name",
			[]zipPart{{name: "IHE_XDM/SUBSET01/METADATA.XML", data: metadataXML("DOC0001", "", "Visit summary", "Mercy Clinic", "20230405", "", 0)},
				{name: "IHE_XDM/SUBSET01/DOC0001.XML", data: untitled},
				{name: "IHE_XDM/SUBSET01/DOC0002.XML", data: untitled}},
			"Visit summary", nil},
		{"the document was changed",
			[]zipPart{{name: "IHE_XDM/SUBSET01/METADATA.XML", data: metadataXML("d1", "DOC0001.XML", "Visit summary", "Mercy Clinic", "20230405", sha1Hex(doc), len(untitled))},
				{name: "IHE_XDM/SUBSET01/DOC0001.XML", data: untitled}},
			"Visit summary", []string{"does not match its checksum"}},
		{"a listed document is missing",
			[]zipPart{{name: "IHE_XDM/SUBSET01/METADATA.XML", data: metadataXML("d1", "DOC0009.XML", "Visit summary", "Mercy Clinic", "20230405", "", 0)},
				{name: "IHE_XDM/SUBSET01/DOC0001.XML", data: untitled}, {name: "IHE_XDM/SUBSET01/DOC0002.XML", data: untitled}},
			"", []string{"lists a document (DOC0009.XML) that is not in the package"}},
		{"the document's own title wins",
			[]zipPart{{name: "IHE_XDM/SUBSET01/METADATA.XML", data: metadataXML("d1", "DOC0001.XML", "Visit summary", "Mercy Clinic", "20230405", "", 0)},
				{name: "IHE_XDM/SUBSET01/DOC0001.XML", data: doc}},
			"Good Health Clinic Continuity of Care Document", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := registry().Read(context.Background(), importers.BytesInput("download.zip", buildZip(t, tt.parts...)), importers.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if b.Source.Format != FormatXDM {
				t.Errorf("format %s, want xdm", b.Source.Format)
			}
			var warnings []string
			warnings = append(warnings, b.Report.Warnings...)
			for _, p := range b.Parts {
				warnings = append(warnings, p.Report.Warnings...)
			}
			first := b.Parts[0]
			if tt.title != "" && first.Source.Title != tt.title {
				t.Errorf("title = %q, want %q", first.Source.Title, tt.title)
			}
			if tt.title == "Visit summary" && (first.Source.DocumentDate.String() != "2023-04-05" || first.Source.Author != "Mercy Clinic") {
				t.Errorf("date = %s, author = %q; want 2023-04-05 by Mercy Clinic from the metadata", first.Source.DocumentDate, first.Source.Author)
			}
			for _, w := range tt.warnings {
				if !slices.ContainsFunc(warnings, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("warnings = %v; want one saying %q", warnings, w)
				}
			}
			if tt.warnings == nil {
				for _, w := range warnings {
					if strings.Contains(w, "METADATA") || strings.Contains(w, "metadata") {
						t.Errorf("unexpected warning %q", w)
					}
				}
			}
		})
	}
}

func TestXDM_MetadataWithDoctypeRefused(t *testing.T) {
	doc := zipEntries(t, corpusFile(t, xdmCorpus[0].file))[xdmCorpus[0].doc]
	evil := []byte(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><SubmitObjectsRequest>&e;</SubmitObjectsRequest>`)
	b, err := registry().Read(context.Background(), importers.BytesInput("download.zip", buildZip(t,
		zipPart{name: "IHE_XDM/SUBSET01/METADATA.XML", data: evil},
		zipPart{name: "IHE_XDM/SUBSET01/DOC0001.XML", data: doc})), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Parts) != 1 {
		t.Fatalf("%d parts, want the document read", len(b.Parts))
	}
	if r := skipFor(b.Report, "IHE_XDM/SUBSET01/METADATA.XML"); !strings.Contains(r, "DOCTYPE") {
		t.Errorf("metadata skip reason = %q; want the DOCTYPE named", r)
	}
}

// TestZip_TwoProviders reads one zip holding C-CDAs from two providers
// (Allscripts and Practice Fusion) about the same person: one package, both
// documents read, each with its patient and its own author. Merging the two
// into one person is the vault's work.
func TestZip_TwoProviders(t *testing.T) {
	a := corpusFile(t, "ccda/allscripts/b2_Adam_Everyman_ToC.xml")
	p := corpusFile(t, "ccda/practicefusion/AdamEveryman-ReferralSummary.xml")
	data := buildZip(t,
		zipPart{name: "records/allscripts/b2_Adam_Everyman_ToC.xml", data: a},
		zipPart{name: "records/practicefusion/AdamEveryman-ReferralSummary.xml", data: p},
	)
	b, err := registry().Read(context.Background(), importers.BytesInput("my-records.zip", data), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Format != FormatZip || len(b.Parts) != 2 {
		t.Fatalf("format %s with %d parts; want zip with 2", b.Source.Format, len(b.Parts))
	}
	authors := map[string]bool{}
	for _, part := range b.Parts {
		if part.Source.Format != "ccda" {
			t.Errorf("%s read as %s", part.Source.File, part.Source.Format)
		}
		if len(part.Patients) != 1 || part.Patients[0].Patient == nil {
			t.Fatalf("%s: no patient", part.Source.File)
		}
		per := part.Patients[0].Person
		if per.Family != "Everyman" || !slices.Contains(per.Given, "Adam") || per.BirthDate.String() != "1962-10-22" || per.Sex != "male" {
			t.Errorf("%s: patient %+v; want Adam Everyman, born 1962-10-22", part.Source.File, per)
		}
		if len(part.Patients[0].Resources) == 0 {
			t.Errorf("%s: no resources", part.Source.File)
		}
		authors[part.Source.Author] = true
		sameAsAlone(t, part)
	}
	if len(authors) != 2 {
		t.Errorf("authors = %v; want the two providers told apart", authors)
	}
	accountedFor(t, b, zipEntries(t, data))
	checkGolden(t, "zip_two_providers", b)
}

// TestFolder_Mixed reads a folder an export tool left: C-CDA and FHIR
// files from several sources, a read-me, a photo.
func TestFolder_Mixed(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"clinic-a/b2_Adam_Everyman_ToC.xml":         corpusFile(t, "ccda/allscripts/b2_Adam_Everyman_ToC.xml"),
		"clinic-b/Alberto_Atencio.json":             corpusFile(t, "fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"),
		"clinic-c/patient-1032702.fhir-bundle.json": corpusFile(t, "fhir-dstu2/smart-sample-patients/patient-1032702.fhir-bundle.json"),
		"README.txt":        []byte("Exported by a tool"),
		"clinic-a/scan.jpg": {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'},
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := registry().ReadPath(context.Background(), dir, importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Format != FormatFolder || len(b.Parts) != 3 {
		t.Fatalf("format %s with %d parts; want folder with 3", b.Source.Format, len(b.Parts))
	}
	formats := map[string]string{}
	for _, p := range b.Parts {
		formats[p.Source.File] = string(p.Source.Format)
		sameAsAlone(t, p)
	}
	if formats["clinic-a/b2_Adam_Everyman_ToC.xml"] != "ccda" || formats["clinic-b/Alberto_Atencio.json"] != "fhir-r4" ||
		formats["clinic-c/patient-1032702.fhir-bundle.json"] != "fhir-dstu2" {
		t.Errorf("formats = %v", formats)
	}
	if r := skipFor(b.Report, "clinic-a/scan.jpg"); !strings.Contains(r, "not a format Kinfolio can import") {
		t.Errorf("scan.jpg: %q", r)
	}
	accountedFor(t, b, files)
	if b.Source.SHA256 == "" {
		t.Error("the folder has no content hash")
	}
}

// TestFolder_NDJSONGoesToFHIR checks the coordination of Sniff ratings: a
// folder of NDJSON files is one FHIR bulk export, read by the FHIR reader.
func TestFolder_NDJSONGoesToFHIR(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"AllergyIntolerance.000.ndjson", "Patient.000.ndjson", "Immunization.000.ndjson"} {
		os.WriteFile(filepath.Join(dir, n), corpusFile(t, "fhir-r4-ndjson/smart-bulk-synthea-10/"+n), 0o644)
	}
	in, err := importers.PathInput(dir)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := registry().Detect(in)
	if err != nil || imp.Name() != "fhir" {
		t.Errorf("an NDJSON folder goes to %v (%v), want fhir", imp, err)
	}
	// With a file that is not NDJSON beside them, it is a package of documents.
	os.WriteFile(filepath.Join(dir, "notes.xml"), corpusFile(t, "ccda/allscripts/b2_Adam_Everyman_ToC.xml"), 0o644)
	if imp, _ := registry().Detect(in); imp == nil || imp.Name() != "archive" {
		t.Errorf("a mixed folder goes to %v, want archive", imp)
	}
}

// TestApple_ClinicalRecords reads an export.zip whose clinical-records
// folder holds FHIR resources from a health provider, as the Health app
// stores them: one resource per file.
func TestApple_ClinicalRecords(t *testing.T) {
	var bundle struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(corpusFile(t, "fhir-dstu2/smart-sample-patients/patient-1032702.fhir-bundle.json"), &bundle); err != nil {
		t.Fatal(err)
	}
	clinical := map[string][]byte{}
	for _, e := range bundle.Entry {
		var head struct{ ResourceType, ID string }
		json.Unmarshal(e.Resource, &head)
		if head.ResourceType == "Condition" || head.ResourceType == "MedicationOrder" {
			clinical[head.ResourceType+"-"+head.ID+".json"] = e.Resource
		}
	}
	if len(clinical) < 2 {
		t.Fatalf("only %d clinical records found in the corpus bundle", len(clinical))
	}
	data := appleZip(t, clinical)
	b, err := registry().Read(context.Background(), importers.BytesInput("export.zip", data), importers.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Format != FormatAppleHealth {
		t.Errorf("format %s", b.Source.Format)
	}
	var fhirParts int
	for _, p := range b.Parts {
		if strings.Contains(p.Source.File, "/clinical-records/") {
			fhirParts++
			if p.Source.Format != "fhir-dstu2" || len(p.Patients) == 0 || len(p.Patients[0].Resources) == 0 {
				t.Errorf("%s: format %s, %d groups", p.Source.File, p.Source.Format, len(p.Patients))
			}
		}
	}
	if fhirParts != len(clinical) {
		t.Errorf("%d clinical records read, want %d (skipped: %v)", fhirParts, len(clinical), b.Report.Skipped)
	}
	accountedFor(t, b, zipEntries(t, data))
}

// TestZip_LargeOnDisk reads an export.zip from disk the way a multi-
// gigabyte one is read: in place, not into memory, with the zip (the
// original) streamed again on demand and its large export.xml not kept a
// second time. The size threshold is lowered so a 48 MB
// export.xml takes that path.
func TestZip_LargeOnDisk(t *testing.T) {
	defer func(old int64) { inMemory = old }(inMemory)
	inMemory = 1 << 20
	file := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	gen := archivetest.NewAppleExport(48 << 20)
	days := gen.Days()
	ew, _ := w.Create("apple_health_export/export.xml")
	if _, err := io.Copy(ew, gen); err != nil {
		t.Fatal(err)
	}
	// incompressible padding so the zip itself is over the threshold
	pad := make([]byte, 2<<20)
	rand.NewChaCha8([32]byte{7}).Read(pad)
	pw, _ := w.CreateHeader(&zip.FileHeader{Name: "apple_health_export/electrocardiograms/ecg_2020-01-01.csv", Method: zip.Store})
	pw.Write(pad)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var b *record.Batch
	peak := memPeak(func() { b, err = registry().ReadPath(context.Background(), file, importers.DefaultLimits()) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("heap peak %d MB", peak>>20)
	if b.Original != nil || b.OpenOriginal == nil || len(b.Parts) != 1 {
		t.Fatalf("package: original %d bytes, streamed %v, %d parts", len(b.Original), b.OpenOriginal != nil, len(b.Parts))
	}
	part := b.Parts[0]
	checkGenerated(t, part, days)
	if part.Original != nil || part.OpenOriginal != nil {
		t.Fatal("the large export.xml is stored a second time beside the zip that holds it")
	}
	for _, tt := range []struct {
		name   string
		open   func() (io.ReadCloser, error)
		sha256 string
	}{{"package", b.OpenOriginal, b.Source.SHA256}} {
		rc, err := tt.open()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		h := sha256.New()
		io.Copy(h, rc)
		rc.Close()
		if hex.EncodeToString(h.Sum(nil)) != tt.sha256 {
			t.Errorf("%s: the streamed original does not hash to the source's SHA-256", tt.name)
		}
	}
	if r := b.Report.Ignored; len(r) != 1 || !strings.Contains(r[0].Reason, "ECG") {
		t.Errorf("ignored = %v", r)
	}
}
