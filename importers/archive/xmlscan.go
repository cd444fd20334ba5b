package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/kinfolio/kinfolio/importers"
)

// scanner is a minimal streaming XML tokenizer for Apple Health's
// export.xml, which reaches gigabytes. encoding/xml reads about 20 MB/s on
// it; this reads several hundred, in a fixed amount of memory, because it
// does only what that file needs:
//
//   - start tags with their attributes (raw, entities left in: see
//     [unescape]), end tags and the nesting between them, depth-capped;
//   - comments, processing instructions, CDATA and text are skipped
//     without being held in memory whole;
//   - the document type declaration is read under the rules of
//     [scanner.doctype].
//
// A tag longer than maxTag, mismatched or unclosed tags, a second root and
// an undeclared entity in a kept attribute are errors. Text is not checked
// for well-formedness: it is never read.
type scanner struct {
	r       io.Reader
	buf     []byte
	pos     int // next unread byte in buf
	end     int // end of valid bytes in buf
	eof     bool
	readErr error

	// position for error messages
	base    int64 // stream offset of buf[0]
	lines   int   // newlines before buf[counted]
	counted int   // bytes of buf already scanned for newlines
	lastNL  int64 // stream offset just past the last counted newline

	maxDepth int
	stack    [][]byte // open element names (reused storage)
	depth    int
	rootSeen bool
	dtdSeen  bool

	// the current tag, valid until the next call to next
	name      []byte
	attrs     []attr
	selfClose bool
}

type attr struct {
	name, value []byte
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
)

const (
	scanBufSize = 1 << 20 // read buffer
	maxTag      = 4 << 20 // largest start tag (all its attributes)
	maxDTD      = 1 << 20 // largest internal DTD subset
	maxAttrs    = 1 << 12 // most attributes on one element
)

// buffers recycles read buffers between scans.
var buffers = sync.Pool{New: func() any { b := make([]byte, scanBufSize); return &b }}

func newScanner(r io.Reader, maxDepth int) *scanner {
	if maxDepth <= 0 {
		maxDepth = importers.DefaultLimits().MaxDepth
	}
	return &scanner{r: r, buf: *buffers.Get().(*[]byte), maxDepth: maxDepth}
}

// release returns the read buffer for reuse; the scanner is done.
func (s *scanner) release() {
	if b := s.buf; len(b) == scanBufSize {
		buffers.Put(&b)
	}
	s.buf = nil
}

// errorf returns an error wrapping sentinel at the current position.
type posError struct {
	line, col int
	err       error
}

func (e *posError) Error() string { return fmt.Sprintf("line %d, column %d: %v", e.line, e.col, e.err) }
func (e *posError) Unwrap() error { return e.err }

// place returns line and column (1-based) of buf[at].
func (s *scanner) place(at int) (int, int) {
	if at < s.counted {
		at = s.counted
	}
	seg := s.buf[s.counted:at]
	lines := s.lines + bytes.Count(seg, []byte{'\n'})
	lastNL := s.lastNL
	if i := bytes.LastIndexByte(seg, '\n'); i >= 0 {
		lastNL = s.base + int64(s.counted+i+1)
	}
	return lines + 1, int(s.base+int64(at)-lastNL) + 1
}

