package fhir

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// plan is how one person's stored resources go into a Bundle: the order,
// the id and full URL of each, and per source how the references written
// in its resources resolve to the bundle's entries.
type plan struct {
	in *export.Input
	// patientID and patientURL are the person's Patient in the bundle.
	patientID, patientURL string
	// sources are in the order of the Input's resources (as imported).
	sources []*sourcePlan
	// resources are every exported resource but the sources' Patients,
	// by source then as the Input lists them.
	resources []*resPlan
	byRef     map[record.ResourceRef]*resPlan
	// patients are the sources' own Patient resources.
	patients []*resPlan
	taken    map[typeID]bool // used in the bundle
	urls     map[string]*resPlan
}

type typeID struct{ typ, id string }

type sourcePlan struct {
	src export.Source
	// refs maps a reference as the source's resources write it to the
	// full URL of the bundle entry it names.
	refs      map[string]string
	resources []*resPlan // this source's, Patients included
	first     int        // 1 + the Input index of its first resource; 0 for none
}

func firstIndex(sp *sourcePlan) int {
	if sp.first == 0 {
		return math.MaxInt
	}
	return sp.first
}

type resPlan struct {
	ref record.ResourceRef
	res record.Resource
	src *sourcePlan
	// id is the resource's id in the bundle, url its entry's full URL.
	id, url string
}

// newPlan lays out the Input's resources. It returns an error when the
// Input names no person.
func newPlan(in *export.Input) (*plan, error) {
	if in.Person.ID == "" {
		return nil, fmt.Errorf("%w: the export names no person", ErrNoPerson)
	}
	n := len(in.Resources)
	p := &plan{in: in, byRef: make(map[record.ResourceRef]*resPlan, n), taken: make(map[typeID]bool, n)}
	p.patientID = in.Person.ID
	if !validID(p.patientID) {
		p.patientID = derivedID(p.patientID, "person", "Patient", in.Person.ID)
	}
	p.patientURL = urnUUID("person", in.Person.ID)
	p.taken[typeID{"Patient", p.patientID}] = true

	bySource := map[string]*sourcePlan{}
	for _, s := range in.Sources {
		if _, dup := bySource[s.ID]; !dup {
			sp := &sourcePlan{src: s, refs: map[string]string{}}
			bySource[s.ID] = sp
			p.sources = append(p.sources, sp)
		}
	}
	slab := make([]resPlan, len(in.Resources))
	for i, r := range in.Resources {
		sp := bySource[r.Ref.Source]
		if sp == nil {
			// A resource of a source the Input does not describe: keep it,
			// under a source known by its id only.
			sp = &sourcePlan{src: export.Source{Source: record.Source{ID: r.Ref.Source}}, refs: map[string]string{}}
			bySource[r.Ref.Source] = sp
			p.sources = append(p.sources, sp)
		}
		if sp.first == 0 {
			sp.first = i + 1
		}
		rp := &slab[i]
		*rp = resPlan{ref: r.Ref, res: r.Resource, src: sp}
		if rp.res.Type == "" {
			rp.res.Type = r.Ref.Type
		}
		sp.resources = append(sp.resources, rp)
	}
	// Sources in the order their resources come in the Input: the order
	// they were imported, which decides how entries merge on re-import.
	slices.SortStableFunc(p.sources, func(a, b *sourcePlan) int {
		return cmp.Compare(firstIndex(a), firstIndex(b))
	})
	for _, sp := range p.sources {
		sp.refs = make(map[string]string, len(sp.resources)+1)
		// Hand-entered resources name the person by the profile's id.
		sp.refs["Patient/"+in.Person.ID] = p.patientURL
		for _, rp := range sp.resources {
			refs := []string{rp.ref.Type + "/" + rp.ref.ID}
			if own := topLevelID(rp.res.JSON); own != "" && own != rp.ref.ID {
				// The vault keeps a second resource of a file with an id
				// already taken under "id~2"; its JSON says the id the
				// file's references use.
				refs = append(refs, rp.ref.Type+"/"+own)
			}
			if rp.ref.Type == "Patient" {
				rp.id = "source-patient-" + strconv.Itoa(len(p.patients)+1)
				rp.url = p.patientURL
				p.patients = append(p.patients, rp)
			} else {
				rp.id = p.claim(rp.ref)
				rp.url = urnUUID("resource", in.Person.ID, rp.ref.Source, rp.ref.Type, rp.ref.ID)
				p.resources = append(p.resources, rp)
				p.byRef[rp.ref] = rp
			}
			for _, ref := range refs {
				if _, seen := sp.refs[ref]; !seen {
					sp.refs[ref] = rp.url
				}
			}
		}
	}
	return p, nil
}

