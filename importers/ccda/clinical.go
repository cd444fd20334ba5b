package ccda

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
	"github.com/kinfolio/kinfolio/record"
)

// ---- medications -------------------------------------------------------

// product returns the drug or vaccine a substanceAdministration or supply
// names: the manufactured material's code, else its name, else the
// statement's narrative.
func (m *mapper) product(st *node, th thing) *obj {
	mp := st.path("consumable", "manufacturedProduct")
	if mp == nil {
		mp = st.path("product", "manufacturedProduct")
	}
	mat := mp.child("manufacturedMaterial")
	cc := m.named(m.concept(mat.child("code")), mat.child("code"), st, th)
	if conceptText(cc) == "" {
		if name := collapse(mat.child("name").textContent()); name != "" {
			if cc == nil {
				cc = &obj{}
			}
			cc.SetNonEmpty("text", name)
		}
	}
	return m.fillText(cc, st)
}

var medStatementStatus = map[string]string{
	"active": "active", "completed": "completed", "aborted": "stopped", "suspended": "on-hold",
	"cancelled": "not-taken", "nullified": "entered-in-error", "new": "intended", "held": "on-hold",
}

var medRequestStatus = map[string]string{
	"active": "active", "completed": "completed", "aborted": "stopped", "suspended": "on-hold",
	"cancelled": "cancelled", "nullified": "entered-in-error", "new": "draft", "held": "on-hold",
}

// medication maps a medication activity: what was taken (moodCode EVN) to a
// MedicationStatement, what is prescribed or planned to a MedicationRequest.
func (m *mapper) medication(s *section, st *node, planned bool) string {
	med := m.product(st, thingDrug)
	negated := isNegated(st)
	if negated && statesAbsence(conceptText(med)) {
		m.warn("a \"no known medications\" entry is also marked as negated; it was read as no known medications (at " + st.xpath() + ")")
		negated = false
	}
	noneKnown := false
	if g, _ := generic(med); g && (negated || hasNoKnownText(m.statementText(st)) || hasNoKnownText(m.sectionText())) {
		// "drug or medication", negated or under "No known
		// medications": no medications.
		noneKnown = true
	}
	if noneKnown || !hasMeaning(med) || (conceptText(med) == "" && negated) {
		if noneKnown || negated || hasNoKnownText(m.statementText(st)) {
			med = newObj("coding", []any{newObj("system", record.SystemAbsentIPS, "code", "no-known-medications", "display", "No known medications")}, "text", "No known medications")
			negated = false
		}
	}
	if !hasMeaning(med) {
		return "the medication names no drug"
	}
	mood := strings.ToUpper(st.attr("moodCode"))
	w := m.intervalTime(st)
	dosage := m.dosage(st, w)
	code := status(st)
	if mood == "EVN" && !planned || s.kind == secMedsAdministered && !planned {
		r := m.newRes("MedicationStatement", st.xpath())
		r.SetNonEmpty("identifier", identifiers(st.children("id")))
		stat := medStatementStatus[code]
		if negated {
			stat = "not-taken"
		}
		if stat == "" {
			stat = "unknown"
		}
		r.SetNonEmpty("status", stat)
		r.SetNonEmpty("medicationCodeableConcept", med)
		r.SetNonEmpty("subject", m.subject())
		w.setOn(r, "effective")
		if a := st.child("author"); a != nil {
			r.SetNonEmpty("dateAsserted", m.ts(a.child("time")))
		}
		r.SetNonEmpty("informationSource", m.authorRef(st))
		r.SetNonEmpty("reasonCode", m.reasons(st))
		r.SetNonEmpty("note", m.notes(st))
		r.SetNonEmpty("dosage", listIf(dosage))
		m.emit(r)
		return ""
	}
	r := m.newRes("MedicationRequest", st.xpath())
	r.SetNonEmpty("identifier", identifiers(st.children("id")))
	stat := medRequestStatus[code]
	if negated {
		stat = "cancelled"
	}
	if stat == "" {
		stat = "unknown"
	}
	r.SetNonEmpty("status", stat)
	intent := "order"
	if planned || s.kind == secPlan || mood == "PRP" || mood == "ARQ" {
		intent = "plan"
	}
	r.SetNonEmpty("intent", intent)
	r.SetNonEmpty("medicationCodeableConcept", med)
	r.SetNonEmpty("subject", m.subject())
	if a := st.child("author"); a != nil {
		r.SetNonEmpty("authoredOn", m.ts(a.child("time")))
	}
	r.SetNonEmpty("requester", m.authorRef(st))
	r.SetNonEmpty("reasonCode", m.reasons(st))
	r.SetNonEmpty("note", m.notes(st))
	r.SetNonEmpty("dosageInstruction", listIf(dosage))
	if p := w.period(); p != nil {
		r.SetNonEmpty("dispenseRequest", newObj("validityPeriod", p))
	}
	m.emit(r)
	return ""
}

var periodUnits = map[string]string{
	"s": "s", "min": "min", "h": "h", "hr": "h", "d": "d", "wk": "wk", "mo": "mo", "a": "a",
}

// dosage builds a Dosage from dose, route, schedule and sig.
func (m *mapper) dosage(st *node, w when) *obj {
	d := &obj{}
	// Free-text sig (R2.1), else the instructions' text.
	for _, r := range related(st) {
		if r.hasTemplate("2.16.840.1.113883.10.20.22.4.147") {
			d.SetNonEmpty("text", m.statementText(r))
		}
	}
	for _, r := range related(st, "SUBJ", "REFR") {
		if r.hasTemplate("2.16.840.1.113883.10.20.22.4.20", "2.16.840.1.113883.10.20.1.49") {
			d.SetNonEmpty("patientInstruction", firstNonEmpty(m.statementText(r), conceptText(m.concept(r.child("code")))))
		}
	}
	timing := &obj{}
	repeat := &obj{}
	for _, et := range st.children("effectiveTime") {
		switch et.xsiType() {
		case "PIVL_TS":
			p := et.child("period")
			v, ok := decimal(p.attr("value"))
			unit := periodUnits[strings.ToLower(strings.TrimSpace(p.attr("unit")))]
			if !ok || unit == "" || v == "0" {
				continue
			}
			if strings.EqualFold(et.attr("institutionSpecified"), "true") && unit == "h" {
				if n, err := strconv.Atoi(string(v)); err == nil && n > 0 && 24%n == 0 {
					repeat.SetNonEmpty("frequency", 24/n).SetNonEmpty("period", json.Number("1")).SetNonEmpty("periodUnit", "d")
					continue
				}
			}
			repeat.SetNonEmpty("frequency", 1).SetNonEmpty("period", v).SetNonEmpty("periodUnit", unit)
		case "EIVL_TS":
			if ev := strings.TrimSpace(et.child("event").attr("code")); ev != "" {
				repeat.SetNonEmpty("when", []string{ev})
			}
		}
	}
	if p := w.period(); p != nil && w.end != "" {
		repeat.SetNonEmpty("boundsPeriod", p)
	}
	timing.SetNonEmpty("repeat", repeat)
	d.SetNonEmpty("timing", timing)
	if pc := st.child("precondition"); pc != nil {
		d.SetNonEmpty("asNeededBoolean", true)
	}
	d.SetNonEmpty("route", m.concept(st.child("routeCode")))
	if site := m.concept(st.child("approachSiteCode")); site != nil {
		d.SetNonEmpty("site", site)
	}
	dq := st.child("doseQuantity")
	if dq != nil {
		unitText := ""
		if c := st.child("administrationUnitCode"); c != nil {
			unitText = collapse(c.attr("displayName"))
		}
		if q, ok := quantity(dq); ok {
			if q.Get("unit") == nil && unitText != "" {
				q.SetNonEmpty("unit", unitText)
			}
			d.SetNonEmpty("doseAndRate", []any{newObj("doseQuantity", q)})
		} else if lo, okl := quantity(dq.child("low")); okl {
			rng := newObj("low", lo)
			if hi, okh := quantity(dq.child("high")); okh {
				rng.SetNonEmpty("high", hi)
			}
			d.SetNonEmpty("doseAndRate", []any{newObj("doseRange", rng)})
		}
	}
	if d.Len() == 0 {
		return nil
	}
	return d
}