func (s *scanner) errAt(at int, sentinel error, format string, args ...any) error {
	line, col := s.place(at)
	return &posError{line: line, col: col, err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// fill moves unread bytes to the front of buf and reads more. It returns
// false at the end of the input (or on a read error, kept in readErr).
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		seg := s.buf[s.counted:s.pos]
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			s.lines += n
			s.lastNL = s.base + int64(s.counted+bytes.LastIndexByte(seg, '\n')+1)
		}
		copy(s.buf, s.buf[s.pos:s.end])
		s.end -= s.pos
		s.base += int64(s.pos)
		s.pos, s.counted = 0, 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxTag {
			return false
		}
		nb := make([]byte, min(max(2*len(s.buf), scanBufSize), maxTag))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.readErr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// next returns the next start or end tag. For tokStart, s.name, s.attrs
// and s.selfClose describe it; a self-closing tag is not followed by a
// tokEnd. At the end of the input it returns tokEOF after checking that the
// root element was seen and closed.
func (s *scanner) next() (tokKind, error) {
	if s.selfClose {
		s.selfClose = false
		s.pop()
	}
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			if s.depth == 0 {
				if err := s.checkOutsideText(s.pos, s.end); err != nil {
					return tokEOF, err
				}
			}
			s.pos = s.end
			if !s.fill() {
				return s.finish()
			}
			continue
		}
		if s.depth == 0 {
			if err := s.checkOutsideText(s.pos, s.pos+i); err != nil {
				return tokEOF, err
			}
		}
		s.pos += i
		if s.end-s.pos < 2 && !s.more(2) {
			return tokEOF, s.errAt(s.pos, importers.ErrMalformed, "the file ends inside a tag")
		}
		switch c := s.buf[s.pos+1]; {
		case c == '/':
			return s.endTag()
		case c == '?':
			if err := s.skipPast(s.pos+2, []byte("?>")); err != nil {
				return tokEOF, err
			}
		case c == '!':
			if err := s.bang(); err != nil {
				return tokEOF, err
			}
		default:
			return s.startTag()
		}
	}
}

// more makes at least n unread bytes available if the input has them.
func (s *scanner) more(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

func (s *scanner) finish() (tokKind, error) {
	if s.readErr != nil {
		return tokEOF, fmt.Errorf("reading: %w", s.readErr)
	}
	if s.depth > 0 {
		return tokEOF, s.errAt(s.end, importers.ErrMalformed, "the file ends inside <%s> (is it complete?)", s.stack[s.depth-1])
	}
	if !s.rootSeen {
		return tokEOF, s.errAt(s.end, importers.ErrMalformed, "no XML element found")
	}
	return tokEOF, nil
}

func (s *scanner) checkOutsideText(from, to int) error {
	for j := from; j < to; j++ {
		switch s.buf[j] {
		case ' ', '\t', '\r', '\n':
		case 0xEF:
			if s.base+int64(j) == 0 && to-j >= 3 && s.buf[j+1] == 0xBB && s.buf[j+2] == 0xBF {
				j += 2 // byte order mark
				continue
			}
			fallthrough
		default:
			return s.errAt(j, importers.ErrMalformed, "text outside the root element")
		}
	}
	return nil
}

// skipPast skips to just after term, searching from buf[from], without
// holding what it skips.
func (s *scanner) skipPast(from int, term []byte) error {
	for {
		if k := bytes.Index(s.buf[from:s.end], term); k >= 0 {
			s.pos = from + k + len(term)
			return nil
		}
		// Drop what was searched, keeping the bytes the terminator could
		// straddle.
		s.pos = max(s.end-(len(term)-1), from)
		if !s.fill() {
			return s.errAt(s.end, importers.ErrMalformed, "the file ends inside a comment, CDATA section or processing instruction")
		}
		from = s.pos
	}
}

// bang handles "<!": comments, CDATA and the document type declaration.
func (s *scanner) bang() error {
	s.more(9)
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		return s.skipPast(s.pos+4, []byte("-->"))
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		if s.depth == 0 {
			return s.errAt(s.pos, importers.ErrMalformed, "CDATA outside the root element")
		}
		return s.skipPast(s.pos+9, []byte("]]>"))
	case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
		return s.doctype()
	}
	return s.errAt(s.pos, importers.ErrMalformed, "unexpected markup \"<!\"")
}

