package ccda

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// Reader reads C-CDA (R1.1, R2.x) and HITSP C32 / CCD R1 documents. The zero
// value is ready to use and safe for concurrent use.
type Reader struct{}

var _ importers.Importer = (*Reader)(nil)

// Name returns "ccda".
func (*Reader) Name() string { return "ccda" }

// Sniff recognizes a ClinicalDocument in the HL7 v3 namespace from the
// leading bytes, whatever the file is called (.xml, .XML, .ccd, .txt...),
// after a BOM, an XML declaration, comments and stylesheet instructions. A
// ClinicalDocument without a namespace, or a file holding a single C-CDA
// section, is recognized with less certainty (it is read, with a warning).
func (*Reader) Sniff(in *importers.Input, head []byte) int {
	space, local, ok := importers.SniffXML(head)
	if ok {
		if (local == "section" || local == "component") && (space == nsV3 || space == "") &&
			bytes.Contains(head, []byte(`root="2.16.840.1.113883.10.20.`)) {
			// A lone C-CDA section (read with a warning).
			return 20
		}
		if local != "ClinicalDocument" {
			return 0
		}
		switch space {
		case nsV3:
			return 90
		case "":
			return 60
		}
		return 0
	}
	// The head ended before the root's start tag was complete (a very long
	// comment first): look for the tag itself.
	if bytes.Contains(head, []byte("<ClinicalDocument")) && bytes.Contains(head, []byte(nsV3)) {
		return 50
	}
	return 0
}

// Read reads one document into a batch: one patient group holding the
// Patient from the header, the practitioners, organizations and places the
// document names, a Composition for the document, a resource (or several)
// for every entry of every section, and a text/plain DocumentReference for
// each section that is written for people rather than coded.
//
// Every entry of every section is either stored (its resources carry the
// [EntryPathExtension]) or listed in Report.Skipped with its path and the
// reason. What the document gets wrong but plainly means is read that way
// and noted in Report.Warnings.
//
// Read returns an [*importers.Error] naming the file and the place,
// wrapping [importers.ErrDoctype] (a DOCTYPE, refused before it is read),
// [importers.ErrTooDeep] (nesting beyond Limits.MaxDepth),
// [importers.ErrTooLarge] (beyond Limits.MaxFileSize or MaxResources),
// [importers.ErrInvalidUTF8] or [importers.ErrMalformed] (not well-formed,
// or not a ClinicalDocument); or the context's error when ctx is
// cancelled. On error the batch is nil.
func (*Reader) Read(ctx context.Context, in *importers.Input, env *importers.Env) (*record.Batch, error) {
	lim := importers.DefaultLimits()
	if env != nil {
		lim = env.Limits
	}
	// A DOCTYPE is refused from the first bytes, before the rest of a
	// possibly huge file is read.
	if head, err := in.Head(); err == nil && len(head) > 0 {
		if err := checkHead(in.Name, head, lim); err != nil {
			return nil, err
		}
	}
	data, err := in.ReadAll(lim)
	if err != nil {
		return nil, err
	}
	return read(ctx, in.Name, data, lim)
}

// checkHead reads the prolog in head up to the root's start tag and
// returns the decoder's error when it refuses it (a DOCTYPE); errors from
// head ending early are not errors here.
func checkHead(name string, head []byte, lim importers.Limits) error {
	dec := importers.NewXMLDecoder(name, bytes.NewReader(head), lim)
	for {
		tok, err := dec.RawToken()
		if err != nil {
			if errors.Is(err, importers.ErrDoctype) {
				return err
			}
			return nil
		}
		if _, ok := tok.(xml.StartElement); ok {
			return nil
		}
	}
}

