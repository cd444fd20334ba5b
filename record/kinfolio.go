package record

import "strings"

// KinfolioFHIR is the one base URL of Kinfolio's own FHIR definitions: the
// extensions, code systems and tags it writes into resources. Every such URL
// is KinfolioFHIR followed by the definition's kind and name
// ("StructureDefinition/ccda-entry-path"). The URLs name definitions; nothing
// is ever fetched from them.
const KinfolioFHIR = "https://kinfolio.io/fhir/"

// formerKinfolioFHIR is where earlier versions rooted the same
// definitions. Resources stored then still carry it; comparisons read it as
// [KinfolioFHIR] ([CanonicalKinfolioURL]), so old and new compare equal.
const formerKinfolioFHIR = "https://github.com/kinfolio/kinfolio/fhir/"

// Kinfolio's own definitions.
const (
	// ExtensionCCDAEntryPath is on every resource read from a C-CDA section
	// entry; its valueString is the entry's path in the document.
	ExtensionCCDAEntryPath = KinfolioFHIR + "StructureDefinition/ccda-entry-path"
	// SystemCCDAObservationCategory codes an observation by the kind of
	// C-CDA section it came from, where FHIR's categories have no code.
	SystemCCDAObservationCategory = KinfolioFHIR + "CodeSystem/ccda-observation-category"
	// SystemKinfolioTags is the system of Kinfolio's meta.tag codes
	// ([SelfReportTag]).
	SystemKinfolioTags = KinfolioFHIR + "tags"

	// What Kinfolio's FHIR export writes about where records came from: a
	// Provenance per source (see export/fhir), read back by importers/fhir.

	// SystemSourceSHA256 identifies an imported file by the hex SHA-256 of
	// its bytes (Provenance.entity.what.identifier).
	SystemSourceSHA256 = KinfolioFHIR + "sid/source-sha256"
	// ExtensionSourceFormat (valueCode) is the format a source was read as
	// ([Format]).
	ExtensionSourceFormat = KinfolioFHIR + "StructureDefinition/source-format"
	// ExtensionSourceFile (valueString) is a source's file name as imported.
	ExtensionSourceFile = KinfolioFHIR + "StructureDefinition/source-file"
	// ExtensionSourceTitle (valueString) is the title a source's document
	// gives itself.
	ExtensionSourceTitle = KinfolioFHIR + "StructureDefinition/source-title"
	// ExtensionSourcePatient (valueString) is the id of a source's own
	// Patient resource, contained in the exported person's Patient: one per
	// Patient the source held, in its order.
	ExtensionSourcePatient = KinfolioFHIR + "StructureDefinition/source-patient"
	// ExtensionStatedOn (valueDateTime), on an IPS section's emptyReason,
	// is when a source stated there is none ("no known allergies").
	ExtensionStatedOn = KinfolioFHIR + "StructureDefinition/stated-on"
)

// SummaryTag marks the Composition of a patient summary Kinfolio wrote
// (export/fhir's IPS) (meta.tag): a reader knows its empty sections say
// what the person's records say, no more. So importers/fhir reads an empty
// section's "none known" without a date as undated, not as stated on the
// day the summary was made, and "no information" as nothing to store.
var SummaryTag = Coding{System: SystemKinfolioTags, Code: "kinfolio-summary", Display: "Patient summary made by Kinfolio"}

// CanonicalKinfolioURL returns url with the former base of Kinfolio's
// definitions replaced by [KinfolioFHIR]; any other URL is returned as is.
func CanonicalKinfolioURL(url string) string {
	if rest, ok := strings.CutPrefix(url, formerKinfolioFHIR); ok {
		return KinfolioFHIR + rest
	}
	return url
}