// doctype reads a document type declaration. Apple writes one into every
// export.xml: an internal subset that declares the elements and attribute
// lists of HealthData, and nothing else. That much is accepted, because it
// can do no harm: this scanner never applies a DTD (no default attribute
// values, no validation). Everything that could do harm is refused with
// [importers.ErrDoctype]:
//
//   - an external identifier (SYSTEM or PUBLIC): it would name an outside
//     file to fetch;
//   - an ENTITY or NOTATION declaration, a parameter entity reference (%name;)
//     or a processing instruction inside the subset: the material of entity
//     expansion bombs and external entity attacks;
//   - a subset longer than 1 MiB, a second DOCTYPE, or one after the root
//     element.
//
// Entity references in the document itself are then limited to the five
// predefined ones and character references (see [unescape]).
func (s *scanner) doctype() error {
	start := s.pos
	if s.rootSeen || s.dtdSeen {
		return s.errAt(start, importers.ErrDoctype, "a second DOCTYPE, or one after the root element")
	}
	s.dtdSeen = true
	p := s.pos + len("<!DOCTYPE")
	// Work on absolute offsets from start so that fill (which moves bytes)
	// cannot confuse positions: rel is relative to s.pos, which stays at the
	// DOCTYPE's start while the subset is scanned in place.
	rel := p - s.pos
	need := func(n int) bool { // at least n bytes from s.pos+rel
		for s.end-(s.pos+rel) < n {
			if s.end-s.pos > maxDTD+4096 {
				return false
			}
			if !s.fill() {
				return false
			}
		}
		return true
	}
	skipSpace := func() {
		for need(1) && isSpace(s.buf[s.pos+rel]) {
			rel++
		}
	}
	tooLong := func() error {
		return s.errAt(s.pos, importers.ErrDoctype, "the document type declaration is longer than %d bytes", maxDTD)
	}
	skipSpace()
	nameStart := rel
	for need(1) && isNameByte(s.buf[s.pos+rel]) {
		rel++
	}
	if string(s.buf[s.pos+nameStart:s.pos+rel]) != "HealthData" {
		return s.errAt(s.pos, importers.ErrDoctype, "a DOCTYPE for %q, not Apple's HealthData", clip(s.buf[s.pos+nameStart:s.pos+rel]))
	}
	skipSpace()
	if !need(1) {
		return s.errAt(s.pos, importers.ErrMalformed, "the file ends inside the DOCTYPE")
	}
	switch s.buf[s.pos+rel] {
	case '>':
		s.pos += rel + 1
		return nil
	case '[':
		rel++
	default:
		return s.errAt(s.pos+rel, importers.ErrDoctype, "the DOCTYPE refers to an outside file (SYSTEM or PUBLIC)")
	}
	for {
		skipSpace()
		if rel > maxDTD {
			return tooLong()
		}
		if !need(2) {
			if s.end-s.pos > maxDTD {
				return tooLong()
			}
			return s.errAt(s.pos, importers.ErrMalformed, "the file ends inside the DOCTYPE")
		}
		rest := s.buf[s.pos+rel : s.end]
		switch {
		case rest[0] == ']':
			rel++
			skipSpace()
			if !need(1) || s.buf[s.pos+rel] != '>' {
				return s.errAt(s.pos+rel, importers.ErrMalformed, "the DOCTYPE is not closed with \"]>\"")
			}
			s.pos += rel + 1
			return nil
		case rest[0] == '%':
			return s.errAt(s.pos+rel, importers.ErrDoctype, "the DOCTYPE uses parameter entities")
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := -1
			for {
				if k = bytes.Index(s.buf[s.pos+rel+4:s.end], []byte("-->")); k >= 0 {
					break
				}
				if s.end-s.pos > maxDTD {
					return tooLong()
				}
				if !s.fill() {
					return s.errAt(s.end, importers.ErrMalformed, "the file ends inside the DOCTYPE")
				}
			}
			rel += 4 + k + 3
		case bytes.HasPrefix(rest, []byte("<?")):
			return s.errAt(s.pos+rel, importers.ErrDoctype, "a processing instruction inside the DOCTYPE")
		case bytes.HasPrefix(rest, []byte("<!")):
			need(10)
			rest = s.buf[s.pos+rel : s.end]
			switch {
			case bytes.HasPrefix(rest, []byte("<!ELEMENT")), bytes.HasPrefix(rest, []byte("<!ATTLIST")):
			case bytes.HasPrefix(rest, []byte("<!ENTITY")):
				return s.errAt(s.pos+rel, importers.ErrDoctype, "the DOCTYPE declares entities (refused: entity expansion can hide bombs and references to outside files)")
			case bytes.HasPrefix(rest, []byte("<!NOTATION")):
				return s.errAt(s.pos+rel, importers.ErrDoctype, "the DOCTYPE declares notations")
			default:
				return s.errAt(s.pos+rel, importers.ErrDoctype, "unexpected declaration in the DOCTYPE")
			}
			// Skip the declaration to its '>', outside quoted literals;
			// a '%' outside quotes is a parameter entity reference.
			j := rel + 2
			var q byte
			for {
				if !need(j - rel + 1) {
					if s.end-s.pos > maxDTD {
						return tooLong()
					}
					return s.errAt(s.pos+rel, importers.ErrMalformed, "the file ends inside the DOCTYPE")
				}
				c := s.buf[s.pos+j]
				j++
				if q != 0 {
					if c == q {
						q = 0
					}
					continue
				}
				if c == '"' || c == '\'' {
					q = c
				} else if c == '%' {
					return s.errAt(s.pos+j-1, importers.ErrDoctype, "the DOCTYPE uses parameter entities")
				} else if c == '<' {
					return s.errAt(s.pos+j-1, importers.ErrMalformed, "a declaration in the DOCTYPE is not closed")
				} else if c == '>' {
					break
				}
				if j-rel > maxDTD {
					return tooLong()
				}
			}
			rel = j
		default:
			return s.errAt(s.pos+rel, importers.ErrMalformed, "unexpected text inside the DOCTYPE")
		}
	}
}

