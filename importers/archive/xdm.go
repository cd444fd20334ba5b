package archive

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// An IHE XDM package (ITI TF-1 §16) holds one folder per submission set,
// IHE_XDM/SUBSET01, SUBSET02, ..., each with the documents and a
// METADATA.XML: an ebXML SubmitObjectsRequest whose ExtrinsicObjects
// describe the documents (title, author, creation time, hash, size) and
// whose RegistryPackage describes the submission set. Real packages bend
// the layout: an extra top folder around IHE_XDM, METADATA.xml in mixed
// case, backslash separators, no IHE_XDM folder at all, no URI slot saying
// which file an ExtrinsicObject describes. An ExtrinsicObject is matched to
// a file in its folder by its URI slot, else by its id equal to the file
// name without extension ("Document01" and Document01.xml), else when the
// folder has exactly one object and one document.

// Classification schemes of XDS (ITI TF-3 §4.2.5).
const (
	schemeAuthor    = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d" // document author
	schemeSetAuthor = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d" // submission set author
	schemeTypeCode  = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983" // document type
	schemeClassCode = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a" // document class
)

// docMeta is what METADATA.XML says about one document.
type docMeta struct {
	file   string // the metadata file, for messages
	title  string
	author string
	date   record.Date
	sha1   string
	size   int64
}

// subsetMeta is what one METADATA.XML says about its submission set.
type subsetMeta struct {
	title, author string
	date          record.Date
	warnings      []string
}

// node is an element of a small XML tree (METADATA.XML is small).
type node struct {
	name     string // local name
	attrs    map[string]string
	children []*node
	text     strings.Builder
}

func (n *node) attr(name string) string { return n.attrs[name] }

func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

