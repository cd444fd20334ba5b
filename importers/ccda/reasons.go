package ccda

import "strings"

// The mapping code says why an entry gave nothing in the terms of C-CDA
// ("the planned item has no code or text"): precise for whoever holds the
// specification, jargon for the caregiver reading the import report.
// plainReasons gives each its words for people; the report keeps the
// original as the skip's Detail (kin import --json shows both).
var plainReasons = map[string]string{
	"the entry holds no clinical statement":                       "an empty entry: it records nothing",
	"the entry is marked as having no information":                "the document marks this entry as having no information",
	"the entry holds nothing Kinfolio can store":                  "nothing in this entry could be read as a health record",
	"the medication names no drug":                                "a medication entry that does not say which medicine",
	"the immunization names no vaccine":                           "a vaccination entry that does not say which vaccine",
	"the procedure has no code or text":                           "a procedure entry that does not say which procedure",
	"the planned item has no code or text":                        "a planned test, visit or treatment that does not say what is planned",
	"the encounter has no type, text or date":                     "a visit entry that gives no kind of visit, description or date",
	"the smoking status has no value":                             "a smoking status without an answer",
	"the family history names neither a relative nor a condition": "a family history entry that names neither a relative nor an illness",
	"the supply names no product":                                 "a supply entry that does not say what was supplied",
	"the supply names no device or product":                       "a supply entry that does not say which device or product",
	"the coverage names no policy":                                "an insurance entry that names no plan or policy",
	"the goal has no description":                                 "a goal that does not say what the goal is",
	"the instructions have no text":                               "instructions without any words",
	"the comment is empty":                                        "an empty comment",
	"the allergy names no substance":                              "an allergy entry that does not say what the allergy is to",
	"the problem has no code or text":                             "a problem entry that does not say which problem",
	"the observation has no code, value or text":                  "a result that says neither what was measured nor what was found",
	"the concern holds no allergy observation":                    "an allergy list item that names no allergy",
	"the concern holds no problem observation":                    "a problem list item that names no problem",
	"the group holds nothing":                                     "a group of entries with nothing in it",
	"the health concern has no content":                           "a health concern that says nothing",
	"the intervention has no content":                             "a treatment entry that says nothing",
	"the result group holds no results":                           "a group of results with no results in it",
	"the vital signs group holds no measurements":                 "a group of vital signs with no measurements in it",
	"the unstructured document has no content":                    "an attached document with nothing in it",
	"a reference to images held by an imaging system (DICOM); the images are not in the document": "a pointer to X-ray or scan images kept by the hospital's imaging system; the images themselves are not in the document",
}

// plainReason returns the words for people for a reason the mapping code
// gave, and the reason itself as the detail ("" when it needs no
// rewording).
func plainReason(why string) (reason, detail string) {
	if p, ok := plainReasons[why]; ok {
		return p, why
	}
	if rest, ok := strings.CutPrefix(why, "a kind of statement Kinfolio does not read ("); ok {
		return "a kind of entry Kinfolio cannot read yet", "a clinical statement of a kind Kinfolio does not map (" + rest
	}
	return why, ""
}
