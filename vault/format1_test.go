package vault_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// The format-1 vault in testdata/format1 was made once, by kin, from
// corpus files (see its README). Every later version must open it and read
// it the same: this test holds what it reads against expected.json, which
// was written when the vault was made and is never rewritten. A change
// that makes this test fail breaks every vault people already have.

var writeFormat1 = flag.Bool("write-format1-expected", false, "write testdata/format1/expected.json if it does not exist (once, when the vault is made)")

// format1 is what expected.json holds.
type format1 struct {
	Profiles   []record.Profile   `json:"profiles"`
	Sources    []format1Source    `json:"sources"`
	Entries    []json.RawMessage  `json:"entries"`
	Resources  format1Resources   `json:"resources"`
	Recipients []vault.Recipient  `json:"recipients"`
	Log        []string           `json:"log"`
	Verify     vault.VerifyReport `json:"verify"`
	Conflicts  map[string]int     `json:"conflicts"` // entry id → how many entries disagree with it
	Search     map[string]int     `json:"search"`    // query → hits
}

type format1Source struct {
	ID, File, Format, SHA256 string
	Size                     int64
	Entries, Resources       int
	Profiles                 []string
	Original                 string // SHA-256 of the original read back; "" when it has none of its own
}

type format1Resources struct {
	Count  int    `json:"count"`
	SHA256 string `json:"sha256"` // of every resource's ref and JSON, sorted
}

var format1Queries = []string{"penicillin", "epilepsy", "peanuts", "weight", "8302-2"}

