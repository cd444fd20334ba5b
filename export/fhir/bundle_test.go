package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// manyResources is an Input of n observations (each referring to the
// person and to the one before it) from two sources, and the sources'
// Patients.
func manyResources(n int) *export.Input {
	in := &export.Input{Person: record.Profile{ID: "person-1", Name: "Zoë Ñúñez-Øster"},
		Now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	for _, s := range []string{"source-a", "source-b"} {
		in.Sources = append(in.Sources, export.Source{Source: record.Source{ID: s, File: s + ".json"}})
		in.Resources = append(in.Resources, export.Resource{Ref: record.ResourceRef{Source: s, Type: "Patient", ID: "pat"},
			Resource: record.Resource{Type: "Patient", ID: "pat", JSON: []byte(`{"resourceType":"Patient","id":"pat","name":[{"text":"Zoë"}]}`)}})
		for i := range n / 2 {
			js := fmt.Sprintf(`{"resourceType":"Observation", "id":"obs-%d","subject":{"reference":"Patient/pat"},"hasMember":[{"reference":"Observation/obs-%d"}],"valueString":"%d \u00e9"}`, i, max(0, i-1), i)
			in.Resources = append(in.Resources, export.Resource{Ref: record.ResourceRef{Source: s, Type: "Observation", ID: fmt.Sprintf("obs-%d", i)},
				Resource: record.Resource{Type: "Observation", ID: fmt.Sprintf("obs-%d", i), JSON: []byte(js)}})
		}
	}
	return in
}

// bundleOn writes in's Bundle with cpus goroutines free to run.
func bundleOn(t *testing.T, cpus int, in *export.Input) ([]byte, error) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(cpus))
	var buf bytes.Buffer
	err := WriteBundle(&buf, in)
	return buf.Bytes(), err
}

// TestWriteBundle_ManyResources: resources edited on several CPUs are
// written as editing them one after another writes them, byte for byte,
// and a resource that is not well-formed is reported as it would be then
// (the first in order), by type and id.
func TestWriteBundle_ManyResources(t *testing.T) {
	in := manyResources(5*editBatch + 77)
	one, err := bundleOn(t, 1, in)
	if err != nil {
		t.Fatal(err)
	}
	four, err := bundleOn(t, 4, in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one, four) {
		t.Fatal("the Bundle edited on four CPUs differs from the one edited on one")
	}
	var b struct {
		Entry []struct {
			FullURL  string          `json:"fullUrl"`
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(four, &b); err != nil {
		t.Fatal(err)
	}
	// the person, every observation, a Provenance per source
	if want := 1 + 5*editBatch + 76 + 2; len(b.Entry) != want {
		t.Errorf("%d entries, want %d", len(b.Entry), want)
	}
	if bytes.Contains(four, []byte(`"reference":"Observation/`)) || bytes.Contains(four, []byte(`"reference":"Patient/`)) {
		t.Error("references left as the sources wrote them")
	}
	last := b.Entry[len(b.Entry)-3]
	if !strings.Contains(string(last.Resource), `"valueString":"1317 \u00e9"`) {
		t.Errorf("last observation: %s", last.Resource)
	}

	for _, bad := range []int{3*editBatch + 5, 4*editBatch + 9} {
		in.Resources[bad].JSON = []byte(`{"resourceType":"Observation",`)
	}
	_, err1 := bundleOn(t, 1, in)
	_, err4 := bundleOn(t, 4, in)
	if !errors.Is(err4, ErrBadResource) || err1 == nil || err4.Error() != err1.Error() || !strings.Contains(err4.Error(), in.Resources[3*editBatch+5].Ref.ID) {
		t.Errorf("on four CPUs: %v; on one: %v", err4, err1)
	}
}
