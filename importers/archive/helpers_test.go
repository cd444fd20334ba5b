package archive

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/internal/goldentest"
	"github.com/kinfolio/kinfolio/record"
)

const corpus = "testdata/corpus"

func corpusFile(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readBytes reads data named name with the package reader alone (no
// registry: only Apple Health documents are read inside packages).
func readBytes(t testing.TB, name string, data []byte, lim importers.Limits) (*record.Batch, error) {
	t.Helper()
	return New().Read(context.Background(), importers.BytesInput(name, data), &importers.Env{Limits: lim})
}

// goldenBatch is what golden files hold of a batch: everything but the
// original bytes. Resources are written in full when full is set (Apple
// Health, which this package maps itself), else counted by type (documents
// the FHIR and C-CDA readers map, whose own goldens hold their content).
type goldenBatch struct {
	Source   record.Source   `json:"source"`
	Original int             `json:"original_bytes"`
	Streamed bool            `json:"original_streamed,omitempty"`
	Report   record.Report   `json:"report"`
	Patients []goldenPatient `json:"patients,omitempty"`
	Parts    []goldenBatch   `json:"parts,omitempty"`
}

type goldenPatient struct {
	Patient   string            `json:"patient,omitempty"`
	Person    record.Person     `json:"person"`
	Counts    map[string]int    `json:"counts,omitempty"`
	Resources []json.RawMessage `json:"resources,omitempty"`
}

func toGolden(b *record.Batch, full bool) goldenBatch {
	g := goldenBatch{Source: b.Source, Original: len(b.Original), Streamed: b.OpenOriginal != nil, Report: b.Report}
	for _, p := range b.Patients {
		gp := goldenPatient{Person: p.Person}
		if p.Patient != nil {
			gp.Patient = record.ResourceName(*p.Patient)
		}
		if full || b.Source.Format == FormatAppleHealth {
			for _, r := range p.Resources {
				gp.Resources = append(gp.Resources, r.JSON)
			}
		} else {
			gp.Counts = map[string]int{}
			for _, r := range p.Resources {
				gp.Counts[r.Type]++
			}
		}
		g.Patients = append(g.Patients, gp)
	}
	for _, p := range b.Parts {
		g.Parts = append(g.Parts, toGolden(p, full))
	}
	return g
}

// checkGolden compares the batch with testdata/<name>.golden.json, or
// rewrites it with -update.
func checkGolden(t *testing.T, name string, b *record.Batch) {
	t.Helper()
	goldentest.JSON(t, filepath.Join("testdata", name+".golden.json"), toGolden(b, false))
}

// memPeak samples the heap while fn runs and returns the largest
// HeapInuse seen, in bytes.
func memPeak(fn func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if v := ms.HeapInuse + ms.StackInuse; v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// observations returns the entries record.Project makes of a batch's
// resources, by title, failing on any projection error.
func entries(t *testing.T, b *record.Batch) []record.Entry {
	t.Helper()
	var out []record.Entry
	for _, p := range b.Patients {
		for _, r := range p.Resources {
			e, ok, err := record.Project(r, nil)
			if err != nil {
				t.Fatalf("Project %s/%s: %v", r.Type, r.ID, err)
			}
			if ok {
				out = append(out, e)
			}
		}
	}
	return out
}

func byTitle(es []record.Entry, title string) []record.Entry {
	return slices.DeleteFunc(slices.Clone(es), func(e record.Entry) bool { return e.Title != title })
}

func skipPaths(r record.Report) []string {
	var out []string
	for _, s := range r.Skipped {
		out = append(out, s.Path)
	}
	return out
}