func readFormat1(t *testing.T, v *vault.Vault) format1 {
	t.Helper()
	var f format1
	f.Profiles = mustProfiles(t, v)
	for _, s := range mustSources(t, v, "") {
		fs := format1Source{ID: s.ID, File: s.File, Format: string(s.Format), SHA256: s.SHA256, Size: s.Size,
			Entries: s.Entries, Resources: s.Resources, Profiles: s.Profiles}
		if s.HasOriginal {
			r, err := v.OpenOriginal(s.ID)
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.New()
			if _, err := io.Copy(h, r); err != nil {
				t.Fatalf("reading the original of %s: %v", s.File, err)
			}
			fs.Original = hex.EncodeToString(h.Sum(nil))
		}
		f.Sources = append(f.Sources, fs)
	}
	slices.SortFunc(f.Sources, func(a, b format1Source) int { return strings.Compare(a.ID, b.ID) })
	es, err := v.Entries(vault.Query{})
	if err != nil {
		t.Fatal(err)
	}
	f.Conflicts = map[string]int{}
	for _, e := range es {
		js, _ := json.Marshal(e)
		f.Entries = append(f.Entries, js)
		if cs, err := v.Conflicts(e.ID); err != nil {
			t.Fatal(err)
		} else if len(cs) > 0 {
			f.Conflicts[e.ID] = len(cs)
		}
	}
	var lines []string
	err = v.ForEachResource("", func(ref record.ResourceRef, r record.Resource) error {
		lines = append(lines, ref.Source+" "+ref.Type+"/"+ref.ID+" "+string(r.JSON))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	f.Resources = format1Resources{Count: len(lines), SHA256: hex.EncodeToString(h[:])}
	f.Recipients = mustRecipients(t, v)
	log, err := v.Log()
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range log {
		f.Log = append(f.Log, string(ev.Action)+" "+ev.Time.UTC().Format("2006-01-02"))
	}
	rep, err := v.Verify()
	if err != nil {
		t.Fatalf("the format-1 vault does not verify: %v %+v", err, rep)
	}
	f.Verify = *rep
	f.Search = map[string]int{}
	for _, q := range format1Queries {
		hits, err := v.Search("", q)
		if err != nil {
			t.Fatal(err)
		}
		f.Search[q] = len(hits)
	}
	return f
}

// openFormat1 opens a copy of the format-1 vault (opening must not change
// the committed file, and a test must not lock it).
func openFormat1(t *testing.T, secret func(dir string) vault.Secret) *vault.Vault {
	t.Helper()
	data, err := os.ReadFile("testdata/format1/vault.kinfolio")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "vault.kinfolio")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := vault.Open(path, secret("testdata/format1"), nil)
	if err != nil {
		t.Fatalf("opening the format-1 vault: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func format1Passphrase(dir string) vault.Secret {
	b, _ := os.ReadFile(filepath.Join(dir, "passphrase.txt"))
	return vault.Passphrase(strings.TrimRight(string(b), "\r\n"))
}

func TestFormat1_ReadsTheSame(t *testing.T) {
	v := openFormat1(t, format1Passphrase)
	got := readFormat1(t, v)
	const expectedPath = "testdata/format1/expected.json"
	if *writeFormat1 {
		if _, err := os.Stat(expectedPath); err == nil {
			t.Fatalf("%s exists: it is never rewritten", expectedPath)
		}
		js, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(expectedPath, append(js, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(expectedPath)
	if err != nil {
		t.Fatal(err)
	}
	var want format1
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"sources", got.Sources, want.Sources},
		{"resources", got.Resources, want.Resources},
		{"recipients", got.Recipients, want.Recipients},
		{"log", got.Log, want.Log},
		{"conflicts", got.Conflicts, want.Conflicts},
		{"search hits", got.Search, want.Search},
		{"verify counts", counts(got.Verify), counts(want.Verify)},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s differ:\n got  %+v\n want %+v", c.what, c.got, c.want)
		}
	}
	// People and entries: every field the expected file names reads the
	// same (a later version may add fields).
	subset(t, "profile", toRaw(t, got.Profiles), toRaw(t, want.Profiles))
	subset(t, "entry", got.Entries, want.Entries)
}

func counts(r vault.VerifyReport) [8]int {
	return [8]int{r.Values, r.Damaged, r.Profiles, r.Sources, r.Entries, r.Resources, r.Chunks, r.AuditEvents}
}

func toRaw[T any](t *testing.T, xs []T) []json.RawMessage {
	var out []json.RawMessage
	for _, x := range xs {
		js, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, js)
	}
	return out
}

// subset checks that got has the items of want, in order, each with at
// least want's fields and those equal.
func subset(t *testing.T, what string, got, want []json.RawMessage) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d %ss, want %d", len(got), what, len(want))
		return
	}
	for i := range want {
		var g, w map[string]any
		if err := json.Unmarshal(got[i], &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(want[i], &w); err != nil {
			t.Fatal(err)
		}
		for k, wv := range w {
			if gv, ok := g[k]; !ok || !reflect.DeepEqual(gv, wv) {
				t.Errorf("%s %d (%v): %s = %v, want %v", what, i, w["id"], k, gv, wv)
			}
		}
	}
}

// TestFormat1_KeysOpenIt: the recovery key made with the vault opens it
// too, and a wrong passphrase is still told apart from damage.
func TestFormat1_KeysOpenIt(t *testing.T) {
	v := openFormat1(t, func(dir string) vault.Secret {
		b, err := os.ReadFile(filepath.Join(dir, "recovery-key.txt"))
		if err != nil {
			t.Fatal(err)
		}
		ids, err := ageIdentities(string(b))
		if err != nil {
			t.Fatal(err)
		}
		return vault.Identities(ids...)
	})
	byPass := openFormat1(t, format1Passphrase)
	a, _ := v.Entries(vault.Query{})
	b, _ := byPass.Entries(vault.Query{})
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("the recovery key reads %d entries, the passphrase %d", len(a), len(b))
	}
	data, _ := os.ReadFile("testdata/format1/vault.kinfolio")
	path := filepath.Join(t.TempDir(), "v.kinfolio")
	os.WriteFile(path, data, 0o600)
	if _, err := vault.Open(path, vault.Passphrase("not the passphrase"), nil); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	if !bytes.Equal(data, mustRead(t, "testdata/format1/vault.kinfolio")) {
		t.Error("the committed vault file changed")
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFormat1_BackupRestore: a vault people already have (its originals
// sealed before chunks were laid out to be copied into backups) backs up
// and restores: the same people, entries and resources, and every
// original byte for byte, with the SHA-256 it was imported with.
func TestFormat1_BackupRestore(t *testing.T) {
	v := openFormat1(t, format1Passphrase)
	data := makeBackup(t, v, vault.BackupOptions{})
	target, _, err := restore(t, data, format1Passphrase("testdata/format1"))
	if err != nil {
		t.Fatal(err)
	}
	r := openRestored(t, target)
	people, err := v.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.Profiles(); err != nil || len(got) != len(people) || len(people) < 2 {
		t.Errorf("%d people restored of %d, %v", len(got), len(people), err)
	}
	for _, p := range people {
		if got, want := allResources(t, r, p.ID), allResources(t, v, p.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d resources restored of %d", p.Name, len(got), len(want))
		}
	}
	es, _ := v.Entries(vault.Query{})
	res, _ := r.Entries(vault.Query{})
	if len(res) != len(es) || len(es) < 100 {
		t.Errorf("%d entries restored of %d", len(res), len(es))
	}
	n := 0
	srcs, err := v.Sources("")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.SHA256 == "" {
			continue
		}
		got := original(t, r, s.ID)
		if sum := sha256.Sum256(got); hex.EncodeToString(sum[:]) != s.SHA256 || !bytes.Equal(got, original(t, v, s.ID)) {
			t.Errorf("%s: not byte-identical after the restore", s.File)
		}
		n++
	}
	if n < 3 {
		t.Errorf("%d originals checked", n)
	}
}
