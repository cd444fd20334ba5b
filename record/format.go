package record

// Format names what an imported file was read as, in [Source.Format] and
// [Report.Format]: the names of the kin command-line contract ("format" in
// `kin import --json`). Readers may name other formats; these are the ones
// Kinfolio's readers write.
type Format string

// The formats Kinfolio reads, and its own.
const (
	FormatFHIRR4      Format = "fhir-r4"
	FormatFHIRR4B     Format = "fhir-r4b"
	FormatFHIRSTU3    Format = "fhir-stu3"
	FormatFHIRDSTU2   Format = "fhir-dstu2"
	FormatFHIRNDJSON  Format = "fhir-ndjson"
	FormatIPS         Format = "ips"
	FormatBlueButton  Format = "bb2"
	FormatCCDA        Format = "ccda"
	FormatC32         Format = "c32"
	FormatXDM         Format = "xdm"
	FormatZip         Format = "zip"
	FormatFolder      Format = "folder"
	FormatAppleHealth Format = "apple-health"
	// FormatSelfReported is the format of the source of entries a user
	// enters by hand ([SelfReported]).
	FormatSelfReported Format = SelfReported
)

// Text names the format in words for people: "C-CDA document", "FHIR R4
// file", "Apple Health export". A format it does not know is given as it
// is written.
func (f Format) Text() string {
	switch f {
	case FormatCCDA:
		return "C-CDA document"
	case FormatC32:
		return "C32 document (older CCD)"
	case FormatFHIRR4:
		return "FHIR R4 file"
	case FormatFHIRR4B:
		return "FHIR R4B file"
	case FormatFHIRSTU3:
		return "FHIR STU3 file"
	case FormatFHIRDSTU2:
		return "FHIR DSTU2 file"
	case FormatFHIRNDJSON:
		return "FHIR bulk data (NDJSON)"
	case FormatIPS:
		return "International Patient Summary"
	case FormatBlueButton:
		return "Medicare Blue Button claims"
	case FormatAppleHealth:
		return "Apple Health export"
	case FormatXDM:
		return "IHE XDM package"
	case FormatZip:
		return "zip file"
	case FormatFolder:
		return "folder"
	case FormatSelfReported:
		return "entered by you"
	}
	return string(f)
}
