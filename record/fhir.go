package record

import "encoding/json"

// Slim typed views of the FHIR R4 resources Kinfolio reads. Each names only
// the fields the app uses; the full resource stays in [Resource.JSON]. Read
// them with [Decode]: p, err := record.Decode[record.Patient](res).
//
// Choice types (value[x], onset[x], ...) appear as one field per variant the
// app reads.

// Patient is the person a record is about.
type Patient struct {
	ID         string         `json:"id"`
	Identifier []Identifier   `json:"identifier"`
	Name       []HumanName    `json:"name"`
	Gender     string         `json:"gender"`
	BirthDate  string         `json:"birthDate"`
	Deceased   *bool          `json:"deceasedBoolean"`
	Telecom    []ContactPoint `json:"telecom"`
	Address    []Address      `json:"address"`
	Contact    []struct {
		Relationship []CodeableConcept `json:"relationship"`
		Name         *HumanName        `json:"name"`
		Telecom      []ContactPoint    `json:"telecom"`
	} `json:"contact"`
	Communication []struct {
		Language  CodeableConcept `json:"language"`
		Preferred bool            `json:"preferred"`
	} `json:"communication"`
	GeneralPractitioner []Reference `json:"generalPractitioner"`
}

// Condition is a problem, diagnosis or health concern.
type Condition struct {
	ID                 string            `json:"id"`
	ClinicalStatus     *CodeableConcept  `json:"clinicalStatus"`
	VerificationStatus *CodeableConcept  `json:"verificationStatus"`
	Category           []CodeableConcept `json:"category"`
	Severity           *CodeableConcept  `json:"severity"`
	Code               *CodeableConcept  `json:"code"`
	BodySite           []CodeableConcept `json:"bodySite"`
	OnsetDateTime      string            `json:"onsetDateTime"`
	OnsetPeriod        *Period           `json:"onsetPeriod"`
	OnsetString        string            `json:"onsetString"`
	AbatementDateTime  string            `json:"abatementDateTime"`
	AbatementPeriod    *Period           `json:"abatementPeriod"`
	RecordedDate       string            `json:"recordedDate"`
	Recorder           *Reference        `json:"recorder"`
	Asserter           *Reference        `json:"asserter"`
	Note               []Annotation      `json:"note"`
}

// Dosage says how a medication is taken.
type Dosage struct {
	Text               string           `json:"text"`
	PatientInstruction string           `json:"patientInstruction"`
	AsNeededBoolean    bool             `json:"asNeededBoolean"`
	Route              *CodeableConcept `json:"route"`
	Timing             *Timing          `json:"timing"`
	DoseAndRate        []struct {
		DoseQuantity *Quantity `json:"doseQuantity"`
		DoseRange    *Range    `json:"doseRange"`
	} `json:"doseAndRate"`
}

// Timing is when something happens, as a repeat pattern or a code.
type Timing struct {
	Code   *CodeableConcept `json:"code"`
	Repeat *struct {
		Frequency    int         `json:"frequency"`
		Period       json.Number `json:"period"`
		PeriodUnit   string      `json:"periodUnit"`
		When         []string    `json:"when"`
		BoundsPeriod *Period     `json:"boundsPeriod"`
	} `json:"repeat"`
}

// MedicationRequest is a prescription or order.
type MedicationRequest struct {
	ID                        string            `json:"id"`
	Status                    string            `json:"status"`
	Intent                    string            `json:"intent"`
	MedicationCodeableConcept *CodeableConcept  `json:"medicationCodeableConcept"`
	MedicationReference       *Reference        `json:"medicationReference"`
	AuthoredOn                string            `json:"authoredOn"`
	Requester                 *Reference        `json:"requester"`
	ReasonCode                []CodeableConcept `json:"reasonCode"`
	ReasonReference           []Reference       `json:"reasonReference"`
	DosageInstruction         []Dosage          `json:"dosageInstruction"`
	Note                      []Annotation      `json:"note"`
	DispenseRequest           *struct {
		ValidityPeriod *Period `json:"validityPeriod"`
	} `json:"dispenseRequest"`
}

