// Package corpustest holds end-to-end tests of the FHIR exports on real
// sample exports: the files in testdata/corpus are read by the importers
// (importers/all), stored and merged by a real vault (vault/vaulttest), the
// person's export.Input is filled from the vault as the app fills it, and
// the Bundle and the International Patient Summary are written, read back
// by the FHIR reader and imported into a new vault.
//
// The package has no code of its own, only tests: export/fhir may import
// neither the importers nor the vault (arch_test.go), but its tests here
// may, because test files are not part of any binary's dependencies.
package corpustest
