package fhir

// Which FHIR release a file is, told by shape. A file rarely says (a
// CapabilityStatement's fhirVersion is the only stamp in common use), so
// each resource votes by what it has that only some releases have: a
// resource type that exists only there (MedicationOrder is DSTU2's, a
// ProcedureRequest is older than R4, a ServiceRequest is R4's), or an
// element whose name, cardinality or type differs (DSTU2's HumanName.family
// is a list, its Observation.category one object; STU3's dosage holds
// doseQuantity itself, R4's puts it in doseAndRate). Votes are summed over
// the file; a file (or a lone resource) with no vote at all is R4.

// votes counts the shapes seen that only some FHIR versions have: dstu2,
// stu3 and r4 for one version alone, pre for DSTU2 and STU3 alike (older
// than R4).
type votes struct{ dstu2, stu3, pre, r4 int }

func (v *votes) add(o votes) {
	v.dstu2 += o.dstu2
	v.stu3 += o.stu3
	v.pre += o.pre
	v.r4 += o.r4
}

// decide returns the version the votes point to: R4 unless older shapes
// outvote R4's; then DSTU2 when DSTU2's own outnumber STU3's, else STU3
// (whose conversion is also right for what the two share).
func (v votes) decide() version {
	old := v.dstu2 + v.stu3 + v.pre
	if old == 0 || old < v.r4 || old == v.r4 && v.dstu2 == 0 && v.stu3 == 0 {
		return vR4
	}
	if v.dstu2 > 0 && v.dstu2 >= v.stu3 {
		return vDSTU2
	}
	return vSTU3
}

// A fact is one element shape of a resource's top level (or, for names and
// dosages, one level down) that tells versions apart.
type fact uint8

const (
	fPatient fact = iota
	fSubject
	fDateRecorded
	fSubstance
	fWasNotGiven
	fNotGiven
	fContext
	fTaken
	fInformation
	fSupportingInfo
	fGrouping
	fAssertedDate
	fClinicalStatusString
	fClinicalStatusObject
	fVerificationStatusString
	fClassString
	fClassObject
	fClassArray
	fNameObject
	fCategoryObject
	fOccurrence
	fLifecycleStatus
	fStatus
	fContentString
	fData
	fIndexed
	fEncounter
	fWasNotTaken
	fRequesterAgent
	fDescriptionString
	fCareProvider
	fAnimal
	fFamilyList // HumanName.family as a list (DSTU2)
	fPractitionerRole
	fTypeObject
	fTypeString
	fPerformerObject
	fRequest
	fCodedDiagnosis
	fComments
	fComment
	fRelated
	fNotPerformed
	fNotDone
	fDefinition
	fIntent
	fReason
	fIndication
	fReasonCode
	fUdiString
	fUdiObject
	fUdiCarrier
	fModel
	fDeviceName
	fProduct
	fIsBrand
	fGender
	fSex
	fDSTU2Coverage // plan, subPlan, group, issuer, bin
	fRuleset
	fDoseInDosage // a dosage holding doseQuantity, doseRange or rate[x] itself (STU3, DSTU2)
	fQuantityInDosage
	fDoseAndRate
	fClassCreated // DocumentReference class, created
	fProtocolApplied
	nFacts
)

// factSet holds the facts of one resource.
type factSet [(nFacts + 63) / 64]uint64

func (s *factSet) set(f fact)      { s[f/64] |= 1 << (f % 64) }
func (s *factSet) has(f fact) bool { return s[f/64]&(1<<(f%64)) != 0 }
func (s *factSet) setIf(c bool, f fact) {
	if c {
		s.set(f)
	}
}

