package fhir

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
	"github.com/kinfolio/kinfolio/record"
)

// Code systems of a section's emptyReason.
const (
	systemListEmpty = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
	systemAbsentIPS = record.SystemAbsentIPS
)

// emptySection is what a document's section with nothing in it stands for,
// per kind of record: the resource that states it, and its wording.
type emptySection struct {
	// typ is the resource made; code is where it holds the statement,
	// subject whose it is, date when it was stated.
	typ, code, subject, date string
	// noneKnown and noInfo are the absent-unknown codes (IPS) of "none
	// known" and "no information"; what names the records in words.
	noneKnown, noInfo, what string
	// snomed is the SNOMED CT concept of "none known", "" when none fits.
	snomed, snomedDisplay string
	// status is a member set to a fixed value ("status": "unknown").
	status, statusValue string
	clinical            string // the system of clinicalStatus, "" for none
}

// emptySections are the required IPS sections (by LOINC code) whose
// emptyReason [reading.emptyStatements] reads as a statement.
var emptySections = map[string]emptySection{
	"48765-2": {typ: "AllergyIntolerance", code: "code", subject: "patient", date: "recordedDate",
		noneKnown: "no-known-allergies", noInfo: "no-allergy-info", what: "allergies",
		snomed: record.NoKnownAllergy.Code, snomedDisplay: record.NoKnownAllergy.Display,
		clinical: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"},
	"10160-0": {typ: "MedicationStatement", code: "medicationCodeableConcept", subject: "subject", date: "effectiveDateTime",
		noneKnown: "no-known-medications", noInfo: "no-medication-info", what: "medications",
		status: "status", statusValue: "unknown"},
	"11450-4": {typ: "Condition", code: "code", subject: "subject", date: "recordedDate",
		noneKnown: "no-known-problems", noInfo: "no-problem-info", what: "problems",
		snomed: "160245001", snomedDisplay: "No current problems or disability",
		clinical: "http://terminology.hl7.org/CodeSystem/condition-clinical"},
}

// emptyStatements reads the emptyReason of a document's required sections
// (medications, allergies, problems) that list nothing: "nilknown" (or an
// IPS "no-known-..." code) becomes a statement that there are none ("No
// known allergies"), "unavailable", "notasked" and the like (or an IPS
// "no-...-info" code) one that nothing is known ("No information about
// allergies"): the resources IPS itself writes for the same. So a summary
// that says "no known allergies" in its Composition alone is read as
// saying so. A statement is dated by the Kinfolio extension that says
// when a source stated it, else by the Composition's date; it is about the
// Composition's subject. The Composition itself is kept as it is.
//
// A summary Kinfolio wrote ([record.SummaryTag]) is read as the records it
// was made from: "no information" makes no statement (there were no
// records), and "none known" without the extension is undated.
func (rd *reading) emptyStatements() []*item {
	if !rd.document {
		return nil
	}
	var comp *item
	for _, it := range rd.items {
		if !it.drop && it.typ == "Composition" {
			comp = it
			break
		}
	}
	if comp == nil {
		return nil
	}
	t, err := jsontree.Parse(comp.raw)
	if err != nil {
		return nil
	}
	c, _ := t.(*obj)
	if c == nil {
		return nil
	}
	subject := c.Get("subject")
	ours := false // a summary Kinfolio wrote (record.SummaryTag)
	for _, tag := range c.Obj("meta").Objects("tag") {
		if record.CanonicalKinfolioURL(tag.Str("system")) == record.SummaryTag.System && tag.Str("code") == record.SummaryTag.Code {
			ours = true
		}
	}
	var out []*item
	seen := map[string]bool{}
	for k, sec := range c.Objects("section") {
		def, ok := emptySections[loincCode(sec.Obj("code"))]
		if !ok || seen[def.typ] || len(sec.Array("entry")) > 0 {
			continue
		}
		why := sec.Obj("emptyReason")
		noneKnown, ok := readEmptyReason(why)
		if !ok || ours && !noneKnown {
			// Kinfolio's own "no information" is the absence of records,
			// which it stays.
			continue
		}
		seen[def.typ] = true
		date := c.Str("date")
		if ours {
			date = "" // dated only when the person's records date it
		}
		for _, x := range why.Objects("extension") {
			if record.CanonicalKinfolioURL(x.Str("url")) == record.ExtensionStatedOn && x.Str("valueDateTime") != "" {
				date = x.Str("valueDateTime")
			}
		}
		id := "kf-" + def.what + "-" + comp.id
		if !validID(id) {
			sum := sha256.Sum256([]byte(comp.id))
			id = "kf-" + def.what + "-" + hex.EncodeToString(sum[:8])
		}
		r := jsontree.New("resourceType", def.typ, "id", id)
		if def.status != "" {
			r.Set(def.status, def.statusValue)
		}
		if def.clinical != "" {
			r.Set("clinicalStatus", jsontree.New("coding", []any{jsontree.New("system", def.clinical, "code", "active")}))
		}
		code, text := def.noInfo, "No information about "+def.what
		if noneKnown {
			code, text = def.noneKnown, "No known "+def.what
		}
		codings := []any{jsontree.New("system", systemAbsentIPS, "code", code, "display", text)}
		if noneKnown && def.snomed != "" {
			codings = append(codings, jsontree.New("system", record.SystemSNOMED, "code", def.snomed, "display", def.snomedDisplay))
		}
		r.Set(def.code, jsontree.New("coding", codings, "text", text))
		if subject != nil {
			r.Set(def.subject, subject)
		}
		if date != "" {
			r.Set(def.date, date)
		}
		out = append(out, &item{
			path:    comp.path + ".section[" + strconv.Itoa(k) + "].emptyReason",
			raw:     jsontree.Append(nil, r),
			derived: comp.path,
		})
	}
	return out
}

// readEmptyReason reads a section's emptyReason: ok when it says why the
// section is empty, noneKnown when it says there is none to list.
func readEmptyReason(why *obj) (noneKnown, ok bool) {
	for _, c := range why.Objects("coding") {
		code := strings.TrimSpace(c.Str("code"))
		switch sys := c.Str("system"); {
		case record.SameSystem(sys, systemListEmpty) || sys == "":
			switch code {
			case "nilknown":
				return true, true
			case "unavailable", "notasked", "withheld", "notstarted", "closed":
				return false, true
			}
		case record.SameSystem(sys, systemAbsentIPS):
			switch {
			case strings.HasPrefix(code, "no-known-"):
				return true, true
			case strings.HasPrefix(code, "no-") && strings.HasSuffix(code, "-info"):
				return false, true
			}
		}
	}
	return false, false
}

// loincCode is the LOINC code of a section's code, or "".
func loincCode(c *obj) string {
	for _, cd := range c.Objects("coding") {
		if record.SameSystem(cd.Str("system"), record.SystemLOINC) {
			return cd.Str("code")
		}
	}
	return ""
}