// claim picks the bundle id of a resource: its own when that is a valid
// FHIR id not yet used by another resource of its type, else one derived
// from where it came from.
func (p *plan) claim(ref record.ResourceRef) string {
	id := ref.ID
	if !validID(id) || p.taken[typeID{ref.Type, id}] {
		id = derivedID(ref.ID, ref.Source, ref.Type, ref.ID)
		for n := 2; p.taken[typeID{ref.Type, id}]; n++ {
			id = derivedID(ref.ID, ref.Source, ref.Type, ref.ID+"#"+strconv.Itoa(n))
		}
	}
	p.taken[typeID{ref.Type, id}] = true
	return id
}

// validID reports whether s is a FHIR id: 1 to 64 letters, digits, '-' and '.'.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// derivedID makes a valid FHIR id from base (what can be kept of it) and a
// hash of parts, so the same resource gets the same id in every export.
func derivedID(base string, parts ...string) string {
	var b strings.Builder
	for i := 0; i < len(base) && b.Len() < 40; i++ {
		c := base[i]
		if validID(string(c)) {
			b.WriteByte(c)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	prefix := strings.Trim(b.String(), "-.")
	h := hashOf(parts...)
	if prefix == "" {
		return "k" + h[:20]
	}
	return prefix + "-" + h[:12]
}

// hashInput lays out parts unambiguously (each with its length) for hashing.
func hashInput(prefix string, parts []string) []byte {
	n := len(prefix)
	for _, s := range parts {
		n += len(s) + 8
	}
	b := make([]byte, 0, n)
	b = append(b, prefix...)
	for _, s := range parts {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
	}
	return b
}

func hashOf(parts ...string) string {
	sum := sha256.Sum256(hashInput("", parts))
	return hex.EncodeToString(sum[:])
}

// urnUUID returns a "urn:uuid:" name for parts: the same parts give the
// same UUID (version 8, from SHA-256), so an export is reproducible.
func urnUUID(parts ...string) string {
	sum := sha256.Sum256(hashInput("kinfolio fhir export\x00", parts))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	var out [45]byte
	copy(out[:], "urn:uuid:")
	j := 9
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexDigits[c>>4], hexDigits[c&15]
		j += 2
	}
	return string(out[:])
}

const hexDigits = "0123456789abcdef"

// topLevelID returns the resource's own id as its JSON writes it, or "".
func topLevelID(js []byte) string {
	// The importers write resourceType first and id next: read that
	// without scanning the whole resource.
	if i := bytes.Index(js[:min(len(js), 96)], []byte(`"id":"`)); i >= 0 {
		rest := js[i+6:]
		if j := bytes.IndexByte(rest, '"'); j >= 0 && bytes.IndexByte(rest[:j], '\\') < 0 && openerDepthOne(js[:i]) {
			return string(rest[:j])
		}
	}
	var id string
	_, _ = appendEdited(nil, js, &edit{collect: func(string) {}, topID: &id})
	return id
}

// openerDepthOne reports whether prefix (the JSON before a key) leaves the
// key directly in the outermost object, with no string open.
func openerDepthOne(prefix []byte) bool {
	depth, inString := 0, false
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return depth == 1 && !inString
}