// MedicationStatement is a record that a medication is, was or will be taken.
type MedicationStatement struct {
	ID                        string            `json:"id"`
	Status                    string            `json:"status"`
	MedicationCodeableConcept *CodeableConcept  `json:"medicationCodeableConcept"`
	MedicationReference       *Reference        `json:"medicationReference"`
	EffectiveDateTime         string            `json:"effectiveDateTime"`
	EffectivePeriod           *Period           `json:"effectivePeriod"`
	DateAsserted              string            `json:"dateAsserted"`
	InformationSource         *Reference        `json:"informationSource"`
	ReasonCode                []CodeableConcept `json:"reasonCode"`
	ReasonReference           []Reference       `json:"reasonReference"`
	Dosage                    []Dosage          `json:"dosage"`
	Note                      []Annotation      `json:"note"`
}

// MedicationDispense is a fill at a pharmacy.
type MedicationDispense struct {
	ID                        string           `json:"id"`
	Status                    string           `json:"status"`
	MedicationCodeableConcept *CodeableConcept `json:"medicationCodeableConcept"`
	MedicationReference       *Reference       `json:"medicationReference"`
	Quantity                  *Quantity        `json:"quantity"`
	DaysSupply                *Quantity        `json:"daysSupply"`
	WhenPrepared              string           `json:"whenPrepared"`
	WhenHandedOver            string           `json:"whenHandedOver"`
	Performer                 []struct {
		Actor Reference `json:"actor"`
	} `json:"performer"`
	DosageInstruction []Dosage `json:"dosageInstruction"`
}

// Medication is a drug product, referenced by requests and statements.
type Medication struct {
	ID         string           `json:"id"`
	Code       *CodeableConcept `json:"code"`
	Form       *CodeableConcept `json:"form"`
	Ingredient []struct {
		ItemCodeableConcept *CodeableConcept `json:"itemCodeableConcept"`
		Strength            *Ratio           `json:"strength"`
	} `json:"ingredient"`
}

// AllergyIntolerance is an allergy or intolerance to a substance.
type AllergyIntolerance struct {
	ID                 string           `json:"id"`
	ClinicalStatus     *CodeableConcept `json:"clinicalStatus"`
	VerificationStatus *CodeableConcept `json:"verificationStatus"`
	Type               string           `json:"type"`
	Category           []string         `json:"category"`
	Criticality        string           `json:"criticality"`
	Code               *CodeableConcept `json:"code"`
	OnsetDateTime      string           `json:"onsetDateTime"`
	OnsetPeriod        *Period          `json:"onsetPeriod"`
	RecordedDate       string           `json:"recordedDate"`
	LastOccurrence     string           `json:"lastOccurrence"`
	Reaction           []struct {
		Substance     *CodeableConcept  `json:"substance"`
		Manifestation []CodeableConcept `json:"manifestation"`
		Description   string            `json:"description"`
		Severity      string            `json:"severity"`
		Onset         string            `json:"onset"`
	} `json:"reaction"`
	Note []Annotation `json:"note"`
}

// Immunization is a vaccine given (or not given).
type Immunization struct {
	ID                 string           `json:"id"`
	Status             string           `json:"status"`
	StatusReason       *CodeableConcept `json:"statusReason"`
	VaccineCode        *CodeableConcept `json:"vaccineCode"`
	OccurrenceDateTime string           `json:"occurrenceDateTime"`
	OccurrenceString   string           `json:"occurrenceString"`
	PrimarySource      *bool            `json:"primarySource"`
	LotNumber          string           `json:"lotNumber"`
	Site               *CodeableConcept `json:"site"`
	Route              *CodeableConcept `json:"route"`
	DoseQuantity       *Quantity        `json:"doseQuantity"`
	Location           *Reference       `json:"location"`
	Manufacturer       *Reference       `json:"manufacturer"`
	Performer          []struct {
		Actor Reference `json:"actor"`
	} `json:"performer"`
	ProtocolApplied []struct {
		DoseNumberPositiveInt int    `json:"doseNumberPositiveInt"`
		DoseNumberString      string `json:"doseNumberString"`
	} `json:"protocolApplied"`
	Note []Annotation `json:"note"`
}

