package fhir

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
)

// FHIR XML and FHIR JSON say the same things differently: XML gives every
// primitive in a value attribute and repeats an element where JSON has an
// array, so turning XML into JSON needs to know, for each element, whether
// it repeats and what type it is. shape_r4.txt (with shape_old.txt for what
// DSTU2 and STU3 had) holds that.

//go:embed shape_r4.txt
var shapeR4 string

//go:embed shape_old.txt
var shapeOld string

// elem is what the shape tables say of one element.
type elem struct {
	many bool
	typ  string // "" string, "b" boolean, "n" number, "@..." / type name: a context
}

var (
	shapesOnce sync.Once
	shapes     map[string]map[string]elem
)

func loadShapes() map[string]map[string]elem {
	shapesOnce.Do(func() {
		shapes = map[string]map[string]elem{}
		read := func(text string) {
			for _, line := range strings.Split(text, "\n") {
				if line == "" || line[0] == '#' {
					continue
				}
				f := strings.Fields(line)
				path := strings.TrimPrefix(f[0], "+")
				m := shapes[path]
				if m == nil {
					m = map[string]elem{}
					shapes[path] = m
				}
				for _, e := range f[1:] {
					name, typ, _ := strings.Cut(e, ":")
					many := strings.HasSuffix(name, "*")
					name = strings.TrimSuffix(name, "*")
					switch {
					case typ == "@":
						typ = path + "." + name
					case strings.HasPrefix(typ, "#"):
						typ = typ[1:]
					}
					m[name] = elem{many: many, typ: typ}
				}
			}
		}
		read(shapeR4)
		read(shapeOld)
	})
	return shapes
}

// guesses type elements of contexts the tables do not know, by name.
var guesses = map[string]elem{
	"coding": {true, "Coding"}, "identifier": {true, "Identifier"}, "telecom": {true, "ContactPoint"},
	"address": {true, "Address"}, "period": {false, "Period"}, "quantity": {false, "Quantity"},
	"valueQuantity": {false, "Quantity"}, "code": {false, "CodeableConcept"}, "meta": {false, "Meta"},
	"contained": {true, "Resource"}, "entry": {true, ""}, "given": {true, ""}, "line": {true, ""},
	"prefix": {true, ""}, "suffix": {true, ""}, "category": {true, "CodeableConcept"},
	"note": {true, "Annotation"}, "reference": {false, ""}, "display": {false, ""},
	"system": {false, ""}, "value": {false, ""}, "text": {false, ""},
}

const xhtmlNS = "http://www.w3.org/1999/xhtml"

type xmlReader struct {
	dec    *importers.XMLDecoder
	shapes map[string]map[string]elem
}

// readXML reads a FHIR XML file: one resource, or a Bundle of them.
func (rd *reading) readXML(data []byte) error {
	x := &xmlReader{dec: importers.NewXMLDecoder(rd.name, bytes.NewReader(data), rd.lim), shapes: loadShapes()}
	var root *obj
	for {
		tok, err := x.dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Space != fhirNS {
				return importers.Errorf(rd.name, x.dec.Place(), "%w: the root element <%s> is not in the FHIR namespace", importers.ErrMalformed, se.Name.Local)
			}
			root, err = x.resource(se)
			if err != nil {
				return err
			}
		}
	}
	if root == nil {
		return importers.Errorf(rd.name, "", "%w: no FHIR resource", importers.ErrMalformed)
	}
	return rd.treeResource(root, "", "resource")
}

// treeResource is resource for a resource read from XML.
func (rd *reading) treeResource(r *obj, fullURL, path string) error {
	if err := rd.cancelled(); err != nil {
		return err
	}
	if r.Str("resourceType") != "Bundle" {
		return rd.add(&item{path: path, fullURL: fullURL, base: baseOf(fullURL), raw: jsontree.Append(nil, r)})
	}
	prefix := ""
	if path != "resource" {
		prefix = path + "."
	}
	switch r.Str("type") {
	case "document":
		if path == "resource" {
			rd.document = true
		}
	case "history":
		rd.history = true
	}
	for k, e := range r.Objects("entry") {
		p := entryPath(prefix, k)
		res := e.Obj("resource")
		if res == nil {
			why, detail := "an empty entry of the file", "a Bundle entry without a resource"
			if e.Obj("request").Str("method") == "DELETE" {
				why, detail = "a note that a record was deleted, not a record", "a Bundle entry whose request is a DELETE"
			}
			rd.report.IgnoreDetail(strings.TrimSuffix(p, ".resource"), why, detail)
			continue
		}
		if err := rd.treeResource(res, e.Str("fullUrl"), p); err != nil {
			return err
		}
	}
	return nil
}

// resource reads the element se names a resource with (its name is the type).
func (x *xmlReader) resource(se xml.StartElement) (*obj, error) {
	r := jsontree.New("resourceType", se.Name.Local)
	if err := x.children(r, se.Name.Local); err != nil {
		return nil, err
	}
	return r, nil
}

