// Package record is Kinfolio's domain model: the health facts a person's
// records hold, in the form every other package agrees on. It uses only the
// standard library and does no I/O, so it can be tested on its own and reused
// by the GUI, the command-line tool, the importers, the exporters and the vault.
//
// # Canonical form
//
// FHIR R4 is the canonical form of a health fact. Importers turn whatever they
// read (C-CDA, FHIR STU3 or DSTU2, Apple Health, claims) into FHIR R4
// resources; a [Resource] keeps one resource's JSON byte for byte as the
// importer produced it, so an export gives back everything the input said,
// including fields Kinfolio does not show yet.
//
// Typed read access to the fields the app uses comes from slim structs
// ([Patient], [Condition], [Observation], ...) decoded with [Decode]. They
// name only what Kinfolio reads; everything else stays in the JSON.
//
// # Lenient reading
//
// Real exports bend FHIR: a number where FHIR has text (`"issued":
// 1652000000`), one object where R4 has a list (DSTU2's
// DiagnosticReport.category). [Decode] and [Project] read such a field anyway
// where its value still says what FHIR means, or leave it out, and read every
// other field: one odd field never hides a resource. [DecodeChecked] and
// [ProjectChecked] also return a [FieldProblem] per field, which the import
// report states ([FieldProblemsNote]).
//
// # Entries
//
// Beside each clinical resource sits an [Entry], its normalized view:
// a [Kind], a title a patient can read, codes, a date or period, a status,
// a value with unit and reference range, and the sources it came from.
// [Project] computes an entry from a resource. Screens, search, merging and
// the printouts work on entries; the resource stays the source of truth.
//
// # Merging and conflicts
//
// Two entries of one person describe the same fact when their [MergeKey]
// matches: a lab result is its LOINC code, time, value and unit; a
// medication its RxNorm code (or normalized name) and start; a condition its
// code; and so on per kind. [Merge] folds a newly imported entry into the ones
// already held: the same fact from another source adds that source to the
// entry ("seen in 3 sources"); the same key with different content (another
// dose, another status) from another document is a conflict ([InConflict]),
// and both entries are kept and flagged; [Differences] names the fields that
// differ with both values. Entries of one document that differ are two facts
// that document states, not a conflict, and two statements that something is
// absent ("no known allergies") never conflict. Nothing is ever silently
// chosen.
//
// # People
//
// A [Profile] is one person in the vault. [MatchPatient] compares the
// demographics an imported file names ([Person]) with the profiles held:
// identifiers first, then names normalized for case, accents, order and
// initials, then birth date. A mismatch or ambiguity is reported with the
// reason, never guessed. [Compare] checks a file against the one person a
// user chose for it, field by field; [Likeness.ClearlyOther] says when the
// file is clearly about someone else.
//
// # Entered by hand
//
// A [SelfReport] is a fact a person types in: [NewSelfReported] builds its
// FHIR resource, tagged [SelfReportTag], coded where the vocabularies allow
// — a medication's dose in UCUM, its route in SNOMED CT and its frequency
// as a Timing ([DoseUnits], [Routes], [Frequencies], read from plain words
// by [ParseHow]); an allergy's reactions ([Reactions]) and "no known
// allergies" ([NoKnownAllergy]); a vital sign in LOINC with a UCUM unit
// and plausible ranges ([VitalSigns]), a blood pressure as one panel of two
// components. [SelfReportOf] reads such a resource back for editing.
//
// # Summaries
//
// [Summarize] selects what a visit summary and the dashboard show: active
// problems, current medications, allergies, the latest dose of each vaccine,
// the latest vital signs, lab results grouped by test with their history, and
// recent visits and procedures.
package record
