package fhir

import (
	"encoding/json"
	"strings"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
	"github.com/kinfolio/kinfolio/record"
)

// version is a FHIR release.
type version int

const (
	vR4 version = iota
	vSTU3
	vDSTU2
)

func (v version) String() string {
	switch v {
	case vSTU3:
		return "STU3"
	case vDSTU2:
		return "DSTU2"
	}
	return "R4"
}

func (v version) format() record.Format {
	switch v {
	case vSTU3:
		return "fhir-stu3"
	case vDSTU2:
		return "fhir-dstu2"
	}
	return "fhir-r4"
}

// Code systems R4 uses for what older versions wrote as plain codes.
const (
	csConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
	csConditionVer      = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
	csAllergyClinical   = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
	csAllergyVer        = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
	csActCode           = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	csGoalAchievement   = "http://terminology.hl7.org/CodeSystem/goal-achievement"
	csAdjudication      = "http://terminology.hl7.org/CodeSystem/adjudication"
	csCoverageClass     = "http://terminology.hl7.org/CodeSystem/coverage-class"
	csPerformerFunction = "http://terminology.hl7.org/CodeSystem/v2-0443"
	csGender            = "http://hl7.org/fhir/administrative-gender"
)

// convert turns one STU3 or DSTU2 resource into R4, in place (its
// resourceType may change). Elements R4 renamed or restructured are
// rewritten; elements with no R4 counterpart are left as they were, so
// nothing the file said is lost. Contained resources are converted too.
func convert(r *obj, v version) {
	if v == vR4 || r == nil {
		return
	}
	for _, c := range r.Objects("contained") {
		convert(c, v)
	}
	if v == vDSTU2 {
		humanNames(r)
	}
	notes(r)
	switch r.Str("resourceType") {
	case "Condition":
		renameElement(r, "patient", "subject")
		renameElement(r, "dateRecorded", "recordedDate")
		renameElement(r, "assertedDate", "recordedDate")
		renameElement(r, "context", "encounter")
		statusConcept(r, "clinicalStatus", csConditionClinical, nil)
		statusConcept(r, "verificationStatus", csConditionVer, map[string]string{"unknown": "unconfirmed"})
		r.ToArray("category")
		for _, ev := range r.Objects("evidence") {
			ev.ToArray("code")
		}
		if b, ok := boolValue(r.Get("abatementBoolean")); ok {
			r.Delete("abatementBoolean")
			if b {
				r.Set("abatementString", "resolved")
			}
		}
		renameElement(r, "onsetQuantity", "onsetAge")
		renameElement(r, "abatementQuantity", "abatementAge")
	case "AllergyIntolerance":
		allergy(r, v)
	case "Immunization":
		immunization(r)
	case "MedicationOrder":
		medicationOrder(r)
	case "MedicationRequest":
		if req := r.Obj("requester"); req != nil && req.Has("agent") {
			r.Set("requester", req.Get("agent"))
		}
		renameElement(r, "context", "encounter")
		for _, d := range r.Objects("dosageInstruction") {
			dosage(d)
		}
	case "MedicationDispense":
		renameElement(r, "patient", "subject")
		if d := r.Get("dispenser"); d != nil {
			r.Delete("dispenser")
			r.Set("performer", []any{jsontree.New("actor", d)})
		}
		for _, d := range r.Objects("dosageInstruction") {
			dosage(d)
		}
		if b, ok := boolValue(r.Get("notDone")); ok && b {
			r.Delete("notDone")
			r.Set("status", "declined")
			renameElement(r, "notDoneReasonCodeableConcept", "statusReasonCodeableConcept")
			renameElement(r, "notDoneReasonReference", "statusReasonReference")
		}
	case "MedicationStatement":
		medicationStatement(r)
	case "Observation":
		r.ToArray("category")
		renameElement(r, "context", "encounter")
		textNote(r, "comments")
		textNote(r, "comment")
		related(r)
	case "DiagnosticReport":
		r.ToArray("category")
		renameElement(r, "context", "encounter")
		renameElement(r, "request", "basedOn")
		renameElement(r, "codedDiagnosis", "conclusionCode")
		var perf []any
		for _, p := range r.Array("performer") {
			if po, ok := p.(*obj); ok && po.Has("actor") {
				perf = append(perf, po.Get("actor"))
			} else {
				perf = append(perf, p)
			}
		}
		if perf != nil {
			r.Set("performer", perf)
		}
	case "Procedure":
		renameElement(r, "context", "encounter")
		notDone(r, "notPerformed", "reasonNotPerformed")
		notDone(r, "notDone", "notDoneReason")
		reasons(r, "reasonCodeableConcept", "reasonReference")
		for _, p := range r.Objects("performer") {
			renameElement(p, "role", "function")
		}
	case "Encounter":
		encounter(r)
	case "CarePlan":
		renameElement(r, "context", "encounter")
		mapCode(r, "status", map[string]string{"proposed": "draft", "cancelled": "revoked"})
		if !r.Has("intent") {
			r.SetAfter("status", "intent", "plan")
		}
		for _, a := range r.Objects("activity") {
			if d := a.Obj("detail"); d != nil {
				renameElement(d, "prohibited", "doNotPerform")
				renameElement(d, "definition", "instantiatesReference")
			}
		}
	case "Goal":
		goal(r)
	case "Binary":
		renameElement(r, "content", "data")
	case "DocumentReference":
		documentReference(r)
	case "Practitioner":
		r.ToArray("name")
	case "Patient":
		renameElement(r, "careProvider", "generalPractitioner")
	case "Organization", "Location":
		r.ToArray("type")
	case "FamilyMemberHistory":
		if g, ok := r.Get("gender").(string); ok {
			r.Delete("gender")
			r.Set("sex", codeableConcept(csGender, g, ""))
		}
	case "Coverage":
		coverage(r)
	case "ExplanationOfBenefit", "Claim":
		claim(r)
	}
}

