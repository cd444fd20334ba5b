package fhir

import (
	"bufio"
	"encoding/json"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/kinfolio/kinfolio/export"
)

// bundleHead is a Bundle's members before its entries.
type bundleHead struct {
	ResourceType string      `json:"resourceType"`
	ID           string      `json:"id"`
	Meta         *bundleMeta `json:"meta,omitempty"`
	Identifier   identifier  `json:"identifier"`
	Type         string      `json:"type"`
	Timestamp    string      `json:"timestamp"`
}

type bundleMeta struct {
	LastUpdated string   `json:"lastUpdated,omitempty"`
	Profile     []string `json:"profile,omitempty"`
}

type identifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

// bundleWriter writes a Bundle one entry per line.
type bundleWriter struct {
	w       *bufio.Writer
	entries int
	buf     []byte
	err     error
}

func newBundleWriter(w io.Writer, head bundleHead) (*bundleWriter, error) {
	bw := &bundleWriter{w: bufio.NewWriterSize(w, 256<<10)}
	js, err := marshal(head)
	if err != nil {
		return nil, err
	}
	// {"resourceType":...,"timestamp":"..." then ,"entry":[
	bw.w.Write(js[:len(js)-1])
	bw.w.WriteString(`,"entry":[`)
	return bw, nil
}

// entry writes one entry: its full URL and the resource JSON.
func (bw *bundleWriter) entry(fullURL string, resource []byte) {
	if bw.err != nil {
		return
	}
	b := bw.buf[:0]
	if bw.entries > 0 {
		b = append(b, ',')
	}
	b = append(b, "\n"+`{"fullUrl":`...)
	b = appendString(b, fullURL)
	b = append(b, `,"resource":`...)
	b = append(b, resource...)
	b = append(b, '}')
	_, bw.err = bw.w.Write(b)
	bw.buf = b
	bw.entries++
}

func (bw *bundleWriter) close() error {
	if bw.err != nil {
		return bw.err
	}
	bw.w.WriteString("\n]}\n")
	return bw.w.Flush()
}

// editBatch is how many resources one goroutine edits at a time.
const editBatch = 512

// writeResources writes the entries of rps, in order. Their JSON is
// edited ([plan.editResource]) on every CPU, a batch each at a time (the
// calling goroutine doing one), then written in order: the output, and
// the error when a resource is not well-formed (the first in order), are
// those of editing them one after another.
func (p *plan) writeResources(bw *bundleWriter, rps []*resPlan) error {
	workers := min(runtime.GOMAXPROCS(0), (len(rps)+editBatch-1)/editBatch)
	bufs := make([][]byte, workers)
	ends := make([][]int, workers)
	errs := make([]error, workers)
	edit := func(w, lo, hi int) {
		buf, end := bufs[w][:0], ends[w][:0]
		for _, rp := range rps[lo:hi] {
			var err error
			if buf, err = p.editResource(buf, rp, false); err != nil {
				errs[w] = err
				break
			}
			end = append(end, len(buf))
		}
		bufs[w], ends[w] = buf, end
	}
	for start := 0; start < len(rps); start += editBatch * workers {
		var wg sync.WaitGroup
		for w := 1; w < workers; w++ {
			if lo := start + w*editBatch; lo < len(rps) {
				wg.Go(func() { edit(w, lo, min(lo+editBatch, len(rps))) })
			}
		}
		edit(0, start, min(start+editBatch, len(rps)))
		wg.Wait()
		for w := range workers {
			lo := start + w*editBatch
			if lo >= len(rps) {
				break
			}
			prev := 0
			for j, end := range ends[w] {
				bw.entry(rps[lo+j].url, bufs[w][prev:end])
				prev = end
			}
			if errs[w] != nil {
				return errs[w]
			}
		}
	}
	return nil
}

// now is the Input's time of export, or the current time when it is unset.
func now(in *export.Input) time.Time {
	if in.Now.IsZero() {
		return time.Now()
	}
	return in.Now
}

// WriteBundle writes the person's whole record as a FHIR R4 collection
// Bundle: the person's Patient first, then every stored resource, source
// by source in the order they were imported, then a Provenance for each
// source. See the package documentation for what is changed on the way
// (ids, references, the sources' Patients). The output is the same, byte
// for byte, for the same Input.
//
// It returns an error wrapping [ErrNoPerson] or [ErrBadResource], or the
// error of w.
func WriteBundle(w io.Writer, in *export.Input) error {
	p, err := newPlan(in)
	if err != nil {
		return err
	}
	t := now(in)
	head := bundleHead{ResourceType: "Bundle", ID: derivedID("kinfolio-record", in.Person.ID, instant(t)),
		Meta:       &bundleMeta{LastUpdated: instant(t)},
		Identifier: identifier{System: "urn:ietf:rfc:3986", Value: urnUUID("bundle", in.Person.ID, instant(t))},
		Type:       "collection", Timestamp: instant(t)}
	bw, err := newBundleWriter(w, head)
	if err != nil {
		return err
	}
	var contained []json.RawMessage
	for _, rp := range p.patients {
		js, err := p.editResource(nil, rp, true)
		if err != nil {
			return err
		}
		contained = append(contained, js)
	}
	pt, err := p.patientJSON(contained, false)
	if err != nil {
		return err
	}
	bw.entry(p.patientURL, pt)

	if err := p.writeResources(bw, p.resources); err != nil {
		return err
	}
	for _, sp := range p.sources {
		var targets []string
		hasPatient := false
		for _, rp := range sp.resources {
			if rp.ref.Type == "Patient" {
				hasPatient = true
				continue
			}
			targets = append(targets, rp.url)
		}
		if hasPatient {
			targets = append([]string{p.patientURL}, targets...)
		}
		js, url, err := p.provenanceJSON(sp, targets, t)
		if err != nil {
			return err
		}
		if js != nil {
			bw.entry(url, js)
		}
	}
	return bw.close()
}
