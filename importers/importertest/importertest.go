// Package importertest is the conformance suite of Kinfolio's readers, as
// restic has one for its backends: [Run] holds one [importers.Importer] to
// the contract of importers/registry.go over a corpus of the files it reads.
// It is test support; nothing in the app uses it.
//
// # What is checked
//
//   - Detection: the reader claims each of its corpus files (Sniff above
//     zero) from the head alone, never opening the file, and the registry
//     picks it for them.
//   - Output: every resource is typed (its Type is the JSON's resourceType),
//     has an id (the JSON's id), is unique by type and id within its batch,
//     and passes [importers.CheckJSON]; every batch names its file and
//     format, and the registry's batch has its content hash.
//   - Determinism: reading the same input twice gives the same batch.
//   - Errors: a damaged input (cut short, or garbage in the middle) either
//     reads or fails with an [*importers.Error] whose File is the input's
//     name, wrapping one of the package's sentinels, and no batch.
//   - Cancellation: a context already cancelled, or cancelled while the
//     reader works, ends the read with an error wrapping [context.Canceled]
//     and no batch, or lets it finish with the same batch as ever.
package importertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// Suite is one reader and what to hold it to.
type Suite struct {
	// Reader is the reader under test.
	Reader importers.Importer
	// Registry is what the reader is registered in (it reads documents
	// inside documents through it, and must detect the corpus as the
	// Reader's).
	Registry *importers.Registry
	// Corpus are the files and folders the reader reads.
	Corpus []string
	// Limits are the limits to read with; the zero value means
	// [importers.DefaultLimits].
	Limits importers.Limits
}

// Corpus lists what under dir (recursively) the registry hands to the
// reader: files, and folders the reader claims as one input by content (a
// bulk export's folder, rated above the "any folder" of a package reader),
// whose files are then not listed on their own. README.md and MANIFEST.tsv
// are left out.
func Corpus(t testing.TB, reg *importers.Registry, r importers.Importer, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		switch d.Name() {
		case "README.md", "MANIFEST.tsv":
			return nil
		}
		in, err := importers.PathInput(p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if r.Sniff(in, nil) > 1 {
				out = append(out, p)
				return fs.SkipDir
			}
			return nil
		}
		if got, err := reg.Detect(in); err == nil && got.Name() == r.Name() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// Run runs the suite: one subtest per corpus input.
func (s *Suite) Run(t *testing.T) {
	if len(s.Corpus) == 0 {
		t.Fatal("no corpus")
	}
	lim := s.Limits
	if lim == (importers.Limits{}) {
		lim = importers.DefaultLimits()
	}
	for _, p := range s.Corpus {
		t.Run(filepath.ToSlash(p), func(t *testing.T) {
			in, err := importers.PathInput(p)
			if err != nil {
				t.Fatal(err)
			}
			s.detection(t, in)
			env := &importers.Env{Limits: lim, Registry: s.Registry}
			first := s.read(t, context.Background(), in, env)
			if first == nil {
				return
			}
			checkBatch(t, first, lim, true)
			if again := s.read(t, context.Background(), in, env); again != nil && !sameBatch(t, first, again) {
				t.Error("reading the same input twice gave different batches")
			}
			if s.Registry != nil {
				b, err := s.Registry.Read(context.Background(), in, lim)
				if err != nil {
					t.Fatalf("through the registry: %v", err)
				}
				if b.Source.SHA256 == "" || b.Source.Size <= 0 {
					t.Errorf("the registry's batch has no content hash (%q, %d bytes)", b.Source.SHA256, b.Source.Size)
				}
			}
			s.cancellation(t, in, env, first)
			if !in.IsDir() {
				s.damage(t, p, env)
			}
		})
	}
}

// detection: the reader claims the input from its head alone.
func (s *Suite) detection(t *testing.T, in *importers.Input) {
	t.Helper()
	var head []byte
	probe := *in
	if !in.IsDir() {
		h, err := in.Head()
		if err != nil {
			t.Fatal(err)
		}
		head = h
		probe.Open = func() (io.ReadCloser, error) {
			t.Errorf("Sniff opened the file; it must rate the head it is given")
			return nil, errors.New("not to be opened")
		}
	}
	if s.Reader.Sniff(&probe, head) <= 0 {
		t.Errorf("%s does not claim its own file", s.Reader.Name())
	}
	if s.Registry != nil {
		got, err := s.Registry.Detect(in)
		if err != nil {
			t.Errorf("the registry detects nothing: %v", err)
		} else if got.Name() != s.Reader.Name() {
			t.Errorf("the registry picks %s, not %s", got.Name(), s.Reader.Name())
		}
	}
}

// read reads in and checks the error contract; it returns the batch, or
// nil when the input is (rightly) refused.
func (s *Suite) read(t *testing.T, ctx context.Context, in *importers.Input, env *importers.Env) *record.Batch {
	t.Helper()
	b, err := readWithin(t, s.Reader, ctx, in, env)
	if err != nil {
		checkError(t, in.Name, b, err)
		return nil
	}
	if b == nil {
		t.Fatal("no batch and no error")
	}
	return b
}

// maxRead is how long one read of a corpus file may take before the suite
// calls it a hang (corpus files read in well under a second).
const maxRead = time.Minute

// readWithin reads, failing the test at once if the reader hangs.
func readWithin(t *testing.T, r importers.Importer, ctx context.Context, in *importers.Input, env *importers.Env) (*record.Batch, error) {
	t.Helper()
	type result struct {
		b   *record.Batch
		err error
		p   any
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			res.p = recover()
			done <- res
		}()
		res.b, res.err = r.Read(ctx, in, env)
	}()
	select {
	case res := <-done:
		if res.p != nil {
			panic(res.p)
		}
		return res.b, res.err
	case <-time.After(maxRead):
		t.Fatalf("%s: the read did not end within %v (a hang)", in.Name, maxRead)
		return nil, nil
	}
}

