package vault_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// A small import batch, as an importer hands it over: a file naming its
// patient, with one condition.
func exampleBatch() *record.Batch {
	patient, _ := record.ParseResource([]byte(`{"resourceType":"Patient","id":"p1",
		"name":[{"family":"Rivera","given":["Ana"]}],"birthDate":"1980-02-14"}`))
	condition, _ := record.ParseResource([]byte(`{"resourceType":"Condition","id":"c1",
		"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
		"code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}]},
		"subject":{"reference":"Patient/p1"},"onsetDateTime":"2015-06-01"}`))
	p, _ := record.Decode[record.Patient](patient)
	return &record.Batch{
		Source:   record.Source{File: "clinic-export.json", Format: "fhir-r4"},
		Original: append(append([]byte{}, patient.JSON...), condition.JSON...),
		Patients: []record.PatientRecords{{Patient: &patient, Person: record.PersonFromPatient(p),
			Resources: []record.Resource{condition}}},
	}
}

func Example() {
	dir, _ := os.MkdirTemp("", "kinfolio-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vault.kinfolio")

	// Create calibrates scrypt to about a second when WorkFactor is 0;
	// the example uses a low one to run fast.
	v, err := vault.Create(path, "a long passphrase", &vault.Options{WorkFactor: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := v.Import(context.Background(), exampleBatch(), vault.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("imported for", res.Report.Profile, res.Report.Added)
	again, _ := v.Import(context.Background(), exampleBatch(), vault.ImportOptions{})
	fmt.Println("second time, already imported:", again.Report.AlreadyImported)
	v.Close()

	if _, err := vault.Open(path, vault.Passphrase("wrong"), nil); errors.Is(err, vault.ErrWrongPassphrase) {
		fmt.Println("wrong passphrase refused")
	}
	v, err = vault.Open(path, vault.Passphrase("a long passphrase"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer v.Close()
	people, _ := v.Profiles()
	for _, p := range people {
		entries, _ := v.Entries(vault.Query{Profile: p.ID})
		for _, e := range entries {
			fmt.Printf("%s, born %s: %s %q since %s (%s)\n", p.Name, p.BirthDate, e.Kind, e.Title, e.Date, e.Status)
		}
	}
	hits, _ := v.Search("", "asthma")
	fmt.Println("search for asthma:", len(hits))
	// Output:
	// imported for Ana Rivera map[condition:1]
	// second time, already imported: true
	// wrong passphrase refused
	// Ana Rivera, born 1980-02-14: condition "Asthma" since 2015-06-01 (active)
	// search for asthma: 1
}

func ExampleVault_RecoveryKey() {
	dir, _ := os.MkdirTemp("", "kinfolio-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vault.kinfolio")
	v, _ := vault.Create(path, "a long passphrase", &vault.Options{WorkFactor: 10})
	identity, _ := v.RecoveryKey() // print it, keep it safe: it opens the vault
	v.Close()

	ids, _ := ageIdentities(identity)
	v, err := vault.Open(path, vault.Identities(ids...), nil)
	fmt.Println("opened with the recovery key:", err == nil)
	// The recovery key can set a new passphrase when the old one is lost.
	fmt.Println("new passphrase set:", v.ChangePassphrase("a new passphrase") == nil)
	v.Close()
	// Output:
	// opened with the recovery key: true
	// new passphrase set: true
}