func (s *scanner) endTag() (tokKind, error) {
	start := s.pos
	for {
		if k := bytes.IndexByte(s.buf[s.pos:s.end], '>'); k >= 0 {
			name := bytes.TrimRight(s.buf[s.pos+2:s.pos+k], " \t\r\n")
			if s.depth == 0 {
				return tokEOF, s.errAt(s.pos, importers.ErrMalformed, "</%s> closes nothing", clip(name))
			}
			if !bytes.Equal(name, s.stack[s.depth-1]) {
				return tokEOF, s.errAt(s.pos, importers.ErrMalformed, "</%s> closes <%s>", clip(name), clip(s.stack[s.depth-1]))
			}
			s.name = s.stack[s.depth-1]
			s.pos += k + 1
			s.pop()
			return tokEnd, nil
		}
		if s.end-s.pos > 1<<10 {
			return tokEOF, s.errAt(start, importers.ErrMalformed, "an end tag is not closed")
		}
		if !s.fill() {
			return tokEOF, s.errAt(s.pos, importers.ErrMalformed, "the file ends inside an end tag")
		}
	}
}

// startTag parses the start tag at s.pos; when it runs out of buffer it
// reads more and starts over (tags are short; the restart is rare).
func (s *scanner) startTag() (tokKind, error) {
	for {
		done, err := s.parseStart()
		if err != nil || done {
			if err != nil {
				return tokEOF, err
			}
			return tokStart, nil
		}
		if s.end-s.pos >= maxTag {
			return tokEOF, s.errAt(s.pos, importers.ErrTooLarge, "a tag longer than %d bytes", maxTag)
		}
		if !s.fill() {
			return tokEOF, s.errAt(s.pos, importers.ErrMalformed, "the file ends inside a tag")
		}
	}
}

// parseStart returns done=false when the tag is not complete in buf.
func (s *scanner) parseStart() (bool, error) {
	b := s.buf[s.pos:s.end]
	i := 1
	for i < len(b) && isNameByte(b[i]) {
		i++
	}
	if i == len(b) {
		return false, nil
	}
	if i == 1 {
		return false, s.errAt(s.pos, importers.ErrMalformed, "a \"<\" that starts no tag")
	}
	name := b[1:i]
	s.attrs = s.attrs[:0]
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return false, nil
		}
		switch b[i] {
		case '>':
			return true, s.open(name, false, i+1)
		case '/':
			if i+1 >= len(b) {
				return false, nil
			}
			if b[i+1] != '>' {
				return false, s.errAt(s.pos+i, importers.ErrMalformed, "a \"/\" inside a tag")
			}
			return true, s.open(name, true, i+2)
		}
		if i > 1 && !isSpace(b[i-1]) {
			return false, s.errAt(s.pos+i, importers.ErrMalformed, "attributes must be separated by spaces")
		}
		ns := i
		for i < len(b) && isNameByte(b[i]) {
			i++
		}
		if i >= len(b) {
			return false, nil
		}
		if i == ns {
			return false, s.errAt(s.pos+i, importers.ErrMalformed, "unexpected %q inside a tag", rune(b[i]))
		}
		an := b[ns:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return false, nil
		}
		if b[i] != '=' {
			return false, s.errAt(s.pos+i, importers.ErrMalformed, "attribute %s has no value", clip(an))
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return false, nil
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return false, s.errAt(s.pos+i, importers.ErrMalformed, "attribute %s: the value is not quoted", clip(an))
		}
		k := bytes.IndexByte(b[i+1:], q)
		if k < 0 {
			return false, nil
		}
		if len(s.attrs) >= maxAttrs {
			return false, s.errAt(s.pos, importers.ErrMalformed, "more than %d attributes on one element", maxAttrs)
		}
		s.attrs = append(s.attrs, attr{name: an, value: b[i+1 : i+1+k]})
		i += k + 2
	}
}

