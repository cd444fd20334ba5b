package ccda

import (
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// role is what a clinical statement is, decided by its template or, for
// statements without a known template, by its section and structure.
type role int

const (
	roleUnknown role = iota
	roleProblemConcern
	roleProblemObs
	roleHealthConcern
	roleDiagnosisAct // discharge/admission/encounter/pre-/post-op diagnosis acts
	roleAllergyConcern
	roleAllergyObs
	roleMedication
	rolePlannedMedication
	roleImmunization
	roleResultOrganizer
	roleResultObs
	roleVitalsOrganizer
	roleVitalObs
	roleProcedure
	rolePlanned // planned act, procedure, observation, encounter, supply
	roleEncounter
	roleSmoking
	roleSocial
	roleBirthSex
	roleFamilyOrganizer
	roleFamilyObs
	roleFunctionalObs
	roleOrganizer // a grouping whose components are read one by one
	roleSupply
	roleCoverage
	roleAdvanceDirective
	roleGoal
	roleIntervention
	roleOutcome
	roleInstruction
	roleComment
	roleReferral
	roleDICOM
	roleImagingObs
	roleWrapper // an act that only groups other statements
)

// Entry templates by root. CCD R1's problem act (10.20.1.27) is also its
// allergy concern; the section decides.
var entryTemplates = map[string]role{
	"2.16.840.1.113883.10.20.22.4.3":    roleProblemConcern,
	"2.16.840.1.113883.10.20.1.27":      roleProblemConcern,
	"1.3.6.1.4.1.19376.1.5.3.1.4.5.1":   roleProblemConcern,
	"1.3.6.1.4.1.19376.1.5.3.1.4.5.2":   roleProblemConcern,
	"2.16.840.1.113883.10.20.22.4.4":    roleProblemObs,
	"2.16.840.1.113883.10.20.1.28":      roleProblemObs,
	"1.3.6.1.4.1.19376.1.5.3.1.4.5":     roleProblemObs,
	"2.16.840.1.113883.10.20.22.4.68":   roleProblemObs, // functional status problem (R1.1)
	"2.16.840.1.113883.10.20.22.4.73":   roleProblemObs, // cognitive status problem (R1.1)
	"2.16.840.1.113883.10.20.22.4.132":  roleHealthConcern,
	"2.16.840.1.113883.10.20.22.4.33":   roleDiagnosisAct,
	"2.16.840.1.113883.10.20.22.4.34":   roleDiagnosisAct,
	"2.16.840.1.113883.10.20.22.4.35":   roleWrapper, // discharge medication act
	"2.16.840.1.113883.10.20.22.4.36":   roleWrapper, // admission medication act
	"2.16.840.1.113883.10.20.22.4.51":   roleDiagnosisAct,
	"2.16.840.1.113883.10.20.22.4.65":   roleDiagnosisAct,
	"2.16.840.1.113883.10.20.22.4.80":   roleDiagnosisAct,
	"2.16.840.1.113883.10.20.22.4.30":   roleAllergyConcern,
	"1.3.6.1.4.1.19376.1.5.3.1.4.5.3":   roleAllergyConcern,
	"2.16.840.1.113883.10.20.22.4.7":    roleAllergyObs,
	"2.16.840.1.113883.10.20.1.18":      roleAllergyObs,
	"1.3.6.1.4.1.19376.1.5.3.1.4.6":     roleAllergyObs,
	"2.16.840.1.113883.10.20.22.4.16":   roleMedication,
	"2.16.840.1.113883.10.20.1.24":      roleMedication,
	"1.3.6.1.4.1.19376.1.5.3.1.4.7":     roleMedication,
	"2.16.840.1.113883.3.88.11.83.8":    roleMedication,
	"2.16.840.1.113883.10.20.22.4.42":   rolePlannedMedication,
	"2.16.840.1.113883.10.20.22.4.52":   roleImmunization,
	"1.3.6.1.4.1.19376.1.5.3.1.4.12":    roleImmunization,
	"2.16.840.1.113883.3.88.11.83.13":   roleImmunization,
	"2.16.840.1.113883.10.20.22.4.1":    roleResultOrganizer,
	"2.16.840.1.113883.10.20.1.32":      roleResultOrganizer,
	"2.16.840.1.113883.10.20.22.4.2":    roleResultObs,
	"2.16.840.1.113883.10.20.1.31":      roleResultObs,
	"2.16.840.1.113883.3.88.11.83.15.1": roleResultObs,
	"1.3.6.1.4.1.19376.1.5.3.1.4.13":    roleResultObs,
	"2.16.840.1.113883.10.20.22.4.26":   roleVitalsOrganizer,
	"2.16.840.1.113883.10.20.1.35":      roleVitalsOrganizer,
	"1.3.6.1.4.1.19376.1.5.3.1.4.13.1":  roleVitalsOrganizer,
	"2.16.840.1.113883.10.20.22.4.27":   roleVitalObs,
	"1.3.6.1.4.1.19376.1.5.3.1.4.13.2":  roleVitalObs,
	"2.16.840.1.113883.10.20.22.4.12":   roleProcedure,
	"2.16.840.1.113883.10.20.22.4.13":   roleProcedure,
	"2.16.840.1.113883.10.20.22.4.14":   roleProcedure,
	"2.16.840.1.113883.10.20.1.29":      roleProcedure,
	"1.3.6.1.4.1.19376.1.5.3.1.4.19":    roleProcedure,
	"2.16.840.1.113883.3.88.11.83.17":   roleProcedure,
	"2.16.840.1.113883.10.20.22.4.39":   rolePlanned,
	"2.16.840.1.113883.10.20.22.4.40":   rolePlanned,
	"2.16.840.1.113883.10.20.22.4.41":   rolePlanned,
	"2.16.840.1.113883.10.20.22.4.43":   rolePlanned,
	"2.16.840.1.113883.10.20.22.4.44":   rolePlanned,
	"2.16.840.1.113883.10.20.22.4.146":  roleIntervention, // planned intervention
	"2.16.840.1.113883.10.20.22.4.49":   roleEncounter,
	"2.16.840.1.113883.10.20.1.21":      roleEncounter,
	"1.3.6.1.4.1.19376.1.5.3.1.4.14":    roleEncounter,
	"2.16.840.1.113883.3.88.11.83.16":   roleEncounter,
	"2.16.840.1.113883.10.20.22.4.78":   roleSmoking,
	"2.16.840.1.113883.10.20.22.4.85":   roleSocial,
	"2.16.840.1.113883.10.20.22.4.38":   roleSocial,
	"2.16.840.1.113883.10.20.1.33":      roleSocial,
	"2.16.840.1.113883.10.20.15.3.8":    roleSocial,
	"2.16.840.1.113883.10.20.22.4.200":  roleBirthSex,
	"2.16.840.1.113883.10.20.22.4.45":   roleFamilyOrganizer,
	"2.16.840.1.113883.10.20.1.23":      roleFamilyOrganizer,
	"2.16.840.1.113883.10.20.22.4.46":   roleFamilyObs,
	"2.16.840.1.113883.10.20.1.22":      roleFamilyObs,
	"2.16.840.1.113883.10.20.22.4.66":   roleOrganizer,
	"2.16.840.1.113883.10.20.22.4.75":   roleOrganizer,
	"2.16.840.1.113883.10.20.22.4.135":  roleOrganizer,
	"2.16.840.1.113883.10.20.22.4.108":  roleOrganizer,
	"2.16.840.1.113883.10.20.22.4.67":   roleFunctionalObs,
	"2.16.840.1.113883.10.20.22.4.74":   roleFunctionalObs,
	"2.16.840.1.113883.10.20.22.4.69":   roleFunctionalObs,
	"2.16.840.1.113883.10.20.22.4.72":   roleFunctionalObs,
	"2.16.840.1.113883.10.20.22.4.50":   roleSupply,
	"2.16.840.1.113883.10.20.1.34":      roleSupply,
	"2.16.840.1.113883.10.20.22.4.60":   roleCoverage,
	"2.16.840.1.113883.10.20.1.20":      roleCoverage,
	"2.16.840.1.113883.10.20.22.4.48":   roleAdvanceDirective,
	"2.16.840.1.113883.10.20.1.17":      roleAdvanceDirective,
	"2.16.840.1.113883.10.20.22.4.121":  roleGoal,
	"2.16.840.1.113883.10.20.22.4.131":  roleIntervention,
	"2.16.840.1.113883.10.20.22.4.144":  roleOutcome,
	"2.16.840.1.113883.10.20.22.4.20":   roleInstruction,
	"2.16.840.1.113883.10.20.22.4.64":   roleComment,
	"2.16.840.1.113883.10.20.22.4.140":  roleReferral,
	"2.16.840.1.113883.10.20.6.2.6":     roleDICOM,
	"2.16.840.1.113883.10.20.6.2.8":     roleDICOM,
	"2.16.840.1.113883.10.20.6.2.12":    roleImagingObs,
	"2.16.840.1.113883.10.20.6.2.13":    roleImagingObs,
	"2.16.840.1.113883.10.20.6.2.14":    roleImagingObs,
}

// fits reports whether a role is what a section of that kind holds.
func fits(k secKind, r role) bool {
	switch k {
	case secAllergies:
		return r == roleAllergyConcern || r == roleAllergyObs
	case secProblems, secPastHistory, secDiagnoses, secHealthConcerns:
		return r == roleProblemConcern || r == roleProblemObs || r == roleHealthConcern || r == roleDiagnosisAct
	case secMedications, secMedsAdministered:
		return r == roleMedication || r == roleWrapper
	case secImmunizations:
		return r == roleImmunization
	case secResults:
		return r == roleResultOrganizer || r == roleResultObs
	case secVitals:
		return r == roleVitalsOrganizer || r == roleVitalObs
	}
	return true
}

// statementNames are the CDA clinical statement elements.
var statementNames = map[string]bool{
	"act": true, "observation": true, "substanceAdministration": true, "supply": true,
	"procedure": true, "encounter": true, "organizer": true, "observationMedia": true,
	"regionOfInterest": true,
}

// statements returns the clinical statements directly inside an entry,
// component or entryRelationship.
func statements(n *node) []*node {
	var out []*node
	for _, k := range n.kids {
		if statementNames[k.name] && k.isCDA() {
			out = append(out, k)
		}
	}
	return out
}

// related returns the statements of a statement's entryRelationships,
// optionally only those of the given typeCodes.
func related(stmt *node, typeCodes ...string) []*node {
	var out []*node
	for _, er := range stmt.children("entryRelationship") {
		if len(typeCodes) > 0 {
			tc := strings.ToUpper(er.attr("typeCode"))
			match := false
			for _, t := range typeCodes {
				if tc == t {
					match = true
				}
			}
			if !match {
				continue
			}
		}
		out = append(out, statements(er)...)
	}
	return out
}

// roleOf decides what a statement is. A statement may declare templates
// of several roles (C32 problem observations also claim to be allergy
// observations); the one that fits the section wins.
func roleOf(s *section, stmt *node) role {
	first := roleUnknown
	for _, t := range stmt.templates() {
		r, ok := entryTemplates[t]
		if !ok {
			continue
		}
		switch {
		case r == roleProblemConcern && s.kind == secAllergies:
			r = roleAllergyConcern
		case r == roleMedication && s.kind == secImmunizations:
			r = roleImmunization
		case r == roleResultObs && s.kind == secVitals:
			r = roleVitalObs
		case r == roleResultOrganizer && s.kind == secVitals:
			r = roleVitalsOrganizer
		case r == roleFamilyObs && stmt.name == "organizer":
			r = roleFamilyOrganizer
		case r == roleSocial && stmt.child("code").attr("code") == "72166-2":
			r = roleSmoking
		}
		if fits(s.kind, r) {
			return r
		}
		if first == roleUnknown {
			first = r
		}
	}
	if first != roleUnknown {
		return first
	}
	mood := strings.ToUpper(stmt.attr("moodCode"))
	planned := mood != "" && mood != "EVN" && mood != "GOL"
	switch stmt.name {
	case "organizer":
		switch s.kind {
		case secVitals:
			return roleVitalsOrganizer
		case secFamily:
			return roleFamilyOrganizer
		case secResults:
			return roleResultOrganizer
		}
		return roleOrganizer
	case "substanceAdministration":
		if s.kind == secImmunizations {
			return roleImmunization
		}
		return roleMedication
	case "supply":
		return roleSupply
	case "encounter":
		if planned {
			return rolePlanned
		}
		return roleEncounter
	case "procedure":
		if planned {
			return rolePlanned
		}
		return roleProcedure
	case "observationMedia", "regionOfInterest":
		return roleDICOM
	case "act":
		switch s.kind {
		case secProblems, secPastHistory, secDiagnoses:
			return roleProblemConcern
		case secHealthConcerns:
			return roleHealthConcern
		case secAllergies:
			return roleAllergyConcern
		case secPayers:
			return roleCoverage
		}
		if planned {
			return rolePlanned
		}
		return roleProcedure
	case "observation":
		if mood == "GOL" || s.kind == secGoals {
			return roleGoal
		}
		if planned {
			return rolePlanned
		}
		switch s.kind {
		case secProblems, secPastHistory, secDiagnoses, secHealthConcerns:
			return roleProblemObs
		case secAllergies:
			return roleAllergyObs
		case secResults:
			return roleResultObs
		case secVitals:
			return roleVitalObs
		case secSocial:
			return roleSocial
		case secFamily:
			return roleFamilyObs
		case secFunctional, secMental, secNutrition:
			return roleFunctionalObs
		case secAdvanceDirectives:
			return roleAdvanceDirective
		case secOutcomes:
			return roleOutcome
		case secImaging:
			return roleImagingObs
		}
		return roleResultObs
	}
	return roleUnknown
}

// readEntry maps one section entry and accounts for it: it is stored when
// at least one resource came of it, else skipped with the reason.
func (m *mapper) readEntry(s *section, e *node) {
	m.entry, m.entryPath, m.produced, m.sec, m.placeholders = e, e.xpath(), 0, s, nil
	defer func() { m.entry, m.sec = nil, nil }()
	stmts := statements(e)
	if len(stmts) == 0 {
		m.skip("the entry holds no clinical statement")
		return
	}
	reason := ""
	for _, st := range stmts {
		if r := m.statement(s, st); r != "" && reason == "" {
			reason = r
		}
	}
	if m.produced > 0 {
		s.stored++
		if len(m.placeholders) > 0 {
			m.report.Ignore(m.entryPath, "part of the entry says there is nothing to give here (\u201c"+m.placeholders[0]+"\u201d)")
		}
	}
	if m.produced == 0 && len(m.placeholders) > 0 {
		reason = "the document says there is nothing to give here (\u201c" + m.placeholders[0] + "\u201d)"
	}
	if m.produced == 0 {
		if reason == "" {
			reason = "the entry holds nothing Kinfolio can store"
		}
		m.skip(reason)
	}
}

// skip reports the entry being read as skipped, why in words for people
// and, as the detail, in the mapping's own terms.
func (m *mapper) skip(why string) {
	reason, detail := plainReason(why)
	m.report.SkipDetail(m.entryPath, reason, detail)
}

// statement maps one clinical statement; it returns why nothing came of
// it, or "".
func (m *mapper) statement(s *section, st *node) string {
	if strings.EqualFold(st.attr("nullFlavor"), "NI") && len(st.elems()) <= 1 {
		return "the entry is marked as having no information"
	}
	switch roleOf(s, st) {
	case roleProblemConcern, roleDiagnosisAct:
		return m.concern(s, st, roleProblemObs)
	case roleHealthConcern:
		return m.healthConcern(s, st)
	case roleProblemObs:
		return m.problem(s, st, nil)
	case roleAllergyConcern:
		return m.concern(s, st, roleAllergyObs)
	case roleAllergyObs:
		return m.allergy(st, nil)
	case roleMedication:
		return m.medication(s, st, false)
	case rolePlannedMedication:
		return m.medication(s, st, true)
	case roleImmunization:
		return m.immunization(st)
	case roleResultOrganizer:
		return m.resultOrganizer(s, st)
	case roleResultObs:
		_, why := m.observation(s, st, nil, categoryFor(s.kind, "laboratory"))
		return why
	case roleVitalsOrganizer:
		return m.vitalsOrganizer(s, st)
	case roleVitalObs:
		_, why := m.observation(s, st, nil, "vital-signs")
		return why
	case roleProcedure:
		return m.procedure(s, st)
	case rolePlanned:
		return m.planned(s, st)
	case roleEncounter:
		return m.encounter(s, st)
	case roleSmoking:
		return m.smoking(st)
	case roleSocial:
		_, why := m.observation(s, st, nil, "social-history")
		return why
	case roleBirthSex:
		return m.birthSex(s, st)
	case roleFamilyOrganizer:
		return m.family(st, st.children("component"))
	case roleFamilyObs:
		return m.family(st, nil)
	case roleFunctionalObs:
		_, why := m.observation(s, st, nil, categoryFor(s.kind, "functional-status"))
		return why
	case roleOrganizer:
		return m.organizer(s, st)
	case roleSupply:
		return m.supply(s, st)
	case roleCoverage:
		return m.coverage(st)
	case roleAdvanceDirective:
		_, why := m.observation(s, st, nil, "advance-directive")
		return why
	case roleGoal:
		return m.goal(st)
	case roleIntervention:
		return m.intervention(s, st)
	case roleOutcome:
		_, why := m.observation(s, st, nil, "outcome")
		return why
	case roleInstruction:
		return m.instruction(st)
	case roleComment:
		return m.comment(s, st)
	case roleReferral:
		return m.planned(s, st)
	case roleDICOM:
		return "a reference to images held by an imaging system (DICOM); the images are not in the document"
	case roleImagingObs:
		_, why := m.observation(s, st, nil, "imaging")
		return why
	case roleWrapper:
		return m.wrapper(s, st)
	}
	return "a kind of statement Kinfolio does not read (" + st.name + ")"
}

// wrapper reads the statements an act groups, each on its own.
func (m *mapper) wrapper(s *section, act *node) string {
	before := m.produced
	why := ""
	for _, st := range related(act) {
		if isCommentLike(st) {
			continue
		}
		if w := m.statement(s, st); w != "" && why == "" {
			why = w
		}
	}
	if m.produced == before && why == "" {
		why = "the group holds nothing"
	}
	return why
}

// categoryFor picks an observation category from the section, with a default.
func categoryFor(k secKind, def string) string {
	switch k {
	case secVitals:
		return "vital-signs"
	case secSocial:
		return "social-history"
	case secResults:
		return "laboratory"
	case secFunctional:
		return "functional-status"
	case secMental:
		return "cognitive-status"
	case secNutrition:
		return "nutrition"
	case secImaging:
		return "imaging"
	case secNarrative:
		if def == "laboratory" {
			return "exam"
		}
	}
	return def
}

// ---- shared pieces ----------------------------------------------------

// isNegated reports negationInd="true".
func isNegated(st *node) bool {
	return strings.EqualFold(strings.TrimSpace(st.attr("negationInd")), "true")
}

// status returns a statement's statusCode code, lower case.
func status(st *node) string {
	return strings.ToLower(strings.TrimSpace(st.child("statusCode").attr("code")))
}

// notes gathers comment activities and other free-text annotations.
func (m *mapper) notes(st *node) []any {
	var out []any
	for _, r := range related(st) {
		if r.name != "act" {
			continue
		}
		if r.hasTemplate("2.16.840.1.113883.10.20.22.4.64", "2.16.840.1.113883.10.20.1.40") || r.child("code").attr("code") == "48767-8" {
			if t := m.statementText(r); t != "" {
				out = append(out, newObj("text", t))
			}
		}
	}
	return out
}

// reasons returns the indications (RSON) of a statement as concepts.
func (m *mapper) reasons(st *node) []any {
	var out []any
	for _, r := range related(st, "RSON") {
		if r.name != "observation" {
			continue
		}
		c := m.concept(r.child("value"))
		if c == nil || conceptText(c) == "" && c.Get("coding") == nil {
			c = m.concept(r.child("code"))
		}
		if c != nil {
			if conceptText(c) == "" {
				c.SetNonEmpty("text", m.statementText(r))
			}
			out = append(out, c)
		}
	}
	return out
}

// genericCode reports whether a code only says "this is a problem /
// finding / assertion", so that the real meaning is in the value.
func genericCode(c *node) bool {
	if c == nil {
		return true
	}
	switch strings.TrimSpace(c.attr("code")) {
	case "", "ASSERTION", "55607006", "404684003", "282291009", "64572001", "409586006",
		"418799008", "248536006", "75326-9", "75325-1", "29308-4", "75323-6", "373930000",
		"362956003", "71388002", "75321-0":
		return true
	}
	return false
}

// fillText gives a concept a text when it has neither text nor display:
// the statement's narrative, else the name the section's narrative table
// gives the code, so that titles are never bare codes.
func (m *mapper) fillText(cc *obj, st *node) *obj {
	if cc != nil && conceptText(cc) != "" {
		return cc
	}
	t := m.statementText(st)
	if t == "" && cc != nil {
		if list, ok := cc.Get("coding").([]any); ok && len(list) > 0 {
			code, _ := list[0].(*obj).Get("code").(string)
			t = m.narrativeName(code)
		}
	}
	if t == "" {
		return cc
	}
	if cc == nil {
		cc = &obj{}
	}
	cc.SetNonEmpty("text", t)
	return cc
}

// hasMeaning reports whether a concept says something: a code or a text.
func hasMeaning(cc *obj) bool { return cc != nil && (cc.Get("coding") != nil || cc.Get("text") != nil) }

// ---- problems ---------------------------------------------------------

// concern reads a concern act (problem, allergy, diagnosis) and maps the
// observations it holds.
func (m *mapper) concern(s *section, act *node, inner role) string {
	if act.name == "observation" {
		if inner == roleAllergyObs {
			return m.allergy(act, nil)
		}
		return m.problem(s, act, nil)
	}
	found := false
	why := ""
	for _, st := range related(act) {
		if st.name != "observation" && st.name != "act" {
			continue
		}
		if st.name == "act" {
			// a nested concern or diagnosis act
			if r := roleOf(s, st); r == roleDiagnosisAct || r == roleProblemConcern || r == roleAllergyConcern {
				found = true
				if w := m.concern(s, st, inner); w != "" && why == "" {
					why = w
				}
			}
			continue
		}
		if isStatusObs(st) || isCommentLike(st) || isAuxObs(st) {
			continue
		}
		found = true
		var w string
		if inner == roleAllergyObs {
			w = m.allergy(st, act)
		} else {
			w = m.problem(s, st, act)
		}
		if w != "" && why == "" {
			why = w
		}
	}
	if !found {
		return "the concern holds no " + map[role]string{roleAllergyObs: "allergy", roleProblemObs: "problem"}[inner] + " observation"
	}
	return why
}

func isStatusObs(st *node) bool {
	if st.hasTemplate("2.16.840.1.113883.10.20.22.4.6", "2.16.840.1.113883.10.20.1.50", "2.16.840.1.113883.10.20.22.4.28", "2.16.840.1.113883.10.20.1.39", "1.3.6.1.4.1.19376.1.5.3.1.4.1.1") {
		return true
	}
	switch st.child("code").attr("code") {
	case "33999-4", "11323-3":
		return true
	}
	return false
}

// isAuxObs reports observations that qualify another (severity,
// criticality, age, reaction, episode) rather than state a fact of their own.
func isAuxObs(st *node) bool {
	if st.hasTemplate("2.16.840.1.113883.10.20.22.4.8", "2.16.840.1.113883.10.20.1.55", "2.16.840.1.113883.10.20.22.4.145",
		"2.16.840.1.113883.10.20.22.4.31", "2.16.840.1.113883.10.20.1.38", "2.16.840.1.113883.10.20.22.4.9", "2.16.840.1.113883.10.20.1.54",
		"2.16.840.1.113883.10.20.1.41") { // ... and CCD's episode observation ("a new episode")
		return true
	}
	switch st.child("code").attr("code") {
	case "SEV", "82606-5", "445518008":
		return true
	}
	return false
}

func isCommentLike(st *node) bool {
	return st.hasTemplate("2.16.840.1.113883.10.20.22.4.64", "2.16.840.1.113883.10.20.1.40") || st.child("code").attr("code") == "48767-8"
}

var problemStatus = map[string]string{
	"55561003": "active", "73425007": "inactive", "413322009": "resolved", "277022003": "remission",
	"255227004": "recurrence", "246455001": "recurrence",
}

// problem maps a problem observation to a Condition.
func (m *mapper) problem(s *section, obs *node, concern *node) string {
	cat := "problem-list-item"
	switch s.kind {
	case secDiagnoses, secEncounters:
		cat = "encounter-diagnosis"
	case secHealthConcerns:
		cat = "health-concern"
	}
	if concern != nil && concern.hasTemplate("2.16.840.1.113883.10.20.22.4.80", "2.16.840.1.113883.10.20.22.4.33", "2.16.840.1.113883.10.20.22.4.34") {
		cat = "encounter-diagnosis"
	}
	_, why := m.condition(obs, concern, cat)
	return why
}

// condition maps a problem observation and returns the Condition's reference.
func (m *mapper) condition(obs *node, concern *node, cat string) (*obj, string) {
	val := obs.child("value")
	code := m.named(m.concept(val), val, obs, thingProblem)
	var genericProblem *obj
	if g, _ := generic(code); val != nil && val.has("code") && genericCode(val) && (conceptText(code) == "" || g) {
		// "Problem" as the value names no problem.
		genericProblem, code = code, nil
	}
	if !hasMeaning(code) && !genericCode(obs.child("code")) {
		// Some vendors put the problem in the code and leave the value out.
		code = m.concept(obs.child("code"))
	}
	negated := isNegated(obs)
	if negated && statesAbsence(conceptText(code)) {
		m.warn("a \"no known problems\" entry is also marked as negated; it was read as no known problems (at " + obs.xpath() + ")")
		negated = false
	}
	if !hasMeaning(code) && negated {
		code = newObj("coding", []any{newObj("system", record.SystemAbsentIPS, "code", "no-known-problems", "display", "No known problems")}, "text", "No known problems")
		negated = false
	}
	code = m.fillText(code, obs)
	if !hasMeaning(code) && concern != nil {
		code = m.fillText(m.concept(concern.child("code")), concern)
		if g, _ := generic(code); genericCode(concern.child("code")) && (conceptText(code) == "" || g) || concern.child("code").attr("code") == "CONC" && conceptText(code) == "Concern" {
			code = nil
		}
	}
	if !hasMeaning(code) && genericProblem != nil && conceptText(genericProblem) != "" {
		code = genericProblem // a problem the document names no better
	}
	if !hasMeaning(code) {
		return nil, "the problem has no code or text"
	}
	c := m.newRes("Condition", obs.xpath())
	c.SetNonEmpty("identifier", identifiers(obs.children("id")))
	// Clinical status: the status observation, else a resolution date,
	// else the concern's status.
	clin := ""
	for _, r := range related(obs, "REFR") {
		if isStatusObs(r) {
			clin = problemStatus[strings.TrimSpace(r.child("value").attr("code"))]
		}
	}
	w := m.effective(obs.child("effectiveTime"))
	if clin == "" {
		switch {
		case w.end != "":
			clin = "resolved"
		case concern != nil && status(concern) == "active":
			clin = "active"
		case concern != nil && (status(concern) == "completed" || status(concern) == "aborted"):
			clin = "inactive"
		case concern == nil && status(obs) == "active":
			clin = "active"
		}
	}
	if clin != "" {
		c.SetNonEmpty("clinicalStatus", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/condition-clinical", "code", clin)}))
	}
	if negated {
		c.SetNonEmpty("verificationStatus", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code", "refuted")}))
	} else {
		c.SetNonEmpty("verificationStatus", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code", "confirmed")}))
	}
	catSystem := "http://terminology.hl7.org/CodeSystem/condition-category"
	if cat == "health-concern" {
		catSystem = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"
	}
	c.SetNonEmpty("category", []any{newObj("coding", []any{newObj("system", catSystem, "code", cat)})})
	for _, r := range related(obs, "SUBJ", "REFR") {
		if r.hasTemplate("2.16.840.1.113883.10.20.22.4.8", "2.16.840.1.113883.10.20.1.55") {
			c.SetNonEmpty("severity", m.concept(r.child("value")))
		}
	}
	c.SetNonEmpty("code", code)
	if sites := m.concept(obs.child("targetSiteCode")); sites != nil {
		c.SetNonEmpty("bodySite", []any{sites})
	}
	c.SetNonEmpty("subject", m.subject())
	if m.encounterRef != nil && cat == "encounter-diagnosis" {
		c.SetNonEmpty("encounter", m.encounterRef)
	}
	start := w.start
	if start == "" {
		start = w.at
	}
	c.SetNonEmpty("onsetDateTime", start)
	c.SetNonEmpty("abatementDateTime", w.end)
	recorded := ""
	if a := obs.child("author"); a != nil {
		recorded = m.ts(a.child("time"))
	}
	if recorded == "" && concern != nil {
		recorded = m.effective(concern.child("effectiveTime")).first()
	}
	c.SetNonEmpty("recordedDate", recorded)
	rec := m.authorRef(obs)
	if rec == nil && concern != nil {
		rec = m.authorRef(concern)
	}
	c.SetNonEmpty("recorder", rec)
	notes := m.notes(obs)
	if concern != nil {
		notes = append(notes, m.notes(concern)...)
	}
	c.SetNonEmpty("note", notes)
	return ref(m.emit(c), conceptText(code)), ""
}

// healthConcern reads a Health Concern act: the concerns it holds become
// Conditions (category health-concern); an act that only names the concern
// in words becomes one Condition with that text.
func (m *mapper) healthConcern(s *section, act *node) string {
	before := m.produced
	why := ""
	for _, st := range related(act) {
		if isStatusObs(st) || isCommentLike(st) {
			continue
		}
		r := roleOf(s, st)
		var w string
		switch {
		case st.name == "observation" && (r == roleProblemObs || r == roleResultObs || r == roleUnknown):
			_, w = m.condition(st, act, "health-concern")
		default:
			w = m.statement(s, st)
		}
		if w != "" && why == "" {
			why = w
		}
	}
	if m.produced > before {
		return ""
	}
	code := m.fillText(nil, act)
	if !hasMeaning(code) {
		if why == "" {
			why = "the health concern has no content"
		}
		return why
	}
	c := m.newRes("Condition", act.xpath())
	c.SetNonEmpty("identifier", identifiers(act.children("id")))
	clin := "active"
	if status(act) == "completed" {
		clin = "resolved"
	}
	c.SetNonEmpty("clinicalStatus", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/condition-clinical", "code", clin)}))
	c.SetNonEmpty("category", []any{newObj("coding", []any{newObj("system", "http://hl7.org/fhir/us/core/CodeSystem/condition-category", "code", "health-concern")})})
	c.SetNonEmpty("code", code)
	c.SetNonEmpty("subject", m.subject())
	c.SetNonEmpty("onsetDateTime", m.effective(act.child("effectiveTime")).first())
	c.SetNonEmpty("recorder", m.authorRef(act))
	m.emit(c)
	return ""
}

// ---- allergies --------------------------------------------------------

// allergyTypes maps the allergy observation's value (SNOMED CT) to FHIR
// type and category.
var allergyTypes = map[string][2]string{
	"419199007": {"allergy", ""}, "416098002": {"allergy", "medication"}, "414285001": {"allergy", "food"},
	"426232007": {"allergy", "environment"}, "59037007": {"intolerance", "medication"},
	"235719002": {"intolerance", "food"}, "419511003": {"", "medication"}, "418471000": {"", "food"},
	"420134006": {"", ""}, "418038007": {"", ""}, "232347008": {"allergy", "environment"},
	"300916003": {"allergy", "environment"}, "91930004": {"allergy", "food"}, "294505008": {"allergy", "medication"},
	"ASSERTION": {"", ""},
}

// noKnown are the "no known ... allergy" codes by category.
var noKnown = map[string][2]string{
	"":            {"716186003", "No known allergy"},
	"medication":  {"409137002", "No known drug allergy"},
	"food":        {"429625007", "No known food allergy"},
	"environment": {"428607008", "No known environmental allergy"},
}

var severities = map[string]string{
	"255604002": "mild", "6736007": "moderate", "24484000": "severe", "371923003": "mild",
	"371924009": "moderate", "399166001": "severe", "442452003": "severe",
	"mild": "mild", "moderate": "moderate", "severe": "severe",
}

// allergy maps an allergy observation to an AllergyIntolerance.
func (m *mapper) allergy(obs *node, concern *node) string {
	valNode := obs.child("value")
	typeCode := strings.TrimSpace(valNode.attr("code"))
	if typeCode == "" {
		// CCD R1 and C32 put the kind of allergy in the code.
		typeCode = strings.TrimSpace(obs.child("code").attr("code"))
	}
	kind := allergyTypes[typeCode]
	// The substance: the consumable participant, else the value when it
	// names one rather than a type of allergy.
	var substance *obj
	for _, p := range obs.children("participant") {
		pe := p.path("participantRole", "playingEntity")
		if pe == nil {
			continue
		}
		substance = m.named(m.concept(pe.child("code")), pe.child("code"), obs, thingSubstance)
		if !hasMeaning(substance) || conceptText(substance) == "" || substance.Get("coding") == nil {
			// Without a code, the entity's name is the substance (vendors
			// fill originalText with placeholders such as "not available").
			if name := collapse(pe.child("name").textContent()); name != "" {
				if substance == nil {
					substance = &obj{}
				}
				substance.SetNonEmpty("text", name)
			}
		}
		if hasMeaning(substance) {
			break
		}
	}
	_, typed := allergyTypes[typeCode]
	if !hasMeaning(substance) && !typed {
		if v := m.concept(valNode); hasMeaning(v) {
			substance = v
		}
	}
	negated := isNegated(obs)
	// "Substance" names no substance: negated, it says no known allergy.
	var genericSubstance *obj
	if g, cat := generic(substance); g {
		genericSubstance, substance = substance, nil
		if kind[1] == "" {
			kind[1] = cat
		}
	}
	verification := "confirmed"
	if !hasMeaning(substance) {
		if !negated && typed && (substanceNA(obs) || hasNoKnownText(m.statementText(obs)) || hasNoKnownText(m.sectionText())) {
			m.warn("an allergy entry without a substance was read as \"no known allergy\" although it is not marked as negated (at " + obs.xpath() + ")")
			negated = true
		}
		if negated {
			nk := noKnown[kind[1]]
			substance = newObj("coding", []any{newObj("system", record.SystemSNOMED, "code", nk[0], "display", nk[1])}, "text", nk[1])
			negated = false
		} else {
			substance = m.fillText(nil, obs)
		}
	} else if negated {
		verification = "refuted"
	}
	if !hasMeaning(substance) && genericSubstance != nil {
		substance = genericSubstance // an allergy to an unnamed substance
		if negated {
			verification = "refuted"
		}
	}
	if !hasMeaning(substance) {
		return "the allergy names no substance"
	}
	if conceptText(substance) == "" {
		substance = m.fillText(substance, obs)
	}
	a := m.newRes("AllergyIntolerance", obs.xpath())
	a.SetNonEmpty("identifier", identifiers(obs.children("id")))
	clin := ""
	for _, r := range related(obs, "SUBJ", "REFR") {
		if isStatusObs(r) {
			clin = problemStatus[strings.TrimSpace(r.child("value").attr("code"))]
		}
	}
	w := m.effective(obs.child("effectiveTime"))
	if clin == "" {
		switch {
		case w.end != "":
			clin = "resolved"
		case concern != nil && status(concern) == "active", concern == nil:
			clin = "active"
		case concern != nil && status(concern) == "completed":
			clin = "inactive"
		}
	}
	if clin == "remission" || clin == "recurrence" {
		clin = "active"
	}
	if clin != "" && verification != "refuted" {
		a.SetNonEmpty("clinicalStatus", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code", clin)}))
	}
	a.SetNonEmpty("verificationStatus", newObj("coding", []any{newObj("system", "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code", verification)}))
	a.SetNonEmpty("type", kind[0])
	if kind[1] != "" {
		a.SetNonEmpty("category", []string{kind[1]})
	}
	// Criticality from the criticality observation; a severity stated on
	// the allergy itself (R1.1) is kept on its reactions.
	var allergySeverity string
	for _, r := range related(obs) {
		switch {
		case r.hasTemplate("2.16.840.1.113883.10.20.22.4.145"):
			switch strings.ToUpper(r.child("value").attr("code")) {
			case "CRITH":
				a.SetNonEmpty("criticality", "high")
			case "CRITL":
				a.SetNonEmpty("criticality", "low")
			case "CRITU":
				a.SetNonEmpty("criticality", "unable-to-assess")
			}
		case r.hasTemplate("2.16.840.1.113883.10.20.22.4.8", "2.16.840.1.113883.10.20.1.55"):
			allergySeverity = severityOf(r.child("value"))
		}
	}
	a.SetNonEmpty("code", substance)
	a.SetNonEmpty("patient", m.subject())
	a.SetNonEmpty("onsetDateTime", firstNonEmpty(w.start, w.at))
	if au := obs.child("author"); au != nil {
		a.SetNonEmpty("recordedDate", m.ts(au.child("time")))
	}
	a.SetNonEmpty("recorder", m.authorRef(obs))
	var reactions []any
	for _, r := range related(obs, "MFST") {
		if r.name != "observation" {
			continue
		}
		man := m.fillText(m.concept(r.child("value")), r)
		if !hasMeaning(man) {
			continue
		}
		rx := newObj("manifestation", []any{man})
		rx.SetNonEmpty("onset", m.effective(r.child("effectiveTime")).first())
		sev := allergySeverity
		for _, rr := range related(r) {
			if rr.hasTemplate("2.16.840.1.113883.10.20.22.4.8", "2.16.840.1.113883.10.20.1.55") || rr.child("code").attr("code") == "SEV" {
				if v := severityOf(rr.child("value")); v != "" {
					sev = v
				}
			}
		}
		rx.SetNonEmpty("severity", sev)
		reactions = append(reactions, rx)
	}
	if len(reactions) == 0 && allergySeverity != "" {
		a.SetNonEmpty("criticality", map[string]string{"severe": "high", "moderate": "low", "mild": "low"}[allergySeverity])
	}
	a.SetNonEmpty("reaction", reactions)
	notes := m.notes(obs)
	if concern != nil {
		notes = append(notes, m.notes(concern)...)
	}
	a.SetNonEmpty("note", notes)
	m.emit(a)
	return ""
}

// substanceNA reports a consumable participant whose code is nullFlavor NA:
// "no substance applies".
func substanceNA(obs *node) bool {
	for _, p := range obs.children("participant") {
		if c := p.path("participantRole", "playingEntity", "code"); c != nil && strings.EqualFold(c.nullFlavor(), "NA") {
			return true
		}
	}
	return false
}

// sectionText is the narrative of the section being read, as one line.
func (m *mapper) sectionText() string {
	if m.sec == nil {
		return ""
	}
	if t := m.sec.n.child("text"); t != nil {
		return inlineText(t)
	}
	return ""
}

// statesAbsence reports a concept that itself says "none" ("No known
// problems", "No current medications"): negating it again is a vendor's
// slip, not a double negative.
func statesAbsence(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return strings.HasPrefix(t, "no known") || strings.HasPrefix(t, "no current") || strings.HasPrefix(t, "none")
}

func hasNoKnownText(t string) bool {
	t = strings.ToLower(t)
	return strings.Contains(t, "no known") || strings.Contains(t, "nka") || strings.Contains(t, "nkda")
}

func severityOf(v *node) string {
	if v == nil {
		return ""
	}
	if s := severities[strings.TrimSpace(v.attr("code"))]; s != "" {
		return s
	}
	return severities[strings.ToLower(collapse(v.attr("displayName")))]
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// nameHeaders are table headers under which a vendor writes what a coded
// row is called.
var nameHeaders = []string{"name", "description", "procedure", "problem", "diagnosis", "medication",
	"vaccine", "immunization", "allergy", "allergen", "substance", "test", "result", "vital", "condition", "directive"}

// narrativeName looks for a code written in a table of the section's
// narrative ("90660004 | SnomedCt | Application of dressing for burn") and
// returns the cell of that row under a name-like header, or "".
func (m *mapper) narrativeName(code string) string {
	if code == "" || m.sec == nil {
		return ""
	}
	text := m.sec.n.child("text")
	if text == nil {
		return ""
	}
	var found string
	var walk func(n *node) bool
	walk = func(n *node) bool {
		if strings.EqualFold(n.name, "table") {
			rows, header := tableRows(n)
			if !header || len(rows) < 2 {
				return false
			}
			col := -1
			for i, h := range rows[0] {
				hl := strings.ToLower(h)
				for _, k := range nameHeaders {
					if strings.Contains(hl, k) && !strings.Contains(hl, "code") && !strings.Contains(hl, "date") {
						col = i
						break
					}
				}
				if col >= 0 {
					break
				}
			}
			if col < 0 {
				return false
			}
			for _, r := range rows[1:] {
				for i, c := range r {
					if i != col && c == code && col < len(r) && r[col] != "" {
						found = r[col]
						return true
					}
				}
			}
			return false
		}
		for _, k := range n.kids {
			if k.name != "" && walk(k) {
				return true
			}
		}
		return false
	}
	walk(text)
	return found
}
