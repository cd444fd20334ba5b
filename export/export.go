// Package export holds what Kinfolio's exporters share: [Input], everything
// an exporter is given about one person. The exporters themselves are its
// subpackages: export/pdf (visit summary, emergency card, full record) and
// export/fhir (a FHIR R4 Bundle, an International Patient Summary).
//
// Exporters never open the vault: package app reads it and fills an Input,
// so an exporter is a pure function of its Input and can be tested on
// entries read from real files without a vault.
package export

import (
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// Input is one person's record as an exporter sees it. The slices are the
// exporter's to read, never to change (they may be shared).
type Input struct {
	// Person is whose record it is: name, birth date, sex, identifiers,
	// emergency contacts, language.
	Person record.Profile
	// Entries are all of the person's entries (every kind, merged across
	// sources), each with its Sources and Resources and its Conflict flag.
	// Entries that conflict share a [record.MergeKey]. Order: newest first,
	// as the vault lists them.
	Entries []record.Entry
	// Resources are the person's stored FHIR R4 resources, each with the
	// source it came from (Ref.Source), the Patient resources included.
	// Only the FHIR exporters need them; the PDFs read Entries.
	Resources []Resource
	// Sources are the files the person's records came from, and the
	// person's own entries (Format [record.SelfReported]), most recently
	// imported first.
	Sources []Source
	// Now is when the export is made: printed as "Printed <date>", used for
	// ages and "last confirmed" marks, and stamped into files. A fixed Now
	// makes every exporter's output byte for byte reproducible.
	Now time.Time
}

// Resource is one stored FHIR resource and where it came from.
type Resource struct {
	// Ref locates it: its source, type and id as stored.
	Ref record.ResourceRef
	// Resource is the resource itself; its JSON is as imported.
	record.Resource
}

// Source is one file (or the person's own entries) that entries came from.
type Source struct {
	record.Source
	// Name is what a person calls the source: the author organization,
	// else the document title, else the file name ("Valley Clinic").
	Name string
	// Key is the short key rows print for the source ("A"; "P" for the
	// person's own entries), as the app's screens show it, so a printout
	// and the screen agree. Sources of one provider may share a key.
	// Empty lets the exporter assign keys.
	Key string
	// Entries is how many of the person's entries it states.
	Entries int
	// Shared says the file also held other people's records (a family's
	// bulk download): its hash names more than this person's part, so an
	// export does not offer it as the file's identity (a vault reading the
	// export back would take the whole file for imported, and leave the
	// others out when the file itself is imported later).
	Shared bool
}

// SourceName returns what a person calls a source: the author, else the
// document's title, else the file name, else "Entered by you" for the
// person's own entries.
func SourceName(s record.Source) string {
	switch {
	case s.Format == record.SelfReported:
		return "Entered by you"
	case s.Author != "":
		return s.Author
	case s.Title != "":
		return s.Title
	}
	return s.File
}
