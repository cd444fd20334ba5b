package fhir_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/fhir"
	"github.com/kinfolio/kinfolio/importers/fhir/fhirtest"
	"github.com/kinfolio/kinfolio/record"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// largeBundle builds a ~size byte bundle from the corpus's Synthea patients
// (see [fhirtest.LargeBundle]).
func largeBundle(tb testing.TB, size int) []byte {
	tb.Helper()
	var srcs [][]byte
	for _, f := range []string{
		"fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json",
		"fhir-r4/synthea-smart-sandbox/Chauncey_Johnston_f4673866-81fb-411a-8486-0c27f2a5b480.json",
	} {
		data, err := os.ReadFile(filepath.Join(corpus, f))
		if err != nil {
			tb.Fatal(err)
		}
		srcs = append(srcs, data)
	}
	data, err := fhirtest.LargeBundle(srcs, size)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

var peakHeap = fhirtest.PeakHeap

// importAndNormalize is the work measured: read the bundle (check,
// convert, resolve, group) and project every resource to its entry with a
// resolver over the person's resources.
func importAndNormalize(tb testing.TB, data []byte) int {
	b, err := fhir.New().Read(context.Background(), importers.BytesInput("large.json", data), &importers.Env{Limits: importers.DefaultLimits()})
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, g := range b.Patients {
		byRef := make(map[string]record.Resource, len(g.Resources))
		for _, r := range g.Resources {
			byRef[r.Ref()] = r
		}
		resolve := func(ref string) (record.Resource, bool) { r, ok := byRef[ref]; return r, ok }
		for _, r := range g.Resources {
			if _, ok, err := record.Project(r, resolve); err != nil {
				tb.Fatal(err)
			} else if ok {
				n++
			}
		}
	}
	return n
}

// BenchmarkLargeBundle measures reading, converting and normalizing a
// 30 MB bundle against json.Unmarshal into any of the same bytes, in the
// same benchmark: MB/s of each, their ratio (the target is at least 0.6)
// and the peak heap of the import over the file size (target: at most 6).
func BenchmarkLargeBundle(b *testing.B) {
	data := largeBundle(b, 30<<20)
	b.SetBytes(int64(len(data)))
	var tImport, tDecode time.Duration
	var peak uint64
	for b.Loop() {
		runtime.GC() // each side starts from a clean heap
		start := time.Now()
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
		tDecode += time.Since(start)
		v = nil
		runtime.GC()
		start = time.Now()
		if p := peakHeap(func() { importAndNormalize(b, data) }); p > peak {
			peak = p
		}
		tImport += time.Since(start)
	}
	mb := float64(len(data)) / 1e6
	n := float64(b.N)
	b.ReportMetric(mb*n/tImport.Seconds(), "import-MB/s")
	b.ReportMetric(mb*n/tDecode.Seconds(), "unmarshal-MB/s")
	b.ReportMetric(tDecode.Seconds()/tImport.Seconds(), "ratio")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(peak)/float64(len(data)), "peak/size")
	b.ReportMetric(mb, "file-MB")
}

// BenchmarkNDJSON reads a generated bulk export file from disk (streamed,
// line by line) at two sizes: the peak heap less the bytes of resources
// kept (which the batch must hold) shows what the reading itself costs,
// and that it does not grow with the file.
func BenchmarkNDJSON(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(corpus, "fhir-r4-ndjson/smart-bulk-synthea-10/Condition.000.ndjson"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(src), []byte("\n"))
	for _, size := range []int{10 << 20, 30 << 20} {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "Condition.ndjson")
			var buf bytes.Buffer
			for n := 0; buf.Len() < size; n++ {
				for _, l := range lines {
					buf.Write(uuidRE.ReplaceAllFunc(l, func(u []byte) []byte {
						return []byte(fmt.Sprintf("%s%08x", u[:28], n))
					}))
					buf.WriteByte('\n')
				}
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
				b.Fatal(err)
			}
			fileSize := buf.Len()
			buf = bytes.Buffer{}
			b.SetBytes(int64(fileSize))
			// A low GC target keeps the collector's slack (normally as
			// large as the live heap) out of the measure: what remains
			// above the resources kept is the reader's own working set.
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			var peak uint64
			kept := 0
			for b.Loop() {
				p := peakHeap(func() {
					bt, err := importers.NewRegistry(fhir.New()).ReadPath(context.Background(), path, importers.DefaultLimits())
					if err != nil {
						b.Fatal(err)
					}
					kept = 0
					for _, g := range bt.Patients {
						for _, r := range g.Resources {
							kept += len(r.JSON)
						}
					}
				})
				peak = max(peak, p)
			}
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			b.ReportMetric(float64(peak)/float64(fileSize), "peak/size")
			b.ReportMetric(float64(peak-uint64(min(uint64(kept), peak)))/1e6, "peak-minus-kept-MB")
		})
	}
}