// note records what the top-level member key (value at d[vs:ve]) says.
func (s *factSet) note(d []byte, key []byte, vs, ve int) {
	v := d[vs]
	switch string(key) {
	case "patient":
		s.set(fPatient)
	case "subject":
		s.set(fSubject)
	case "dateRecorded":
		s.set(fDateRecorded)
	case "substance":
		s.set(fSubstance)
	case "wasNotGiven":
		s.set(fWasNotGiven)
	case "notGiven":
		s.set(fNotGiven)
	case "context":
		s.set(fContext)
	case "taken":
		s.set(fTaken)
	case "wasNotTaken":
		s.set(fWasNotTaken)
	case "information":
		s.set(fInformation)
	case "supportingInfo":
		s.set(fSupportingInfo)
	case "grouping":
		s.set(fGrouping)
	case "assertedDate":
		s.set(fAssertedDate)
	case "clinicalStatus":
		s.setIf(v == '"', fClinicalStatusString)
		s.setIf(v == '{', fClinicalStatusObject)
	case "verificationStatus":
		s.setIf(v == '"', fVerificationStatusString)
	case "class":
		s.setIf(v == '"', fClassString)
		s.setIf(v == '{', fClassObject)
		s.setIf(v == '[', fClassArray)
		s.set(fClassCreated)
	case "created":
		s.set(fClassCreated)
	case "name":
		s.setIf(v == '{', fNameObject)
		s.setIf(familyList(d, vs), fFamilyList)
	case "category":
		s.setIf(v == '{', fCategoryObject)
	case "occurrenceDateTime", "occurrenceString":
		s.set(fOccurrence)
	case "lifecycleStatus":
		s.set(fLifecycleStatus)
	case "description":
		s.setIf(v == '"', fDescriptionString)
	case "status":
		s.set(fStatus)
	case "content":
		s.setIf(v == '"', fContentString)
	case "data":
		s.set(fData)
	case "indexed":
		s.set(fIndexed)
	case "encounter":
		s.set(fEncounter)
	case "requester":
		s.setIf(v == '{' && hasKey(d, vs, "agent"), fRequesterAgent)
	case "careProvider":
		s.set(fCareProvider)
	case "animal":
		s.set(fAnimal)
	case "practitionerRole":
		s.set(fPractitionerRole)
	case "type":
		s.setIf(v == '{', fTypeObject)
		s.setIf(v == '"', fTypeString)
	case "performer":
		s.setIf(v == '{', fPerformerObject)
	case "request":
		s.set(fRequest)
	case "codedDiagnosis":
		s.set(fCodedDiagnosis)
	case "comments":
		s.set(fComments)
	case "comment":
		s.set(fComment)
	case "related":
		s.set(fRelated)
	case "notPerformed", "reasonNotPerformed":
		s.set(fNotPerformed)
	case "notDone", "notDoneReason":
		s.set(fNotDone)
	case "definition":
		s.set(fDefinition)
	case "intent":
		s.set(fIntent)
	case "reason":
		s.set(fReason)
	case "indication":
		s.set(fIndication)
	case "reasonCode":
		s.set(fReasonCode)
	case "udi":
		s.setIf(v == '"', fUdiString)
		s.setIf(v == '{', fUdiObject)
	case "udiCarrier":
		s.set(fUdiCarrier)
	case "model":
		s.set(fModel)
	case "deviceName":
		s.set(fDeviceName)
	case "product":
		s.setIf(v == '{', fProduct)
	case "isBrand", "isOverTheCounter":
		s.set(fIsBrand)
	case "gender":
		s.set(fGender)
	case "sex":
		s.set(fSex)
	case "plan", "subPlan", "group", "issuer", "bin":
		s.set(fDSTU2Coverage)
	case "ruleset", "originalRuleset":
		s.set(fRuleset)
	case "dosage", "dosageInstruction":
		if v == '[' {
			elements(d, vs, func(_, es int) int {
				if d[es] == '{' {
					members(d, es, func(k []byte, _ int) int {
						switch string(k) {
						case "doseQuantity", "doseRange", "rateRatio", "rateRange", "rateQuantity":
							s.set(fDoseInDosage)
						case "quantityQuantity", "quantityRange":
							s.set(fQuantityInDosage)
						case "doseAndRate":
							s.set(fDoseAndRate)
						}
						return -1
					})
				}
				return skipValue(d, es)
			})
		}
	case "protocolApplied":
		s.set(fProtocolApplied)
	}
}

