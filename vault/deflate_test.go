package vault

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func inflateDict(t testing.TB, comp []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(flate.NewReaderDict(bytes.NewReader(comp), fhirDict))
	if err != nil {
		t.Fatalf("inflating: %v", err)
	}
	return out
}

// corpusValues are the resources of the vault's test corpus, as an import
// seals them, and each bundle whole (an original's chunk).
func corpusValues(t testing.TB) [][]byte {
	t.Helper()
	files, _ := filepath.Glob("testdata/corpus/*/*/*.json")
	if len(files) == 0 {
		t.Fatal("no corpus")
	}
	var out [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
		var b struct {
			Entry []struct {
				Resource json.RawMessage `json:"resource"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(data, &b); err != nil {
			t.Fatal(err)
		}
		for _, e := range b.Entry {
			var c bytes.Buffer
			json.Compact(&c, e.Resource)
			out = append(out, c.Bytes())
		}
	}
	return out
}

// Every value deflateDict makes inflates, with the dictionary, to itself;
// and it is about as small as compress/flate makes it.
func TestDeflateDict_RoundTrip(t *testing.T) {
	var ours, theirs, plain int
	values := corpusValues(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 3, 4, 5, 257, 4096, 70000} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(4)) + 'a' // repetitive, so matches of every length and distance
		}
		values = append(values, b)
		r := make([]byte, n)
		for i := range r {
			r[i] = byte(rng.Uint32()) // incompressible
		}
		values = append(values, r)
	}
	values = append(values, bytes.Repeat([]byte("x"), 100000), append(fhirDict[:len(fhirDict):len(fhirDict)], fhirDict...))
	for i, v := range values {
		comp := deflateDict(nil, v)
		if got := inflateDict(t, comp); !bytes.Equal(got, v) {
			t.Fatalf("value %d (%d bytes) does not come back", i, len(v))
		}
		var fb bytes.Buffer
		w, _ := flate.NewWriterDict(&fb, 2, fhirDict)
		w.Write(v)
		w.Close()
		ours, theirs, plain = ours+len(comp), theirs+fb.Len(), plain+len(v)
	}
	t.Logf("%d values, %d bytes: deflateDict %d, compress/flate level 2 %d", len(values), plain, ours, theirs)
	if ours > theirs*12/10 {
		t.Errorf("deflateDict makes %d bytes where compress/flate makes %d", ours, theirs)
	}
}

// Values sealed the fast way open as they always did.
func TestSeal_OpensWhatItSeals(t *testing.T) {
	s, err := newSealer(bytes.Repeat([]byte{7}, keySize), []byte("vault-id"))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range corpusValues(t) {
		k := []byte{byte(i), byte(i >> 8)}
		got, err := s.open(bucketResources, k, s.seal(bucketResources, k, v))
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("value %d: %v", i, err)
		}
	}
}

func FuzzDeflateDict(f *testing.F) {
	n := 0
	for _, v := range corpusValues(f) {
		if len(v) < 4096 && n < 8 {
			f.Add(v)
			n++
		}
	}
	f.Add([]byte(`{"resourceType":"Observation","id":"x","status":"final"}`))
	f.Fuzz(func(t *testing.T, v []byte) {
		if got := inflateDict(t, deflateDict(nil, v)); !bytes.Equal(got, v) {
			t.Fatalf("%d bytes do not come back", len(v))
		}
	})
}

func BenchmarkDeflateDict(b *testing.B) {
	values := corpusValues(b)
	var n int64
	for _, v := range values[1:] {
		n += int64(len(v))
	}
	b.Run("deflateDict", func(b *testing.B) {
		b.SetBytes(n)
		var out []byte
		for b.Loop() {
			for _, v := range values[1:] {
				out = deflateDict(out[:0], v)
			}
		}
	})
	b.Run("flate-level2", func(b *testing.B) {
		b.SetBytes(n)
		w, _ := flate.NewWriterDict(nil, 2, fhirDict)
		var buf bytes.Buffer
		for b.Loop() {
			for _, v := range values[1:] {
				buf.Reset()
				w.Reset(&buf)
				w.Write(v)
				w.Close()
			}
		}
	})
}