// ObservationValue holds the value[x] variants of an observation or component.
type ObservationValue struct {
	ValueQuantity        *Quantity        `json:"valueQuantity"`
	ValueCodeableConcept *CodeableConcept `json:"valueCodeableConcept"`
	ValueString          *string          `json:"valueString"`
	ValueBoolean         *bool            `json:"valueBoolean"`
	ValueInteger         *json.Number     `json:"valueInteger"`
	ValueRange           *Range           `json:"valueRange"`
	ValueRatio           *Ratio           `json:"valueRatio"`
	ValueDateTime        string           `json:"valueDateTime"`
	ValuePeriod          *Period          `json:"valuePeriod"`
	DataAbsentReason     *CodeableConcept `json:"dataAbsentReason"`
}

// ReferenceRange is the normal range for a result.
type ReferenceRange struct {
	Low  *Quantity        `json:"low"`
	High *Quantity        `json:"high"`
	Type *CodeableConcept `json:"type"`
	Text string           `json:"text"`
}

// Observation is a lab result, vital sign, social history item or other
// measurement or finding.
type Observation struct {
	ID                string            `json:"id"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category"`
	Code              *CodeableConcept  `json:"code"`
	EffectiveDateTime string            `json:"effectiveDateTime"`
	EffectivePeriod   *Period           `json:"effectivePeriod"`
	EffectiveInstant  string            `json:"effectiveInstant"`
	Issued            string            `json:"issued"`
	Performer         []Reference       `json:"performer"`
	ObservationValue
	Interpretation []CodeableConcept `json:"interpretation"`
	Note           []Annotation      `json:"note"`
	BodySite       *CodeableConcept  `json:"bodySite"`
	ReferenceRange []ReferenceRange  `json:"referenceRange"`
	HasMember      []Reference       `json:"hasMember"`
	Component      []struct {
		Code *CodeableConcept `json:"code"`
		ObservationValue
		Interpretation []CodeableConcept `json:"interpretation"`
		ReferenceRange []ReferenceRange  `json:"referenceRange"`
	} `json:"component"`
}

// DiagnosticReport groups results (a lab panel, an imaging report).
type DiagnosticReport struct {
	ID                string            `json:"id"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category"`
	Code              *CodeableConcept  `json:"code"`
	EffectiveDateTime string            `json:"effectiveDateTime"`
	EffectivePeriod   *Period           `json:"effectivePeriod"`
	Issued            string            `json:"issued"`
	Performer         []Reference       `json:"performer"`
	Result            []Reference       `json:"result"`
	Conclusion        string            `json:"conclusion"`
	PresentedForm     []Attachment      `json:"presentedForm"`
}

// Procedure is something done to or for the person.
type Procedure struct {
	ID                string           `json:"id"`
	Status            string           `json:"status"`
	Code              *CodeableConcept `json:"code"`
	PerformedDateTime string           `json:"performedDateTime"`
	PerformedPeriod   *Period          `json:"performedPeriod"`
	PerformedString   string           `json:"performedString"`
	Performer         []struct {
		Actor Reference `json:"actor"`
	} `json:"performer"`
	Location   *Reference        `json:"location"`
	ReasonCode []CodeableConcept `json:"reasonCode"`
	BodySite   []CodeableConcept `json:"bodySite"`
	Outcome    *CodeableConcept  `json:"outcome"`
	Note       []Annotation      `json:"note"`
}

