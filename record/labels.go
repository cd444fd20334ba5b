package record

import "strings"

// InterpretationText returns a result flag ([Entry.Interpretation]) in
// words: "high", "critically low", "abnormal", "normal". A flag it does not
// know is returned as it is.
func InterpretationText(flag string) string {
	switch strings.ToUpper(strings.TrimSpace(flag)) {
	case "":
		return ""
	case "N":
		return "normal"
	case "H":
		return "high"
	case "L":
		return "low"
	case "A":
		return "abnormal"
	case "HH", "H>":
		return "critically high"
	case "LL", "L<":
		return "critically low"
	case "AA":
		return "critically abnormal"
	case "HU":
		return "very high"
	case "LU":
		return "very low"
	case "HX":
		return "above the high threshold"
	case "LX":
		return "below the low threshold"
	case ">":
		return "above the measurable range"
	case "<":
		return "below the measurable range"
	case "POS":
		return "positive"
	case "NEG":
		return "negative"
	case "DET":
		return "detected"
	case "ND":
		return "not detected"
	case "IND":
		return "indeterminate"
	case "R":
		return "resistant"
	case "S":
		return "susceptible"
	case "I":
		return "intermediate"
	case "U":
		return "significant change up"
	case "D":
		return "significant change down"
	}
	return flag
}

// categoryWords are the category codes importers write ([Entry.Category]),
// in words a patient reads.
var categoryWords = map[string]string{
	// conditions
	"problem-list-item":   "problem list",
	"encounter-diagnosis": "diagnosis at a visit",
	"health-concern":      "health concern",
	"75326-9":             "problem",
	// allergies
	"food":        "food",
	"medication":  "medicine",
	"environment": "environment",
	"biologic":    "biologic",
	// medications
	"order":     "prescription",
	"statement": "medicine taken",
	"fill":      "pharmacy fill",
	// observations
	"laboratory":        "laboratory",
	"lab":               "laboratory",
	"vital-signs":       "vital signs",
	"social-history":    "social history",
	"imaging":           "imaging",
	"exam":              "examination",
	"survey":            "questionnaire",
	"procedure":         "procedure",
	"therapy":           "therapy",
	"activity":          "activity",
	"report":            "report",
	"outcome":           "outcome",
	"functional-status": "functional status",
	"cognitive-status":  "cognitive status",
	"nutrition":         "nutrition",
	// other kinds
	"care-plan":         "care plan",
	"care team":         "care team",
	"goal":              "goal",
	"family-history":    "family history",
	"device":            "device",
	"advance-directive": "advance directive",
	"service request":   "planned care",
	"list":              "list",
	"composition":       "clinical document",
	"coverage":          "insurance coverage",
	"claim":             "claim",
	"carrier":           "doctor's bill",
	"institutional":     "hospital bill",
	"inpatient":         "hospital stay bill",
	"outpatient":        "outpatient bill",
	"pde":               "pharmacy claim",
	"dme":               "medical equipment bill",
	"hha":               "home health bill",
	"hospice":           "hospice bill",
	"snf":               "nursing facility bill",
	"professional":      "professional services bill",
	"oral":              "dental bill",
	"pharmacy":          "pharmacy claim",
	"vision":            "vision bill",
}

// encounterClasses are HL7 v3 ActEncounterCode values (Encounter.class).
var encounterClasses = map[string]string{
	"AMB": "outpatient visit", "EMER": "emergency", "IMP": "hospital stay", "ACUTE": "hospital stay",
	"NONAC": "hospital stay", "OBSENC": "observation stay", "SS": "day surgery", "HH": "home visit",
	"VR": "virtual visit", "FLD": "field visit", "PRENC": "pre-admission",
}

// mediaTypes name the file types of documents (a MIME type's main part).
var mediaTypes = map[string]string{
	"text/plain": "text", "text/html": "web page (HTML)", "application/xhtml+xml": "web page (HTML)",
	"text/xml": "XML", "application/xml": "XML", "application/hl7-v3+xml": "clinical document (XML)",
	"text/rtf": "RTF document", "application/rtf": "RTF document",
	"application/pdf": "PDF", "image/jpeg": "JPEG image", "image/png": "PNG image", "image/gif": "GIF image",
	"image/tiff": "TIFF image", "application/dicom": "medical image (DICOM)",
	"application/msword": "Word document", "application/fhir+json": "FHIR data (JSON)",
	"application/fhir+xml": "FHIR data (XML)", "application/json": "JSON",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
}

// CategoryLabel returns an entry's category ([Entry.Category]) as a person
// reads it: "problem list", "vital signs", "outpatient visit"; a document's
// media type as its file type ("text", "PDF"). A code it does not know is
// returned with hyphens as spaces; "" when there is no category.
func CategoryLabel(kind Kind, category string) string {
	c := strings.TrimSpace(category)
	if c == "" {
		return ""
	}
	if kind == KindDocument || strings.Contains(c, "/") {
		mt, _, _ := strings.Cut(strings.ToLower(c), ";")
		mt = strings.TrimSpace(mt)
		if w, ok := mediaTypes[mt]; ok {
			return w
		}
		if strings.Contains(mt, "/") {
			_, sub, _ := strings.Cut(mt, "/")
			return strings.ToUpper(strings.TrimPrefix(sub, "x-")) + " file"
		}
	}
	if kind == KindEncounter {
		if w, ok := encounterClasses[strings.ToUpper(c)]; ok {
			return w
		}
	}
	if w, ok := categoryWords[strings.ToLower(c)]; ok {
		return w
	}
	return strings.ReplaceAll(c, "-", " ")
}

// CategoryField is the name under which [CategoryLabel] is shown for an
// entry of kind: "file type" for documents (their category is a media
// type), "visit type" for encounters, "bill type" for claims, "category"
// otherwise.
func CategoryField(kind Kind) string {
	switch kind {
	case KindDocument:
		return "file type"
	case KindEncounter:
		return "visit type"
	case KindClaim:
		return "type"
	}
	return "category"
}
