// Package ccda reads the clinical documents US patient portals hand out:
// C-CDA R1.1 and R2.x (CCD, Discharge Summary, Referral Note, Progress Note,
// Consultation Note, History and Physical, Operative and Procedure Notes,
// Care Plan, Transfer Summary, Diagnostic Imaging Report, Unstructured
// Document) and the older HITSP C32 / HL7 CCD R1 documents. Each document
// becomes one [record.Batch] of FHIR R4 resources, following the HL7
// C-CDA-on-FHIR mappings.
//
// # Reading a document
//
// [Reader] implements [importers.Importer]. Its Sniff recognizes a
// ClinicalDocument in the urn:hl7-org:v3 namespace from the first bytes,
// whatever the file is called (.xml, .XML, .ccd, .txt). Read parses the
// document with the shared safe decoder ([importers.XMLDecoder]: a DOCTYPE
// is refused before it is read, nesting is capped, nothing is fetched) into
// a small tree and maps it:
//
//   - the header: the patient (recordTarget) as a Patient and the
//     demographics used to match a profile; authors, custodian, legal
//     authenticator and care team as Practitioner and Organization; the
//     visit the document is about (encompassingEncounter) as an Encounter;
//     the source's author ("Greenway Medical"), date and title;
//   - every section entry, by its template (or, for entries without a known
//     template, by its section and structure): problems, health concerns
//     and diagnoses as Condition; medications as MedicationStatement (taken)
//     or MedicationRequest (prescribed, planned); allergies as
//     AllergyIntolerance; immunizations as Immunization; result organizers
//     as a DiagnosticReport over Observations; vital signs as Observations
//     (systolic and diastolic pressure as one blood pressure Observation);
//     procedures as Procedure; visits as Encounter; social history, smoking
//     status, functional and mental status, advance directives and outcomes
//     as Observation; planned care as ServiceRequest (a planned visit stays
//     an Encounter); goals as Goal; instructions as CarePlan; family history
//     as FamilyMemberHistory; medical equipment as DeviceUseStatement with
//     its Device contained; payers as Coverage;
//   - sections written for people (assessment, hospital course, reason for
//     visit, instructions, plan of treatment, and coded sections whose
//     entries could not be stored) as a DocumentReference whose attachment
//     is text/plain: the narrative rendered as plain text that keeps its
//     paragraphs, lists and tables, never HTML;
//   - the document itself as a Composition whose sections point at what
//     their entries became.
//
// An unstructured document (nonXMLBody) keeps its content (a base64 PDF,
// plain text) as a DocumentReference. A file holding a single section
// rather than a document is read with a warning and no patient.
//
// # Accounting
//
// Every entry of every section is either stored — each resource made from
// it carries [EntryPathExtension] with the entry's path — or listed in
// Report.Skipped with its path ("/ClinicalDocument/component/structuredBody/component[3]/section/entry[2]")
// and a reason in plain words. Nothing is dropped silently.
//
// # Vendor reality
//
// Real exports are rarely what the guide says. The reader takes them as
// they plainly mean and says so in Report.Warnings: nullFlavor anywhere;
// originalText and text references resolved against the narrative's ids
// (with or without the '#'); translations kept as further codings; codes
// without display names named from the narrative (the statement's text, or
// the row of the section's table that shows the code); timestamps from year
// to fractions of a second, with or without offsets, or in ISO form;
// intervals with only a low or a high; values with non-UCUM units (kept as
// written, coded in UCUM when the unit is a known spelling); values whose
// xsi:type is missing, prefixed or in another case; "null" written as a
// name or display; "no known allergies" without the negation flag, and "no
// known problems" with one; placeholder dates of 1 January 1900; entries
// that only say there is nothing to give ("Medication excluded/not
// available", "No Encounters Indicated"), skipped with those words as the
// reason; a UTF-8 BOM, CRLF line ends, ISO-8859-1 or Windows-1252 encodings
// and stylesheet processing instructions (never fetched).
//
// # Identity
//
// Resource ids are derived from the document's id (or, without one, its
// content hash) and the path of the element a resource comes from, so
// reading the same file twice gives the same batch, byte for byte.
package ccda
