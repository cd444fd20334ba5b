package vault

// fhirDictionary primes the compression of stored values (flagDeflateDict):
// the keys, code systems and phrases FHIR R4 resources repeat. A resource
// of a few hundred bytes compresses poorly on its own; against this
// dictionary it shrinks to about a quarter, so the sealed vault stays well
// under the size of the JSON it holds.
//
// It is part of the vault format: values written with it are read with
// it, so it must never change. A better dictionary needs a new flag.
// Deflate finds matches more cheaply near the end of a dictionary, so the
// most common fragments come last.
const fhirDictionary = `"resourceType":"Coverage","resourceType":"ExplanationOfBenefit","resourceType":"Claim",` +
	`"resourceType":"CarePlan","resourceType":"Goal","resourceType":"FamilyMemberHistory","resourceType":"Device",` +
	`"resourceType":"DeviceUseStatement","resourceType":"CareTeam","resourceType":"ServiceRequest",` +
	`"resourceType":"DocumentReference","resourceType":"Composition","resourceType":"Location",` +
	`"resourceType":"Organization","resourceType":"Practitioner","resourceType":"PractitionerRole",` +
	`"resourceType":"Medication","resourceType":"MedicationStatement","resourceType":"MedicationDispense",` +
	`"resourceType":"AllergyIntolerance","resourceType":"Immunization","resourceType":"Procedure",` +
	`"resourceType":"Encounter","resourceType":"DiagnosticReport","resourceType":"MedicationRequest",` +
	`"resourceType":"Condition","resourceType":"Patient",` +
	`{"url":"https://github.com/kinfolio/kinfolio/fhir/StructureDefinition/ccda-entry-path","valueString":"/ClinicalDocument/component/structuredBody/component[` +
	`]/section/entry[` +
	`"identifier":[{"system":"urn:ietf:rfc:3986","value":"urn:uuid:` +
	`"identifier":[{"system":"urn:oid:2.16.840.1.113883.` +
	`"system":"http://hl7.org/fhir/sid/us-npi","value":"` +
	`"address":[{"line":["` + `"city":"","state":"","postalCode":"","country":"US"}],` +
	`"telecom":[{"system":"phone","value":"","use":"home"}],` +
	`"name":[{"use":"official","family":"","given":["` + `"prefix":["Dr."]` +
	`"gender":"female","birthDate":"` + `"gender":"male",` +
	`"text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">` +
	`"meta":{"lastUpdated":"` + `"meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-` +
	`"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},` +
	`"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification","code":"confirmed"}]},` +
	`"type":"allergy","category":["medication"],"criticality":"low","reaction":[{"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"` +
	`"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},` +
	`"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"problem-list-item","display":"Problem List Item"}]}],` +
	`"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},` +
	`"onsetDateTime":"","abatementDateTime":"","recordedDate":"` +
	`"vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"` + `"occurrenceDateTime":"","primarySource":true` +
	`"medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"` +
	`"intent":"order","authoredOn":"","requester":{"reference":"Practitioner/` +
	`"dosageInstruction":[{"sequence":1,"text":"","timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}},"asNeededBoolean":false,"doseAndRate":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/dose-rate-type","code":"ordered","display":"Ordered"}]},"doseQuantity":{"value":1` +
	`"class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"type":[{"coding":[{"system":"http://snomed.info/sct","code":"` +
	`"participant":[{"individual":{"reference":"Practitioner/` + `"serviceProvider":{"reference":"Organization/` +
	`"period":{"start":"","end":"` + `"performedPeriod":{"start":"` + `"performedDateTime":"` +
	`"billablePeriod":{"start":"` + `"total":[{"category":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/adjudication","code":"submitted"}]},"amount":{"value":` + `,"currency":"USD"}}],` +
	`"adjudication":[{"category":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/adjudication","code":"` +
	`"result":[{"reference":"Observation/` + `"display":"Laboratory"}]}],` +
	`"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"LAB",` +
	`"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"N"}]}],` +
	`"referenceRange":[{"low":{"value":,"unit":"","system":"http://unitsofmeasure.org","code":""},"high":{"value":` +
	`"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic blood pressure"}]},"valueQuantity":{"value":` +
	`{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic blood pressure"}]},"valueQuantity":{"value":,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]` +
	`"valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"` + `"valueString":"` +
	`"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs","display":"vital-signs"}]}],` +
	`"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory","display":"laboratory"}]}],` +
	`"encounter":{"reference":"Encounter/` + `"subject":{"reference":"Patient/` + `"patient":{"reference":"Patient/` +
	`"status":"completed",` + `"status":"active",` + `"status":"finished",` + `"status":"final",` +
	`"code":{"coding":[{"system":"http://snomed.info/sct","code":"","display":""}],"text":"` +
	`"code":{"coding":[{"system":"http://loinc.org","code":"","display":""}],"text":"` +
	`"effectiveDateTime":"","issued":"` + `T00:00:00Z","` +
	`"valueQuantity":{"value":,"unit":"","system":"http://unitsofmeasure.org","code":""}` +
	`{"resourceType":"Observation","id":"`
