package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/importers/fhir/fhirtest"
)

// BenchmarkKinImportLargeBundle measures `kin import` of a 30 MB FHIR
// bundle into a new vault (detect, check, convert, normalize, match, merge,
// seal, one bbolt transaction with fsync) against json.Unmarshal into any of
// the same bytes, in the same benchmark. Targets (issue 10): import time at
// most 2x the bare decode ("x-unmarshal"), peak heap at most 4x the file
// ("peak/size"). bench/importspeed measures the same as processes.
func BenchmarkKinImportLargeBundle(b *testing.B) {
	src, err := os.ReadFile(alberto)
	if err != nil {
		b.Fatal(err)
	}
	data, err := fhirtest.LargeBundle([][]byte{src}, 30<<20)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "portal-export.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		b.Fatal(err)
	}
	// The bundle is read from the file for each decode and let go: a copy
	// held across the import would count in the heap the garbage collector
	// lets grow (twice what is live), as nothing does in `kin import`.
	size := len(data)
	data = nil
	b.SetBytes(int64(size))
	var tImport, tDecode time.Duration
	var peak uint64
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		s, err := app.Create(filepath.Join(dir, "v"+time.Now().Format("150405.000000")+".kinfolio"), "bench", &app.Options{WorkFactor: 10})
		if err != nil {
			b.Fatal(err)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		var decoded any
		if err := json.Unmarshal(data, &decoded); err != nil {
			b.Fatal(err)
		}
		tDecode += time.Since(start)
		decoded, data = nil, nil
		b.StartTimer()

		start = time.Now()
		var res []app.FileResult
		p := fhirtest.PeakHeap(func() { res, err = s.Import(context.Background(), []string{file}, app.ImportOptions{}) })
		tImport += time.Since(start)
		peak = max(peak, p)
		if err != nil || res[0].Failed() || res[0].Report.TotalAdded() == 0 {
			b.Fatalf("import: %v %v", err, res)
		}
		b.StopTimer()
		if err := s.Lock(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	mb := float64(size) / 1e6
	b.ReportMetric(mb*float64(n)/tImport.Seconds(), "import-MB/s")
	b.ReportMetric(mb*float64(n)/tDecode.Seconds(), "unmarshal-MB/s")
	b.ReportMetric(tImport.Seconds()/tDecode.Seconds(), "x-unmarshal")
	b.ReportMetric(float64(peak)/float64(size), "peak/size")
	b.ReportMetric(mb, "file-MB")
}
