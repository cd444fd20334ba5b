package ccda

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers"
)

// The namespaces a CDA document uses.
const (
	nsV3   = "urn:hl7-org:v3"
	nsSDTC = "urn:hl7-org:sdtc"
	nsXSI  = "http://www.w3.org/2001/XMLSchema-instance"
)

// node is one element (or, with name "", one run of text) of a parsed
// document. The tree is small and read-only once built.
type node struct {
	name   string // local name; "" for a text node
	space  string // namespace URI ("" is read as the CDA namespace)
	text   string // a text node's content
	attrs  []xml.Attr
	kids   []*node
	parent *node
	pos    int  // 1-based position among same-named element siblings
	many   bool // the parent has more than one element of this name
}

// parseTree reads a whole document into a tree with the shared safe
// decoder: a DOCTYPE, excessive depth or malformed XML is an *importers.Error.
// Whitespace-only text is kept only inside narrative blocks, where it
// separates words. Namespace prefixes are resolved here (raw tokens are
// markedly faster than encoding/xml's translated ones).
func parseTree(ctx context.Context, name string, data []byte, lim importers.Limits) (*node, error) {
	dec := importers.NewXMLDecoder(name, bytes.NewReader(data), lim)
	var root, cur *node
	narrative := 0 // depth inside <text> of a section
	count := 0
	// Nodes come from slabs: one allocation per many elements.
	var slab []node
	alloc := func() *node {
		if len(slab) == cap(slab) {
			slab = make([]node, 0, 256)
		}
		slab = slab[:len(slab)+1]
		return &slab[len(slab)-1]
	}
	// Namespace scopes: prefix bindings declared by open elements.
	type binding struct {
		prefix, uri string
		depth       int
	}
	bindings := []binding{{"xml", "http://www.w3.org/XML/1998/namespace", 0}}
	depth := 0
	resolve := func(prefix string) (string, bool) {
		for i := len(bindings) - 1; i >= 0; i-- {
			if bindings[i].prefix == prefix {
				return bindings[i].uri, true
			}
		}
		return "", prefix == ""
	}
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count&0x3fff == 0 && ctx.Err() != nil {
				return nil, &importers.Error{File: name, Err: ctx.Err()}
			}
			depth++
			n := alloc()
			n.name, n.parent = t.Name.Local, cur
			if len(t.Attr) > 0 {
				// encoding/xml gives each start element its own attribute
				// slice; it is kept, minus namespace declarations.
				n.attrs = t.Attr[:0]
				for _, a := range t.Attr {
					switch {
					case a.Name.Space == "xmlns":
						bindings = append(bindings, binding{a.Name.Local, a.Value, depth})
						continue
					case a.Name.Space == "" && a.Name.Local == "xmlns":
						bindings = append(bindings, binding{"", a.Value, depth})
						continue
					}
					n.attrs = append(n.attrs, a)
				}
				for i := range n.attrs {
					if p := n.attrs[i].Name.Space; p != "" {
						if uri, ok := resolve(p); ok {
							n.attrs[i].Name.Space = uri
						}
					}
				}
			}
			if uri, ok := resolve(t.Name.Space); ok {
				n.space = uri
			} else {
				// An undeclared prefix: keep it, as encoding/xml does.
				n.space = t.Name.Space
			}
			if cur == nil {
				root = n
			} else {
				cur.kids = append(cur.kids, n)
			}
			if narrative > 0 || (n.name == "text" && cur != nil && cur.name == "section") {
				narrative++
			}
			cur = n
		case xml.EndElement:
			for len(bindings) > 0 && bindings[len(bindings)-1].depth == depth {
				bindings = bindings[:len(bindings)-1]
			}
			depth--
			if narrative > 0 {
				narrative--
			}
			finish(cur)
			cur = cur.parent
		case xml.CharData:
			if cur == nil {
				continue
			}
			if narrative == 0 && len(bytes.TrimSpace(t)) == 0 {
				continue
			}
			// Merge adjacent runs (encoding/xml splits text at CDATA and
			// character references).
			if k := len(cur.kids); k > 0 && cur.kids[k-1].name == "" {
				cur.kids[k-1].text += string(t)
				continue
			}
			tn := alloc()
			tn.text, tn.parent = string(t), cur
			cur.kids = append(cur.kids, tn)
		}
	}
	return root, nil
}