// notes turns the DSTU2/STU3 string and single-Annotation notes into R4's
// list of Annotations.
func notes(r *obj) {
	switch n := r.Get("note").(type) {
	case string:
		r.Set("note", []any{jsontree.New("text", n)})
	case *obj:
		r.Set("note", []any{n})
	}
	textNote(r, "notes")
}

// textNote moves a plain-text element (DSTU2 "comments", "notes") into note.
func textNote(r *obj, key string) {
	s, ok := r.Get(key).(string)
	if !ok {
		return
	}
	r.Delete(key)
	r.Set("note", append(r.Array("note"), jsontree.New("text", s)))
}

// statusConcept turns a plain status code into a CodeableConcept of system.
func statusConcept(r *obj, key, system string, remap map[string]string) {
	s, ok := r.Get(key).(string)
	if !ok {
		return
	}
	code := lowerCode(s)
	if m, ok := remap[code]; ok {
		code = m
	}
	r.Set(key, codeableConcept(system, code, ""))
}

func mapCode(r *obj, key string, m map[string]string) {
	if s, ok := r.Get(key).(string); ok {
		if to, ok := m[s]; ok {
			r.Set(key, to)
		}
	}
}

// boolValue reads a boolean, also written as the string "true"/"false"
// (some sample data does).
func boolValue(v any) (bool, bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// notDone maps a "not performed" flag and reason to R4's status not-done
// and statusReason.
func notDone(r *obj, flag, reason string) {
	b, ok := boolValue(r.Get(flag))
	if !ok {
		return
	}
	r.Delete(flag)
	if !b {
		return
	}
	r.Set("status", "not-done")
	if rs := r.Array(reason); len(rs) > 0 {
		r.Delete(reason)
		r.Set("statusReason", rs[0])
	}
}

// reasons maps reason[x] (DSTU2) to R4's reasonCode and reasonReference lists.
func reasons(r *obj, codeKey, refKey string) {
	if v := r.Get(codeKey); v != nil && codeKey != "reasonCode" {
		r.Delete(codeKey)
		r.Set("reasonCode", asList(v))
	}
	if v := r.Get(refKey); v != nil {
		if refKey != "reasonReference" {
			r.Delete(refKey)
		}
		r.Set("reasonReference", asList(v))
	}
}

func asList(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	return []any{v}
}

// dosage moves dose and rate into R4's doseAndRate and renames the DSTU2
// elements of a Dosage.
func dosage(d *obj) {
	renameElement(d, "siteCodeableConcept", "site")
	if ai := d.Get("additionalInstructions"); ai != nil {
		d.Delete("additionalInstructions")
		d.Set("additionalInstruction", asList(ai))
	}
	renameElement(d, "quantityQuantity", "doseQuantity")
	renameElement(d, "quantityRange", "doseRange")
	if d.Has("doseAndRate") {
		return
	}
	dr := &obj{}
	for _, k := range []string{"doseRange", "doseQuantity", "rateRatio", "rateRange", "rateQuantity"} {
		if v := d.Delete(k); v != nil {
			dr.Set(k, v)
		}
	}
	if v := d.Delete("rateSimpleQuantity"); v != nil {
		dr.Set("rateQuantity", v)
	}
	if dr.Len() > 0 {
		d.Set("doseAndRate", []any{dr})
	}
}

func allergy(r *obj, v version) {
	renameElement(r, "substance", "code")
	renameElement(r, "assertedDate", "recordedDate")
	renameElement(r, "onset", "onsetDateTime")
	renameElement(r, "lastOccurence", "lastOccurrence")
	renameElement(r, "reporter", "asserter")
	if st, ok := r.Get("status").(string); ok && v == vDSTU2 {
		// DSTU2 has one status for both axes.
		r.Delete("status")
		switch st {
		case "active", "inactive", "resolved":
			r.Set("clinicalStatus", codeableConcept(csAllergyClinical, st, ""))
		case "confirmed":
			r.Set("clinicalStatus", codeableConcept(csAllergyClinical, "active", ""))
			r.Set("verificationStatus", codeableConcept(csAllergyVer, st, ""))
		case "unconfirmed", "refuted", "entered-in-error":
			r.Set("verificationStatus", codeableConcept(csAllergyVer, st, ""))
		default:
			r.Set("status", st)
		}
	}
	statusConcept(r, "clinicalStatus", csAllergyClinical, nil)
	statusConcept(r, "verificationStatus", csAllergyVer, nil)
	if c, ok := r.Get("category").(string); ok {
		r.Set("category", []any{c})
	}
	mapCode(r, "criticality", map[string]string{"CRITL": "low", "CRITH": "high", "CRITU": "unable-to-assess"})
	for _, re := range r.Objects("reaction") {
		re.ToArray("manifestation")
		re.ToArray("note")
	}
}

func immunization(r *obj) {
	renameElement(r, "date", "occurrenceDateTime")
	notGiven := false
	for _, k := range []string{"wasNotGiven", "notGiven"} {
		if b, ok := boolValue(r.Get(k)); ok {
			r.Delete(k)
			notGiven = notGiven || b
		}
	}
	switch {
	case notGiven:
		r.Set("status", "not-done")
	case r.Str("status") == "entered-in-error":
	default:
		// Recorded as given: R4 knows only completed for that.
		r.Set("status", "completed")
	}
	if b, ok := boolValue(r.Get("reported")); ok {
		r.Delete("reported")
		r.Set("primarySource", !b)
	}
	if e := r.Obj("explanation"); e != nil {
		r.Delete("explanation")
		if rc := e.Get("reason"); rc != nil {
			r.Set("reasonCode", asList(rc))
		}
		if rn := e.Array("reasonNotGiven"); len(rn) > 0 {
			r.Set("statusReason", rn[0])
		}
	}
	var perf []any
	for _, p := range r.Objects("practitioner") { // STU3
		renameElement(p, "role", "function")
		perf = append(perf, p)
	}
	r.Delete("practitioner")
	if p := r.Get("performer"); p != nil { // DSTU2: a Reference
		if po, ok := p.(*obj); ok && !po.Has("actor") {
			perf = append(perf, jsontree.New("function", codeableConcept(csPerformerFunction, "AP", "Administering Provider"), "actor", po))
			r.Delete("performer")
		}
	}
	if q := r.Get("requester"); q != nil { // DSTU2
		r.Delete("requester")
		perf = append(perf, jsontree.New("function", codeableConcept(csPerformerFunction, "OP", "Ordering Provider"), "actor", q))
	}
	if perf != nil {
		r.Set("performer", perf)
	}
	var applied []any
	for _, p := range r.Objects("vaccinationProtocol") {
		if n, ok := p.Get("doseSequence").(json.Number); ok {
			p.Delete("doseSequence")
			p.Set("doseNumberPositiveInt", n)
		} else if s, ok := p.Get("doseSequence").(string); ok {
			p.Delete("doseSequence")
			p.Set("doseNumberString", s)
		}
		if n, ok := p.Get("seriesDoses").(json.Number); ok {
			p.Set("seriesDosesPositiveInt", n)
			p.Delete("seriesDoses")
		}
		p.ToArray("targetDisease")
		p.Delete("doseStatus")
		p.Delete("doseStatusReason")
		applied = append(applied, p)
	}
	if applied != nil {
		r.Delete("vaccinationProtocol")
		r.Set("protocolApplied", applied)
	}
}

func medicationOrder(r *obj) {
	r.Set("resourceType", "MedicationRequest")
	renameElement(r, "patient", "subject")
	renameElement(r, "prescriber", "requester")
	renameElement(r, "dateWritten", "authoredOn")
	if !r.Has("intent") {
		r.SetAfter("status", "intent", "order")
	}
	reasons(r, "reasonCodeableConcept", "reasonReference")
	if re := r.Delete("reasonEnded"); re != nil {
		r.Set("statusReason", re)
	}
	for _, d := range r.Objects("dosageInstruction") {
		dosage(d)
	}
	if s := r.Obj("substitution"); s != nil && !s.Has("allowedBoolean") && s.Has("type") {
		renameElement(s, "type", "allowedCodeableConcept")
	}
}

func medicationStatement(r *obj) {
	renameElement(r, "patient", "subject")
	notTaken := false
	if b, ok := boolValue(r.Get("wasNotTaken")); ok {
		r.Delete("wasNotTaken")
		notTaken = b
	}
	if t, ok := r.Get("taken").(string); ok {
		r.Delete("taken")
		switch t {
		case "n":
			notTaken = true
		case "unk":
			if !r.Has("status") {
				r.Set("status", "unknown")
			}
		}
	}
	if notTaken {
		r.Set("status", "not-taken")
	}
	for _, k := range []string{"reasonNotTaken"} {
		if rs := r.Array(k); len(rs) > 0 {
			r.Delete(k)
			r.Set("statusReason", rs)
		}
	}
	reasons(r, "reasonForUseCodeableConcept", "reasonForUseReference")
	if rc := r.Get("reasonCode"); rc != nil {
		r.Set("reasonCode", asList(rc))
	}
	for _, d := range r.Objects("dosage") {
		dosage(d)
	}
}

// related maps Observation.related (DSTU2, STU3) to hasMember and derivedFrom.
func related(r *obj) {
	rel := r.Objects("related")
	if rel == nil {
		return
	}
	var keep []any
	for _, x := range rel {
		switch x.Str("type") {
		case "has-member":
			r.Set("hasMember", append(r.Array("hasMember"), x.Get("target")))
		case "derived-from", "sequel-to", "qualified-by":
			r.Set("derivedFrom", append(r.Array("derivedFrom"), x.Get("target")))
		default:
			keep = append(keep, x)
		}
	}
	if keep == nil {
		r.Delete("related")
	} else {
		r.Set("related", keep)
	}
}

var encounterClasses = map[string][2]string{
	"inpatient":  {"IMP", "inpatient encounter"},
	"outpatient": {"AMB", "ambulatory"},
	"ambulatory": {"AMB", "ambulatory"},
	"emergency":  {"EMER", "emergency"},
	"home":       {"HH", "home health"},
	"field":      {"FLD", "field"},
	"daytime":    {"SS", "short stay"},
	"virtual":    {"VR", "virtual"},
}

func encounter(r *obj) {
	renameElement(r, "patient", "subject")
	if c, ok := r.Get("class").(string); ok {
		if m, ok := encounterClasses[lowerCode(c)]; ok {
			r.Set("class", jsontree.New("system", csActCode, "code", m[0], "display", m[1]))
		} else {
			r.Set("class", jsontree.New("display", c))
		}
	}
	if rc := r.Delete("reason"); rc != nil {
		r.Set("reasonCode", asList(rc))
	}
	if ind := r.Delete("indication"); ind != nil {
		r.Set("reasonReference", asList(ind))
	}
	renameElement(r, "incomingReferral", "basedOn")
}

var goalStatus = map[string][2]string{ // lifecycleStatus, achievementStatus
	"proposed":         {"proposed", ""},
	"planned":          {"planned", ""},
	"accepted":         {"accepted", ""},
	"rejected":         {"rejected", ""},
	"in-progress":      {"active", "in-progress"},
	"achieved":         {"completed", "achieved"},
	"sustaining":       {"active", "sustaining"},
	"on-hold":          {"on-hold", ""},
	"cancelled":        {"cancelled", ""},
	"on-target":        {"active", "in-progress"},
	"ahead-of-target":  {"active", "improving"},
	"behind-target":    {"active", "worsening"},
	"entered-in-error": {"entered-in-error", ""},
}

func goal(r *obj) {
	if st, ok := r.Get("status").(string); ok && !r.Has("lifecycleStatus") {
		if m, ok := goalStatus[st]; ok {
			r.Rename("status", "lifecycleStatus")
			r.Set("lifecycleStatus", m[0])
			if m[1] != "" && !r.Has("achievementStatus") {
				r.SetAfter("lifecycleStatus", "achievementStatus", codeableConcept(csGoalAchievement, m[1], ""))
			}
		}
	}
	if d, ok := r.Get("description").(string); ok {
		r.Set("description", jsontree.New("text", d))
	}
	if td := r.Get("targetDate"); td != nil {
		r.Delete("targetDate")
		t := r.Obj("target")
		if t == nil {
			t = &obj{}
			r.Set("target", []any{t})
		}
		t.Set("dueDate", td)
	}
	r.ToArray("target")
	switch sr := r.Get("statusReason").(type) {
	case *obj:
		r.Set("statusReason", conceptText(sr))
	case []any:
		if len(sr) > 0 {
			if o, ok := sr[0].(*obj); ok {
				r.Set("statusReason", conceptText(o))
			}
		}
	}
	renameElement(r, "author", "expressedBy")
}

// conceptText returns a concept's text or first display.
func conceptText(c *obj) string {
	if t := c.Str("text"); t != "" {
		return t
	}
	for _, cd := range c.Objects("coding") {
		if d := cd.Str("display"); d != "" {
			return d
		}
		if d := cd.Str("code"); d != "" {
			return d
		}
	}
	return ""
}

func documentReference(r *obj) {
	renameElement(r, "indexed", "date")
	if c := r.Delete("class"); c != nil {
		r.Set("category", asList(c))
	}
	if cr := r.Delete("created"); cr != nil {
		for _, c := range r.Objects("content") {
			if a := c.Obj("attachment"); a != nil && !a.Has("creation") {
				a.Set("creation", cr)
			}
		}
	}
	for _, c := range r.Objects("content") {
		if f, ok := c.Get("format").([]any); ok && len(f) > 0 {
			c.Set("format", f[0])
		}
	}
	if ctx := r.Obj("context"); ctx != nil {
		ctx.ToArray("encounter")
		var rel []any
		for _, x := range ctx.Objects("related") {
			if ref := x.Get("ref"); ref != nil {
				rel = append(rel, ref)
			}
		}
		if rel != nil {
			ctx.Set("related", rel)
		}
	}
}

func coverage(r *obj) {
	if g := r.Obj("grouping"); g != nil { // STU3
		r.Delete("grouping")
		var classes []any
		for _, k := range []string{"group", "subGroup", "plan", "subPlan", "class", "subClass"} {
			val, ok := g.Get(k).(string)
			if !ok {
				continue
			}
			c := jsontree.New("type", codeableConcept(csCoverageClass, strings.ToLower(k[:1])+strings.ToLower(k[1:]), ""), "value", val)
			if name, ok := g.Get(k + "Display").(string); ok {
				c.Set("name", name)
			}
			classes = append(classes, c)
		}
		if classes != nil {
			r.Set("class", classes)
		}
	}
	if is := r.Delete("issuer"); is != nil { // DSTU2
		r.Set("payor", asList(is))
	}
	if sid := r.Obj("subscriberId"); sid != nil { // DSTU2 Identifier
		r.Set("subscriberId", sid.Str("value"))
	}
	if t := r.Obj("type"); t != nil && t.Has("code") && !t.Has("coding") { // DSTU2 Coding
		r.Set("type", jsontree.New("coding", []any{t}))
	}
}

func claim(r *obj) {
	if r.Str("resourceType") == "ExplanationOfBenefit" && !r.Has("use") {
		r.SetAfter("type", "use", "claim")
	}
	renameElement(r, "information", "supportingInfo")
	if ins, ok := r.Get("insurance").(*obj); ok {
		if !ins.Has("focal") {
			ins.Insert(0, "focal", true)
		}
		r.Set("insurance", []any{ins})
	}
	if st, ok := r.Get("subType").([]any); ok && len(st) > 0 {
		r.Set("subType", st[0])
	}
	if oc, ok := r.Get("outcome").(*obj); ok {
		if code := conceptText(oc); code != "" {
			r.Set("outcome", code)
		}
	}
	var totals []any
	for _, t := range [][2]string{{"totalCost", "submitted"}, {"totalBenefit", "benefit"}} {
		if m := r.Get(t[0]); m != nil {
			r.Delete(t[0])
			totals = append(totals, jsontree.New("category", codeableConcept(csAdjudication, t[1], ""), "amount", m))
		}
	}
	if totals != nil && !r.Has("total") {
		r.Set("total", totals)
	}
	for _, it := range r.Objects("item") {
		claimItem(it)
		for _, d := range it.Objects("detail") {
			claimItem(d)
			for _, sd := range d.Objects("subDetail") {
				claimItem(sd)
			}
		}
	}
	for _, it := range r.Objects("addItem") {
		claimItem(it)
		renameElement(it, "sequenceLinkId", "itemSequence")
	}
	for _, b := range r.Objects("benefitBalance") {
		for _, f := range b.Objects("financial") {
			for _, x := range []string{"UnsignedInt", "String", "Money"} {
				renameElement(f, "benefit"+x, "allowed"+x)
				renameElement(f, "benefitUsed"+x, "used"+x)
			}
		}
	}
}

func claimItem(it *obj) {
	renameElement(it, "service", "productOrService")
	renameElement(it, "careTeamLinkId", "careTeamSequence")
	renameElement(it, "diagnosisLinkId", "diagnosisSequence")
	renameElement(it, "procedureLinkId", "procedureSequence")
	renameElement(it, "informationLinkId", "informationSequence")
}

// humanNames joins DSTU2's list of family names into R4's one string,
// wherever a HumanName sits (Patient.name, Patient.contact.name, ...).
func humanNames(v any) {
	switch t := v.(type) {
	case *obj:
		for k, v := range t.All() {
			if k == "name" {
				for _, n := range asList(v) {
					if hn, ok := n.(*obj); ok {
						if fam, ok := hn.Get("family").([]any); ok {
							var parts []string
							for _, f := range fam {
								if s, ok := f.(string); ok {
									parts = append(parts, s)
								}
							}
							hn.Set("family", strings.Join(parts, " "))
						}
					}
				}
			}
			if k != "contained" {
				humanNames(v)
			}
		}
	case []any:
		for _, e := range t {
			humanNames(e)
		}
	}
}