// Encounter is a visit, stay or contact with care.
type Encounter struct {
	ID          string            `json:"id"`
	Status      string            `json:"status"`
	Class       *Coding           `json:"class"`
	Type        []CodeableConcept `json:"type"`
	ServiceType *CodeableConcept  `json:"serviceType"`
	Period      *Period           `json:"period"`
	Participant []struct {
		Type       []CodeableConcept `json:"type"`
		Individual *Reference        `json:"individual"`
	} `json:"participant"`
	ReasonCode      []CodeableConcept `json:"reasonCode"`
	ReasonReference []Reference       `json:"reasonReference"`
	Diagnosis       []struct {
		Condition Reference `json:"condition"`
	} `json:"diagnosis"`
	Location []struct {
		Location Reference `json:"location"`
	} `json:"location"`
	ServiceProvider *Reference `json:"serviceProvider"`
	Hospitalization *struct {
		DischargeDisposition *CodeableConcept `json:"dischargeDisposition"`
	} `json:"hospitalization"`
}

// DocumentReference points at a document (a C-CDA, a PDF, a note).
type DocumentReference struct {
	ID          string            `json:"id"`
	Status      string            `json:"status"`
	DocStatus   string            `json:"docStatus"`
	Type        *CodeableConcept  `json:"type"`
	Category    []CodeableConcept `json:"category"`
	Date        string            `json:"date"`
	Author      []Reference       `json:"author"`
	Custodian   *Reference        `json:"custodian"`
	Description string            `json:"description"`
	Content     []struct {
		Attachment Attachment `json:"attachment"`
		Format     *Coding    `json:"format"`
	} `json:"content"`
	Context *struct {
		Period *Period `json:"period"`
	} `json:"context"`
}

// Composition is a structured document such as an International Patient Summary.
type Composition struct {
	ID        string               `json:"id"`
	Status    string               `json:"status"`
	Type      *CodeableConcept     `json:"type"`
	Date      string               `json:"date"`
	Title     string               `json:"title"`
	Author    []Reference          `json:"author"`
	Custodian *Reference           `json:"custodian"`
	Section   []CompositionSection `json:"section"`
}

// CompositionSection is one section of a [Composition]; sections nest.
type CompositionSection struct {
	Title       string               `json:"title"`
	Code        *CodeableConcept     `json:"code"`
	Text        *Narrative           `json:"text"`
	Entry       []Reference          `json:"entry"`
	EmptyReason *CodeableConcept     `json:"emptyReason"`
	Section     []CompositionSection `json:"section"`
}

// CarePlan is a plan of treatment.
type CarePlan struct {
	ID          string            `json:"id"`
	Status      string            `json:"status"`
	Intent      string            `json:"intent"`
	Category    []CodeableConcept `json:"category"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	Period      *Period           `json:"period"`
	Created     string            `json:"created"`
	Activity    []struct {
		Detail *struct {
			Code        *CodeableConcept `json:"code"`
			Status      string           `json:"status"`
			Description string           `json:"description"`
		} `json:"detail"`
	} `json:"activity"`
	Text *Narrative `json:"text"`
}

// Goal is a health goal (a target weight, an HbA1c below 7%).
type Goal struct {
	ID                string           `json:"id"`
	LifecycleStatus   string           `json:"lifecycleStatus"`
	AchievementStatus *CodeableConcept `json:"achievementStatus"`
	Description       *CodeableConcept `json:"description"`
	StartDate         string           `json:"startDate"`
	Target            []struct {
		Measure        *CodeableConcept `json:"measure"`
		DetailQuantity *Quantity        `json:"detailQuantity"`
		DetailRange    *Range           `json:"detailRange"`
		DetailString   string           `json:"detailString"`
		DueDate        string           `json:"dueDate"`
	} `json:"target"`
}

// FamilyMemberHistory is a relative's health history.
type FamilyMemberHistory struct {
	ID           string           `json:"id"`
	Status       string           `json:"status"`
	Name         string           `json:"name"`
	Relationship *CodeableConcept `json:"relationship"`
	Date         string           `json:"date"`
	Deceased     *bool            `json:"deceasedBoolean"`
	Condition    []struct {
		Code        *CodeableConcept `json:"code"`
		Outcome     *CodeableConcept `json:"outcome"`
		OnsetAge    *Quantity        `json:"onsetAge"`
		OnsetString string           `json:"onsetString"`
	} `json:"condition"`
}

// Device is an implanted or used device.
type Device struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	DeviceName []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"deviceName"`
	Type            *CodeableConcept `json:"type"`
	Manufacturer    string           `json:"manufacturer"`
	ModelNumber     string           `json:"modelNumber"`
	ManufactureDate string           `json:"manufactureDate"`
	ExpirationDate  string           `json:"expirationDate"`
	UDICarrier      []struct {
		DeviceIdentifier string `json:"deviceIdentifier"`
		CarrierHRF       string `json:"carrierHRF"`
	} `json:"udiCarrier"`
	Note []Annotation `json:"note"`
}

