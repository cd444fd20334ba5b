package fhir

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
)

// item is one resource found in the input, on its way to the batch.
type item struct {
	// path locates it for the report: "entry[12].resource",
	// "Condition.000.ndjson line 7".
	path    string
	fullURL string
	// base is the server base of fullURL ("https://x/fhir/"), against
	// which relative references of this entry resolve.
	base string
	raw  []byte // the resource's JSON (R4 once converted)
	typ  string
	id   string
	refs []ref
	// votes are the FHIR versions the resource's shape points to.
	votes votes
	// idAfter is the offset just after the resourceType value, where a
	// missing id is inserted; 0 if unknown.
	idAfter int
	bb2     bool
	badID   bool // the id is there but not a string
	hasID   bool // the id is there (perhaps empty)
	// analyzed is set once analyze has run on raw as it is.
	analyzed bool
	// derived names the resource this one was made from (a pharmacy
	// claim's fill), "" for resources read from the input.
	derived string
	// drop is set when the item is ignored or skipped (reported already).
	drop bool
	// owner is the index of the Patient item the resource is about, -1
	// when none; targets are the items its references resolve to.
	owner   int
	targets []int
	// patientRef is the patient reference under subject, patient or
	// beneficiary that points at no resource of the input ("Patient/123",
	// "urn:uuid:..."), for a file that holds records but not their Patient.
	patientRef string
}

// ref is one "reference": "..." string inside an item's JSON.
type ref struct {
	s, e int  // span of the JSON string, quotes included
	top  byte // the top-level element it sits under: topSubject or 0
}

// topSubject marks references under subject, patient or beneficiary: the
// elements that say whose a record is.
const topSubject = 1

// value returns the reference's text, unescaped only when it must be.
func (r ref) value(d []byte) []byte {
	v := d[r.s+1 : r.e-1]
	if bytes.IndexByte(v, '\\') >= 0 {
		return []byte(str(d[r.s:r.e]))
	}
	return v
}

// walker finds an item's type, id, references and version facts in one
// pass over its (valid) JSON.
type walker struct {
	d    []byte
	refs []ref
	top  byte
}

func (w *walker) value(i int) int {
	switch w.d[i] {
	case '{':
		return w.object(i)
	case '[':
		i = skipWS(w.d, i+1)
		for i < len(w.d) && w.d[i] != ']' {
			i = skipWS(w.d, w.value(i))
			if i < len(w.d) && w.d[i] == ',' {
				i = skipWS(w.d, i+1)
			}
		}
		return i + 1
	case '"':
		return skipString(w.d, i)
	}
	return skipValue(w.d, i)
}

func (w *walker) object(i int) int {
	d := w.d
	i = skipWS(d, i+1)
	for i < len(d) && d[i] != '}' {
		ke := skipString(d, i)
		isRef := ke-i == len(`"reference"`) && string(d[i+1:ke-1]) == "reference"
		vs := skipWS(d, skipWS(d, ke)+1)
		var ve int
		if isRef && d[vs] == '"' {
			ve = skipString(d, vs)
			w.refs = append(w.refs, ref{s: vs, e: ve, top: w.top})
		} else {
			ve = w.value(vs)
		}
		i = skipWS(d, ve)
		if i < len(d) && d[i] == ',' {
			i = skipWS(d, i+1)
		}
	}
	return i + 1
}

// analyze fills typ, id, refs, idAfter and votes from raw.
func (it *item) analyze() { it.analyzeObject(it.raw) }

// analyzeObject analyzes the object at the start of d (which may go on
// after it), sets raw to the object and returns its length.
func (it *item) analyzeObject(d []byte) int {
	w := walker{d: d, refs: it.refs[:0]}
	it.typ, it.id, it.idAfter, it.badID, it.hasID = "", "", 0, false, false
	var facts factSet
	i := skipWS(d, 0)
	if i >= len(d) || d[i] != '{' {
		return len(d)
	}
	i = skipWS(d, i+1)
	for i < len(d) && d[i] != '}' {
		ke := skipString(d, i)
		key := d[i+1 : ke-1]
		vs := skipWS(d, skipWS(d, ke)+1)
		switch string(key) {
		case "subject", "patient", "beneficiary":
			w.top = topSubject
		default:
			w.top = 0
		}
		ve := w.value(vs)
		v := d[vs]
		switch string(key) {
		case "resourceType":
			it.typ = str(d[vs:ve])
			it.idAfter = ve
		case "id":
			it.id = str(d[vs:ve])
			it.badID = v != '"'
			it.hasID = true
		case "Id", "iD", "ID":
			// An id under another letter case: no id a reference can use,
			// and one written beside it would be the same key twice.
			it.badID = true
		default:
			facts.note(d, key, vs, ve)
		}
		i = skipWS(d, ve)
		if i < len(d) && d[i] == ',' {
			i = skipWS(d, i+1)
		}
	}
	it.refs = w.refs
	it.votes = voteFor(it.typ, facts)
	it.analyzed = true
	if i < len(d) {
		i++ // the closing brace
	}
	it.raw = d[:i]
	return i
}

// assignID gives an item without an id one: from its fullUrl when that
// ends in one, else from its content, so the same input gets the same id.
func (it *item) assignID() {
	id := ""
	switch u := it.fullURL; {
	case strings.HasPrefix(u, "urn:uuid:"), strings.HasPrefix(u, "urn:oid:"):
		id = u[strings.LastIndexByte(u, ':')+1:]
	case strings.Contains(u, "/"+it.typ+"/"):
		id = u[strings.LastIndex(u, "/"+it.typ+"/")+len(it.typ)+2:]
		if k := strings.IndexByte(id, '/'); k >= 0 {
			id = id[:k]
		}
	}
	if !validID(id) {
		sum := sha256.Sum256(it.raw)
		id = "kf-" + hex.EncodeToString(sum[:8])
	}
	it.setID(id)
}

// setID writes id into the item's JSON (inserted after resourceType, or
// replacing the id there).
func (it *item) setID(id string) {
	d := it.raw
	var out []byte
	if !it.hasID {
		at := it.idAfter
		if at <= 0 {
			at = bytes.IndexByte(d, '{') + 1
			out = append(out, d[:at]...)
			out = jsontree.AppendString(append(out, `"id":`...), id)
			out = append(out, ',')
		} else {
			out = append(out, d[:at]...)
			out = jsontree.AppendString(append(out, `,"id":`...), id)
		}
		out = append(out, d[at:]...)
	} else {
		// Replace the existing id value.
		i := skipWS(d, 0)
		fields(d, i, func(key []byte, vs, ve int) bool {
			if string(key) == "id" {
				out = append(out, d[:vs]...)
				out = jsontree.AppendString(out, id)
				out = append(out, d[ve:]...)
				return false
			}
			return true
		})
	}
	it.raw = out
	it.id = id
	it.analyze()
}

// validID reports whether s is a FHIR id: 1-64 of A-Z a-z 0-9 - .
func validID(s string) bool {
	if s == "" || len(s) > 64 {
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

func entryPath(prefix string, i int) string {
	return prefix + "entry[" + strconv.Itoa(i) + "].resource"
}