// hasKey reports whether the object at d[vs] has the member key.
func hasKey(d []byte, vs int, key string) bool {
	found := false
	members(d, vs, func(k []byte, _ int) int {
		found = found || string(k) == key
		return -1
	})
	return found
}

// familyList reports a name (or list of names) whose family is a list.
func familyList(d []byte, vs int) bool {
	found := false
	check := func(es int) {
		if d[es] != '{' {
			return
		}
		members(d, es, func(k []byte, fv int) int {
			if string(k) == "family" && d[fv] == '[' {
				found = true
			}
			return -1
		})
	}
	switch d[vs] {
	case '{':
		check(vs)
	case '[':
		elements(d, vs, func(_, es int) int {
			check(es)
			return skipValue(d, es)
		})
	}
	return found
}

// Resource types that exist in some versions only.
var (
	dstu2Types = map[string]bool{"MedicationOrder": true, "DiagnosticOrder": true, "DeviceUseRequest": true,
		"Order": true, "OrderResponse": true, "Conformance": true}
	stu3Types = map[string]bool{"Sequence": true, "ImagingManifest": true, "ExpansionProfile": true,
		"ServiceDefinition": true}
	preR4Types = map[string]bool{"ProcedureRequest": true, "ReferralRequest": true, "ProcessRequest": true,
		"ProcessResponse": true, "EligibilityRequest": true, "EligibilityResponse": true, "DataElement": true,
		"BodySite": true, "DeviceComponent": true}
	r4Types = map[string]bool{"ServiceRequest": true, "MolecularSequence": true, "BodyStructure": true,
		"CoverageEligibilityRequest": true, "CoverageEligibilityResponse": true, "MedicationKnowledge": true,
		"Invoice": true, "ImmunizationEvaluation": true, "InsurancePlan": true, "VerificationResult": true,
		"DeviceDefinition": true, "ObservationDefinition": true, "SpecimenDefinition": true,
		"TerminologyCapabilities": true, "BiologicallyDerivedProduct": true}
)

