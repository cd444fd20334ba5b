// Package fhir writes a person's records as FHIR R4: the whole record as a
// collection Bundle ([WriteBundle]) and an International Patient Summary
// as a document Bundle ([WriteIPS]). Both are pure functions of an
// [export.Input]: the same Input (and its Now) gives the same bytes.
//
// # The collection Bundle
//
// The Bundle holds every stored resource of the person, as the importers
// stored it, in the order the files were imported and, within a file, in
// the file's order. Importing the Bundle into a new vault gives the same
// entries, merged the same way (merging depends on which source came
// first). Three things change on the way, and only these:
//
//   - The person is one Patient, first in the Bundle, made from the
//     profile (name, birth date, sex, record numbers, emergency contacts,
//     language); its id is the profile's id. Each file's own Patient
//     resource is kept inside it as a contained resource, linked as
//     "seealso" (the same person as that file describes them), without
//     the server's meta.versionId and meta.lastUpdated, which a contained
//     resource may not carry. So the Bundle names one patient and a reader
//     cannot take the files' Patients for several people.
//   - References are rewritten to the full URL ("urn:uuid:...") of the
//     entry they name, resolved within the file the resource came from, as
//     the vault resolves them; references to a file's Patient name the
//     person's. References that named nothing in their file are kept as
//     written.
//   - A resource keeps its id unless another resource of its type in the
//     Bundle has it already (two files each with a "Condition/1") or it is
//     not a valid FHIR id; then it gets one made from its source and id,
//     the same in every export.
//
// Whitespace between JSON tokens is dropped: one entry per line.
//
// # Provenance
//
// Where each resource came from is written as one Provenance resource per
// source, after the resources: its targets are the entries the source
// gave, recorded is when it was imported, occurredDateTime the date the
// document gives, the agents its author (or the person, for entries
// typed in by hand) and Kinfolio as the assembler, and its entity the file
// read, by name and SHA-256 (identifier system
// [record.SystemSourceSHA256]). Extensions of Kinfolio's own say what a
// reader needs to make the source again: the format read
// ([record.ExtensionSourceFormat]), the file name and the document's title
// as such ([record.ExtensionSourceFile], [record.ExtensionSourceTitle]),
// and the ids of the person's contained Patients that were the source's
// own ([record.ExtensionSourcePatient]). A Provenance rather than
// meta.source keeps each resource's own meta untouched and says more than
// a URI can.
//
// Importing the Bundle into a new vault with importers/fhir makes the
// sources again, one part of the import per Provenance, under their own
// names, formats and dates: so entries two sources gave merge as they did,
// two that disagree are still a conflict, and the person's own entries
// stay their own. Another reader stores the Provenances as supporting
// resources and makes no entries of them.
//
// # The International Patient Summary
//
// [WriteIPS] writes a document Bundle (IPS profile Bundle-uv-ips): the
// Composition first (LOINC 60591-5, Patient summary Document; author and
// subject the person, since the summary is patient-held), then the
// person's Patient, then the resources the sections list and, within
// their files, what those refer to. Sections, in IPS order:
//
//   - required, always written: Medications (10160-0), Allergies (48765-2),
//     Problems (11450-4). With nothing to list, a section has an
//     emptyReason: "nilknown" when a source states there is none ("no
//     known allergies", with the date of the statement in the narrative and
//     in the extension [record.ExtensionStatedOn]), "unavailable" when no
//     source says anything. importers/fhir reads either back as the
//     statement it stands for;
//   - recommended, written when there is something: Immunizations (every
//     dose, 11369-6), Procedures (47519-4), Medical devices (46264-8),
//     Results (the latest result of each test, 30954-2);
//   - optional, likewise: Vital signs (latest of each, 8716-3), Past
//     problems (11348-0), Plan of care (18776-5), Social history (29762-2).
//
// What the sections list is [record.Summarize]'s selection, the one the
// visit summary prints; each section has a generated XHTML table.
package fhir
