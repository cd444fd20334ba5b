// Package corpustest holds end-to-end tests of the printouts on real
// sample exports: the files in testdata/corpus are read by the importers
// (importers/all), stored and merged by a real vault (vault/vaulttest), the
// person's export.Input is filled from the vault as the app fills it, and
// the three PDFs are read back with poppler's pdftotext and pdfinfo.
//
// The package has no code of its own, only tests: export/pdf may import
// neither the importers nor the vault (arch_test.go), but its tests here
// may, because test files are not part of any binary's dependencies.
package corpustest