// children reads the child elements of the element just started into o,
// as elements of context ctx, until its end tag.
func (x *xmlReader) children(o *obj, ctx string) error {
	shape := x.shapes[ctx]
	exts := map[string][]any{} // "_name" values of primitives, aligned with theirs
	counts := map[string]int{}
	for {
		tok, err := x.dec.Token()
		if err != nil {
			if err == io.EOF {
				return fmt.Errorf("%w: the file ends inside an element", importers.ErrMalformed)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			for name, list := range exts {
				key := "_" + name
				if e, ok := shape[name]; (ok && e.many) || counts[name] > 1 {
					o.Set(key, list)
				} else if len(list) > 0 {
					o.Set(key, list[0])
				}
			}
			return nil
		case xml.StartElement:
			name := t.Name.Local
			if t.Name.Space == xhtmlNS && name == "div" {
				div, err := x.xhtml(t)
				if err != nil {
					return err
				}
				o.Set("div", div)
				continue
			}
			e, known := shape[name]
			switch {
			case name == "extension" || name == "modifierExtension":
				e, known = elem{many: true, typ: "Extension"}, true
			case name == "id" && !known:
				e, known = elem{typ: ""}, true
			case !known:
				if g, ok := guesses[name]; ok {
					e = g
				}
			}
			val, ext, err := x.value(t, e)
			if err != nil {
				return err
			}
			counts[name]++
			many := e.many || counts[name] > 1
			if many {
				prev := o.Get(name)
				var list []any
				switch p := prev.(type) {
				case nil:
				case []any:
					list = p
				default:
					list = []any{p}
				}
				o.Set(name, append(list, val))
			} else {
				o.Set(name, val)
			}
			if ext != nil || len(exts[name]) > 0 {
				list := exts[name]
				for len(list) < counts[name]-1 {
					list = append(list, nil)
				}
				if ext != nil {
					list = append(list, ext)
				} else {
					list = append(list, nil)
				}
				exts[name] = list
			}
		}
	}
}

// value reads one element: a primitive (value attribute), a resource
// wrapper, or a complex element.
func (x *xmlReader) value(se xml.StartElement, e elem) (val any, ext *obj, err error) {
	var value, id, url *string
	for i := range se.Attr {
		a := &se.Attr[i]
		switch a.Name.Local {
		case "value":
			value = &a.Value
		case "id":
			id = &a.Value
		case "url":
			url = &a.Value
		}
	}
	if value != nil {
		// A primitive; children can only be extensions.
		ext = &obj{}
		if id != nil {
			ext.Set("id", *id)
		}
		if err := x.children(ext, "Element"); err != nil {
			return nil, nil, err
		}
		if ext.Len() == 0 {
			ext = nil
		}
		return primitive(*value, e.typ), ext, nil
	}
	if e.typ == "Resource" {
		var r *obj
		for {
			tok, err := x.dec.Token()
			if err != nil {
				return nil, nil, err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if r != nil {
					return nil, nil, fmt.Errorf("%w: two resources in one <%s>", importers.ErrMalformed, se.Name.Local)
				}
				if r, err = x.resource(t); err != nil {
					return nil, nil, err
				}
			case xml.EndElement:
				if r == nil {
					return &obj{}, nil, nil
				}
				return r, nil, nil
			}
		}
	}
	o := &obj{}
	if id != nil {
		o.Set("id", *id)
	}
	if url != nil {
		o.Set("url", *url)
	}
	ctx := e.typ
	if ctx == "" || ctx == "b" || ctx == "n" {
		ctx = "?"
	}
	if err := x.children(o, ctx); err != nil {
		return nil, nil, err
	}
	return o, nil, nil
}

// primitive types a value attribute: booleans and numbers become JSON ones.
func primitive(s, typ string) any {
	switch typ {
	case "b":
		switch s {
		case "true":
			return true
		case "false":
			return false
		}
	case "n":
		if n := strings.TrimSpace(s); n != "" && scanNumber(n) {
			return json.Number(n)
		}
	}
	return s
}

func scanNumber(s string) bool {
	return (s[0] == '-' || s[0] >= '0' && s[0] <= '9') && json.Valid([]byte(s))
}

// escapeXML writes s with &, <, > and " escaped (and nothing else, so the
// narrative's line breaks stay line breaks).
func escapeXML(b *strings.Builder, s []byte) {
	for _, c := range string(s) {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(c)
		}
	}
}

// xhtml re-serializes a narrative div as the string FHIR JSON carries.
func (x *xmlReader) xhtml(se xml.StartElement) (string, error) {
	var b strings.Builder
	writeStart := func(t xml.StartElement, root bool) {
		b.WriteByte('<')
		b.WriteString(t.Name.Local)
		if root {
			b.WriteString(` xmlns="` + xhtmlNS + `"`)
		}
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
				continue
			}
			b.WriteByte(' ')
			if a.Name.Space == "http://www.w3.org/XML/1998/namespace" {
				b.WriteString("xml:")
			}
			b.WriteString(a.Name.Local)
			b.WriteString(`="`)
			escapeXML(&b, []byte(a.Value))
			b.WriteByte('"')
		}
		b.WriteByte('>')
	}
	writeStart(se, true)
	depth := 1
	for depth > 0 {
		tok, err := x.dec.Token()
		if err != nil {
			if err == io.EOF {
				return "", fmt.Errorf("%w: the file ends inside a narrative", importers.ErrMalformed)
			}
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			writeStart(t, false)
		case xml.EndElement:
			depth--
			b.WriteString("</" + t.Name.Local + ">")
		case xml.CharData:
			escapeXML(&b, t)
		}
	}
	return b.String(), nil
}
