package ccda

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
)

// BenchmarkRead reads and maps the largest corpus documents (the goal is at
// least 20 MB/s) and, as "all", the whole corpus one document after another.
func BenchmarkRead(b *testing.B) {
	docs := []string{
		"c32-ccd/va-c32/VA_CCD_Sample_File_Version_12_5_1.xml",
		"ccda/hl7-c-cda-examples/Transfer_Summary.xml",
		"ccda/hl7-c-cda-examples/CCD_1.XML",
		"ccda/nist-ett/CCDA_CCD_b1_Ambulatory_v2.xml",
	}
	for _, doc := range docs {
		data, err := os.ReadFile(filepath.Join("testdata/corpus", doc))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(doc), func(b *testing.B) {
			benchRead(b, [][]byte{data})
		})
	}
	var all [][]byte
	for _, f := range corpusFiles(b) {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, data)
	}
	b.Run("all", func(b *testing.B) { benchRead(b, all) })
}

func benchRead(b *testing.B, docs [][]byte) {
	var size int64
	for _, d := range docs {
		size += int64(len(d))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	r := new(Reader)
	env := &importers.Env{Limits: importers.DefaultLimits()}
	for b.Loop() {
		for _, d := range docs {
			if _, err := r.Read(context.Background(), importers.BytesInput("doc.xml", d), env); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRead_Doctype measures how long refusing a 32 MB document with a
// DOCTYPE takes: it is refused from its first bytes.
func BenchmarkRead_Doctype(b *testing.B) {
	huge := []byte("<?xml version='1.0'?><!DOCTYPE ClinicalDocument [" + strings.Repeat("<!ENTITY e 'x'>", 32<<20/15) + "]><ClinicalDocument/>")
	r := new(Reader)
	for b.Loop() {
		if _, err := r.Read(context.Background(), importers.BytesInput("bomb.xml", huge), nil); err == nil {
			b.Fatal("accepted")
		}
	}
}
