package importers

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// XMLDecoder reads untrusted XML as a stream of tokens. It wraps
// [encoding/xml.Decoder] (strict mode) and adds what every Kinfolio reader of
// XML needs:
//
//   - A document type declaration is refused with an error wrapping
//     [ErrDoctype] as soon as it is seen: the prolog is checked before any
//     parsing, so an entity bomb or an external entity is refused after
//     reading a few bytes. Entities other than the five predefined ones and
//     character references are never expanded, and nothing is ever fetched.
//   - Element nesting deeper than [Limits.MaxDepth] fails with [ErrTooDeep].
//   - A UTF-8 byte order mark is skipped; ISO-8859-1, Windows-1252 and
//     US-ASCII encoding declarations are transcoded to UTF-8; other encodings
//     fail with [ErrMalformed].
//   - Every error is an [*Error] naming the file and the place ("line 12,
//     column 4 in /ClinicalDocument/component") and wrapping [ErrDoctype],
//     [ErrTooDeep], [ErrInvalidUTF8] or [ErrMalformed]. After an error every
//     call returns the same error.
//
// The size of the input is not limited here: read files with
// [Input.ReadAll], or wrap streams in an [io.LimitReader].
type XMLDecoder struct {
	name     string
	d        *xml.Decoder
	br       *bufio.Reader
	maxDepth int
	stack    []xmlFrame
	root     []xmlCount // counts of top-level elements (normally one)
	err      error
	checked  bool // prolog checked for a DOCTYPE
	allowDTD bool
	popNext  bool // the last token was an EndElement; pop its frame now
}

type xmlFrame struct {
	name     string
	prefix   string // the raw prefix, to match end tags in RawToken
	index    int    // 1-based position among same-named siblings
	children []xmlCount
}

type xmlCount struct {
	name string
	n    int
}

// NewXMLDecoder returns a decoder reading r, which the file called name
// holds, under the depth limit of lim. A lim.MaxDepth of 0 or less means
// [DefaultLimits]' depth.
func NewXMLDecoder(name string, r io.Reader, lim Limits) *XMLDecoder {
	maxDepth := lim.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultLimits().MaxDepth
	}
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < HeadSize {
		br = bufio.NewReaderSize(r, 2*HeadSize)
	}
	d := xml.NewDecoder(br)
	d.Strict = true
	d.CharsetReader = charsetReader
	return &XMLDecoder{name: name, d: d, br: br, maxDepth: maxDepth}
}

// AllowInternalDTD lets the decoder accept one document type declaration
// that has no external identifier (no SYSTEM or PUBLIC), declares no entity
// and references no parameter entity: only element and attribute list
// declarations, as in Apple Health's export.xml. Any other DOCTYPE is still
// refused with [ErrDoctype]. Call it before the first [XMLDecoder.Token].
func (x *XMLDecoder) AllowInternalDTD() { x.allowDTD = true }

// Token returns the next token: an [xml.StartElement] (names carry their
// namespace URI in Name.Space), [xml.EndElement], [xml.CharData],
// [xml.Comment] or [xml.ProcInst]. Directives never come out: a DOCTYPE is
// refused (see [XMLDecoder]) and an allowed internal DTD is skipped. At the
// end of the input it returns [io.EOF], after checking that every element
// was closed. Byte slices in the token are valid until the next call, as
// with [xml.Decoder.Token]; use [xml.CopyToken] to keep them.
func (x *XMLDecoder) Token() (xml.Token, error) { return x.next(false) }

// RawToken is like [XMLDecoder.Token] but, like [xml.Decoder.RawToken],
// leaves namespace prefixes untranslated: Name.Space holds the prefix as
// written ("sdtc", "xsi", or "" for none) and xmlns attributes come through
// as written, for readers that resolve the few namespaces they need
// themselves (it is markedly faster). End tags are still checked against
// their start tags, and the DOCTYPE, depth and well-formedness checks are
// the same. Use either Token or RawToken on one decoder, not both.
func (x *XMLDecoder) RawToken() (xml.Token, error) { return x.next(true) }

