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
)

// CanonicalKinfolioURL returns url with the former base of Kinfolio's
// definitions replaced by [KinfolioFHIR]; any other URL is returned as is.
func CanonicalKinfolioURL(url string) string {
	if rest, ok := strings.CutPrefix(url, formerKinfolioFHIR); ok {
		return KinfolioFHIR + rest
	}
	return url
}
