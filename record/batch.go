package record

import "io"

// Batch is what one importer hands over for one imported file: the people it
// names, each with their resources, the file's [Source], the original bytes
// and a [Report] of what was read, skipped and warned about.
//
// A package (a zip, an XDM download, a folder) is a Batch whose Parts are
// the batches of the documents inside; its own Patients may be empty. The
// vault stores a batch and all its parts in one transaction.
//
// Contract for importers:
//   - Every resource in the input is either in some Patients[i].Resources or
//     listed in Report.Skipped with its path and the reason.
//   - Resource ids are unique per type within one Batch (not across Parts),
//     and references between them are relative ("Practitioner/abc") or
//     "#contained" ids, so they resolve within the batch.
//   - Practitioner, Organization, Location and Medication resources a
//     patient's records refer to are in that patient's Resources.
type Batch struct {
	// Source describes the file. The importer fills File, Format, SHA256,
	// Size and, when the document says, Author, DocumentDate and Title.
	Source Source
	// Original is the file's bytes as read, kept sealed in the vault so the
	// user can always get back what they imported. Empty for package parts
	// whose bytes are inside their parent's Original.
	Original []byte
	// OpenOriginal, when set and Original is nil, streams the original bytes
	// instead (for files too large to hold in memory, such as a
	// multi-gigabyte Apple Health export). It may be called more than once.
	OpenOriginal func() (io.ReadCloser, error)
	// Patients are the people the file is about, one group each. A file that
	// names no patient has one group with a nil Patient.
	Patients []PatientRecords
	// Report says what was read and what was not.
	Report Report
	// Parts are the documents inside a package.
	Parts []*Batch
}

// PatientRecords are one person's resources from one file.
type PatientRecords struct {
	// Patient is the file's Patient resource; nil when the file names none.
	Patient *Resource
	// Person is the demographics used for matching to a profile (read from
	// Patient with [PersonFromPatient], or from the document's header).
	Person Person
	// PatientRef, when Patient is nil, is the reference the group's records
	// make to a patient the file does not hold ("Patient/123",
	// "urn:uuid:..."), so the vault can find whose they are from another
	// file's Patient; "" when they refer to no patient. A reader puts
	// records that refer to different patients in different groups.
	PatientRef string
	// Resources are the person's resources other than Patient, including
	// the practitioners, organizations, locations and medications they
	// refer to (and, in a file about one person, other Patients it names
	// beside its subject, such as a guardian's, kept as written).
	Resources []Resource
}

// Report is the account of one import, shown to the user as
// "imported 212, skipped 3 — why". Importers fill Format, Version, Skipped
// and Warnings; the vault fills Profile, Added, Merged, Conflicts and
// AlreadyImported.
type Report struct {
	File            string       `json:"file"`
	Format          Format       `json:"format"`
	Version         string       `json:"version,omitempty"`
	Profile         string       `json:"profile,omitempty"`
	Added           map[Kind]int `json:"added"`
	Merged          int          `json:"merged"`
	Conflicts       int          `json:"conflicts"`
	AlreadyImported bool         `json:"already_imported"`
	Skipped         []Skip       `json:"skipped"`
	Warnings        []string     `json:"warnings"`
	// Ignored are items deliberately passed over because they are not
	// health records (an XDM package's stylesheet, INDEX.HTM and README.TXT,
	// the step counts of an Apple Health export), each with why. Unlike
	// Skipped, nothing here is a failure.
	Ignored []Skip `json:"ignored,omitempty"`
	// Parts are the reports of the documents inside a package.
	Parts []Report `json:"parts,omitempty"`
}

// Skip is one item of input that was not stored, with where and why.
type Skip struct {
	// Path locates the item: "entry[12].resource" in JSON,
	// "/ClinicalDocument/component/structuredBody/component[3]/section/entry[2]"
	// in XML, "IHE_XDM/SUBSET01/DOC0001.XML" in a zip.
	Path string `json:"path"`
	// Reason says why, in words a person understands.
	Reason string `json:"reason"`
	// Detail says it in the format's own terms, for whoever reads the file
	// with its specification at hand ("the planned act has no code and no
	// text"); "" when Reason says it all.
	Detail string `json:"detail,omitempty"`
}

// Skip records that the item at path was not stored, and why.
func (r *Report) Skip(path, reason string) {
	r.Skipped = append(r.Skipped, Skip{Path: path, Reason: reason})
}

// SkipDetail is [Report.Skip] with the technical detail of the reason.
func (r *Report) SkipDetail(path, reason, detail string) {
	r.Skipped = append(r.Skipped, Skip{Path: path, Reason: reason, Detail: detail})
}

// IgnoreDetail is [Report.Ignore] with the technical detail of the reason.
func (r *Report) IgnoreDetail(path, reason, detail string) {
	r.Ignored = append(r.Ignored, Skip{Path: path, Reason: reason, Detail: detail})
}

// Warn records something the user should know that did not stop the import.
func (r *Report) Warn(msg string) { r.Warnings = append(r.Warnings, msg) }

// Ignore records that the item at path was passed over on purpose, and why.
func (r *Report) Ignore(path, reason string) {
	r.Ignored = append(r.Ignored, Skip{Path: path, Reason: reason})
}

// FinishReport completes the reports of b and of its parts, depth first:
// File and Format default to the Source's, Added is empty rather than nil,
// and Report.Parts is set to the parts' reports, in
// order, leaving out the parts keep refuses (keep nil: every part). It is
// the one place a package's part reports are gathered; readers call it
// when done, and the vault again once it has filled in what it stored.
func (b *Batch) FinishReport(keep func(part *Batch) bool) {
	r := &b.Report
	if r.File == "" {
		r.File = b.Source.File
	}
	if r.Format == "" {
		r.Format = b.Source.Format
	}
	if r.Added == nil {
		r.Added = map[Kind]int{}
	}
	r.Parts = nil
	for _, p := range b.Parts {
		p.FinishReport(keep)
		if keep == nil || keep(p) {
			r.Parts = append(r.Parts, p.Report)
		}
	}
}

// TotalAdded is the number of new entries across kinds, parts included.
func (r *Report) TotalAdded() int {
	n := 0
	for _, c := range r.Added {
		n += c
	}
	for i := range r.Parts {
		n += r.Parts[i].TotalAdded()
	}
	return n
}

// Walk calls fn for b and then for each part, depth first.
func (b *Batch) Walk(fn func(*Batch)) {
	fn(b)
	for _, p := range b.Parts {
		p.Walk(fn)
	}
}