// ---- immunizations -----------------------------------------------------

// immunization maps an immunization activity: a given (or refused) vaccine
// to an Immunization; a planned one to a MedicationRequest with intent plan.
func (m *mapper) immunization(st *node) string {
	vaccine := m.product(st, thingVaccine)
	noneKnown := false
	if g, _ := generic(vaccine); g && isNegated(st) {
		// "Vaccination" or "vaccine", not given: no immunizations.
		vaccine = newObj("coding", []any{newObj("system", record.SystemAbsentIPS, "code", "no-known-immunizations", "display", "No known immunizations")}, "text", "No known immunizations")
		noneKnown = true
	}
	if !hasMeaning(vaccine) {
		return "the immunization names no vaccine"
	}
	mood := strings.ToUpper(st.attr("moodCode"))
	if mood != "" && mood != "EVN" {
		r := m.newRes("MedicationRequest", st.xpath())
		r.SetNonEmpty("identifier", identifiers(st.children("id")))
		r.SetNonEmpty("status", firstNonEmpty(medRequestStatus[status(st)], "active"))
		r.SetNonEmpty("intent", "plan")
		r.SetNonEmpty("category", []any{newObj("text", "Immunization")})
		r.SetNonEmpty("medicationCodeableConcept", vaccine)
		r.SetNonEmpty("subject", m.subject())
		if p := m.intervalTime(st).period(); p != nil {
			r.SetNonEmpty("dispenseRequest", newObj("validityPeriod", p))
		}
		r.SetNonEmpty("note", m.notes(st))
		m.emit(r)
		return ""
	}
	r := m.newRes("Immunization", st.xpath())
	r.SetNonEmpty("identifier", identifiers(st.children("id")))
	stat := "completed"
	switch status(st) {
	case "aborted", "cancelled", "nullified":
		stat = "not-done"
	}
	if isNegated(st) {
		stat = "not-done"
	}
	r.SetNonEmpty("status", stat)
	if stat == "not-done" && !noneKnown {
		for _, rr := range related(st, "RSON") {
			r.SetNonEmpty("statusReason", m.concept(rr.child("code")))
		}
	}
	r.SetNonEmpty("vaccineCode", vaccine)
	r.SetNonEmpty("patient", m.subject())
	if t := m.intervalTime(st).first(); t != "" {
		r.SetNonEmpty("occurrenceDateTime", t)
	} else {
		r.SetNonEmpty("occurrenceString", "date not stated")
	}
	mat := st.path("consumable", "manufacturedProduct", "manufacturedMaterial")
	r.SetNonEmpty("lotNumber", collapse(mat.child("lotNumberText").textContent()))
	if org := m.organization(st.path("consumable", "manufacturedProduct", "manufacturerOrganization")); org != nil {
		r.SetNonEmpty("manufacturer", org)
	}
	r.SetNonEmpty("site", m.concept(st.child("approachSiteCode")))
	r.SetNonEmpty("route", m.concept(st.child("routeCode")))
	if q, ok := quantity(st.child("doseQuantity")); ok {
		r.SetNonEmpty("doseQuantity", q)
	}
	var perf []any
	for _, p := range m.performerRefs(st) {
		perf = append(perf, newObj("actor", p))
	}
	r.SetNonEmpty("performer", perf)
	r.SetNonEmpty("note", m.notes(st))
	if rn := st.child("repeatNumber"); rn != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(rn.attr("value"))); err == nil && n > 0 {
			r.SetNonEmpty("protocolApplied", []any{newObj("doseNumberPositiveInt", n)})
		}
	}
	m.emit(r)
	return ""
}

// ---- results and vital signs -------------------------------------------

var obsStatus = map[string]string{
	"completed": "final", "active": "preliminary", "aborted": "cancelled", "cancelled": "cancelled",
	"nullified": "entered-in-error", "new": "registered", "held": "registered", "suspended": "registered",
}

// observation maps an observation to an Observation of the given category
// (laboratory, vital-signs, social-history, ...) and returns its reference.
// parent is the organizer it belongs to, whose time it falls back on.
func (m *mapper) observation(s *section, obs *node, parent *node, category string) (*obj, string) {
	codeNode := obs.child("code")
	code := m.named(m.concept(codeNode), codeNode, obs, thingTest)
	val := obs.child("value")
	value := m.value(obs, val)
	if codeNode.attr("code") == "ASSERTION" || genericCode(codeNode) && (!hasMeaning(code) || conceptText(code) == "" || generic1(code)) {
		// The code says nothing; a coded value is what is asserted.
		if cc, ok := value.Get("valueCodeableConcept").(*obj); ok {
			code, value = cc, &obj{}
		}
	}
	code = m.fillText(code, obs)
	if !hasMeaning(code) {
		if value.Len() == 0 {
			return nil, "the observation has no code, value or text"
		}
		code = newObj("text", "Observation")
	}
	o := m.newRes("Observation", obs.xpath())
	o.SetNonEmpty("identifier", identifiers(obs.children("id")))
	stat := obsStatus[status(obs)]
	if stat == "" {
		stat = "final"
	}
	o.SetNonEmpty("status", stat)
	o.SetNonEmpty("category", []any{observationCategory(category)})
	o.SetNonEmpty("code", code)
	o.SetNonEmpty("subject", m.subject())
	w := m.effective(obs.child("effectiveTime"))
	if w.zero() && parent != nil {
		w = m.effective(parent.child("effectiveTime"))
	}
	if w.at == "" && w.start != "" && (w.end == "" || w.end == w.start) {
		w = when{at: w.start}
	}
	w.setOn(o, "effective")
	var perf []any
	for _, p := range m.performerRefs(obs) {
		perf = append(perf, p)
	}
	if len(perf) == 0 {
		if a := m.authorRef(obs); a != nil {
			perf = append(perf, a)
		}
	}
	o.SetNonEmpty("performer", perf)
	for k, v := range value.All() {
		o.SetNonEmpty(k, v)
	}
	if value.Len() == 0 && val != nil && val.nullFlavor() != "" {
		o.SetNonEmpty("dataAbsentReason", absentReason(val.nullFlavor()))
	}
	var interp []any
	for _, ic := range obs.children("interpretationCode") {
		if c := m.concept(ic); c != nil {
			interp = append(interp, c)
		}
	}
	o.SetNonEmpty("interpretation", interp)
	notes := m.notes(obs)
	if isNegated(obs) {
		// "not observed": kept, with the negation stated.
		notes = append([]any{newObj("text", "Recorded as not present (negated).")}, notes...)
	}
	o.SetNonEmpty("note", notes)
	if site := m.concept(obs.child("targetSiteCode")); site != nil {
		o.SetNonEmpty("bodySite", site)
	}
	o.SetNonEmpty("method", m.concept(obs.child("methodCode")))
	var ranges []any
	for _, rr := range obs.children("referenceRange") {
		if r := m.refRange(rr.child("observationRange")); r != nil {
			ranges = append(ranges, r)
		}
	}
	o.SetNonEmpty("referenceRange", ranges)
	return ref(m.emit(o), conceptText(code)), ""
}

