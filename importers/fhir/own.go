package fhir

import (
	"bytes"
	"strings"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
	"github.com/kinfolio/kinfolio/record"
)

// Kinfolio's own export (export/fhir's collection Bundle) is read back one
// source at a time: a Provenance per source says which resources it gave,
// and what the source was (its format, file name, title, author, date and
// hash; see export/fhir). Each becomes a part of the batch, so the vault
// merges them as the sources they were (two sources disagreeing are a
// conflict again, and the person's own entries stay their own).

// ownSource is one source of Kinfolio's own export, as its Provenance
// says.
type ownSource struct {
	prov *item
	src  record.Source
	// targets are the items the source gave, in the file's order.
	targets []int
	// patients are the ids, in the person's Patient's contained list, of
	// the source's own Patient resources.
	patients []string
}

// isOwnExport reports whether the input is Kinfolio's own collection
// Bundle: a Bundle that is no document, whose Provenances say, in
// Kinfolio's extension, what format each source was read as. It is called
// before references are resolved, so that nothing is made twice
// (pharmacy fills, the C-CDA documents inside).
func (rd *reading) isOwnExport() bool {
	if rd.document || rd.ndjson || rd.history {
		return false
	}
	patients, provs := 0, 0
	for _, it := range rd.items {
		switch {
		case it.drop:
		case it.typ == "Patient":
			patients++
		case it.typ == "Provenance" && ownProvenance(it):
			provs++
		}
	}
	return patients == 1 && provs > 0
}

// ownProvenance reports whether a Provenance is one of Kinfolio's export:
// Kinfolio is its assembler and it names the source's format.
func ownProvenance(it *item) bool {
	if !bytes.Contains(it.raw, []byte("source-format")) {
		return false
	}
	t, err := jsontree.Parse(it.raw)
	if err != nil {
		return false
	}
	r, _ := t.(*obj)
	if extValue(r, record.ExtensionSourceFormat, "valueCode") == "" {
		return false
	}
	for _, a := range r.Objects("agent") {
		if a.Obj("who").Str("display") == "Kinfolio" && hasCode(a.Obj("type"), "assembler") {
			return true
		}
	}
	return false
}

// ownParts splits Kinfolio's own export into one part per source, after
// references are resolved. Each part holds the records its Provenance
// names; its Patient is the source's own (kept inside the person's
// Patient in the export), and every part is matched to a person by the
// export's one Patient, so they all go to the same person. The person's
// Patient and the Provenances are reported as read back into the parts;
// resources no Provenance names stay in the batch itself, with the
// person's Patient.
func (rd *reading) ownParts() []*record.Batch {
	pi := -1
	index := make(map[string]int, len(rd.items))
	for i, it := range rd.items {
		if it.drop {
			continue
		}
		if it.typ == "Patient" {
			pi = i
		}
		index[it.typ+"/"+it.id] = i
	}
	if pi < 0 {
		return nil
	}
	personItem := rd.items[pi]
	personRes := personItem.resource()
	who := person(personRes)
	contained := map[string]*obj{}
	if t, err := jsontree.Parse(personItem.raw); err == nil {
		if p, _ := t.(*obj); p != nil {
			for _, c := range p.Objects("contained") {
				if c.Str("resourceType") == "Patient" && c.Str("id") != "" {
					contained[c.Str("id")] = c
				}
			}
		}
	}

	var sources []*ownSource
	// inPart are the items a part holds; read, the person's Patient and
	// the Provenances, read back into the parts.
	inPart := map[int]bool{}
	read := map[int]bool{pi: true}
	for i, it := range rd.items {
		if it.drop || it.typ != "Provenance" || !ownProvenance(it) {
			continue
		}
		s, refs := readOwnSource(it)
		if s == nil {
			continue
		}
		for _, ref := range refs {
			if j, ok := index[ref]; ok && j != pi && !inPart[j] && rd.items[j].typ != "Provenance" {
				inPart[j] = true
				s.targets = append(s.targets, j)
			}
		}
		sortInts(s.targets)
		sources = append(sources, s)
		read[i] = true
	}
	if len(sources) == 0 {
		return nil
	}

	var parts []*record.Batch
	for _, s := range sources {
		g := record.PatientRecords{Person: who}
		for k, id := range s.patients {
			c := contained[id]
			if c == nil {
				continue
			}
			if k == 0 || g.Patient == nil {
				// The source's records refer to it by the person's id.
				c.Set("id", personItem.id)
				res := record.Resource{Type: "Patient", ID: personItem.id, JSON: jsontree.Append(nil, c)}
				g.Patient = &res
				continue
			}
			g.Resources = append(g.Resources, record.Resource{Type: "Patient", ID: id, JSON: jsontree.Append(nil, c)})
		}
		for _, j := range s.targets {
			g.Resources = append(g.Resources, rd.items[j].resource())
		}
		part := &record.Batch{Source: s.src}
		part.Patients = []record.PatientRecords{g}
		part.FinishReport(nil)
		parts = append(parts, part)
	}
	// Records no Provenance names stay in the batch itself, with the
	// person's Patient, so they go to the same person.
	for i, it := range rd.items {
		if !it.drop && !inPart[i] && !read[i] {
			delete(read, pi)
			break
		}
	}
	for i, it := range rd.items {
		switch {
		case it.drop:
			continue
		case inPart[i]:
			it.drop = true // stored with its part
			continue
		case !read[i]:
			continue
		}
		it.drop = true
		switch {
		case i == pi:
			rd.report.Ignore(it.path, "the person the export is about, used to find them in the vault; each source's own Patient is kept with its records")
		default:
			rd.report.Ignore(it.path, "where the records came from, read back as the sources they came from (the parts of this import)")
		}
	}
	return parts
}

