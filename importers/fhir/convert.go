package fhir

import (
	"encoding/json"
	"strings"
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

func (v version) format() string {
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
	for _, c := range r.objs("contained") {
		convert(c, v)
	}
	if v == vDSTU2 {
		humanNames(r)
	}
	notes(r)
	switch r.str("resourceType") {
	case "Condition":
		r.rename("patient", "subject")
		r.rename("dateRecorded", "recordedDate")
		r.rename("assertedDate", "recordedDate")
		r.rename("context", "encounter")
		statusConcept(r, "clinicalStatus", csConditionClinical, nil)
		statusConcept(r, "verificationStatus", csConditionVer, map[string]string{"unknown": "unconfirmed"})
		r.toArray("category")
		for _, ev := range r.objs("evidence") {
			ev.toArray("code")
		}
		if b, ok := boolValue(r.get("abatementBoolean")); ok {
			r.del("abatementBoolean")
			if b {
				r.set("abatementString", "resolved")
			}
		}
		r.rename("onsetQuantity", "onsetAge")
		r.rename("abatementQuantity", "abatementAge")
	case "AllergyIntolerance":
		allergy(r, v)
	case "Immunization":
		immunization(r)
	case "MedicationOrder":
		medicationOrder(r)
	case "MedicationRequest":
		if req := r.obj("requester"); req != nil && req.has("agent") {
			r.set("requester", req.get("agent"))
		}
		r.rename("context", "encounter")
		for _, d := range r.objs("dosageInstruction") {
			dosage(d)
		}
	case "MedicationDispense":
		r.rename("patient", "subject")
		if d := r.get("dispenser"); d != nil {
			r.del("dispenser")
			r.set("performer", []any{newObj("actor", d)})
		}
		for _, d := range r.objs("dosageInstruction") {
			dosage(d)
		}
		if b, ok := boolValue(r.get("notDone")); ok && b {
			r.del("notDone")
			r.set("status", "declined")
			r.rename("notDoneReasonCodeableConcept", "statusReasonCodeableConcept")
			r.rename("notDoneReasonReference", "statusReasonReference")
		}
	case "MedicationStatement":
		medicationStatement(r)
	case "Observation":
		r.toArray("category")
		r.rename("context", "encounter")
		textNote(r, "comments")
		textNote(r, "comment")
		related(r)
	case "DiagnosticReport":
		r.toArray("category")
		r.rename("context", "encounter")
		r.rename("request", "basedOn")
		r.rename("codedDiagnosis", "conclusionCode")
		var perf []any
		for _, p := range r.arr("performer") {
			if po, ok := p.(*obj); ok && po.has("actor") {
				perf = append(perf, po.get("actor"))
			} else {
				perf = append(perf, p)
			}
		}
		if perf != nil {
			r.set("performer", perf)
		}
	case "Procedure":
		r.rename("context", "encounter")
		notDone(r, "notPerformed", "reasonNotPerformed")
		notDone(r, "notDone", "notDoneReason")
		reasons(r, "reasonCodeableConcept", "reasonReference")
		for _, p := range r.objs("performer") {
			p.rename("role", "function")
		}
	case "Encounter":
		encounter(r)
	case "CarePlan":
		r.rename("context", "encounter")
		mapCode(r, "status", map[string]string{"proposed": "draft", "cancelled": "revoked"})
		if !r.has("intent") {
			r.setAfter("status", "intent", "plan")
		}
		for _, a := range r.objs("activity") {
			if d := a.obj("detail"); d != nil {
				d.rename("prohibited", "doNotPerform")
				d.rename("definition", "instantiatesReference")
			}
		}
	case "Goal":
		goal(r)
	case "Binary":
		r.rename("content", "data")
	case "DocumentReference":
		documentReference(r)
	case "Practitioner":
		r.toArray("name")
	case "Patient":
		r.rename("careProvider", "generalPractitioner")
	case "Organization", "Location":
		r.toArray("type")
	case "FamilyMemberHistory":
		if g, ok := r.get("gender").(string); ok {
			r.del("gender")
			r.set("sex", codeableConcept(csGender, g, ""))
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
	switch n := r.get("note").(type) {
	case string:
		r.set("note", []any{newObj("text", n)})
	case *obj:
		r.set("note", []any{n})
	}
	textNote(r, "notes")
}

// textNote moves a plain-text element (DSTU2 "comments", "notes") into note.
func textNote(r *obj, key string) {
	s, ok := r.get(key).(string)
	if !ok {
		return
	}
	r.del(key)
	r.set("note", append(r.arr("note"), newObj("text", s)))
}

// statusConcept turns a plain status code into a CodeableConcept of system.
func statusConcept(r *obj, key, system string, remap map[string]string) {
	s, ok := r.get(key).(string)
	if !ok {
		return
	}
	code := lowerCode(s)
	if m, ok := remap[code]; ok {
		code = m
	}
	r.set(key, codeableConcept(system, code, ""))
}

func mapCode(r *obj, key string, m map[string]string) {
	if s, ok := r.get(key).(string); ok {
		if to, ok := m[s]; ok {
			r.set(key, to)
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
	b, ok := boolValue(r.get(flag))
	if !ok {
		return
	}
	r.del(flag)
	if !b {
		return
	}
	r.set("status", "not-done")
	if rs := r.arr(reason); len(rs) > 0 {
		r.del(reason)
		r.set("statusReason", rs[0])
	}
}

// reasons maps reason[x] (DSTU2) to R4's reasonCode and reasonReference lists.
func reasons(r *obj, codeKey, refKey string) {
	if v := r.get(codeKey); v != nil && codeKey != "reasonCode" {
		r.del(codeKey)
		r.set("reasonCode", asList(v))
	}
	if v := r.get(refKey); v != nil {
		if refKey != "reasonReference" {
			r.del(refKey)
		}
		r.set("reasonReference", asList(v))
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
	d.rename("siteCodeableConcept", "site")
	if ai := d.get("additionalInstructions"); ai != nil {
		d.del("additionalInstructions")
		d.set("additionalInstruction", asList(ai))
	}
	d.rename("quantityQuantity", "doseQuantity")
	d.rename("quantityRange", "doseRange")
	if d.has("doseAndRate") {
		return
	}
	dr := &obj{}
	for _, k := range []string{"doseRange", "doseQuantity", "rateRatio", "rateRange", "rateQuantity"} {
		if v := d.del(k); v != nil {
			dr.set(k, v)
		}
	}
	if v := d.del("rateSimpleQuantity"); v != nil {
		dr.set("rateQuantity", v)
	}
	if len(dr.keys) > 0 {
		d.set("doseAndRate", []any{dr})
	}
}

func allergy(r *obj, v version) {
	r.rename("substance", "code")
	r.rename("assertedDate", "recordedDate")
	r.rename("onset", "onsetDateTime")
	r.rename("lastOccurence", "lastOccurrence")
	r.rename("reporter", "asserter")
	if st, ok := r.get("status").(string); ok && v == vDSTU2 {
		// DSTU2 has one status for both axes.
		r.del("status")
		switch st {
		case "active", "inactive", "resolved":
			r.set("clinicalStatus", codeableConcept(csAllergyClinical, st, ""))
		case "confirmed":
			r.set("clinicalStatus", codeableConcept(csAllergyClinical, "active", ""))
			r.set("verificationStatus", codeableConcept(csAllergyVer, st, ""))
		case "unconfirmed", "refuted", "entered-in-error":
			r.set("verificationStatus", codeableConcept(csAllergyVer, st, ""))
		default:
			r.set("status", st)
		}
	}
	statusConcept(r, "clinicalStatus", csAllergyClinical, nil)
	statusConcept(r, "verificationStatus", csAllergyVer, nil)
	if c, ok := r.get("category").(string); ok {
		r.set("category", []any{c})
	}
	mapCode(r, "criticality", map[string]string{"CRITL": "low", "CRITH": "high", "CRITU": "unable-to-assess"})
	for _, re := range r.objs("reaction") {
		re.toArray("manifestation")
		re.toArray("note")
	}
}

func immunization(r *obj) {
	r.rename("date", "occurrenceDateTime")
	notGiven := false
	for _, k := range []string{"wasNotGiven", "notGiven"} {
		if b, ok := boolValue(r.get(k)); ok {
			r.del(k)
			notGiven = notGiven || b
		}
	}
	switch {
	case notGiven:
		r.set("status", "not-done")
	case r.str("status") == "entered-in-error":
	default:
		// Recorded as given: R4 knows only completed for that.
		r.set("status", "completed")
	}
	if b, ok := boolValue(r.get("reported")); ok {
		r.del("reported")
		r.set("primarySource", !b)
	}
	if e := r.obj("explanation"); e != nil {
		r.del("explanation")
		if rc := e.get("reason"); rc != nil {
			r.set("reasonCode", asList(rc))
		}
		if rn := e.arr("reasonNotGiven"); len(rn) > 0 {
			r.set("statusReason", rn[0])
		}
	}
	var perf []any
	for _, p := range r.objs("practitioner") { // STU3
		p.rename("role", "function")
		perf = append(perf, p)
	}
	r.del("practitioner")
	if p := r.get("performer"); p != nil { // DSTU2: a Reference
		if po, ok := p.(*obj); ok && !po.has("actor") {
			perf = append(perf, newObj("function", codeableConcept(csPerformerFunction, "AP", "Administering Provider"), "actor", po))
			r.del("performer")
		}
	}
	if q := r.get("requester"); q != nil { // DSTU2
		r.del("requester")
		perf = append(perf, newObj("function", codeableConcept(csPerformerFunction, "OP", "Ordering Provider"), "actor", q))
	}
	if perf != nil {
		r.set("performer", perf)
	}
	var applied []any
	for _, p := range r.objs("vaccinationProtocol") {
		if n, ok := p.get("doseSequence").(json.Number); ok {
			p.del("doseSequence")
			p.set("doseNumberPositiveInt", n)
		} else if s, ok := p.get("doseSequence").(string); ok {
			p.del("doseSequence")
			p.set("doseNumberString", s)
		}
		if n, ok := p.get("seriesDoses").(json.Number); ok {
			p.set("seriesDosesPositiveInt", n)
			p.del("seriesDoses")
		}
		p.toArray("targetDisease")
		p.del("doseStatus")
		p.del("doseStatusReason")
		applied = append(applied, p)
	}
	if applied != nil {
		r.del("vaccinationProtocol")
		r.set("protocolApplied", applied)
	}
}

func medicationOrder(r *obj) {
	r.set("resourceType", "MedicationRequest")
	r.rename("patient", "subject")
	r.rename("prescriber", "requester")
	r.rename("dateWritten", "authoredOn")
	if !r.has("intent") {
		r.setAfter("status", "intent", "order")
	}
	reasons(r, "reasonCodeableConcept", "reasonReference")
	if re := r.del("reasonEnded"); re != nil {
		r.set("statusReason", re)
	}
	for _, d := range r.objs("dosageInstruction") {
		dosage(d)
	}
	if s := r.obj("substitution"); s != nil && !s.has("allowedBoolean") && s.has("type") {
		s.rename("type", "allowedCodeableConcept")
	}
}

func medicationStatement(r *obj) {
	r.rename("patient", "subject")
	notTaken := false
	if b, ok := boolValue(r.get("wasNotTaken")); ok {
		r.del("wasNotTaken")
		notTaken = b
	}
	if t, ok := r.get("taken").(string); ok {
		r.del("taken")
		switch t {
		case "n":
			notTaken = true
		case "unk":
			if !r.has("status") {
				r.set("status", "unknown")
			}
		}
	}
	if notTaken {
		r.set("status", "not-taken")
	}
	for _, k := range []string{"reasonNotTaken"} {
		if rs := r.arr(k); len(rs) > 0 {
			r.del(k)
			r.set("statusReason", rs)
		}
	}
	reasons(r, "reasonForUseCodeableConcept", "reasonForUseReference")
	if rc := r.get("reasonCode"); rc != nil {
		r.set("reasonCode", asList(rc))
	}
	for _, d := range r.objs("dosage") {
		dosage(d)
	}
}

// related maps Observation.related (DSTU2, STU3) to hasMember and derivedFrom.
func related(r *obj) {
	rel := r.objs("related")
	if rel == nil {
		return
	}
	var keep []any
	for _, x := range rel {
		switch x.str("type") {
		case "has-member":
			r.set("hasMember", append(r.arr("hasMember"), x.get("target")))
		case "derived-from", "sequel-to", "qualified-by":
			r.set("derivedFrom", append(r.arr("derivedFrom"), x.get("target")))
		default:
			keep = append(keep, x)
		}
	}
	if keep == nil {
		r.del("related")
	} else {
		r.set("related", keep)
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
	r.rename("patient", "subject")
	if c, ok := r.get("class").(string); ok {
		if m, ok := encounterClasses[lowerCode(c)]; ok {
			r.set("class", newObj("system", csActCode, "code", m[0], "display", m[1]))
		} else {
			r.set("class", newObj("display", c))
		}
	}
	if rc := r.del("reason"); rc != nil {
		r.set("reasonCode", asList(rc))
	}
	if ind := r.del("indication"); ind != nil {
		r.set("reasonReference", asList(ind))
	}
	r.rename("incomingReferral", "basedOn")
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
	if st, ok := r.get("status").(string); ok && !r.has("lifecycleStatus") {
		if m, ok := goalStatus[st]; ok {
			i := r.index("status")
			r.keys[i] = "lifecycleStatus"
			r.vals[i] = m[0]
			if m[1] != "" && !r.has("achievementStatus") {
				r.setAfter("lifecycleStatus", "achievementStatus", codeableConcept(csGoalAchievement, m[1], ""))
			}
		}
	}
	if d, ok := r.get("description").(string); ok {
		r.set("description", newObj("text", d))
	}
	if td := r.get("targetDate"); td != nil {
		r.del("targetDate")
		t := r.obj("target")
		if t == nil {
			t = &obj{}
			r.set("target", []any{t})
		}
		t.set("dueDate", td)
	}
	r.toArray("target")
	switch sr := r.get("statusReason").(type) {
	case *obj:
		r.set("statusReason", conceptText(sr))
	case []any:
		if len(sr) > 0 {
			if o, ok := sr[0].(*obj); ok {
				r.set("statusReason", conceptText(o))
			}
		}
	}
	r.rename("author", "expressedBy")
}

// conceptText returns a concept's text or first display.
func conceptText(c *obj) string {
	if t := c.str("text"); t != "" {
		return t
	}
	for _, cd := range c.objs("coding") {
		if d := cd.str("display"); d != "" {
			return d
		}
		if d := cd.str("code"); d != "" {
			return d
		}
	}
	return ""
}

func documentReference(r *obj) {
	r.rename("indexed", "date")
	if c := r.del("class"); c != nil {
		r.set("category", asList(c))
	}
	if cr := r.del("created"); cr != nil {
		for _, c := range r.objs("content") {
			if a := c.obj("attachment"); a != nil && !a.has("creation") {
				a.set("creation", cr)
			}
		}
	}
	for _, c := range r.objs("content") {
		if f, ok := c.get("format").([]any); ok && len(f) > 0 {
			c.set("format", f[0])
		}
	}
	if ctx := r.obj("context"); ctx != nil {
		ctx.toArray("encounter")
		var rel []any
		for _, x := range ctx.objs("related") {
			if ref := x.get("ref"); ref != nil {
				rel = append(rel, ref)
			}
		}
		if rel != nil {
			ctx.set("related", rel)
		}
	}
}

func coverage(r *obj) {
	if g := r.obj("grouping"); g != nil { // STU3
		r.del("grouping")
		var classes []any
		for _, k := range []string{"group", "subGroup", "plan", "subPlan", "class", "subClass"} {
			val, ok := g.get(k).(string)
			if !ok {
				continue
			}
			c := newObj("type", codeableConcept(csCoverageClass, strings.ToLower(k[:1])+strings.ToLower(k[1:]), ""), "value", val)
			if name, ok := g.get(k + "Display").(string); ok {
				c.set("name", name)
			}
			classes = append(classes, c)
		}
		if classes != nil {
			r.set("class", classes)
		}
	}
	if is := r.del("issuer"); is != nil { // DSTU2
		r.set("payor", asList(is))
	}
	if sid := r.obj("subscriberId"); sid != nil { // DSTU2 Identifier
		r.set("subscriberId", sid.str("value"))
	}
	if t := r.obj("type"); t != nil && t.has("code") && !t.has("coding") { // DSTU2 Coding
		r.set("type", newObj("coding", []any{t}))
	}
}

func claim(r *obj) {
	if r.str("resourceType") == "ExplanationOfBenefit" && !r.has("use") {
		r.setAfter("type", "use", "claim")
	}
	r.rename("information", "supportingInfo")
	if ins, ok := r.get("insurance").(*obj); ok {
		if !ins.has("focal") {
			ins.keys = append([]string{"focal"}, ins.keys...)
			ins.vals = append([]any{true}, ins.vals...)
		}
		r.set("insurance", []any{ins})
	}
	if st, ok := r.get("subType").([]any); ok && len(st) > 0 {
		r.set("subType", st[0])
	}
	if oc, ok := r.get("outcome").(*obj); ok {
		if code := conceptText(oc); code != "" {
			r.set("outcome", code)
		}
	}
	var totals []any
	for _, t := range [][2]string{{"totalCost", "submitted"}, {"totalBenefit", "benefit"}} {
		if m := r.get(t[0]); m != nil {
			r.del(t[0])
			totals = append(totals, newObj("category", codeableConcept(csAdjudication, t[1], ""), "amount", m))
		}
	}
	if totals != nil && !r.has("total") {
		r.set("total", totals)
	}
	for _, it := range r.objs("item") {
		claimItem(it)
		for _, d := range it.objs("detail") {
			claimItem(d)
			for _, sd := range d.objs("subDetail") {
				claimItem(sd)
			}
		}
	}
	for _, it := range r.objs("addItem") {
		claimItem(it)
		it.rename("sequenceLinkId", "itemSequence")
	}
	for _, b := range r.objs("benefitBalance") {
		for _, f := range b.objs("financial") {
			for _, x := range []string{"UnsignedInt", "String", "Money"} {
				f.rename("benefit"+x, "allowed"+x)
				f.rename("benefitUsed"+x, "used"+x)
			}
		}
	}
}

func claimItem(it *obj) {
	it.rename("service", "productOrService")
	it.rename("careTeamLinkId", "careTeamSequence")
	it.rename("diagnosisLinkId", "diagnosisSequence")
	it.rename("procedureLinkId", "procedureSequence")
	it.rename("informationLinkId", "informationSequence")
}

// humanNames joins DSTU2's list of family names into R4's one string,
// wherever a HumanName sits (Patient.name, Patient.contact.name, ...).
func humanNames(v any) {
	switch t := v.(type) {
	case *obj:
		for i, k := range t.keys {
			if k == "name" {
				for _, n := range asList(t.vals[i]) {
					if hn, ok := n.(*obj); ok {
						if fam, ok := hn.get("family").([]any); ok {
							var parts []string
							for _, f := range fam {
								if s, ok := f.(string); ok {
									parts = append(parts, s)
								}
							}
							hn.set("family", strings.Join(parts, " "))
						}
					}
				}
			}
			if k != "contained" {
				humanNames(t.vals[i])
			}
		}
	case []any:
		for _, e := range t {
			humanNames(e)
		}
	}
}
