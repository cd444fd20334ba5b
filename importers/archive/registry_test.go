package archive

import "github.com/kinfolio/kinfolio/importers"

// fuzzRegistry is the registry the fuzz target reads with.
func fuzzRegistry() *importers.Registry { return importers.NewRegistry(New()) }
