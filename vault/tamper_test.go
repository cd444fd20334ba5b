package vault_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// tamperVault builds a closed vault holding a bit of everything: two
// people's records, a hand-entered entry, a recovery key and the log.
func tamperVault(t testing.TB) (path string, dump []byte) {
	t.Helper()
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.kinfolio"), vaulttest.Passphrase, vaulttest.Options())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{alberto, chauncey} {
		if _, err := v.Import(context.Background(), bundle(t, f), vault.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v.AddSelfReported("Chauncey Johnston", record.SelfReport{Kind: record.KindAllergy, Title: "Peanuts"}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.RecoveryKey(); err != nil {
		t.Fatal(err)
	}
	dump, err = dumpVault(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	return v.Path(), dump
}

// dumpVault reads everything a user can get out of a vault into one
// canonical document, or returns the first error.
func dumpVault(v *vault.Vault) ([]byte, error) {
	var d struct {
		Profiles   []record.Profile
		Sources    []vault.SourceInfo
		Entries    []record.Entry
		Resources  []string
		Originals  map[string]string
		Log        []vault.AuditEvent
		Recipients []vault.Recipient
		Search     int
	}
	var err error
	if d.Profiles, err = v.Profiles(); err != nil {
		return nil, err
	}
	if d.Sources, err = v.Sources(""); err != nil {
		return nil, err
	}
	if d.Recipients, err = v.Recipients(); err != nil {
		return nil, err
	}
	if d.Entries, err = v.Entries(vault.Query{}); err != nil {
		return nil, err
	}
	for _, e := range d.Entries {
		if _, _, err := v.Entry(e.ID); err != nil {
			return nil, err
		}
	}
	err = v.ForEachResource("", func(ref record.ResourceRef, r record.Resource) error {
		sum := sha256.Sum256(r.JSON)
		d.Resources = append(d.Resources, fmt.Sprintf("%s %s/%s %x", ref.Source, ref.Type, ref.ID, sum))
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(d.Resources)
	d.Originals = map[string]string{}
	for _, s := range d.Sources {
		if !s.HasOriginal {
			continue
		}
		r, err := v.OpenOriginal(s.ID)
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return nil, err
		}
		d.Originals[s.ID] = fmt.Sprintf("%x", h.Sum(nil))
	}
	if d.Log, err = v.Log(); err != nil {
		return nil, err
	}
	hits, err := v.Search("", "influenza")
	if err != nil {
		return nil, err
	}
	d.Search = len(hits)
	return json.Marshal(d)
}

// outcome opens a (possibly damaged) vault file and reads everything: it
// returns nil when the data is exactly the original, and otherwise the
// error the vault gave, which must say the vault is damaged.
func outcome(path string, want []byte) error {
	v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
	if err != nil {
		return err
	}
	defer v.Close()
	if rep, err := v.Verify(); err != nil {
		if rep == nil || rep.OK() {
			return fmt.Errorf("verify failed but its report is clean: %v", err)
		}
		return err
	}
	got, err := dumpVault(v)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return errors.New("the vault verifies but shows other data than was stored")
	}
	return nil
}

// TestTamper_FlipBytes flips single bytes at many random offsets of a real
// vault: each time the vault reports damage, or shows exactly the original
// data (a flipped byte in free space, or in the meta page bbolt then does
// not use); never a panic, never other data.
func TestTamper_FlipBytes(t *testing.T) {
	path, want := tamperVault(t)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	used := vault.UsedBytesForTest(path)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, file %d bytes, %d in use", seed, len(orig), used)
	rng := rand.New(rand.NewPCG(seed, 4))
	dir := t.TempDir()
	n := rounds(100, 2000)
	damaged := 0
	for i := range n {
		off := rng.IntN(used)
		if i%4 == 0 {
			off = rng.IntN(2 * 4096) // the meta pages
		}
		data := bytes.Clone(orig)
		data[off] ^= byte(1 + rng.IntN(255))
		p := filepath.Join(dir, fmt.Sprintf("flip-%d", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		err := outcome(p, want)
		switch {
		case err == nil:
		case errors.Is(err, vault.ErrDamaged):
			damaged++
		default:
			t.Errorf("byte %d flipped: %v (want ErrDamaged or the original data)", off, err)
		}
		os.Remove(p)
	}
	t.Logf("%d flips: %d reported damage, %d showed the original data", n, damaged, n-damaged)
	if damaged == 0 {
		t.Error("no flip was ever detected")
	}
}

// TestTamper_SwapValues exchanges two sealed values within each section:
// every swap is detected.
func TestTamper_SwapValues(t *testing.T) {
	path, want := tamperVault(t)
	orig, _ := os.ReadFile(path)
	for _, name := range vault.SealedBucketsForTest {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "swapped")
			os.WriteFile(p, orig, 0o600)
			if err := vault.SwapValuesForTest(p, name); err != nil {
				t.Fatal(err)
			}
			if err := outcome(p, want); !errors.Is(err, vault.ErrDamaged) {
				t.Errorf("swapping two values in %s: %v, want ErrDamaged", name, err)
			}
		})
	}
}

// TestTamper_Truncate cuts the file at random offsets: a clear error
// (damaged, or not a vault when too little is left to tell), never a panic.
func TestTamper_Truncate(t *testing.T) {
	path, want := tamperVault(t)
	orig, _ := os.ReadFile(path)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 5))
	dir := t.TempDir()
	detected, n := 0, rounds(40, 300)
	for i := range n {
		cut := rng.IntN(vault.UsedBytesForTest(path) + 4096)
		if i < 4 {
			cut = []int{1, 4095, 4096, 8192}[i]
		}
		p := filepath.Join(dir, fmt.Sprintf("cut-%d", i))
		os.WriteFile(p, orig[:cut], 0o600)
		err := outcome(p, want)
		if err != nil && !errors.Is(err, vault.ErrDamaged) && !errors.Is(err, vault.ErrNotVault) {
			t.Errorf("cut at %d of %d bytes: %v", cut, len(orig), err)
		}
		if err != nil {
			detected++
		}
		os.Remove(p)
	}
	// A cut in the unused tail of the file (bbolt grows it ahead) loses
	// nothing: those runs showed the original data.
	t.Logf("%d of %d cuts reported", detected, n)
	if detected == 0 {
		t.Error("no cut was ever detected")
	}
}

// FuzzOpen opens arbitrary bytes as a vault: an error or a vault that
// reads through, never a panic or a hang.
func FuzzOpen(f *testing.F) {
	path, _ := tamperVault(f)
	orig, _ := os.ReadFile(path)
	f.Add(orig)
	f.Add(orig[:8192])
	f.Add([]byte("not a vault"))
	f.Add(make([]byte, 3*4096))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "fuzz.kinfolio")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(p)
		v, err := vault.Open(p, vault.Passphrase(vaulttest.Passphrase), nil)
		if err != nil {
			return
		}
		defer v.Close()
		if _, err := v.Verify(); err != nil && !errors.Is(err, vault.ErrDamaged) {
			t.Errorf("verify: %v", err)
		}
		dumpVault(v)
	})
}
