// Package fhirtest makes large FHIR inputs for benchmarks and measures
// what reading them costs. It is test support: nothing in the app uses it.
package fhirtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// LargeBundle builds a transaction Bundle of at least size bytes from the
// given Synthea-style bundles (whose ids and references are UUIDs): the
// first Patient found, and every other entry of every bundle copied over and
// over with fresh ids, so references stay right and the result reads as one
// person's long history from one portal. Every other bundle's patient
// becomes that first patient. Nothing is written to disk.
func LargeBundle(bundles [][]byte, size int) ([]byte, error) {
	var entries [][]byte
	var patient []byte
	var patientID string
	var otherPatients []string
	for i, data := range bundles {
		var b struct {
			Entry []json.RawMessage `json:"entry"`
		}
		if err := json.Unmarshal(data, &b); err != nil {
			return nil, fmt.Errorf("bundle %d: %w", i, err)
		}
		for _, e := range b.Entry {
			var head struct {
				Resource struct {
					ResourceType string `json:"resourceType"`
					ID           string `json:"id"`
				} `json:"resource"`
			}
			if err := json.Unmarshal(e, &head); err != nil {
				return nil, fmt.Errorf("bundle %d: %w", i, err)
			}
			if head.Resource.ResourceType == "Patient" {
				if patient == nil {
					patient, patientID = e, head.Resource.ID
				} else {
					otherPatients = append(otherPatients, head.Resource.ID)
				}
				continue
			}
			entries = append(entries, e)
		}
	}
	if patient == nil || len(entries) == 0 {
		return nil, fmt.Errorf("no patient or no records to copy")
	}
	var buf bytes.Buffer
	buf.Grow(size + size/8)
	buf.WriteString(`{"resourceType":"Bundle","type":"transaction","entry":[`)
	buf.Write(patient)
	for copyN := 0; buf.Len() < size; copyN++ {
		suffix := fmt.Sprintf("%04x", copyN%0xffff)
		for _, e := range entries {
			buf.WriteByte(',')
			buf.Write(uuidRE.ReplaceAllFunc(e, func(u []byte) []byte {
				s := string(u)
				if s == patientID {
					return u
				}
				for _, o := range otherPatients {
					if s == o {
						return []byte(patientID)
					}
				}
				return []byte(s[:24] + suffix + s[28:])
			}))
		}
	}
	buf.WriteString(`]}`)
	return buf.Bytes(), nil
}

// PeakHeap runs fn and returns the highest heap in use seen while it ran,
// less the heap in use before it started, sampling every 2 ms.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	if p := peak.Load(); p > base.HeapInuse {
		return p - base.HeapInuse
	}
	return 0
}
