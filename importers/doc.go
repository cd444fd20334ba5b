// Package importers turns the files patients download into [record.Batch]es:
// it detects a file's format by its content, hands it to the reader for that
// format, and enforces the limits every reader shares.
//
// # Readers
//
// A reader implements [Importer]. The FHIR reader (importers/fhir), the
// C-CDA reader (importers/ccda) and the package reader (importers/archive)
// are combined in a [Registry]; readers that meet documents inside documents
// (a zip of C-CDAs, a FHIR Binary carrying a C-CDA) hand them back to the
// registry through [Env].
//
// # Untrusted input
//
// Every imported file is hostile until parsed. [Limits] caps file size, JSON
// and XML nesting depth, NDJSON line length, zip entry count, uncompressed
// sizes and compression ratio. Readers refuse XML with a DOCTYPE and JSON
// with duplicate keys, never write an archive entry to disk and never fetch
// anything. A file that cannot be read gives an [*Error] naming the file and
// the place; nothing of it is stored.
package importers