// sentinels are the errors a reader's failure must wrap one of.
var sentinels = []error{importers.ErrUnknownFormat, importers.ErrTooLarge, importers.ErrTooDeep,
	importers.ErrDuplicateKey, importers.ErrDoctype, importers.ErrInvalidUTF8, importers.ErrMalformed,
	importers.ErrUnsafeArchive, importers.ErrNoPatient, context.Canceled, context.DeadlineExceeded}

func checkError(t *testing.T, name string, b *record.Batch, err error) {
	t.Helper()
	if b != nil {
		t.Errorf("an error (%v) came with a batch", err)
	}
	var ie *importers.Error
	if !errors.As(err, &ie) || ie.File != name {
		t.Errorf("the error %v is not an *importers.Error naming %q", err, name)
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Errorf("the error %v wraps none of the importers' sentinels", err)
}

// checkBatch checks the batch and its parts.
func checkBatch(t *testing.T, b *record.Batch, lim importers.Limits, top bool) {
	t.Helper()
	if b.Source.File == "" || b.Source.Format == "" || b.Report.Format == "" {
		t.Errorf("a batch without its file or format: source %q/%q, report %q", b.Source.File, b.Source.Format, b.Report.Format)
	}
	if top && b.Original == nil && b.OpenOriginal == nil && b.Source.SHA256 == "" && len(b.Parts) == 0 {
		t.Error("the batch keeps no original and no hash")
	}
	seen := map[string]bool{}
	check := func(r record.Resource) {
		var head struct {
			ResourceType string `json:"resourceType"`
			ID           string `json:"id"`
		}
		if err := json.Unmarshal(r.JSON, &head); err != nil {
			t.Errorf("%s: not JSON: %v", r.Ref(), err)
			return
		}
		switch {
		case r.Type == "" || head.ResourceType != r.Type:
			t.Errorf("a resource typed %q whose JSON says %q", r.Type, head.ResourceType)
		case r.ID == "" || head.ID != r.ID:
			t.Errorf("%s: id %q in the JSON", r.Ref(), head.ID)
		case seen[r.Ref()]:
			t.Errorf("%s twice in one batch", r.Ref())
		}
		seen[r.Ref()] = true
		if err := importers.CheckJSON(r.JSON, lim); err != nil {
			t.Errorf("%s fails CheckJSON: %v", r.Ref(), err)
		}
	}
	for _, g := range b.Patients {
		if g.Patient != nil {
			if g.Patient.Type != "Patient" {
				t.Errorf("the group's patient is a %s", g.Patient.Type)
			}
			check(*g.Patient)
		}
		// Shared resources (practitioners, organizations) are copied into
		// each patient's group: ids are unique within a group.
		groupSeen := map[string]bool{}
		for _, r := range g.Resources {
			if groupSeen[r.Ref()] {
				t.Errorf("%s twice in one patient's records", r.Ref())
			}
			groupSeen[r.Ref()] = true
			if !seen[r.Ref()] {
				check(r)
			}
		}
	}
	for _, s := range b.Report.Skipped {
		if s.Path == "" || s.Reason == "" {
			t.Errorf("a skipped item without its place or reason: %+v", s)
		}
	}
	for _, p := range b.Parts {
		checkBatch(t, p, lim, false)
	}
}

// sameBatch compares two batches' content (not their functions).
func sameBatch(t *testing.T, a, b *record.Batch) bool {
	t.Helper()
	return reflect.DeepEqual(snapshot(t, a), snapshot(t, b))
}

func snapshot(t *testing.T, b *record.Batch) string {
	t.Helper()
	type view struct {
		Source   record.Source
		Original []byte
		Patients []record.PatientRecords
		Report   record.Report
		Parts    []string
	}
	v := view{Source: b.Source, Original: b.Original, Patients: b.Patients, Report: b.Report}
	if b.OpenOriginal != nil {
		rc, err := b.OpenOriginal()
		if err != nil {
			t.Fatalf("OpenOriginal: %v", err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("OpenOriginal: %v", err)
		}
		v.Original = data
	}
	for _, p := range b.Parts {
		v.Parts = append(v.Parts, snapshot(t, p))
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// cancellation: a cancelled context ends the read with its error, or lets
// the reader finish with the batch it always gives.
func (s *Suite) cancellation(t *testing.T, in *importers.Input, env *importers.Env, want *record.Batch) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b, err := readWithin(t, s.Reader, ctx, in, env)
	if err == nil {
		t.Errorf("a cancelled context did not stop the read")
	} else if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled read fails with %v, not the context's error", err)
	} else {
		checkError(t, in.Name, b, err)
	}
	// Cancelled while reading: after the reader's first, second, ... look
	// at the context.
	for _, after := range []int{1, 2, 5, 50} {
		ctx := newCountdown(after)
		b, err := readWithin(t, s.Reader, ctx, in, env)
		switch {
		case err != nil && errors.Is(err, context.Canceled):
			checkError(t, in.Name, b, err)
		case err != nil:
			t.Errorf("cancelled after %d looks: %v", after, err)
		case !sameBatch(t, b, want):
			t.Errorf("cancelled after %d looks, the read went on and gave another batch", after)
		}
		if !ctx.tripped() {
			break // the reader looked fewer times: later counts change nothing
		}
	}
}

// countdown is a context that is cancelled once its Err has been asked a
// number of times, as if the user pressed Cancel while the reader worked.
type countdown struct {
	context.Context
	mu    sync.Mutex
	left  int
	done  chan struct{}
	fired bool
}

func newCountdown(n int) *countdown {
	return &countdown{Context: context.Background(), left: n, done: make(chan struct{})}
}

func (c *countdown) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fired {
		return context.Canceled
	}
	c.left--
	if c.left < 0 {
		c.fired = true
		close(c.done)
		return context.Canceled
	}
	return nil
}

func (c *countdown) Done() <-chan struct{} { return c.done }

func (c *countdown) Deadline() (time.Time, bool) { return time.Time{}, false }

func (c *countdown) Value(any) any { return nil }

func (c *countdown) tripped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fired
}

// damage reads the file cut short and with garbage in its middle: each
// reads or fails by the error contract, never panics.
func (s *Suite) damage(t *testing.T, path string, env *importers.Env) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 16 {
		return
	}
	name := filepath.Base(path)
	garbled := bytes.Clone(data)
	copy(garbled[len(garbled)/2:], "\x00}]>\xff<\"{")
	for what, d := range map[string][]byte{
		"cut short":             data[:len(data)/2],
		"garbage in the middle": garbled,
	} {
		t.Run(what, func(t *testing.T) {
			in := importers.BytesInput(name, d)
			b, err := func() (b *record.Batch, err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panic: %v", r)
						t.Errorf("the reader panicked on a damaged file: %v", r)
					}
				}()
				return readWithin(t, s.Reader, context.Background(), in, env)
			}()
			if err != nil {
				if !strings.HasPrefix(err.Error(), "panic:") {
					checkError(t, name, b, err)
				}
				return
			}
			checkBatch(t, b, env.Limits, true)
		})
	}
}
