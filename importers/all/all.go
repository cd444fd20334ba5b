// Package all assembles every Kinfolio reader into one registry, so the
// desktop app and the command-line tool read the same formats the same way.
package all

import (
	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/archive"
	"github.com/kinfolio/kinfolio/importers/ccda"
	"github.com/kinfolio/kinfolio/importers/fhir"
)

// Registry returns a registry of every reader: packages (zip, XDM, folders,
// Apple Health), C-CDA and C32 documents, and FHIR in all its versions and
// shapes. Detection is by content, never by file name.
func Registry() *importers.Registry {
	return importers.NewRegistry(archive.New(), &ccda.Reader{}, fhir.New())
}