// finish numbers an element's children among their same-named siblings.
func finish(n *node) {
	if len(n.kids) < 2 {
		for _, k := range n.kids {
			k.pos = 1
		}
		return
	}
	type count struct {
		name string
		n    int
	}
	var buf [16]count
	counts := buf[:0]
	for _, k := range n.kids {
		if k.name == "" {
			continue
		}
		i := 0
		for i < len(counts) && counts[i].name != k.name {
			i++
		}
		if i == len(counts) {
			counts = append(counts, count{k.name, 0})
		}
		counts[i].n++
		k.pos = counts[i].n
	}
	for _, k := range n.kids {
		if k.name == "" {
			continue
		}
		for _, c := range counts {
			if c.name == k.name {
				k.many = c.n > 1
				break
			}
		}
	}
}

// isCDA reports whether the element is in the CDA namespace (or in none, as
// some vendors write it).
func (n *node) isCDA() bool { return n != nil && n.name != "" && (n.space == nsV3 || n.space == "") }

// child returns the first CDA child element named name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name && k.isCDA() {
			return k
		}
	}
	return nil
}

// children returns the CDA child elements named name.
func (n *node) children(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name && k.isCDA() {
			out = append(out, k)
		}
	}
	return out
}

// elems returns all child elements (any namespace).
func (n *node) elems() []*node {
	if n == nil {
		return nil
	}
	out := make([]*node, 0, len(n.kids))
	for _, k := range n.kids {
		if k.name != "" {
			out = append(out, k)
		}
	}
	return out
}

// path follows a chain of CDA child names: n.path("participant", "participantRole").
func (n *node) path(names ...string) *node {
	for _, name := range names {
		n = n.child(name)
		if n == nil {
			return nil
		}
	}
	return n
}

// attr returns an unqualified attribute's value ("" when absent).
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// has reports whether the unqualified attribute is present.
func (n *node) has(name string) bool {
	if n == nil {
		return false
	}
	for _, a := range n.attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return true
		}
	}
	return false
}

// xsiType returns the xsi:type without any prefix ("PQ", "CD"), upper case.
func (n *node) xsiType() string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == "type" && (a.Name.Space == nsXSI || a.Name.Space == "xsi") {
			v := strings.TrimSpace(a.Value)
			if i := strings.LastIndexByte(v, ':'); i >= 0 {
				v = v[i+1:]
			}
			return strings.ToUpper(v)
		}
	}
	return ""
}

// nullFlavor returns the element's nullFlavor ("" when it has none).
func (n *node) nullFlavor() string { return strings.TrimSpace(n.attr("nullFlavor")) }

// text returns the element's text content, all descendants included, with
// runs of white space collapsed.
func (n *node) textContent() string {
	if n == nil {
		return ""
	}
	if len(n.kids) == 1 && n.kids[0].name == "" {
		return collapse(n.kids[0].text)
	}
	var b strings.Builder
	n.appendText(&b)
	return collapse(b.String())
}

func (n *node) appendText(b *strings.Builder) {
	for _, k := range n.kids {
		if k.name == "" {
			b.WriteString(k.text)
		} else {
			b.WriteByte(' ')
			k.appendText(b)
			b.WriteByte(' ')
		}
	}
}

// collapse trims and folds runs of white space to one space.
func collapse(s string) string {
	s = strings.TrimSpace(s)
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || c == '\r' || c == '\t' || (c == ' ' && i+1 < len(s) && s[i+1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// xpath returns the element's XPath-like location, with a position where
// the parent has several elements of the same name:
// /ClinicalDocument/component/structuredBody/component[3]/section/entry[2].
func (n *node) xpath() string {
	var parts []*node
	for m := n; m != nil; m = m.parent {
		parts = append(parts, m)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i].name)
		if parts[i].many {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(parts[i].pos))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// templates returns the templateId roots of an element (with any
// extension dropped).
func (n *node) templates() []string {
	var out []string
	for _, k := range n.kids {
		if k.name == "templateId" && k.isCDA() {
			if r := strings.TrimSpace(k.attr("root")); r != "" {
				out = append(out, r)
			}
		}
	}
	return out
}

// hasTemplate reports whether the element declares one of the template roots.
func (n *node) hasTemplate(roots ...string) bool {
	for _, k := range n.kids {
		if k.name != "templateId" || !k.isCDA() {
			continue
		}
		r := strings.TrimSpace(k.attr("root"))
		for _, want := range roots {
			if r == want {
				return true
			}
		}
	}
	return false
}
