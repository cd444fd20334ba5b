package archive

import (
	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/ccda"
	"github.com/kinfolio/kinfolio/importers/fhir"
)

// registry is what kin and the app read with: every reader, so documents
// inside packages are really read.
func registry() *importers.Registry {
	return importers.NewRegistry(fhir.New(), &ccda.Reader{}, New())
}

// fuzzRegistry is the registry the fuzz target reads with.
func fuzzRegistry() *importers.Registry { return registry() }