// DeviceUseStatement records that a device is or was used (implanted).
type DeviceUseStatement struct {
	ID             string           `json:"id"`
	Status         string           `json:"status"`
	Device         Reference        `json:"device"`
	TimingDateTime string           `json:"timingDateTime"`
	TimingPeriod   *Period          `json:"timingPeriod"`
	RecordedOn     string           `json:"recordedOn"`
	BodySite       *CodeableConcept `json:"bodySite"`
}

// ExplanationOfBenefit is an insurer's processed claim (Blue Button 2.0).
type ExplanationOfBenefit struct {
	ID             string           `json:"id"`
	Status         string           `json:"status"`
	Type           *CodeableConcept `json:"type"`
	Use            string           `json:"use"`
	BillablePeriod *Period          `json:"billablePeriod"`
	Created        string           `json:"created"`
	Provider       *Reference       `json:"provider"`
	Facility       *Reference       `json:"facility"`
	Insurer        *Reference       `json:"insurer"`
	Diagnosis      []struct {
		Sequence                 int              `json:"sequence"`
		DiagnosisCodeableConcept *CodeableConcept `json:"diagnosisCodeableConcept"`
		DiagnosisReference       *Reference       `json:"diagnosisReference"`
	} `json:"diagnosis"`
	Procedure []struct {
		Date                     string           `json:"date"`
		ProcedureCodeableConcept *CodeableConcept `json:"procedureCodeableConcept"`
	} `json:"procedure"`
	Item []struct {
		Sequence         int              `json:"sequence"`
		ProductOrService *CodeableConcept `json:"productOrService"`
		ServicedDate     string           `json:"servicedDate"`
		ServicedPeriod   *Period          `json:"servicedPeriod"`
		Quantity         *Quantity        `json:"quantity"`
		Adjudication     []struct {
			Category *CodeableConcept `json:"category"`
			Amount   *Money           `json:"amount"`
		} `json:"adjudication"`
	} `json:"item"`
	CareTeam []struct {
		Provider *Reference `json:"provider"`
	} `json:"careTeam"`
	Total []struct {
		Category *CodeableConcept `json:"category"`
		Amount   *Money           `json:"amount"`
	} `json:"total"`
	Payment *struct {
		Amount *Money `json:"amount"`
	} `json:"payment"`
}

// Claim is a bill sent to an insurer (Synthea exports them beside each EOB).
type Claim struct {
	ID             string           `json:"id"`
	Status         string           `json:"status"`
	Type           *CodeableConcept `json:"type"`
	BillablePeriod *Period          `json:"billablePeriod"`
	Created        string           `json:"created"`
	Provider       *Reference       `json:"provider"`
	Total          *Money           `json:"total"`
	Item           []struct {
		ProductOrService *CodeableConcept `json:"productOrService"`
	} `json:"item"`
}

// Money is an amount in a currency.
type Money struct {
	Value    json.Number `json:"value"`
	Currency string      `json:"currency"`
}

// Coverage is an insurance plan.
type Coverage struct {
	ID     string           `json:"id"`
	Status string           `json:"status"`
	Type   *CodeableConcept `json:"type"`
	Period *Period          `json:"period"`
	Payor  []Reference      `json:"payor"`
	Class  []struct {
		Type  *CodeableConcept `json:"type"`
		Value string           `json:"value"`
		Name  string           `json:"name"`
	} `json:"class"`
	SubscriberID string `json:"subscriberId"`
}