func observationCategory(cat string) *obj {
	switch cat {
	case "laboratory", "vital-signs", "social-history", "imaging", "exam", "survey", "procedure", "therapy", "activity":
		return newObj("coding", []any{newObj("system", record.SystemObsCat, "code", cat)})
	case "functional-status", "cognitive-status", "sdoh":
		return newObj("coding", []any{newObj("system", "http://hl7.org/fhir/us/core/CodeSystem/us-core-category", "code", cat)})
	}
	return newObj("coding", []any{newObj("system", record.SystemCCDAObservationCategory, "code", cat)})
}

// value reads an observation's value by its xsi:type (or, when a vendor
// leaves the type out, by its attributes) into value[x] fields.
func (m *mapper) value(obs *node, v *node) *obj {
	out := &obj{}
	if v == nil {
		return out
	}
	typ := v.xsiType()
	if typ == "" {
		switch {
		case v.has("value") && v.has("unit"):
			typ = "PQ"
		case v.has("code") || v.child("originalText") != nil:
			typ = "CD"
		case v.has("value"):
			typ = "PQ"
		case v.child("low") != nil || v.child("high") != nil:
			typ = "IVL_PQ"
		default:
			typ = "ST"
		}
	}
	switch typ {
	case "PQ", "REAL", "MO":
		if q, ok := quantity(v); ok {
			out.SetNonEmpty("valueQuantity", q)
		} else if s := strings.TrimSpace(v.attr("value") + " " + v.attr("unit")); s != "" {
			out.SetNonEmpty("valueString", s)
			m.warnOnce("pq", "some measured values are not numbers; they are kept as text (first at "+v.xpath()+")")
		}
	case "INT":
		if n, err := strconv.Atoi(strings.TrimSpace(v.attr("value"))); err == nil {
			out.SetNonEmpty("valueInteger", n)
		} else if q, ok := quantity(v); ok {
			out.SetNonEmpty("valueQuantity", q)
		} else if s := strings.TrimSpace(v.attr("value")); s != "" {
			out.SetNonEmpty("valueString", s)
		}
	case "IVL_PQ", "IVL_INT", "IVL_REAL":
		lo, okl := quantity(v.child("low"))
		hi, okh := quantity(v.child("high"))
		switch {
		case okl && okh:
			out.SetNonEmpty("valueRange", newObj("low", lo, "high", hi))
		case okh:
			cmp := "<="
			if strings.EqualFold(v.child("high").attr("inclusive"), "false") {
				cmp = "<"
			}
			hi.SetAfter("value", "comparator", cmp)
			out.SetNonEmpty("valueQuantity", hi)
		case okl:
			cmp := ">="
			if strings.EqualFold(v.child("low").attr("inclusive"), "false") {
				cmp = ">"
			}
			lo.SetAfter("value", "comparator", cmp)
			out.SetNonEmpty("valueQuantity", lo)
		default:
			if q, ok := quantity(v.child("center")); ok {
				out.SetNonEmpty("valueQuantity", q)
			} else if t := m.originalTextOrText(v); t != "" {
				out.SetNonEmpty("valueString", t)
			}
		}
	case "CD", "CE", "CV", "CO", "CS":
		if cc := m.concept(v); cc != nil {
			out.SetNonEmpty("valueCodeableConcept", cc)
		}
	case "BL":
		switch strings.ToLower(strings.TrimSpace(v.attr("value"))) {
		case "true":
			out.SetNonEmpty("valueBoolean", true)
		case "false":
			out.SetNonEmpty("valueBoolean", false)
		}
	case "TS":
		out.SetNonEmpty("valueDateTime", m.ts(v))
	case "IVL_TS":
		out.SetNonEmpty("valuePeriod", m.effective(v).period())
	case "RTO", "RTO_PQ_PQ", "RTO_INT_INT":
		n, okn := quantity(v.child("numerator"))
		d, okd := quantity(v.child("denominator"))
		if okn && okd {
			out.SetNonEmpty("valueRatio", newObj("numerator", n, "denominator", d))
		}
	default: // ST, ED, SC, ANY, and types nobody expects
		if t := m.originalTextOrText(v); t != "" {
			out.SetNonEmpty("valueString", t)
		}
	}
	if out.Len() == 0 && v.nullFlavor() == "" && typ != "ST" && typ != "ED" {
		if t := m.originalTextOrText(v); t != "" {
			out.SetNonEmpty("valueString", t)
		}
	}
	return out
}

// originalTextOrText is an ED/ST's words, or a reference's narrative.
func (m *mapper) originalTextOrText(v *node) string {
	if t := directText(v); t != "" {
		return t
	}
	if t := m.refText(v.child("reference")); t != "" {
		return t
	}
	return m.originalText(v)
}

// refRange converts an observationRange.
func (m *mapper) refRange(or *node) *obj {
	if or == nil {
		return nil
	}
	r := &obj{}
	if v := or.child("value"); v != nil {
		if lo, ok := quantity(v.child("low")); ok {
			r.SetNonEmpty("low", lo)
		}
		if hi, ok := quantity(v.child("high")); ok {
			r.SetNonEmpty("high", hi)
		}
		if r.Len() == 0 {
			if t := m.originalTextOrText(v); t != "" {
				r.SetNonEmpty("text", t)
			} else if cc := m.concept(v); cc != nil {
				r.SetNonEmpty("text", conceptText(cc))
			}
		}
	}
	if t := m.originalTextOrText(or.child("text")); t != "" {
		r.SetNonEmpty("text", t)
	}
	if r.Len() == 0 {
		return nil
	}
	return r
}

var reportStatus = map[string]string{
	"completed": "final", "active": "partial", "aborted": "cancelled", "cancelled": "cancelled",
	"nullified": "entered-in-error", "new": "registered", "held": "registered", "suspended": "partial",
}