// voteFor reads the version a resource's shape belongs to. Only shapes that
// some versions alone have count; everything else votes nothing.
func voteFor(typ string, f factSet) votes {
	var v votes
	switch {
	case dstu2Types[typ]:
		v.dstu2++
	case stu3Types[typ]:
		v.stu3++
	case preR4Types[typ]:
		v.pre++
	case r4Types[typ]:
		v.r4++
	}
	// Data types, whatever the resource.
	if f.has(fFamilyList) {
		v.dstu2++
	}
	switch {
	case f.has(fQuantityInDosage):
		v.dstu2++
	case f.has(fDoseInDosage) && typ == "MedicationRequest":
		v.stu3++ // MedicationRequest is not in DSTU2
	case f.has(fDoseInDosage):
		v.pre++
	case f.has(fDoseAndRate):
		v.r4++
	}
	switch typ {
	case "Condition":
		switch {
		case f.has(fPatient) || f.has(fDateRecorded):
			v.dstu2++
		case f.has(fClinicalStatusString) || f.has(fAssertedDate) || f.has(fVerificationStatusString) || f.has(fContext):
			v.stu3++
		case f.has(fClinicalStatusObject):
			v.r4++
		}
		if f.has(fCategoryObject) {
			v.dstu2++ // a list from STU3 on
		}
	case "AllergyIntolerance":
		switch {
		case f.has(fSubstance):
			v.dstu2++
		case f.has(fClinicalStatusString) || f.has(fVerificationStatusString) || f.has(fAssertedDate):
			v.stu3++
		case f.has(fClinicalStatusObject):
			v.r4++
		}
	case "Encounter":
		switch {
		case f.has(fPatient) || f.has(fClassString) || f.has(fIndication):
			v.dstu2++
		case f.has(fReason):
			v.pre++
		case f.has(fReasonCode):
			v.r4++
		}
	case "Immunization":
		switch {
		case f.has(fWasNotGiven):
			v.dstu2++
		case f.has(fNotGiven):
			v.stu3++
		case f.has(fOccurrence) || f.has(fProtocolApplied):
			v.r4++
		}
	case "MedicationStatement":
		switch {
		case f.has(fPatient) || f.has(fWasNotTaken):
			v.dstu2++
		case f.has(fTaken) || f.has(fContext):
			v.stu3++
		}
	case "MedicationDispense":
		switch {
		case f.has(fPatient):
			v.dstu2++
		case f.has(fContext) || f.has(fNotDone):
			v.stu3++
		}
	case "MedicationRequest":
		switch {
		case f.has(fRequesterAgent) || f.has(fContext):
			v.stu3++
		case f.has(fEncounter):
			v.r4++
		}
	case "Observation":
		switch {
		case f.has(fCategoryObject) || f.has(fComments):
			v.dstu2++
		case f.has(fContext) || f.has(fComment):
			v.stu3++
		case f.has(fRelated):
			v.pre++
		}
	case "DiagnosticReport":
		switch {
		case f.has(fPerformerObject) || f.has(fRequest):
			v.dstu2++
		case f.has(fContext):
			v.stu3++
		case f.has(fCategoryObject) || f.has(fCodedDiagnosis):
			v.pre++
		}
	case "Procedure":
		switch {
		case f.has(fNotPerformed):
			v.dstu2++
		case f.has(fNotDone) || f.has(fContext) || f.has(fDefinition):
			v.stu3++
		}
	case "CarePlan":
		switch {
		case f.has(fDefinition):
			v.stu3++
		case f.has(fContext):
			v.pre++
		case !f.has(fIntent) && f.has(fStatus):
			v.dstu2++ // STU3 and R4 require intent
		case f.has(fEncounter):
			v.r4++
		}
	case "Practitioner":
		if f.has(fNameObject) || f.has(fPractitionerRole) {
			v.dstu2++
		}
	case "Patient":
		switch {
		case f.has(fCareProvider):
			v.dstu2++
		case f.has(fAnimal):
			v.pre++
		}
	case "Organization":
		if f.has(fTypeObject) {
			v.dstu2++ // a list from STU3 on
		}
	case "Location":
		if f.has(fTypeObject) {
			v.pre++ // a list in R4
		}
	case "Device":
		switch {
		case f.has(fUdiString):
			v.dstu2++
		case f.has(fUdiObject):
			v.stu3++
		case f.has(fModel):
			v.pre++
		case f.has(fUdiCarrier) || f.has(fDeviceName):
			v.r4++
		}
	case "Medication":
		switch {
		case f.has(fProduct):
			v.dstu2++
		case f.has(fIsBrand):
			v.pre++
		}
	case "FamilyMemberHistory":
		switch {
		case f.has(fNotDone):
			v.stu3++
		case f.has(fGender):
			v.pre++
		case f.has(fSex):
			v.r4++
		}
	case "ExplanationOfBenefit", "Claim":
		switch {
		case f.has(fRuleset) || typ == "Claim" && f.has(fTypeString):
			v.dstu2++
		case f.has(fInformation):
			v.stu3++
		case f.has(fSupportingInfo):
			v.r4++
		}
	case "Coverage":
		switch {
		case f.has(fDSTU2Coverage):
			v.dstu2++
		case f.has(fGrouping):
			v.stu3++
		}
	case "Goal":
		switch {
		case f.has(fLifecycleStatus):
			v.r4++
		case f.has(fDescriptionString):
			v.dstu2++
		case f.has(fStatus):
			v.stu3++ // DSTU2 and STU3 alike: converted the same way
		}
	case "Binary":
		if f.has(fContentString) {
			v.stu3++
		} else if f.has(fData) {
			v.r4++
		}
	case "DocumentReference":
		if f.has(fIndexed) || f.has(fClassCreated) {
			v.pre++
		}
	}
	return v
}