func (x *XMLDecoder) next(raw bool) (xml.Token, error) {
	if x.err != nil {
		return nil, x.err
	}
	if !x.checked {
		x.checked = true
		if err := x.checkProlog(); err != nil {
			if x.err == nil {
				x.fail(err)
			}
			return nil, x.err
		}
	}
	if x.popNext {
		x.popNext = false
		x.stack = x.stack[:len(x.stack)-1]
	}
	for {
		var tok xml.Token
		var err error
		if raw {
			tok, err = x.d.RawToken()
		} else {
			tok, err = x.d.Token()
		}
		if err != nil {
			if err == io.EOF {
				if len(x.stack) > 0 {
					return nil, x.fail(fmt.Errorf("%w: the file ends inside <%s>", ErrMalformed, x.stack[len(x.stack)-1].name))
				}
				if len(x.root) == 0 {
					return nil, x.fail(fmt.Errorf("%w: no XML element found", ErrMalformed))
				}
				x.err = io.EOF
				return nil, io.EOF
			}
			return nil, x.fail(classifyXMLError(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(x.stack) >= x.maxDepth {
				return nil, x.fail(fmt.Errorf("%w: more than %d nested elements", ErrTooDeep, x.maxDepth))
			}
			if len(x.stack) == 0 && len(x.root) > 0 {
				return nil, x.fail(fmt.Errorf("%w: a second root element <%s>", ErrMalformed, t.Name.Local))
			}
			x.push(t.Name.Local, t.Name.Space)
		case xml.EndElement:
			if raw {
				if len(x.stack) == 0 {
					return nil, x.fail(fmt.Errorf("%w: unexpected end element </%s>", ErrMalformed, t.Name.Local))
				}
				top := x.stack[len(x.stack)-1]
				if top.name != t.Name.Local || top.prefix != t.Name.Space {
					return nil, x.fail(fmt.Errorf("%w: element <%s> closed by </%s>", ErrMalformed, qname(top.prefix, top.name), qname(t.Name.Space, t.Name.Local)))
				}
			}
			x.popNext = true
		case xml.Directive:
			if err := x.directive(t); err != nil {
				return nil, x.fail(err)
			}
			continue
		case xml.CharData:
			if len(x.stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, x.fail(fmt.Errorf("%w: text outside the root element", ErrMalformed))
			}
		}
		return tok, nil
	}
}

// Skip reads to the end of the element whose start tag was the last token
// returned, keeping the depth and path checks. It returns nil when that
// element closed, or the error that stopped it.
func (x *XMLDecoder) Skip() error {
	depth := 1
	for depth > 0 {
		tok, err := x.Token()
		if err != nil {
			if err == io.EOF {
				return x.fail(fmt.Errorf("%w: the file ends inside an element", ErrMalformed))
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// Depth is the number of elements open around the last token returned: 1
// after the root's start tag, 0 after its end tag.
func (x *XMLDecoder) Depth() int {
	if x.popNext {
		return len(x.stack) - 1
	}
	return len(x.stack)
}

// Path is the XPath-like path of the element the last token belongs to,
// such as "/ClinicalDocument/component/structuredBody/component[3]/section".
// Positions among same-named siblings are written when above 1. It is "/"
// before the root element.
func (x *XMLDecoder) Path() string {
	if len(x.stack) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, f := range x.stack {
		b.WriteByte('/')
		b.WriteString(f.name)
		if f.index > 1 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(f.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// Place is where the decoder stands, for error messages: "line 12, column 4
// in /ClinicalDocument/component".
func (x *XMLDecoder) Place() string {
	line, col := x.d.InputPos()
	p := fmt.Sprintf("line %d, column %d", line, col)
	if len(x.stack) > 0 {
		p += " in " + x.Path()
	}
	return p
}

// InputPos returns the line and column (1-based) of the decoder's position.
func (x *XMLDecoder) InputPos() (line, column int) { return x.d.InputPos() }

func qname(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

func (x *XMLDecoder) push(name, prefix string) {
	counts := &x.root
	if n := len(x.stack); n > 0 {
		counts = &x.stack[n-1].children
	}
	idx := 1
	found := false
	for i := range *counts {
		if (*counts)[i].name == name {
			(*counts)[i].n++
			idx = (*counts)[i].n
			found = true
			break
		}
	}
	if !found {
		*counts = append(*counts, xmlCount{name: name, n: 1})
	}
	if len(x.stack) < cap(x.stack) {
		// Reuse the frame's children slice from an earlier sibling subtree.
		x.stack = x.stack[:len(x.stack)+1]
		f := &x.stack[len(x.stack)-1]
		f.name, f.prefix, f.index, f.children = name, prefix, idx, f.children[:0]
		return
	}
	x.stack = append(x.stack, xmlFrame{name: name, prefix: prefix, index: idx})
}

func (x *XMLDecoder) fail(err error) error {
	x.err = &Error{File: x.name, Place: x.Place(), Err: err}
	return x.err
}

// directive handles a <!...> token: only an allowed internal DTD passes.
func (x *XMLDecoder) directive(d xml.Directive) error {
	s := bytes.TrimSpace(d)
	if !bytes.HasPrefix(s, []byte("DOCTYPE")) {
		return fmt.Errorf("%w: unexpected <!%s>", ErrMalformed, firstWord(s))
	}
	if !x.allowDTD {
		return fmt.Errorf("%w (document type declarations can hide entity bombs and references to outside files)", ErrDoctype)
	}
	if len(x.stack) > 0 || len(x.root) > 0 {
		return fmt.Errorf("%w: a DOCTYPE after the root element", ErrDoctype)
	}
	if msg := unsafeDTD(s); msg != "" {
		return fmt.Errorf("%w: %s", ErrDoctype, msg)
	}
	x.allowDTD = false // at most one
	return nil
}

// unsafeDTD says what makes a DOCTYPE unacceptable even when internal DTDs
// are allowed, or "" when it only declares elements and attributes.
func unsafeDTD(s []byte) string {
	head := s
	if i := bytes.IndexByte(s, '['); i >= 0 {
		head = s[:i]
	}
	if bytes.Contains(head, []byte("SYSTEM")) || bytes.Contains(head, []byte("PUBLIC")) {
		return "it refers to an outside file"
	}
	if bytes.Contains(s, []byte("<!ENTITY")) {
		return "it declares entities"
	}
	if bytes.IndexByte(s, '%') >= 0 && bytes.Contains(stripQuoted(s), []byte("%")) {
		return "it uses parameter entities"
	}
	return ""
}

// stripQuoted removes quoted literals so that a '%' inside a default
// attribute value is not taken for a parameter entity reference.
func stripQuoted(s []byte) []byte {
	out := make([]byte, 0, len(s))
	var q byte
	for _, c := range s {
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		default:
			out = append(out, c)
		}
	}
	return out
}

func firstWord(s []byte) string {
	end := 0
	for end < len(s) && end < 20 && s[end] > ' ' && s[end] != '[' {
		end++
	}
	return string(s[:end])
}

// checkProlog skips a UTF-8 BOM and looks through the prolog (declaration,
// comments, processing instructions) in the buffered bytes: a DOCTYPE is
// refused before encoding/xml reads it. A prolog longer than the buffer is
// left to the token loop, which refuses the directive when it meets it.
func (x *XMLDecoder) checkProlog() error {
	peek, _ := x.br.Peek(x.br.Size())
	switch {
	case bytes.HasPrefix(peek, []byte{0xEF, 0xBB, 0xBF}):
		// encoding/xml does not skip a BOM; drop it from the stream.
		x.br.Discard(3)
		peek = peek[3:]
	case bytes.HasPrefix(peek, []byte{0xFE, 0xFF}), bytes.HasPrefix(peek, []byte{0xFF, 0xFE}):
		return fmt.Errorf("%w: UTF-16 encoded XML is not supported", ErrMalformed)
	}
	off, _ := skipProlog(peek)
	rest := peek[off:]
	if bytes.HasPrefix(rest, []byte("<!DOCTYPE")) {
		if !x.allowDTD {
			// Name the DOCTYPE's own place, not the decoder's (which has
			// read nothing yet).
			err := fmt.Errorf("%w (document type declarations can hide entity bombs and references to outside files)", ErrDoctype)
			x.err = &Error{File: x.name, Place: textPlace(peek[:off]), Err: err}
			return err
		}
		// Allowed internal DTDs are checked as a whole by directive; an
		// entity declaration anywhere in what is buffered is refused now.
		if end := bytes.Index(rest, []byte("]>")); end >= 0 {
			if msg := unsafeDTD(rest[len("<!DOCTYPE"):end]); msg != "" {
				return fmt.Errorf("%w: %s", ErrDoctype, msg)
			}
		} else if bytes.Contains(rest, []byte("<!ENTITY")) {
			return fmt.Errorf("%w: it declares entities", ErrDoctype)
		}
	}
	return nil
}

// textPlace returns the line and column just after before, the text that
// precedes a place in a file: "line 2, column 1".
func textPlace(before []byte) string {
	line := 1 + bytes.Count(before, []byte("\n"))
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return fmt.Sprintf("line %d, column %d", line, col)
}

// skipProlog returns the offset of the first byte after leading whitespace,
// an XML declaration, comments and processing instructions, and whether it
// stopped at a "<" that starts something else (complete is false when b
// ended first).
func skipProlog(b []byte) (off int, complete bool) {
	for {
		for off < len(b) && isXMLSpace(b[off]) {
			off++
		}
		rest := b[off:]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return off, false
			}
			off += end + 2
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return off, false
			}
			off += 4 + end + 3
		default:
			return off, off < len(b)
		}
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// classifyXMLError maps encoding/xml's errors to this package's sentinels.
func classifyXMLError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "UTF-8") {
			return fmt.Errorf("%w: %s", ErrInvalidUTF8, se.Msg)
		}
		if strings.HasPrefix(se.Msg, "invalid character entity") {
			return fmt.Errorf("%w: %s (only the predefined entities are read)", ErrMalformed, se.Msg)
		}
		return fmt.Errorf("%w: %s", ErrMalformed, se.Msg)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: the file ends too early", ErrMalformed)
	}
	var ue xml.UnmarshalError
	if errors.As(err, &ue) {
		return fmt.Errorf("%w: %s", ErrMalformed, string(ue))
	}
	if strings.HasPrefix(err.Error(), "xml: ") {
		return fmt.Errorf("%w: %s", ErrMalformed, strings.TrimPrefix(err.Error(), "xml: "))
	}
	return fmt.Errorf("reading: %w", err)
}

// charsetReader transcodes the single-byte encodings seen in real exports to
// UTF-8; encoding/xml calls it for an encoding other than UTF-8.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1":
		return &byteMapReader{r: bufio.NewReader(r), table: nil}, nil
	case "windows-1252", "cp1252", "x-cp1252":
		return &byteMapReader{r: bufio.NewReader(r), table: &cp1252}, nil
	case "us-ascii", "ascii", "utf8":
		return r, nil
	}
	return nil, fmt.Errorf("%w: the encoding %q is not supported", ErrMalformed, label)
}

// byteMapReader turns a single-byte encoding into UTF-8. table maps
// 0x80-0x9F (Windows-1252); nil means ISO-8859-1.
type byteMapReader struct {
	r     *bufio.Reader
	table *[32]rune
	pend  []byte
}

func (m *byteMapReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(m.pend) > 0 {
			c := copy(p[n:], m.pend)
			m.pend = m.pend[c:]
			n += c
			continue
		}
		b, err := m.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if b < 0x80 {
			p[n] = b
			n++
			continue
		}
		r := rune(b)
		if m.table != nil && b < 0xA0 {
			r = m.table[b-0x80]
		}
		var buf [4]byte
		w := utf8.EncodeRune(buf[:], r)
		m.pend = append(m.pend[:0], buf[:w]...)
	}
	return n, nil
}

// cp1252 is Windows-1252's 0x80-0x9F; undefined bytes map to U+FFFD.
var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

// SniffXML reads the root element of the XML at the start of head (the
// leading bytes of a file): its namespace URI and local name. It skips a
// UTF-8 BOM, the XML declaration, comments, processing instructions (such
// as an xml-stylesheet, which is never fetched) and a DOCTYPE (so the
// reader chosen for the file can refuse it with a clear error). ok is false
// when head does not start with XML or ends before the root's start tag.
func SniffXML(head []byte) (space, local string, ok bool) {
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	off, complete := skipProlog(head)
	if !complete {
		return "", "", false
	}
	rest := head[off:]
	if bytes.HasPrefix(rest, []byte("<!DOCTYPE")) {
		end := doctypeEnd(rest)
		if end < 0 {
			return "", "", false
		}
		off2, complete := skipProlog(rest[end:])
		if !complete {
			return "", "", false
		}
		rest = rest[end+off2:]
	}
	return sniffStartTag(rest)
}

// doctypeEnd returns the offset just past a DOCTYPE at the start of b, or -1.
func doctypeEnd(b []byte) int {
	depth := 0
	var q byte
	for i := 2; i < len(b); i++ {
		c := b[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return i + 1
		}
	}
	return -1
}

// sniffStartTag parses the start tag at the beginning of b with
// encoding/xml, which resolves the namespace prefix from the tag's own
// xmlns attributes.
func sniffStartTag(b []byte) (space, local string, ok bool) {
	if len(b) < 2 || b[0] != '<' || !isNameStart(b[1]) {
		return "", "", false
	}
	end := tagEnd(b)
	if end < 0 {
		return "", "", false
	}
	tag := b[:end]
	d := xml.NewDecoder(bytes.NewReader(tag))
	d.Strict = false // the element is not closed in tag
	for {
		tok, err := d.Token()
		if err != nil {
			return "", "", false
		}
		if se, isStart := tok.(xml.StartElement); isStart {
			return se.Name.Space, se.Name.Local, true
		}
	}
}

func isNameStart(c byte) bool {
	return c == '_' || c == ':' || c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// tagEnd returns the offset just past the start tag at the start of b, or -1.
func tagEnd(b []byte) int {
	var q byte
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i + 1
		}
	}
	return -1
}