func (n *node) first(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// find returns all descendants named name, in document order.
func (n *node) find(name string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(x *node) {
		for _, c := range x.children {
			if c.name == name {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// parseTree reads XML into a tree with the safe decoder (DOCTYPE refused,
// depth capped). The element count is capped too.
func parseTree(name string, data []byte, lim importers.Limits) (*node, error) {
	d := importers.NewXMLDecoder(name, bytes.NewReader(data), lim)
	root := &node{}
	stack := []*node{root}
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if count++; count > 200_000 {
				return nil, importers.Errorf(name, d.Place(), "%w: more than 200000 elements in package metadata", importers.ErrTooLarge)
			}
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if top := stack[len(stack)-1]; top != root && top.text.Len() < 1<<16 {
				top.text.Write(t)
			}
		}
	}
	return root, nil
}

// slots returns the values of the Slot children of n named name.
func slots(n *node, name string) []string {
	var out []string
	for _, s := range n.all("Slot") {
		if s.attr("name") != name {
			continue
		}
		if vl := s.first("ValueList"); vl != nil {
			for _, v := range vl.all("Value") {
				out = append(out, strings.TrimSpace(v.text.String()))
			}
		}
	}
	return out
}

func slot(n *node, name string) string {
	if v := slots(n, name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// localized returns the value of n's Name/LocalizedString.
func localized(n *node) string {
	if nm := n.first("Name"); nm != nil {
		if ls := nm.first("LocalizedString"); ls != nil {
			return strings.TrimSpace(ls.attr("value"))
		}
	}
	return ""
}

// classification returns the Classification child of n with the scheme.
func classification(n *node, scheme string) *node {
	for _, c := range n.all("Classification") {
		if c.attr("classificationScheme") == scheme {
			return c
		}
	}
	return nil
}

// hl7First returns the first component of an HL7 v2 value ("Cleveland
// Clinic^^^^^^^^^1.2.3" is "Cleveland Clinic").
func hl7First(v string) string {
	v, _, _ = strings.Cut(v, "^")
	return strings.TrimSpace(v)
}

// authorOf reads the institution (else the person) of an author classification.
func authorOf(c *node) string {
	if c == nil {
		return ""
	}
	for _, v := range slots(c, "authorInstitution") {
		if s := hl7First(v); s != "" {
			return s
		}
	}
	for _, v := range slots(c, "authorPerson") {
		// XCN: id^family^given^...; a bare name has no carets.
		parts := strings.Split(v, "^")
		if len(parts) == 1 {
			return strings.TrimSpace(parts[0])
		}
		if len(parts) > 2 {
			if name := strings.TrimSpace(parts[2] + " " + parts[1]); name != "" {
				return name
			}
		}
	}
	return ""
}

// xdsTime reads an XDS time, "YYYY[MM[DD[hh[mm[ss]]]]]" in UTC.
func xdsTime(v string) record.Date {
	v = strings.TrimSpace(v)
	for _, c := range v {
		if c < '0' || c > '9' {
			return record.Date{}
		}
	}
	layouts := map[int]struct {
		layout string
		p      record.Precision
	}{
		4: {"2006", record.PrecisionYear}, 6: {"200601", record.PrecisionMonth}, 8: {"20060102", record.PrecisionDay},
		10: {"2006010215", record.PrecisionTime}, 12: {"200601021504", record.PrecisionTime}, 14: {"20060102150405", record.PrecisionTime},
	}
	l, ok := layouts[len(v)]
	if !ok {
		return record.Date{}
	}
	t, err := time.Parse(l.layout, v)
	if err != nil {
		return record.Date{}
	}
	return record.Date{T: t, Precision: l.p, Zoned: l.p == record.PrecisionTime}
}

// readMetadata reads one METADATA.XML and files what it says about each
// document under the document's path in metas. docs are the package's
// document paths.
func readMetadata(m member, lim importers.Limits, docs []string, metas map[string]*docMeta) (*subsetMeta, error) {
	data, err := readMember(m, lim)
	if err != nil {
		return nil, err
	}
	root, err := parseTree(m.path, data, lim)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(m.path)
	var inDir []string
	for _, d := range docs {
		if path.Dir(d) == dir {
			inDir = append(inDir, d)
		}
	}
	sub := &subsetMeta{}
	if set := root.find("RegistryPackage"); len(set) > 0 {
		sub.title = localized(set[0])
		sub.author = authorOf(classification(set[0], schemeSetAuthor))
		sub.date = xdsTime(slot(set[0], "submissionTime"))
	}
	objs := root.find("ExtrinsicObject")
	for _, o := range objs {
		dm := &docMeta{file: m.path}
		dm.title = localized(o)
		if dm.title == "" {
			for _, scheme := range []string{schemeTypeCode, schemeClassCode} {
				if c := classification(o, scheme); c != nil {
					if dm.title = localized(c); dm.title != "" {
						break
					}
				}
			}
		}
		dm.author = authorOf(classification(o, schemeAuthor))
		dm.date = xdsTime(slot(o, "creationTime"))
		dm.sha1 = strings.ToLower(slot(o, "hash"))
		if s, err := strconv.ParseInt(slot(o, "size"), 10, 64); err == nil {
			dm.size = s
		}
		target := ""
		if uri := slot(o, "URI"); uri != "" {
			want := path.Join(dir, strings.ReplaceAll(uri, `\`, "/"))
			for _, d := range inDir {
				if strings.EqualFold(d, want) {
					target = d
				}
			}
		}
		if id := o.attr("id"); target == "" && id != "" {
			for _, d := range inDir {
				base := path.Base(d)
				if strings.EqualFold(strings.TrimSuffix(base, path.Ext(base)), id) {
					target = d
				}
			}
		}
		if target == "" && len(objs) == 1 && len(inDir) == 1 {
			target = inDir[0]
		}
		if target == "" {
			name := o.attr("id")
			if uri := slot(o, "URI"); uri != "" {
				name = uri
			}
			sub.warnings = append(sub.warnings, fmt.Sprintf("%s lists a document (%s) that is not in the package", m.path, printable(name)))
			continue
		}
		metas[target] = dm
	}
	return sub, nil
}

// apply fills what the document itself did not say from the metadata, and
// warns when the document does not match the metadata's hash or size.
func (dm *docMeta) apply(part *record.Batch, data []byte) {
	if part.Source.Title == "" {
		part.Source.Title = dm.title
	}
	if part.Source.Author == "" {
		part.Source.Author = dm.author
	}
	if part.Source.DocumentDate.IsZero() {
		part.Source.DocumentDate = dm.date
	}
	if data == nil {
		return
	}
	if dm.size > 0 && dm.size != int64(len(data)) {
		part.Report.Warn(fmt.Sprintf("the document is %d bytes, but %s says %d: it may have been changed after the package was made", len(data), dm.file, dm.size))
		return
	}
	if len(dm.sha1) == 40 {
		sum := sha1.Sum(data)
		if hex.EncodeToString(sum[:]) != dm.sha1 {
			part.Report.Warn(fmt.Sprintf("the document does not match its checksum in %s: it may have been changed after the package was made", dm.file))
		}
	}
}
