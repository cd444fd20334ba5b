// Package archive reads what patients actually download: packages of
// documents rather than single documents. The portal's "Download" button
// gives an IHE XDM zip; an export tool gives a zip or a folder of C-CDA and
// FHIR files from several providers; the iPhone's Health app gives
// export.zip with export.xml and clinical-records/*.json. [Reader] reads
// them all as one package each, hands every document inside to the
// registry (so the FHIR and C-CDA readers do the reading) and reports what
// became of every file.
//
// # Packages
//
// [Reader.Read] returns a package batch: its Source.Format is one of
// [FormatXDM], [FormatZip], [FormatFolder] or [FormatAppleHealth], its
// Parts hold one batch per document read (Source.File is the path inside
// the package, Original the document's bytes), and its Report lists each
// document (Report.Parts), each file that could not be read with why
// (Report.Skipped) and each file that is not a health record
// (Report.Ignored: stylesheets, INDEX.HTM, README.TXT, workout routes).
// The vault stores the package and its parts in one transaction.
//
// A folder rates only 1 in [Reader.Sniff], so a folder that another reader
// knows better (a FHIR bulk export of NDJSON files) goes to that reader.
//
// # IHE XDM
//
// An XDM package keeps its documents in IHE_XDM/SUBSETnn/ folders beside a
// METADATA.XML that describes each one. The reader uses the metadata for a
// document's title, author and date where the document itself is silent,
// and warns when a document does not match the size or SHA-1 the metadata
// records. The real-world variants are read too: an extra top folder,
// mixed-case METADATA.xml, backslash separators, no IHE_XDM folder.
//
// # Apple Health
//
// export.xml holds every sample the phone and watch ever recorded and
// reaches gigabytes. It is parsed in one streaming pass (several hundred
// MB/s, memory independent of its size) by a small tokenizer made for it,
// and only what a clinician cares about is kept, as FHIR R4 Observations
// with LOINC codes and UCUM units: body weight, height, BMI, heart rate,
// resting heart rate, blood pressure (a panel with systolic and diastolic
// components), oxygen saturation, body temperature, respiratory rate and
// blood glucose. A day with more than eight readings of heart rate,
// oxygen saturation, respiratory rate, temperature or glucose (a watch
// measures every few seconds) becomes one daily summary: the mean as the
// value, the lowest, highest and count as components. Everything else
// (steps, workouts, activity rings) is counted and listed as ignored. The
// clinical records from health providers, clinical-records/*.json, are
// FHIR resources and go through the registry like any other document.
//
// export.xml starts with a DOCTYPE whose internal subset declares Apple's
// elements; it is accepted only while it declares nothing but elements,
// attribute lists and comments (the rules are in xmlscan.go), so entity bombs
// and external entities are refused with [importers.ErrDoctype].
//
// # Untrusted input
//
// Zips are opened through [importers.OpenZip]: nothing is ever written to
// disk; unsafe names (absolute, "..", drive letters), symbolic links,
// oversized entries and entries compressed beyond the ratio limit are
// skipped and reported; the entry count and total size limits refuse the
// whole archive; every cap is enforced again on the bytes actually
// inflated. An archive inside the package is reported, never opened.
// Folders get the same treatment: links are not followed, sizes are
// capped. All limits come from [importers.Limits].
package archive
