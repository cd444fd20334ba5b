package fhir_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kinfolio/kinfolio/importers/internal/goldentest"
	"github.com/kinfolio/kinfolio/record"
)

// TestRead_OwnExport: Kinfolio's own export (kin export fhir of a person
// from one FHIR file and a hand-entered entry; testdata/kinfolio-export.json)
// reads back as one part per source, in the order imported, each with the
// source's file, format, title and hash, its own Patient under the id its
// records use, and the export's person to match by; the person's Patient
// and the Provenances are accounted for as read back into the parts.
func TestRead_OwnExport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "kinfolio-export.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := read(t, "kinfolio-export.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Parts) != 2 {
		t.Fatalf("%d parts, want one per source (2)", len(b.Parts))
	}
	clinic, hand := b.Parts[0], b.Parts[1]
	if clinic.Source.File != "larson-clinic-fhir.json" || clinic.Source.Format != "fhir-r4" ||
		clinic.Source.SHA256 != "bc2f1c9112b17bca051b8c693133274c68d5e348008a9bffc1553c4425c792de" {
		t.Errorf("the clinic's part: %+v", clinic.Source)
	}
	if hand.Source.File != "entered by hand" || hand.Source.Format != record.SelfReported || hand.Source.SHA256 != "" ||
		hand.Source.Title != "Vitamin D 1000 IU" {
		t.Errorf("the hand-entered part: %+v", hand.Source)
	}
	for _, part := range b.Parts {
		if len(part.Patients) != 1 || part.Patients[0].Person.Name != "Rebecca Jones Larson" ||
			!part.Patients[0].Person.BirthDate.Equal(record.MustDate("1970-05-01")) {
			t.Errorf("part %s is not about the export's person: %+v", part.Source.File, part.Patients)
		}
	}
	if p := clinic.Patients[0].Patient; p == nil || p.ID != "af9324308739cd82d7703f3549b1052a" {
		t.Errorf("the clinic's own Patient: %+v", p)
	}
	if hand.Patients[0].Patient != nil || len(hand.Patients[0].Resources) != 1 {
		t.Errorf("the hand-entered part: %+v", hand.Patients[0])
	}
	// Nothing else: no fills or statements made again, nothing left over.
	if len(b.Patients) != 0 {
		t.Errorf("the export itself holds %+v", b.Patients)
	}
	if len(b.Report.Ignored) != 3 || len(b.Report.Skipped) != 0 {
		t.Errorf("ignored %+v, skipped %+v; want the person's Patient and two Provenances", b.Report.Ignored, b.Report.Skipped)
	}
	var g struct {
		Export golden   `json:"export"`
		Parts  []golden `json:"parts"`
	}
	g.Export = normalized(t, b, 2)
	for _, part := range b.Parts {
		pg := normalized(t, part, 2)
		pg.Source.SHA256 = part.Source.SHA256
		g.Parts = append(g.Parts, pg)
	}
	goldentest.JSON(t, filepath.Join("testdata", "kinfolio-export.golden.json"), g)
}