// resultOrganizer maps a result organizer to its Observations and, when it
// names a panel or holds several results, a DiagnosticReport over them.
func (m *mapper) resultOrganizer(s *section, org *node) string {
	var results []any
	why := ""
	for _, c := range org.children("component") {
		for _, st := range statements(c) {
			if st.name != "observation" {
				if st.name == "organizer" {
					if w := m.resultOrganizer(s, st); w != "" && why == "" {
						why = w
					}
				} else if w := m.statement(s, st); w != "" && why == "" {
					why = w
				}
				continue
			}
			r, w := m.observation(s, st, org, categoryFor(s.kind, "laboratory"))
			if r != nil {
				results = append(results, r)
			} else if why == "" {
				why = w
			}
		}
	}
	code := m.concept(org.child("code"))
	code = m.fillText(code, org)
	if len(results) == 0 {
		if why == "" {
			why = "the result group holds no results"
		}
		return why
	}
	if len(results) == 1 {
		// A panel of one result adds nothing unless it has a name of its own.
		name := conceptText(code)
		only, _ := results[0].(*obj).Get("display").(string)
		if name == "" || strings.EqualFold(name, only) {
			return ""
		}
	}
	if !hasMeaning(code) {
		code = newObj("text", "Results")
	}
	d := m.newRes("DiagnosticReport", org.xpath())
	d.SetNonEmpty("identifier", identifiers(org.children("id")))
	d.SetNonEmpty("status", firstNonEmpty(reportStatus[status(org)], "final"))
	cat := "LAB"
	if s.kind == secImaging {
		cat = "RAD"
	}
	d.SetNonEmpty("category", []any{newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/v2-0074", "code", cat)})})
	d.SetNonEmpty("code", code)
	d.SetNonEmpty("subject", m.subject())
	w := m.effective(org.child("effectiveTime"))
	if w.zero() {
		w = m.earliestComponentTime(org)
	}
	w.setOn(d, "effective")
	var perf []any
	for _, p := range m.performerRefs(org) {
		perf = append(perf, p)
	}
	if len(perf) == 0 {
		if a := m.authorRef(org); a != nil {
			perf = append(perf, a)
		}
	}
	d.SetNonEmpty("performer", perf)
	d.SetNonEmpty("result", results)
	m.emit(d)
	return ""
}

// earliestComponentTime returns the first time among an organizer's
// component observations.
func (m *mapper) earliestComponentTime(org *node) when {
	best := ""
	for _, c := range org.children("component") {
		for _, st := range statements(c) {
			t := m.effective(st.child("effectiveTime")).first()
			if t != "" && (best == "" || t < best) {
				best = t
			}
		}
	}
	return when{at: best}
}

// vitalsOrganizer maps each vital sign of an organizer to an Observation;
// a systolic and diastolic pressure taken together become one blood
// pressure Observation with two components, as FHIR records it.
func (m *mapper) vitalsOrganizer(s *section, org *node) string {
	var sys, dia *node
	var others []*node
	why := ""
	for _, c := range org.children("component") {
		for _, st := range statements(c) {
			if st.name != "observation" {
				if w := m.statement(s, st); w != "" && why == "" {
					why = w
				}
				continue
			}
			switch strings.TrimSpace(st.child("code").attr("code")) {
			case "8480-6":
				if sys == nil {
					sys = st
					continue
				}
			case "8462-4":
				if dia == nil {
					dia = st
					continue
				}
			}
			others = append(others, st)
		}
	}
	if sys != nil && dia != nil && m.sameTime(sys, dia, org) {
		m.bloodPressure(sys, dia, org)
	} else {
		if sys != nil {
			others = append(others, sys)
		}
		if dia != nil {
			others = append(others, dia)
		}
	}
	for _, st := range others {
		if _, w := m.observation(s, st, org, "vital-signs"); w != "" && why == "" {
			why = w
		}
	}
	if m.produced == 0 && why == "" {
		why = "the vital signs group holds no measurements"
	}
	return why
}

func (m *mapper) sameTime(a, b, org *node) bool {
	ta := m.effective(a.child("effectiveTime")).first()
	tb := m.effective(b.child("effectiveTime")).first()
	return ta == tb
}

// bloodPressure stores a systolic/diastolic pair as a blood pressure panel.
func (m *mapper) bloodPressure(sys, dia, org *node) {
	o := m.newRes("Observation", sys.xpath()+"+bp")
	o.SetNonEmpty("identifier", append(identifiers(sys.children("id")), identifiers(dia.children("id"))...))
	o.SetNonEmpty("status", firstNonEmpty(obsStatus[status(sys)], "final"))
	o.SetNonEmpty("category", []any{observationCategory("vital-signs")})
	o.SetNonEmpty("code", newObj("coding", []any{newObj("system", record.SystemLOINC, "code", "85354-9", "display", "Blood pressure panel with all children optional")}, "text", "Blood pressure"))
	o.SetNonEmpty("subject", m.subject())
	w := m.effective(sys.child("effectiveTime"))
	if w.zero() {
		w = m.effective(org.child("effectiveTime"))
	}
	if w.at == "" && w.start != "" && (w.end == "" || w.end == w.start) {
		w = when{at: w.start}
	}
	w.setOn(o, "effective")
	var perf []any
	for _, p := range m.performerRefs(org) {
		perf = append(perf, p)
	}
	o.SetNonEmpty("performer", perf)
	var comps []any
	for _, st := range []*node{sys, dia} {
		c := newObj("code", m.concept(st.child("code")))
		v := m.value(st, st.child("value"))
		for k, x := range v.All() {
			c.SetNonEmpty(k, x)
		}
		var interp []any
		for _, ic := range st.children("interpretationCode") {
			if cc := m.concept(ic); cc != nil {
				interp = append(interp, cc)
			}
		}
		c.SetNonEmpty("interpretation", interp)
		comps = append(comps, c)
	}
	o.SetNonEmpty("component", comps)
	m.emit(o)
}

// organizer reads each component of a grouping organizer (functional
// status, medical equipment, advance directives) as a statement of its own.
func (m *mapper) organizer(s *section, org *node) string {
	why := ""
	before := m.produced
	for _, c := range org.children("component") {
		for _, st := range statements(c) {
			if w := m.statement(s, st); w != "" && why == "" {
				why = w
			}
		}
	}
	if m.produced == before && why == "" {
		why = "the group holds nothing"
	}
	return why
}

// ---- procedures, plans, encounters -------------------------------------

var procStatus = map[string]string{
	"completed": "completed", "active": "in-progress", "aborted": "stopped", "cancelled": "not-done",
	"new": "preparation", "held": "on-hold", "suspended": "on-hold", "nullified": "entered-in-error",
}

// procedure maps a procedure activity (procedure, observation or act) to a
// Procedure; a device it names (an implant) is stored too.
func (m *mapper) procedure(s *section, st *node) string {
	mood := strings.ToUpper(st.attr("moodCode"))
	if mood != "" && mood != "EVN" {
		return m.planned(s, st)
	}
	code := m.fillText(m.named(m.concept(st.child("code")), st.child("code"), st, thingProcedure), st)
	negated := isNegated(st)
	if g, _ := generic(code); g && negated {
		// "Procedure", not done: no procedures.
		code = newObj("coding", []any{newObj("system", record.SystemAbsentIPS, "code", "no-known-procedures", "display", "No known procedures")}, "text", "No known procedures")
		negated = false
	}
	if !hasMeaning(code) {
		// An implant recorded by its device only.
		for _, part := range st.children("participant") {
			if strings.EqualFold(part.attr("typeCode"), "DEV") {
				if _, name := m.device(part.child("participantRole"), 0); name != "" {
					code = newObj("text", name)
					break
				}
			}
		}
	}
	if !hasMeaning(code) {
		// An act that only wraps other statements (an intervention).
		if inner := related(st); len(inner) > 0 {
			return m.intervention(s, st)
		}
		return "the procedure has no code or text"
	}
	p := m.newRes("Procedure", st.xpath())
	p.SetNonEmpty("identifier", identifiers(st.children("id")))
	stat := procStatus[status(st)]
	if negated {
		stat = "not-done"
	}
	p.SetNonEmpty("status", firstNonEmpty(stat, "completed"))
	p.SetNonEmpty("code", code)
	p.SetNonEmpty("subject", m.subject())
	m.intervalTime(st).setOn(p, "performed")
	p.SetNonEmpty("recorder", m.authorRef(st))
	var perf []any
	for _, r := range m.performerRefs(st) {
		perf = append(perf, newObj("actor", r))
	}
	if len(perf) == 0 {
		for _, pf := range st.children("performer") {
			if org := m.organization(pf.path("assignedEntity", "representedOrganization")); org != nil {
				perf = append(perf, newObj("actor", org))
			}
		}
	}
	p.SetNonEmpty("performer", perf)
	for _, part := range st.children("participant") {
		if strings.EqualFold(part.attr("typeCode"), "LOC") {
			p.SetNonEmpty("location", m.location(part.child("participantRole")))
		}
	}
	p.SetNonEmpty("reasonCode", m.reasons(st))
	if site := m.concept(st.child("targetSiteCode")); site != nil {
		p.SetNonEmpty("bodySite", []any{site})
	}
	p.SetNonEmpty("note", m.notes(st))
	// A device used or implanted.
	var devices, contained []any
	for _, part := range st.children("participant") {
		if strings.EqualFold(part.attr("typeCode"), "DEV") {
			if d, name := m.device(part.child("participantRole"), len(contained)+1); d != nil {
				contained = append(contained, d)
				devices = append(devices, newObj("manipulated", ref("#"+d.Get("id").(string), name)))
			}
		}
	}
	p.SetNonEmpty("focalDevice", devices)
	insertAfterID(p, "contained", contained)
	m.emit(p)
	return ""
}

var plannedStatus = map[string]string{
	"active": "active", "new": "draft", "completed": "completed", "cancelled": "revoked",
	"aborted": "revoked", "held": "on-hold", "suspended": "on-hold", "nullified": "entered-in-error",
}

var moodIntent = map[string]string{
	"INT": "plan", "RQO": "order", "PRP": "proposal", "PRMS": "directive", "ARQ": "order", "APT": "order",
}

// planned maps a planned act, procedure, observation, encounter or supply,
// or a referral, to a ServiceRequest (a planned visit stays an Encounter
// with status planned, so it shows among visits).
func (m *mapper) planned(s *section, st *node) string {
	if st.name == "substanceAdministration" {
		if s.kind == secImmunizations || st.hasTemplate("2.16.840.1.113883.10.20.22.4.52") {
			return m.immunization(st)
		}
		return m.medication(s, st, true)
	}
	code := m.fillText(m.concept(st.child("code")), st)
	if st.name == "supply" && !hasMeaning(code) {
		code = m.product(st, thingDrug)
	}
	if st.name == "observation" && (genericCode(st.child("code")) || !hasMeaning(code)) {
		if v := m.concept(st.child("value")); hasMeaning(v) {
			code = v
		}
	}
	if !hasMeaning(code) {
		// Some vendors describe the planned item in a statement it refers to.
		for _, r := range related(st) {
			if c := m.fillText(m.concept(r.child("code")), r); hasMeaning(c) && !genericCode(r.child("code")) || conceptText(c) != "" {
				code = c
				break
			}
		}
	}
	w := m.intervalTime(st)
	if !hasMeaning(code) && (st.name != "encounter" || w.zero()) {
		return "the planned item has no code or text"
	}
	if st.name == "encounter" {
		e := m.newRes("Encounter", st.xpath())
		e.SetNonEmpty("identifier", identifiers(st.children("id")))
		e.SetNonEmpty("status", "planned")
		e.SetNonEmpty("class", encounterClass(st.child("code")))
		e.SetNonEmpty("type", listIf(code))
		e.SetNonEmpty("subject", m.subject())
		var parts []any
		for _, r := range m.performerRefs(st) {
			parts = append(parts, newObj("individual", r))
		}
		e.SetNonEmpty("participant", parts)
		e.SetNonEmpty("period", w.period())
		e.SetNonEmpty("reasonCode", m.reasons(st))
		m.emit(e)
		return ""
	}
	r := m.newRes("ServiceRequest", st.xpath())
	r.SetNonEmpty("identifier", identifiers(st.children("id")))
	r.SetNonEmpty("status", firstNonEmpty(plannedStatus[status(st)], "active"))
	r.SetNonEmpty("intent", firstNonEmpty(moodIntent[strings.ToUpper(st.attr("moodCode"))], "plan"))
	if s.kind == secGoals || st.hasTemplate("2.16.840.1.113883.10.20.22.4.140") {
		r.SetNonEmpty("category", []any{newObj("text", "Referral")})
	}
	r.SetNonEmpty("code", code)
	r.SetNonEmpty("subject", m.subject())
	switch {
	case w.at != "":
		r.SetNonEmpty("occurrenceDateTime", w.at)
	case w.start != "" && w.end == "":
		r.SetNonEmpty("occurrenceDateTime", w.start)
	case w.start != "" || w.end != "":
		r.SetNonEmpty("occurrencePeriod", w.period())
	}
	if a := st.child("author"); a != nil {
		r.SetNonEmpty("authoredOn", m.ts(a.child("time")))
	}
	r.SetNonEmpty("requester", m.authorRef(st))
	var perf []any
	for _, p := range m.performerRefs(st) {
		perf = append(perf, p)
	}
	r.SetNonEmpty("performer", perf)
	r.SetNonEmpty("reasonCode", m.reasons(st))
	if site := m.concept(st.child("targetSiteCode")); site != nil {
		r.SetNonEmpty("bodySite", []any{site})
	}
	notes := m.notes(st)
	if t := m.statementText(st); t != "" && t != conceptText(code) {
		notes = append(notes, newObj("text", t))
	}
	r.SetNonEmpty("note", notes)
	m.emit(r)
	return ""
}

var encStatus = map[string]string{
	"completed": "finished", "active": "in-progress", "aborted": "cancelled", "cancelled": "cancelled",
	"nullified": "entered-in-error", "new": "planned", "held": "planned", "suspended": "onleave",
}

// encounter maps an encounter activity to an Encounter; its diagnoses
// become Conditions the encounter points at.
func (m *mapper) encounter(s *section, st *node) string {
	code := m.fillText(m.concept(st.child("code")), st)
	w := m.intervalTime(st)
	if !hasMeaning(code) && w.zero() {
		return "the encounter has no type, text or date"
	}
	e := m.newRes("Encounter", st.xpath())
	e.SetNonEmpty("identifier", identifiers(st.children("id")))
	e.SetNonEmpty("status", firstNonEmpty(encStatus[status(st)], "finished"))
	e.SetNonEmpty("class", encounterClass(st.child("code")))
	if hasMeaning(code) {
		e.SetNonEmpty("type", []any{code})
	}
	e.SetNonEmpty("subject", m.subject())
	var parts []any
	for _, r := range m.performerRefs(st) {
		parts = append(parts, newObj("individual", r))
	}
	e.SetNonEmpty("participant", parts)
	e.SetNonEmpty("period", w.period())
	e.SetNonEmpty("reasonCode", m.reasons(st))
	var locs []any
	for _, part := range st.children("participant") {
		if strings.EqualFold(part.attr("typeCode"), "LOC") {
			if l := m.location(part.child("participantRole")); l != nil {
				if strings.HasPrefix(l.Get("reference").(string), "Location/") {
					locs = append(locs, newObj("location", l))
				} else {
					e.SetNonEmpty("serviceProvider", l)
				}
			}
		}
	}
	e.SetNonEmpty("location", locs)
	if dd := m.concept(sdtcChild(st, "dischargeDispositionCode")); dd != nil {
		e.SetNonEmpty("hospitalization", newObj("dischargeDisposition", dd))
	}
	// Diagnoses recorded for the visit.
	var diags []any
	for _, r := range related(st) {
		if r.name == "act" && (r.hasTemplate("2.16.840.1.113883.10.20.22.4.80") || roleOf(s, r) == roleDiagnosisAct) {
			for _, obs := range related(r) {
				if obs.name == "observation" && !isStatusObs(obs) {
					if c, _ := m.condition(obs, r, "encounter-diagnosis"); c != nil {
						diags = append(diags, newObj("condition", c))
					}
				}
			}
		} else if r.name == "observation" && r.hasTemplate("2.16.840.1.113883.10.20.22.4.4") {
			if c, _ := m.condition(r, nil, "encounter-diagnosis"); c != nil {
				diags = append(diags, newObj("condition", c))
			}
		}
	}
	e.SetNonEmpty("diagnosis", diags)
	m.emit(e)
	return ""
}

// ---- social history ----------------------------------------------------

// smoking maps a smoking status observation to the FHIR smoking status
// Observation (LOINC 72166-2), whatever code the document gave it.
func (m *mapper) smoking(obs *node) string {
	val := m.fillText(m.concept(obs.child("value")), obs)
	if !hasMeaning(val) {
		return "the smoking status has no value"
	}
	o := m.newRes("Observation", obs.xpath())
	o.SetNonEmpty("identifier", identifiers(obs.children("id")))
	o.SetNonEmpty("status", "final")
	o.SetNonEmpty("category", []any{observationCategory("social-history")})
	o.SetNonEmpty("code", newObj("coding", []any{newObj("system", record.SystemLOINC, "code", "72166-2", "display", "Tobacco smoking status")}, "text", "Smoking status"))
	o.SetNonEmpty("subject", m.subject())
	w := m.effective(obs.child("effectiveTime"))
	if w.at == "" && w.start != "" && w.end == "" {
		w = when{at: w.start}
	}
	w.setOn(o, "effective")
	o.SetNonEmpty("valueCodeableConcept", val)
	o.SetNonEmpty("note", m.notes(obs))
	m.emit(o)
	return ""
}

// birthSex stores the sex assigned at birth as an Observation and on the
// Patient (US Core birth sex extension).
func (m *mapper) birthSex(s *section, obs *node) string {
	code := strings.ToUpper(strings.TrimSpace(obs.child("value").attr("code")))
	switch code {
	case "F", "M":
		m.sexAtBirth = code
	default:
		if obs.child("value").nullFlavor() != "" {
			m.sexAtBirth = "UNK"
		}
	}
	_, why := m.observation(s, obs, nil, "social-history")
	return why
}

// ---- family history ----------------------------------------------------

// family maps a family history organizer (or a lone family history
// observation) to a FamilyMemberHistory.
func (m *mapper) family(st *node, comps []*node) string {
	rs := st.path("subject", "relatedSubject")
	var obsList []*node
	if st.name == "organizer" {
		for _, c := range comps {
			for _, o := range statements(c) {
				if o.name == "observation" {
					obsList = append(obsList, o)
				}
			}
		}
	} else {
		obsList = []*node{st}
	}
	if rs == nil && len(obsList) > 0 {
		rs = obsList[0].path("subject", "relatedSubject")
	}
	rel := m.concept(rs.child("code"))
	if !hasMeaning(rel) {
		rel = newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code", "FAMMEMB", "display", "family member")})
	}
	f := m.newRes("FamilyMemberHistory", st.xpath())
	f.SetNonEmpty("identifier", identifiers(st.children("id")))
	f.SetNonEmpty("status", "completed")
	f.SetNonEmpty("patient", m.subject())
	f.SetNonEmpty("name", nameText(rs.path("subject", "name")))
	f.SetNonEmpty("relationship", rel)
	if g := rs.path("subject", "administrativeGenderCode"); g != nil {
		if v, ok := genders[strings.ToUpper(g.attr("code"))]; ok {
			f.SetNonEmpty("sex", newObj("coding", []any{newObj("system", "http://hl7.org/fhir/administrative-gender", "code", v)}))
		}
	}
	if bt := m.ts(rs.path("subject", "birthTime")); bt != "" {
		if len(bt) > 10 {
			bt = bt[:10]
		}
		f.SetNonEmpty("bornDate", bt)
	}
	var conds []any
	deceased := false
	for _, o := range obsList {
		code := m.concept(o.child("value"))
		if !hasMeaning(code) && !genericCode(o.child("code")) {
			code = m.concept(o.child("code"))
		}
		code = m.fillText(code, o)
		vcode := strings.TrimSpace(o.child("value").attr("code"))
		if vcode == "419099009" || o.hasTemplate("2.16.840.1.113883.10.20.22.4.47") {
			deceased = true
			continue
		}
		if !hasMeaning(code) {
			continue
		}
		c := newObj("code", code)
		for _, r := range related(o) {
			switch {
			case r.hasTemplate("2.16.840.1.113883.10.20.22.4.31", "2.16.840.1.113883.10.20.1.38") || r.child("code").attr("code") == "445518008" || r.child("code").attr("code") == "397659008":
				if q, ok := quantity(r.child("value")); ok {
					if q.Get("unit") == nil {
						q.SetNonEmpty("unit", "a")
					}
					c.SetNonEmpty("onsetAge", q)
				}
			case r.hasTemplate("2.16.840.1.113883.10.20.22.4.47", "2.16.840.1.113883.10.20.1.42"):
				deceased = true
				c.SetNonEmpty("outcome", m.concept(r.child("value")))
			}
		}
		if on := m.effective(o.child("effectiveTime")).first(); on != "" && c.Get("onsetAge") == nil {
			c.SetNonEmpty("onsetString", on)
		}
		conds = append(conds, c)
	}
	if deceased {
		f.SetNonEmpty("deceasedBoolean", true)
	}
	f.SetNonEmpty("condition", conds)
	if len(conds) == 0 && !deceased && rs == nil {
		return "the family history names neither a relative nor a condition"
	}
	m.emit(f)
	return ""
}

// ---- equipment, payers, goals, instructions ----------------------------

// device builds the Device of a participantRole (a product instance) as a
// resource to be contained (id "device" + n) by the statement that uses
// it, so that a device and its use are one entry. Nil when it names no
// device.
func (m *mapper) device(role *node, n int) (*obj, string) {
	if role == nil {
		return nil, ""
	}
	pd := role.child("playingDevice")
	typ := m.concept(pd.child("code"))
	if st := role.parent; st != nil && st.parent != nil {
		typ = m.named(typ, pd.child("code"), st.parent, thingDevice)
	}
	model := collapse(pd.child("manufacturerModelName").textContent())
	if !hasMeaning(typ) && model == "" {
		return nil, ""
	}
	d := newObj("resourceType", "Device", "id", "device"+strconv.Itoa(n))
	var udi []any
	var ids []any
	for _, id := range role.children("id") {
		if strings.TrimSpace(id.attr("root")) == "2.16.840.1.113883.3.3719" && id.attr("extension") != "" {
			udi = append(udi, newObj("carrierHRF", strings.TrimSpace(id.attr("extension"))))
		} else if o := identifier(id); o != nil {
			ids = append(ids, o)
		}
	}
	d.SetNonEmpty("identifier", ids)
	d.SetNonEmpty("udiCarrier", udi)
	d.SetNonEmpty("status", "active")
	d.SetNonEmpty("manufacturer", collapse(role.path("scopingEntity", "desc").textContent()))
	if model != "" {
		d.SetNonEmpty("deviceName", []any{newObj("name", model, "type", "model-name")})
	}
	d.SetNonEmpty("type", typ)
	d.SetNonEmpty("patient", m.subject())
	name := conceptText(typ)
	if name == "" {
		name = model
	}
	return d, name
}

// supply maps a supply: medical equipment to a Device and a
// DeviceUseStatement; a medication supply to a MedicationDispense (done)
// or MedicationRequest (ordered).
func (m *mapper) supply(s *section, st *node) string {
	mood := strings.ToUpper(st.attr("moodCode"))
	if st.path("product", "manufacturedProduct", "manufacturedMaterial") != nil {
		med := m.product(st, thingDrug)
		if !hasMeaning(med) {
			return "the supply names no product"
		}
		if mood != "" && mood != "EVN" {
			return m.planned(s, st)
		}
		d := m.newRes("MedicationDispense", st.xpath())
		d.SetNonEmpty("identifier", identifiers(st.children("id")))
		d.SetNonEmpty("status", "completed")
		d.SetNonEmpty("medicationCodeableConcept", med)
		d.SetNonEmpty("subject", m.subject())
		if q, ok := quantity(st.child("quantity")); ok {
			d.SetNonEmpty("quantity", q)
		}
		d.SetNonEmpty("whenHandedOver", m.intervalTime(st).first())
		m.emit(d)
		return ""
	}
	var dev *obj
	var name string
	for _, part := range st.children("participant") {
		if dev, name = m.device(part.child("participantRole"), 1); dev != nil {
			break
		}
	}
	if dev == nil {
		if pd := st.path("product", "manufacturedProduct"); pd != nil {
			dev, name = m.device(pd, 1)
		}
	}
	if dev == nil {
		text := m.fillText(m.concept(st.child("code")), st)
		if !hasMeaning(text) {
			return "the supply names no device or product"
		}
		name = conceptText(text)
		dev = newObj("resourceType", "Device", "id", "device1", "status", "active", "type", text, "patient", m.subject())
	}
	if mood != "" && mood != "EVN" {
		r := m.newRes("ServiceRequest", st.xpath())
		r.SetNonEmpty("status", firstNonEmpty(plannedStatus[status(st)], "active"))
		r.SetNonEmpty("intent", firstNonEmpty(moodIntent[mood], "plan"))
		r.SetNonEmpty("code", newObj("text", name))
		r.SetNonEmpty("subject", m.subject())
		r.SetNonEmpty("occurrenceDateTime", m.intervalTime(st).first())
		m.emit(r)
		return ""
	}
	u := m.newRes("DeviceUseStatement", st.xpath())
	u.SetNonEmpty("identifier", identifiers(st.children("id")))
	stat := "completed"
	if status(st) == "active" {
		stat = "active"
	}
	u.SetNonEmpty("status", stat)
	u.SetNonEmpty("subject", m.subject())
	m.intervalTime(st).setOn(u, "timing")
	u.SetNonEmpty("device", ref("#device1", name))
	insertAfterID(u, "contained", []any{dev})
	m.emit(u)
	return ""
}

// coverage maps a coverage activity: each policy it holds becomes a Coverage.
func (m *mapper) coverage(act *node) string {
	policies := related(act, "COMP")
	if len(policies) == 0 && act.hasTemplate("2.16.840.1.113883.10.20.22.4.61", "2.16.840.1.113883.10.20.1.26") {
		policies = []*node{act}
	}
	for _, pol := range policies {
		if pol.name != "act" {
			continue
		}
		c := m.newRes("Coverage", pol.xpath())
		c.SetNonEmpty("identifier", identifiers(pol.children("id")))
		c.SetNonEmpty("status", "active")
		c.SetNonEmpty("type", m.concept(pol.child("code")))
		var payer *obj
		for _, pf := range pol.children("performer") {
			ae := pf.child("assignedEntity")
			isPayer := pf.hasTemplate("2.16.840.1.113883.10.20.22.4.87") || strings.EqualFold(ae.child("code").attr("code"), "PAYOR") || strings.EqualFold(pf.attr("typeCode"), "PRF")
			if isPayer && payer == nil {
				payer = m.organization(ae.child("representedOrganization"))
			}
		}
		var period when
		for _, part := range pol.children("participant") {
			switch strings.ToUpper(part.attr("typeCode")) {
			case "COV":
				pr := part.child("participantRole")
				for _, id := range pr.children("id") {
					if ext := strings.TrimSpace(id.attr("extension")); ext != "" {
						c.SetNonEmpty("subscriberId", ext)
						break
					}
				}
				c.SetNonEmpty("relationship", m.concept(pr.child("code")))
				period = m.effective(part.child("time"))
			case "HLD":
				if c.Get("subscriberId") == nil {
					for _, id := range part.child("participantRole").children("id") {
						if ext := strings.TrimSpace(id.attr("extension")); ext != "" {
							c.SetNonEmpty("subscriberId", ext)
							break
						}
					}
				}
			}
		}
		c.SetNonEmpty("beneficiary", m.subject())
		c.SetNonEmpty("period", period.period())
		if payer == nil {
			payer = newObj("display", firstNonEmpty(m.statementText(pol), m.statementText(act), "Insurer not named"))
		}
		c.SetNonEmpty("payor", []any{payer})
		if name, _ := payer.Get("display").(string); name != "" {
			planID := "plan"
			for _, id := range pol.children("id") {
				if ext := strings.TrimSpace(id.attr("extension")); ext != "" {
					planID = ext
					break
				}
			}
			c.SetNonEmpty("class", []any{newObj(
				"type", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/coverage-class", "code", "plan")}),
				"value", planID, "name", name)})
		}
		m.emit(c)
	}
	if m.produced == 0 {
		return "the coverage names no policy"
	}
	return ""
}

var goalStatus = map[string]string{
	"active": "active", "completed": "completed", "cancelled": "cancelled", "aborted": "cancelled",
	"suspended": "on-hold", "held": "on-hold", "new": "proposed", "nullified": "entered-in-error",
}

// goal maps a goal observation to a Goal: a measurable goal ("body weight
// 75 kg") keeps its measure and target.
func (m *mapper) goal(obs *node) string {
	code := m.concept(obs.child("code"))
	val := obs.child("value")
	desc := code
	if conceptText(desc) == "" && strings.EqualFold(val.xsiType(), "ST") {
		// The goal in the author's words.
		if t := m.originalTextOrText(val); t != "" {
			if desc == nil {
				desc = &obj{}
			}
			desc.SetNonEmpty("text", t)
		}
	}
	desc = m.fillText(desc, obs)
	g := m.newRes("Goal", obs.xpath())
	g.SetNonEmpty("identifier", identifiers(obs.children("id")))
	g.SetNonEmpty("lifecycleStatus", firstNonEmpty(goalStatus[status(obs)], "active"))
	target := &obj{}
	if val != nil {
		v := m.value(obs, val)
		switch {
		case v.Get("valueQuantity") != nil:
			target.SetNonEmpty("measure", code).SetNonEmpty("detailQuantity", v.Get("valueQuantity"))
		case v.Get("valueRange") != nil:
			target.SetNonEmpty("measure", code).SetNonEmpty("detailRange", v.Get("valueRange"))
		case v.Get("valueCodeableConcept") != nil:
			if genericCode(obs.child("code")) || !hasMeaning(code) {
				desc = v.Get("valueCodeableConcept").(*obj)
			} else {
				target.SetNonEmpty("measure", code).SetNonEmpty("detailCodeableConcept", v.Get("valueCodeableConcept"))
			}
		case v.Get("valueString") != nil:
			if conceptText(desc) == v.Get("valueString") {
				// Already the description.
			} else if conceptText(desc) == "" {
				// The goal written out in words, under a code that says nothing.
				if desc == nil {
					desc = &obj{}
				}
				desc.SetNonEmpty("text", v.Get("valueString"))
			} else {
				target.SetNonEmpty("measure", code).SetNonEmpty("detailString", v.Get("valueString"))
			}
		}
	}
	if !hasMeaning(desc) {
		return "the goal has no description"
	}
	if conceptText(desc) == "" {
		desc = m.fillText(desc, obs)
	}
	g.SetNonEmpty("description", desc)
	g.SetNonEmpty("subject", m.subject())
	w := m.effective(obs.child("effectiveTime"))
	if st := firstNonEmpty(w.at, w.start); st != "" {
		if len(st) > 10 {
			st = st[:10]
		}
		g.SetNonEmpty("startDate", st)
	}
	if w.end != "" {
		due := w.end
		if len(due) > 10 {
			due = due[:10]
		}
		target.SetNonEmpty("dueDate", due)
	}
	if target.Len() > 0 {
		g.SetNonEmpty("target", []any{target})
	}
	g.SetNonEmpty("expressedBy", m.authorRef(obs))
	g.SetNonEmpty("note", m.notes(obs))
	m.emit(g)
	return ""
}

// intervention maps an intervention act: the statements it holds are read
// on their own, and the act itself, when coded, becomes a Procedure.
func (m *mapper) intervention(s *section, act *node) string {
	before := m.produced
	why := ""
	for _, st := range related(act) {
		if isCommentLike(st) || st.hasTemplate("2.16.840.1.113883.10.20.22.4.122") {
			continue // comments and references to goals or concerns
		}
		if w := m.statement(s, st); w != "" && why == "" {
			why = w
		}
	}
	code := m.fillText(m.concept(act.child("code")), act)
	if hasMeaning(code) && !genericCode(act.child("code")) || m.produced == before && hasMeaning(code) {
		mood := strings.ToUpper(act.attr("moodCode"))
		if mood != "" && mood != "EVN" {
			return m.planned(s, act)
		}
		p := m.newRes("Procedure", act.xpath())
		p.SetNonEmpty("identifier", identifiers(act.children("id")))
		p.SetNonEmpty("status", firstNonEmpty(procStatus[status(act)], "completed"))
		p.SetNonEmpty("code", code)
		p.SetNonEmpty("subject", m.subject())
		m.intervalTime(act).setOn(p, "performed")
		p.SetNonEmpty("recorder", m.authorRef(act))
		p.SetNonEmpty("note", m.notes(act))
		m.emit(p)
		return ""
	}
	if m.produced == before && why == "" {
		why = "the intervention has no content"
	}
	return why
}

// instruction maps patient instructions to a CarePlan whose description is
// the instructions' text.
func (m *mapper) instruction(act *node) string {
	code := m.concept(act.child("code"))
	text := m.statementText(act)
	if !hasMeaning(code) && text == "" {
		return "the instructions have no text"
	}
	c := m.newRes("CarePlan", act.xpath())
	c.SetNonEmpty("identifier", identifiers(act.children("id")))
	c.SetNonEmpty("status", "active")
	c.SetNonEmpty("intent", "plan")
	c.SetNonEmpty("category", []any{newObj("text", "Instructions")})
	title := conceptText(code)
	if title == "" {
		title = "Instructions"
	}
	c.SetNonEmpty("title", title)
	if text != title {
		c.SetNonEmpty("description", text)
	}
	c.SetNonEmpty("subject", m.subject())
	if t := m.effective(act.child("effectiveTime")).first(); t != "" {
		c.SetNonEmpty("period", newObj("start", t))
	}
	if hasMeaning(code) {
		c.SetNonEmpty("activity", []any{newObj("detail", newObj("code", code, "status", "not-started", "description", text))})
	}
	m.emit(c)
	return ""
}

// comment keeps a free-standing comment as a short text document.
func (m *mapper) comment(s *section, act *node) string {
	text := m.statementText(act)
	if text == "" {
		return "the comment is empty"
	}
	d := m.newRes("DocumentReference", act.xpath())
	d.SetNonEmpty("status", "current")
	d.SetNonEmpty("subject", m.subject())
	desc := "Comment (" + s.title + ")"
	d.SetNonEmpty("description", desc)
	d.SetNonEmpty("content", []any{newObj("attachment", newObj(
		"contentType", "text/plain; charset=utf-8",
		"data", b64(text),
		"title", desc,
		"creation", firstNonEmpty(m.effective(act.child("effectiveTime")).first(), m.docDate),
	))})
	m.emit(d)
	return ""
}

// insertAfterID sets key right after the resource's id and extension (where
// FHIR writes contained resources).
func insertAfterID(o *obj, key string, v any) {
	if jsontree.IsEmpty(v) {
		return
	}
	at := 0 // right after whichever of these comes last
	for _, k := range []string{"resourceType", "id", "extension"} {
		at = max(at, o.Index(k)+1)
	}
	o.Insert(at, key, v)
}

// absentReason turns a nullFlavor into a FHIR data-absent-reason.
func absentReason(nf string) *obj {
	code, display := "unknown", "Unknown"
	switch strings.ToUpper(nf) {
	case "NA":
		code, display = "not-applicable", "Not Applicable"
	case "NASK":
		code, display = "not-asked", "Not Asked"
	case "ASKU":
		code, display = "asked-unknown", "Asked But Unknown"
	case "MSK":
		code, display = "masked", "Masked"
	case "NAV":
		code, display = "temp-unknown", "Temporarily Unknown"
	case "NAVU", "UNC", "NI", "UNK", "OTH", "NINF", "PINF", "TRC", "QS", "DER":
	}
	return newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code", code, "display", display)})
}
