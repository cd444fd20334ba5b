package vault_test

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// largeOriginal makes a batch whose original is streamed, n megabytes of
// it, like a multi-gigabyte Apple Health export.
func largeOriginal(t *testing.T, mb int) *record.Batch {
	b := bundle(t, chauncey)
	data := b.Original
	size := int64(mb) << 20
	b.Original = nil
	b.Source.SHA256 = ""
	b.Source.Size = size
	b.OpenOriginal = func() (io.ReadCloser, error) {
		return io.NopCloser(io.LimitReader(&repeatReader{data: data}, size)), nil
	}
	return b
}

// repeatReader reads data over and over.
type repeatReader struct {
	data []byte
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.data[r.off:])
		n += c
		r.off = (r.off + c) % len(r.data)
	}
	return n, nil
}

// TestImport_ReadersDoNotWait: while an import streams and seals a large
// original, reads answer at once with the vault as it was.
func TestImport_ReadersDoNotWait(t *testing.T) {
	v := vaulttest.New(t)
	if _, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := v.Entries(vault.Query{})
	halfway := make(chan struct{})
	release := make(chan struct{})
	var stages []string
	done := make(chan error, 1)
	go func() {
		once := false
		_, err := v.Import(context.Background(), largeOriginal(t, 8), vault.ImportOptions{Progress: func(p vault.ImportProgress) {
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
			if p.Stage == vault.StageOriginal && p.Done >= 4<<20 && !once {
				once = true
				close(halfway)
				<-release
			}
		}})
		done <- err
	}()
	select {
	case <-halfway:
	case err := <-done:
		t.Fatalf("the import ended before it was half way: %v", err)
	}
	reads := map[string]func() error{
		"Entries": func() error {
			es, err := v.Entries(vault.Query{})
			if err == nil && len(es) != len(before) {
				t.Errorf("mid-import Entries: %d entries, want the %d from before", len(es), len(before))
			}
			return err
		},
		"Profiles": func() error {
			if len(mustProfiles(t, v)) != 1 {
				t.Error("mid-import Profiles: want the one person from before")
			}
			return nil
		},
		"Search":  func() error { _, err := v.Search("", "blood"); return err },
		"Sources": func() error { mustSources(t, v, ""); return nil },
		"Entry": func() error {
			_, _, err := v.Entry(before[0].ID)
			return err
		},
	}
	for name, read := range reads {
		answered := make(chan error, 1)
		go func() { answered <- read() }()
		select {
		case err := <-answered:
			if err != nil {
				t.Errorf("%s during an import: %v", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s waited for the import", name)
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.Join(stages, ",") != "original,records" {
		t.Errorf("stages %v", stages)
	}
	if ps := mustProfiles(t, v); len(ps) != 2 {
		t.Errorf("after the import: %d people, want 2", len(ps))
	}
}

// TestImport_CancelledLeavesNothing: an import cancelled half way through
// its original stores nothing, and the same file imports afterwards.
func TestImport_CancelledLeavesNothing(t *testing.T) {
	v := vaulttest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := v.Import(ctx, largeOriginal(t, 4), vault.ImportOptions{Progress: func(p vault.ImportProgress) {
		if p.Stage == vault.StageOriginal && p.Done >= 2<<20 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if len(mustProfiles(t, v)) != 0 || len(mustSources(t, v, "")) != 0 {
		t.Fatalf("a cancelled import left %d people and %d sources", len(mustProfiles(t, v)), len(mustSources(t, v, "")))
	}
	if es, _ := v.Entries(vault.Query{}); len(es) != 0 {
		t.Fatalf("a cancelled import left %d entries", len(es))
	}
	// Cancelled while merging records, too.
	ctx, cancel = context.WithCancel(context.Background())
	_, err = v.Import(ctx, bundle(t, chauncey), vault.ImportOptions{Progress: func(p vault.ImportProgress) {
		if p.Stage == vault.StageRecords {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || len(mustSources(t, v, "")) != 0 {
		t.Fatalf("cancelled while merging: %v, %d sources", err, len(mustSources(t, v, "")))
	}
	res, err := v.Import(context.Background(), largeOriginal(t, 4), vault.ImportOptions{})
	if err != nil || res.Report.AlreadyImported {
		t.Fatalf("after cancelling, the file imports anew: %v %+v", err, res)
	}
}

// TestSources_EntryCountsStayRight: the per-source entry counts, kept as
// entries come and go, agree with counting the entries, through imports
// that merge, a removal that keeps shared entries, and a reopen.
func TestSources_EntryCountsStayRight(t *testing.T) {
	v := vaulttest.New(t)
	check := func(when string) {
		t.Helper()
		es, err := v.Entries(vault.Query{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for _, e := range es {
			for _, s := range e.Sources {
				want[s]++
			}
		}
		for _, src := range mustSources(t, v, "") {
			if src.Entries != want[src.ID] {
				t.Errorf("%s: %s states %d entries, Sources says %d", when, src.File, want[src.ID], src.Entries)
			}
		}
		perPerson := map[string]int{}
		for _, e := range es {
			perPerson[e.Profile]++
		}
		for _, p := range mustProfiles(t, v) {
			if n := mustEntryCount(t, v, p.ID); n != perPerson[p.ID] {
				t.Errorf("%s: %s has %d entries, EntryCount says %d", when, p.Name, perPerson[p.ID], n)
			}
		}
		if n := mustEntryCount(t, v, ""); n != len(es) {
			t.Errorf("%s: the vault holds %d entries, EntryCount(\"\") says %d", when, len(es), n)
		}
	}
	a := bundle(t, alberto)
	if _, err := v.Import(context.Background(), a, vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// The same records again under another file name: everything merges.
	again := bundle(t, alberto)
	again.Source.File, again.Source.SHA256 = "copy.json", ""
	again.Original = append(append([]byte{}, again.Original...), ' ')
	if _, err := v.Import(context.Background(), again, vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	check("after two imports")
	srcs := mustSources(t, v, "")
	if _, err := v.RemoveSource(srcs[0].ID); err != nil {
		t.Fatal(err)
	}
	check("after a removal")
}

// TestClosed_EveryCallSaysSo: once closed (locked), the vault answers
// every call with ErrClosed, never with empty data.
func TestClosed_EveryCallSaysSo(t *testing.T) {
	v := vaulttest.New(t)
	if _, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	es, _ := v.Entries(vault.Query{})
	p := mustProfiles(t, v)[0]
	src := mustSources(t, v, "")[0]
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"Profiles":        func() error { _, err := v.Profiles(); return err },
		"Profile":         func() error { _, err := v.Profile(p.ID); return err },
		"Sources":         func() error { _, err := v.Sources(""); return err },
		"Source":          func() error { _, err := v.Source(src.ID); return err },
		"Recipients":      func() error { _, err := v.Recipients(); return err },
		"EntryCount":      func() error { _, err := v.EntryCount(p.ID); return err },
		"SourceResources": func() error { _, err := v.SourceResources(src.ID); return err },
		"Entries":         func() error { _, err := v.Entries(vault.Query{}); return err },
		"Entry":           func() error { _, _, err := v.Entry(es[0].ID); return err },
		"Search":          func() error { _, err := v.Search("", "blood"); return err },
		"Conflicts":       func() error { _, err := v.Conflicts(es[0].ID); return err },
		"Log":             func() error { _, err := v.Log(); return err },
		"Import": func() error {
			_, err := v.Import(context.Background(), bundle(t, chauncey), vault.ImportOptions{})
			return err
		},
		"AddProfile":   func() error { _, err := v.AddProfile(record.Profile{Name: "Sam"}); return err },
		"OpenOriginal": func() error { _, err := v.OpenOriginal(src.ID); return err },
		"RemoveSource": func() error { _, err := v.RemoveSource(src.ID); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, vault.ErrClosed) {
			t.Errorf("%s on a closed vault: %v, want ErrClosed", name, err)
		}
	}
}

// TestSharedEntries_StayAsTheyWere: entries handed out without copies
// are never edited by later changes (a merge that adds a source, a
// removal that takes one away), and they are what Entries gives.
func TestSharedEntries_StayAsTheyWere(t *testing.T) {
	v := vaulttest.New(t)
	if _, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	shared, err := v.SharedEntries(vault.Query{})
	if err != nil {
		t.Fatal(err)
	}
	copies, _ := v.Entries(vault.Query{})
	same := func(when string) {
		t.Helper()
		if len(shared) != len(copies) {
			t.Fatalf("%s: %d shared entries, %d copies", when, len(shared), len(copies))
		}
		for i := range shared {
			if !reflect.DeepEqual(*shared[i], copies[i]) {
				t.Fatalf("%s: shared entry %d changed:\n%+v\nwas\n%+v", when, i, *shared[i], copies[i])
			}
		}
	}
	same("as read")
	again := bundle(t, alberto)
	again.Source.File, again.Source.SHA256 = "copy.json", ""
	again.Original = append(append([]byte{}, again.Original...), ' ')
	if _, err := v.Import(context.Background(), again, vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	now, _ := v.Entries(vault.Query{})
	if len(now) == 0 || len(now[0].Sources) != 2 {
		t.Fatalf("the second import did not merge: %+v", now[0].Sources)
	}
	same("after a merge")
	if _, err := v.RemoveSource(mustSources(t, v, "")[0].ID); err != nil {
		t.Fatal(err)
	}
	same("after a removal")
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.SharedEntries(vault.Query{}); !errors.Is(err, vault.ErrClosed) {
		t.Errorf("SharedEntries on a locked vault: %v", err)
	}
}
