// Package fhir reads FHIR files into [record.Batch]es: what patient-access
// APIs, bulk exports, Medicare's Blue Button 2.0 and International Patient
// Summaries hand out.
//
// # What it reads
//
// The [Reader] recognizes its input by content, never by file name:
//
//   - FHIR JSON: a single resource, or a Bundle of any type (collection,
//     searchset, transaction, batch, their responses, history, document),
//     with or without a UTF-8 byte order mark, minified or pretty;
//   - FHIR XML (root element in the http://hl7.org/fhir namespace);
//   - NDJSON bulk data, one resource per line (lines of many megabytes are
//     normal), read as a stream;
//   - a folder of NDJSON files, read as one package (the Patients in one
//     file, their Conditions in another).
//
// Resources of R4 and R4B are stored as they are. STU3 and DSTU2 are
// recognized by the shapes of their resources and converted to R4 (see
// [Reader.Read] for the list); the report's Version says which one was read
// and Format is one of fhir-r4, fhir-stu3, fhir-dstu2, fhir-ndjson, ips
// (a patient summary document) or bb2 (Blue Button 2.0 claims).
//
// Files rarely say their version, so every resource votes by what only some
// versions have: resource types (MedicationOrder is DSTU2's, ProcedureRequest
// is older than R4, ServiceRequest is R4's) and elements whose name,
// cardinality or type differs (DSTU2's list of family names, its single
// Observation.category; STU3's dose held in the dosage itself); a
// CapabilityStatement's fhirVersion counts too. A file, or a lone resource,
// with no such shape is R4.
//
// # Originals
//
// The batch keeps the file as it was given (Original, or OpenOriginal for
// NDJSON, folders and files of 4 MB or more, which are read again from
// where they are rather than held twice; Source.SHA256 is the file's, so
// the vault can tell the file did not change meanwhile).
//
// # References and people
//
// References are resolved within the file: urn:uuid: full URLs, relative
// "Type/id", absolute URLs of a server, "/_history" versions and
// conditional references by identifier are all rewritten to the relative
// "Type/id" of the resource in the batch; contained ("#id") references
// stay as they are, and references to resources the file does not hold
// are kept as written (the report counts them). Resources without an id
// get one from their full URL, or from their content.
//
// Each Patient in the file is a group of its own, with the records that
// refer to it, and copies of the practitioners, organizations, locations
// and medications those records refer to (all of them when none refers to
// any). A file that names no Patient gives one group without one: the
// caller decides whose it is.
//
// # Kinfolio's own export
//
// A collection Bundle Kinfolio wrote (export/fhir: one Patient, the
// person, and a Provenance per source that Kinfolio assembled) is read
// back as the sources it was made from: one part per Provenance, in the
// order they were imported, with the source's file name, format, title,
// author, document date and hash, its own Patient (kept inside the
// person's, under the id its records use) and the records it gave. Every
// part is matched by the export's one Patient, so all go to one person;
// the vault then merges them as the sources they were (conflicts between
// sources are conflicts again, the person's own entries stay their own,
// sources it holds already are "already imported"). Nothing is made
// twice: no pharmacy fills, no C-CDA documents read from inside. The
// person's Patient and the Provenances are listed in Ignored, as read back
// into the parts.
//
// # Empty sections of a summary
//
// A document's required sections (medications, allergies, problems) that
// list nothing but say why (emptyReason) are read as the statement they
// stand for: "none known" as "No known allergies", "no information" as
// "No information about allergies", as IPS itself codes them (see
// [record.SummaryTag] for a summary Kinfolio made).
//
// # Accounting
//
// Every resource of the input is either in a group or listed in the
// report: Skipped for what could not be read, Ignored for what is no
// health record (a server's OperationOutcome, whose messages also become
// warnings; a CapabilityStatement; a bulk export's log lines; the same
// resource twice; an older version in a history Bundle). Paths name the
// place: "entry[12].resource", "Condition.000.ndjson line 7".
//
// # Blue Button 2.0 and documents
//
// ExplanationOfBenefit resources stay as they are (the record package
// makes claim entries of them); a pharmacy claim also yields a
// MedicationDispense per drug, so fills show among the medications. A
// Binary or DocumentReference carrying a C-CDA document (base64 XML) is
// handed to the registry of [importers.Env], and what the C-CDA reader makes
// of it becomes a part of the batch; the resource itself is kept as the
// document it is.
//
// # Hostile input
//
// JSON is checked with [importers.CheckJSON] before anything else reads
// it (depth, duplicate keys in any letter case, UTF-8); XML is read with
// [importers.XMLDecoder] (no DOCTYPE, depth capped). Sizes are capped by
// [importers.Limits]. Errors name the file and the place; on error no batch
// is returned.
package fhir