// Practitioner is a clinician.
type Practitioner struct {
	ID            string         `json:"id"`
	Identifier    []Identifier   `json:"identifier"`
	Name          []HumanName    `json:"name"`
	Telecom       []ContactPoint `json:"telecom"`
	Address       []Address      `json:"address"`
	Qualification []struct {
		Code CodeableConcept `json:"code"`
	} `json:"qualification"`
}

// PractitionerRole is a clinician's role at an organization.
type PractitionerRole struct {
	ID           string            `json:"id"`
	Practitioner *Reference        `json:"practitioner"`
	Organization *Reference        `json:"organization"`
	Code         []CodeableConcept `json:"code"`
	Specialty    []CodeableConcept `json:"specialty"`
	Telecom      []ContactPoint    `json:"telecom"`
}

// Organization is a clinic, hospital, lab or insurer.
type Organization struct {
	ID         string         `json:"id"`
	Identifier []Identifier   `json:"identifier"`
	Name       string         `json:"name"`
	Telecom    []ContactPoint `json:"telecom"`
	Address    []Address      `json:"address"`
}

// Location is a place where care happens.
type Location struct {
	ID                   string     `json:"id"`
	Name                 string     `json:"name"`
	Address              *Address   `json:"address"`
	ManagingOrganization *Reference `json:"managingOrganization"`
}

// RelatedPerson is a relative, caregiver or emergency contact.
type RelatedPerson struct {
	ID           string            `json:"id"`
	Relationship []CodeableConcept `json:"relationship"`
	Name         []HumanName       `json:"name"`
	Telecom      []ContactPoint    `json:"telecom"`
}

// Binary is raw content, such as a C-CDA document a FHIR server returns.
type Binary struct {
	ID          string `json:"id"`
	ContentType string `json:"contentType"`
	Data        string `json:"data"`
}

func (*Patient) resourceType() string              { return "Patient" }
func (*Condition) resourceType() string            { return "Condition" }
func (*MedicationRequest) resourceType() string    { return "MedicationRequest" }
func (*MedicationStatement) resourceType() string  { return "MedicationStatement" }
func (*MedicationDispense) resourceType() string   { return "MedicationDispense" }
func (*Medication) resourceType() string           { return "Medication" }
func (*AllergyIntolerance) resourceType() string   { return "AllergyIntolerance" }
func (*Immunization) resourceType() string         { return "Immunization" }
func (*Observation) resourceType() string          { return "Observation" }
func (*DiagnosticReport) resourceType() string     { return "DiagnosticReport" }
func (*Procedure) resourceType() string            { return "Procedure" }
func (*Encounter) resourceType() string            { return "Encounter" }
func (*DocumentReference) resourceType() string    { return "DocumentReference" }
func (*Composition) resourceType() string          { return "Composition" }
func (*CarePlan) resourceType() string             { return "CarePlan" }
func (*Goal) resourceType() string                 { return "Goal" }
func (*FamilyMemberHistory) resourceType() string  { return "FamilyMemberHistory" }
func (*Device) resourceType() string               { return "Device" }
func (*DeviceUseStatement) resourceType() string   { return "DeviceUseStatement" }
func (*ExplanationOfBenefit) resourceType() string { return "ExplanationOfBenefit" }
func (*Claim) resourceType() string                { return "Claim" }
func (*Coverage) resourceType() string             { return "Coverage" }
func (*Practitioner) resourceType() string         { return "Practitioner" }
func (*PractitionerRole) resourceType() string     { return "PractitionerRole" }
func (*Organization) resourceType() string         { return "Organization" }
func (*Location) resourceType() string             { return "Location" }
func (*RelatedPerson) resourceType() string        { return "RelatedPerson" }
func (*Binary) resourceType() string               { return "Binary" }