// open records a complete start tag ending at buf[pos+n].
func (s *scanner) open(name []byte, selfClose bool, n int) error {
	if s.depth == 0 && s.rootSeen {
		return s.errAt(s.pos, importers.ErrMalformed, "a second root element <%s>", clip(name))
	}
	if s.depth >= s.maxDepth {
		return s.errAt(s.pos, importers.ErrTooDeep, "more than %d nested elements", s.maxDepth)
	}
	s.rootSeen = true
	if s.depth == len(s.stack) {
		s.stack = append(s.stack, nil)
	}
	s.stack[s.depth] = append(s.stack[s.depth][:0], name...)
	s.depth++
	s.name = s.stack[s.depth-1]
	s.selfClose = selfClose
	s.pos += n
	return nil
}

func (s *scanner) pop() { s.depth-- }

// attr returns the raw value of the named attribute of the current tag.
func (s *scanner) attr(name string) ([]byte, bool) {
	for i := range s.attrs {
		if string(s.attrs[i].name) == name {
			return s.attrs[i].value, true
		}
	}
	return nil, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == ':' || c == '-' || c == '.' || c >= 0x80
}

// clip shortens b for an error message.
func clip(b []byte) string {
	if len(b) > 40 {
		return string(bytes.ToValidUTF8(b[:40], nil)) + "…"
	}
	return string(bytes.ToValidUTF8(b, nil))
}

var errEntity = errors.New("undeclared entity")

// unescape returns an attribute value with the predefined entities and
// character references replaced; any other entity reference is an error
// (no entity can be declared, see [scanner.doctype]), as are '<' and
// invalid UTF-8.
func unescape(v []byte) (string, error) {
	if bytes.IndexByte(v, '<') >= 0 {
		return "", fmt.Errorf("%w: \"<\" inside an attribute value", importers.ErrMalformed)
	}
	if !utf8.Valid(v) {
		return "", fmt.Errorf("%w in an attribute value", importers.ErrInvalidUTF8)
	}
	if bytes.IndexByte(v, '&') < 0 {
		return string(v), nil
	}
	out := make([]byte, 0, len(v))
	for len(v) > 0 {
		i := bytes.IndexByte(v, '&')
		if i < 0 {
			out = append(out, v...)
			break
		}
		out = append(out, v[:i]...)
		v = v[i:]
		j := bytes.IndexByte(v, ';')
		if j < 0 || j > 12 {
			return "", fmt.Errorf("%w: a \"&\" that starts no entity reference", importers.ErrMalformed)
		}
		ent := string(v[1:j])
		v = v[j+1:]
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			var n uint64
			var err error
			switch {
			case len(ent) > 2 && ent[0] == '#' && (ent[1] == 'x' || ent[1] == 'X'):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case len(ent) > 1 && ent[0] == '#':
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return "", fmt.Errorf("%w: %w &%s;", importers.ErrMalformed, errEntity, ent)
			}
			r := rune(n)
			if err != nil || !utf8.ValidRune(r) || r == 0 {
				return "", fmt.Errorf("%w: bad character reference &%s;", importers.ErrMalformed, ent)
			}
			out = utf8.AppendRune(out, r)
		}
	}
	return string(out), nil
}