func read(ctx context.Context, name string, data []byte, lim importers.Limits) (*record.Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, &importers.Error{File: name, Err: err}
	}
	root, err := parseTree(ctx, name, data, lim)
	if err != nil {
		return nil, err
	}
	if fragment := sectionFragment(root); fragment != nil {
		return readFragment(ctx, name, data, root, fragment)
	}
	if root.name != "ClinicalDocument" {
		return nil, importers.Errorf(name, "/"+root.name, "%w: the root element is <%s>, not a CDA ClinicalDocument", importers.ErrMalformed, root.name)
	}
	b := &record.Batch{Original: data}
	b.Report.Added = map[record.Kind]int{}
	m := &mapper{
		ctx:    ctx,
		root:   root,
		ids:    indexIDs(root),
		report: &b.Report,
		index:  map[string]int{},
		warned: map[string]bool{},
	}
	switch root.space {
	case nsV3:
	case "":
		m.warn("the document does not declare the HL7 v3 namespace; it was read as a CDA document anyway")
	default:
		return nil, importers.Errorf(name, "/ClinicalDocument", "%w: a ClinicalDocument in the namespace %q, not HL7 v3", importers.ErrMalformed, root.space)
	}
	b.Source.Format, b.Report.Version = documentFormat(root)
	if b.Source.Format == "" {
		b.Source.Format = "ccda"
		m.warn("the document declares no C-CDA or CCD template; it was read as C-CDA")
	}
	b.Report.Format = b.Source.Format
	b.Source.File = name
	b.Source.SHA256 = importers.HashBytes(data)
	b.Source.Size = int64(len(data))
	m.docKey = documentKey(root, b.Source.SHA256)

	m.header(&b.Source)
	sections := m.body()
	if err := ctx.Err(); err != nil {
		return nil, &importers.Error{File: name, Err: err}
	}
	m.composition(sections)
	if len(m.res) > lim.MaxResources && lim.MaxResources > 0 {
		return nil, importers.Errorf(name, "", "%w: %d resources, the limit is %d", importers.ErrTooLarge, len(m.res), lim.MaxResources)
	}

	group := record.PatientRecords{Resources: m.res}
	if m.patient != nil {
		switch m.sexAtBirth {
		case "F", "M", "UNK":
			add(m.patient, "extension", newObj("url", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode", m.sexAtBirth))
		}
		pr := record.Resource{Type: "Patient", ID: m.patient.Get("id").(string), JSON: marshal(m.patient)}
		group.Patient = &pr
		if p, err := record.Decode[record.Patient](pr); err == nil {
			group.Person = record.PersonFromPatient(p)
		}
	}
	b.Patients = []record.PatientRecords{group}
	if b.Report.Skipped == nil {
		b.Report.Skipped = []record.Skip{}
	}
	if b.Report.Warnings == nil {
		b.Report.Warnings = []string{}
	}
	return b, nil
}

// documentFormat tells C-CDA from C32/CCD R1 by the document's templates,
// and the C-CDA release by the template version.
func documentFormat(root *node) (format record.Format, version string) {
	ccda, c32, ccd1 := false, false, false
	version = ""
	for _, t := range root.children("templateId") {
		r := strings.TrimSpace(t.attr("root"))
		switch {
		case strings.HasPrefix(r, "2.16.840.1.113883.10.20.22.1."):
			ccda = true
			switch strings.TrimSpace(t.attr("extension")) {
			case "2015-08-01":
				version = "R2.1"
			case "2014-06-09":
				if version != "R2.1" {
					version = "R2.0"
				}
			}
		case r == "2.16.840.1.113883.3.88.11.32.1":
			c32 = true
		case r == "2.16.840.1.113883.10.20.1", r == "1.3.6.1.4.1.19376.1.5.3.1.1.1":
			ccd1 = true
		}
	}
	switch {
	case ccda:
		if version == "" {
			version = "R1.1"
		}
		return "ccda", version
	case c32:
		return "c32", "HITSP C32"
	case ccd1:
		return "c32", "CCD R1"
	}
	return "", "CDA R2"
}

// documentKey is what resource ids derive from: the document's id when it
// has one, else its content.
func documentKey(root *node, sum string) string {
	id := root.child("id")
	r, e := strings.TrimSpace(id.attr("root")), strings.TrimSpace(id.attr("extension"))
	if r == "" && e == "" {
		return "sha256:" + sum
	}
	return "id:" + r + "^" + e
}

// composition stores the document itself as a Composition whose sections
// point at what their entries became.
func (m *mapper) composition(sections []any) {
	c := m.newResActor("Composition", "composition")
	if id := identifier(m.root.child("id")); id != nil {
		c.SetNonEmpty("identifier", id)
	}
	c.SetNonEmpty("status", "final")
	typ := m.concept(m.root.child("code"))
	if !hasMeaning(typ) {
		typ = newObj("text", "Clinical document")
	}
	c.SetNonEmpty("type", typ)
	c.SetNonEmpty("subject", m.subject())
	c.SetNonEmpty("encounter", m.encounterRef)
	c.SetNonEmpty("date", m.docDate)
	authors := m.authorRefs
	if len(authors) == 0 {
		authors = []any{newObj("display", firstNonEmpty(m.custodian, "Author not stated"))}
	}
	c.SetNonEmpty("author", authors)
	title := m.docTitle
	if title == "" {
		title = "Clinical document"
	}
	c.SetNonEmpty("title", title)
	if cc := m.root.child("confidentialityCode"); cc != nil {
		c.SetNonEmpty("confidentiality", strings.TrimSpace(cc.attr("code")))
	}
	c.SetNonEmpty("custodian", m.custodianRef)
	c.SetNonEmpty("section", sections)
	m.emit(c)
}

// sectionFragment returns the section of a file that holds one C-CDA
// section (a <section>, or a <component> around one) instead of a whole
// document, as some samples and tools do; nil otherwise.
func sectionFragment(root *node) *node {
	if root.space != nsV3 && root.space != "" {
		return nil
	}
	switch root.name {
	case "section":
		return root
	case "component":
		return root.child("section")
	}
	return nil
}

// readFragment reads a lone section: its entries and narrative, with no
// patient (the file does not say whose it is) and a warning.
func readFragment(ctx context.Context, name string, data []byte, root, sec *node) (*record.Batch, error) {
	b := &record.Batch{Original: data}
	b.Report.Added = map[record.Kind]int{}
	b.Report.Skipped = []record.Skip{}
	b.Report.Warnings = []string{}
	m := &mapper{ctx: ctx, root: root, ids: indexIDs(root), report: &b.Report, index: map[string]int{}, warned: map[string]bool{}}
	sum := importers.HashBytes(data)
	m.docKey = "sha256:" + sum
	m.warn("the file holds a single document section, not a whole document: it does not say whose record it is or who wrote it")
	b.Source = record.Source{File: name, Format: "ccda", SHA256: sum, Size: int64(len(data))}
	b.Report.Format, b.Report.Version = "ccda", "section"
	m.section(sec)
	if err := ctx.Err(); err != nil {
		return nil, &importers.Error{File: name, Err: err}
	}
	b.Patients = []record.PatientRecords{{Resources: m.res}}
	return b, nil
}