// readOwnSource reads a Provenance of Kinfolio's export: the source it
// describes and the references of its targets; nil when it cannot be read.
func readOwnSource(it *item) (*ownSource, []string) {
	t, err := jsontree.Parse(it.raw)
	if err != nil {
		return nil, nil
	}
	r, _ := t.(*obj)
	if r == nil {
		return nil, nil
	}
	s := &ownSource{prov: it}
	src := &s.src
	src.Format = record.Format(extValue(r, record.ExtensionSourceFormat, "valueCode"))
	src.File = extValue(r, record.ExtensionSourceFile, "valueString")
	src.Title = extValue(r, record.ExtensionSourceTitle, "valueString")
	for _, x := range r.Objects("extension") {
		if record.CanonicalKinfolioURL(x.Str("url")) == record.ExtensionSourcePatient && x.Str("valueString") != "" {
			s.patients = append(s.patients, x.Str("valueString"))
		}
	}
	src.DocumentDate, _ = record.ParseDate(r.Str("occurredDateTime"))
	for _, a := range r.Objects("agent") {
		w := a.Obj("who")
		if hasCode(a.Obj("type"), "author") && w.Str("reference") == "" && src.Author == "" {
			src.Author = strings.TrimSpace(w.Str("display"))
		}
	}
	for _, e := range r.Objects("entity") {
		what := e.Obj("what")
		if id := what.Obj("identifier"); id != nil && record.SameSystem(id.Str("system"), record.SystemSourceSHA256) {
			src.SHA256 = strings.ToLower(strings.TrimSpace(id.Str("value")))
		}
		if src.File == "" {
			src.File = strings.TrimSpace(what.Str("display"))
		}
	}
	if !validSHA256(src.SHA256) {
		src.SHA256 = ""
	}
	if src.File == "" {
		src.File = "a source of the export"
	}
	var refs []string
	for _, tg := range r.Objects("target") {
		if ref := tg.Str("reference"); ref != "" {
			refs = append(refs, ref)
		}
	}
	return s, refs
}

// extValue is the value (member key) of the first extension of r whose
// url is url (read as [record.CanonicalKinfolioURL] does).
func extValue(r *obj, url, key string) string {
	for _, x := range r.Objects("extension") {
		if record.CanonicalKinfolioURL(x.Str("url")) == url {
			return strings.TrimSpace(x.Str(key))
		}
	}
	return ""
}

// hasCode reports whether a CodeableConcept has a coding with code.
func hasCode(c *obj, code string) bool {
	for _, cd := range c.Objects("coding") {
		if cd.Str("code") == code {
			return true
		}
	}
	return false
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
