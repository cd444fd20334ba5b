package vault_test

import (
	"os"
	"strings"

	"path/filepath"
	"testing"

	"filippo.io/age"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

const (
	alberto  = "testdata/corpus/fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"
	chauncey = "testdata/corpus/fhir-r4/synthea-smart-sandbox/Chauncey_Johnston_f4673866-81fb-411a-8486-0c27f2a5b480.json"
)

// bundle reads a corpus bundle as an import batch.
func bundle(t testing.TB, path string) *record.Batch {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return vaulttest.BatchFromBundle(t, filepath.Base(path), data)
}

// countResources is the number of resources in a batch, Patients included.
func countResources(b *record.Batch) int {
	n := 0
	b.Walk(func(x *record.Batch) {
		for _, g := range x.Patients {
			n += len(g.Resources)
			if g.Patient != nil {
				n++
			}
		}
	})
	return n
}

// ageIdentities parses identity text as an identity file would hold it.
func ageIdentities(s string) ([]age.Identity, error) {
	return age.ParseIdentities(strings.NewReader(s))
}

// The vault's lists in tests, which hold the vault open.

func mustProfiles(t testing.TB, v *vault.Vault) []record.Profile {
	t.Helper()
	ps, err := v.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func mustSources(t testing.TB, v *vault.Vault, profile string) []vault.SourceInfo {
	t.Helper()
	ss, err := v.Sources(profile)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func mustRecipients(t testing.TB, v *vault.Vault) []vault.Recipient {
	t.Helper()
	rs, err := v.Recipients()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func mustEntryCount(t testing.TB, v *vault.Vault, profile string) int {
	t.Helper()
	n, err := v.EntryCount(profile)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
