// Package vaulttest helps tests use real vaults cheaply: [New] creates a
// vault in the test's temporary folder with a low scrypt work factor and,
// when the test ends, checks that it verifies and that bbolt finds the
// file consistent. [BatchFromBundle] turns a FHIR R4 Bundle into an import
// batch without the FHIR importer, for tests of the vault itself.
package vaulttest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	bolt "go.etcd.io/bbolt"
)

// Passphrase is the passphrase of the vaults this package creates.
const Passphrase = "correct horse battery staple"

// WorkFactor is the scrypt logN of test vaults: about a millisecond, where
// real vaults take about a second.
const WorkFactor = 10

// Options returns vault options for tests: the low work factor.
func Options() *vault.Options { return &vault.Options{WorkFactor: WorkFactor} }

// New creates a vault named vault.kinfolio in a fresh temporary folder and
// returns it open. When the test ends the vault (if still open) must pass
// Verify, is closed, and its file must pass bbolt's consistency check.
func New(t testing.TB) *vault.Vault {
	t.Helper()
	return Create(t, filepath.Join(t.TempDir(), "vault.kinfolio"))
}

// Create is New at a given path.
func Create(t testing.TB, path string) *vault.Vault {
	t.Helper()
	v, err := vault.Create(path, Passphrase, Options())
	if err != nil {
		t.Fatalf("creating a test vault: %v", err)
	}
	t.Cleanup(func() {
		if rep, err := v.Verify(); err != nil && !errors.Is(err, vault.ErrClosed) {
			t.Errorf("vault does not verify at the end of the test: %v %+v", err, rep)
		}
		if err := v.Close(); err != nil {
			t.Errorf("closing the vault: %v", err)
		}
		CheckFile(t, path)
	})
	return v
}

// Open opens the vault at path with [Passphrase] and closes it when the
// test ends.
func Open(t testing.TB, path string) *vault.Vault {
	t.Helper()
	v, err := vault.Open(path, vault.Passphrase(Passphrase), nil)
	if err != nil {
		t.Fatalf("opening the vault: %v", err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

// CheckFile runs bbolt's consistency check on a closed vault file.
func CheckFile(t testing.TB, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 2e9})
	if err != nil {
		t.Errorf("opening %s for the consistency check: %v", filepath.Base(path), err)
		return
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("consistency check: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// BatchFromBundle builds an import batch from a FHIR R4 Bundle the way an
// importer would: the file's bytes and hash, one group per Patient with the
// bundle's other resources, references left as the bundle writes them.
// It is deliberately small; the real reader is importers/fhir.
func BatchFromBundle(t testing.TB, file string, data []byte) *record.Batch {
	t.Helper()
	var bundle struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(data, &bundle); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	sum := sha256.Sum256(data)
	b := &record.Batch{
		Source:   record.Source{File: file, Format: "fhir-r4", SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))},
		Original: data,
		Report:   record.Report{File: file, Format: "fhir-r4"},
	}
	var group record.PatientRecords
	for i, e := range bundle.Entry {
		r, err := record.ParseResource(e.Resource)
		if err != nil {
			t.Fatalf("%s: entry[%d]: %v", file, i, err)
		}
		if r.Type == "Patient" && group.Patient == nil {
			p, err := record.Decode[record.Patient](r)
			if err != nil {
				t.Fatalf("%s: entry[%d]: %v", file, i, err)
			}
			group.Patient = &r
			group.Person = record.PersonFromPatient(p)
			continue
		}
		group.Resources = append(group.Resources, r)
	}
	b.Patients = []record.PatientRecords{group}
	return b
}
