package importers

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// JSONError is a problem [CheckJSON] found: what (Err, wrapping one of
// [ErrTooDeep], [ErrDuplicateKey], [ErrInvalidUTF8] or [ErrMalformed]) and
// where: the byte offset, the line and column (1-based, columns counted in
// bytes) and the JSON path of the value being read ("entry[12].resource.code").
type JSONError struct {
	Offset int64
	Line   int
	Column int
	Path   string
	Err    error
}

func (e *JSONError) Error() string { return e.Place() + ": " + e.Err.Error() }

func (e *JSONError) Unwrap() error { return e.Err }

// Place renders the location for an [Error]'s Place:
// "line 3, column 14 (byte 45), at entry[2].resource.code".
func (e *JSONError) Place() string {
	p := fmt.Sprintf("line %d, column %d (byte %d)", e.Line, e.Column, e.Offset)
	if e.Path != "" {
		p += ", at " + e.Path
	}
	return p
}

// CheckJSON checks that data is exactly one JSON value that is safe to hand
// to encoding/json. It returns nil or a [*JSONError] wrapping:
//   - [ErrTooDeep] when objects and arrays nest lim.MaxDepth levels deep (it
//     stops there, so a hostile depth costs nothing more);
//   - [ErrDuplicateKey] when an object repeats a key, also in another letter
//     case ("code" and "CODE") or spelled with escapes ("co\u0064e"):
//     encoding/json matches struct fields case-insensitively and keeps the
//     last, which would silently drop the first;
//   - [ErrInvalidUTF8] for bytes that are not UTF-8 and for \u escapes that
//     leave a surrogate unpaired;
//   - [ErrMalformed] for anything else that is not JSON.
//
// A UTF-8 byte order mark is not JSON: strip it first. A lim.MaxDepth of 0
// or less means the default limits' depth. CheckJSON runs in one pass over
// the bytes and allocates only for objects with many keys.
func CheckJSON(data []byte, lim Limits) error {
	var c JSONChecker
	return c.Check(data, lim)
}

// JSONChecker is [CheckJSON] with buffers kept between calls, for readers
// that check many small documents (the lines of an NDJSON file). The zero
// value is ready to use; it is not safe for concurrent use.
type JSONChecker struct {
	data  []byte
	stack []jsonFrame
	keys  []keySpan
}

type jsonFrame struct {
	object   bool
	index    int // array: index of the current element
	keyStart int // object: span of the current key (quotes excluded)
	keyEnd   int
	keysFrom int                 // object: first of its keys in keys
	big      map[string]struct{} // object: folded keys once it has many
}

type keySpan struct {
	start, end int
	simple     bool // ASCII, no escapes: compared in place
}

// keysBeforeMap is how many keys an object may have before duplicate
// checks switch from comparing to a map (so a hostile object of a million
// keys costs linear time).
const keysBeforeMap = 16

// Check is [CheckJSON] reusing c's buffers.
func (c *JSONChecker) Check(data []byte, lim Limits) error {
	maxDepth := lim.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultLimits().MaxDepth
	}
	c.data = data
	c.stack = c.stack[:0]
	c.keys = c.keys[:0]
	defer func() { c.data = nil }()

	n := len(data)
	i := skipJSONSpace(data, 0)
	if i == n {
		return c.fail(i, ErrMalformed, "no JSON value")
	}
	// The loop reads one value at i, then what may follow it in its container.
	for {
		if i >= n {
			return c.fail(i, ErrMalformed, "the file ends inside a value")
		}
		switch ch := data[i]; {
		case ch == '{' || ch == '[':
			if len(c.stack)+1 >= maxDepth {
				return c.fail(i, ErrTooDeep, fmt.Sprintf("objects and arrays nested %d levels deep (the limit is %d)", len(c.stack)+1, maxDepth))
			}
			c.stack = append(c.stack, jsonFrame{object: ch == '{', keysFrom: len(c.keys)})
			i = skipJSONSpace(data, i+1)
			if i >= n {
				return c.fail(i, ErrMalformed, "the file ends inside an object or array")
			}
			top := &c.stack[len(c.stack)-1]
			if (top.object && data[i] == '}') || (!top.object && data[i] == ']') {
				i++
				c.pop()
				goto next
			}
			if top.object {
				var err error
				if i, err = c.key(i); err != nil {
					return err
				}
			}
			continue
		case ch == '"':
			end, _, err := c.str(i)
			if err != nil {
				return err
			}
			i = end
		case ch == '-' || (ch >= '0' && ch <= '9'):
			end := scanJSONNumber(data, i)
			if end < 0 {
				return c.fail(i, ErrMalformed, "a malformed number")
			}
			i = end
		case ch == 't':
			if !hasLiteral(data, i, "true") {
				return c.fail(i, ErrMalformed, "an unexpected word")
			}
			i += 4
		case ch == 'f':
			if !hasLiteral(data, i, "false") {
				return c.fail(i, ErrMalformed, "an unexpected word")
			}
			i += 5
		case ch == 'n':
			if !hasLiteral(data, i, "null") {
				return c.fail(i, ErrMalformed, "an unexpected word")
			}
			i += 4
		default:
			return c.fail(i, ErrMalformed, "an unexpected character "+quoteByte(ch))
		}
	next:
		// After a value: close containers or move to the next member.
		for {
			i = skipJSONSpace(data, i)
			if len(c.stack) == 0 {
				if i != n {
					return c.fail(i, ErrMalformed, "more content after the JSON value")
				}
				return nil
			}
			if i >= n {
				return c.fail(i, ErrMalformed, "the file ends inside an object or array")
			}
			top := &c.stack[len(c.stack)-1]
			ch := data[i]
			if ch == ',' {
				i = skipJSONSpace(data, i+1)
				if top.object {
					var err error
					if i, err = c.key(i); err != nil {
						return err
					}
				} else {
					top.index++
				}
				break
			}
			if (top.object && ch == '}') || (!top.object && ch == ']') {
				i++
				c.pop()
				continue
			}
			if top.object {
				return c.fail(i, ErrMalformed, "expected ',' or '}' after an object member")
			}
			return c.fail(i, ErrMalformed, "expected ',' or ']' after an array element")
		}
	}
}

func (c *JSONChecker) pop() {
	top := c.stack[len(c.stack)-1]
	c.keys = c.keys[:top.keysFrom]
	c.stack = c.stack[:len(c.stack)-1]
}

// key reads `"key" :` at i in the innermost object, checks it is not a
// repeat, and returns the offset of the value.
func (c *JSONChecker) key(i int) (int, error) {
	data := c.data
	if i >= len(data) || data[i] != '"' {
		c.stack[len(c.stack)-1].keyStart = 0
		return i, c.fail(i, ErrMalformed, "expected a quoted key")
	}
	top := &c.stack[len(c.stack)-1]
	top.keyStart, top.keyEnd = 0, 0
	end, simple, err := c.str(i)
	if err != nil {
		return i, err
	}
	top.keyStart, top.keyEnd = i+1, end-1
	k := keySpan{start: i + 1, end: end - 1, simple: simple}
	if err := c.addKey(top, k); err != nil {
		return i, err
	}
	j := skipJSONSpace(data, end)
	if j >= len(data) || data[j] != ':' {
		return j, c.fail(j, ErrMalformed, "expected ':' after a key")
	}
	return skipJSONSpace(data, j+1), nil
}

func (c *JSONChecker) addKey(top *jsonFrame, k keySpan) error {
	if top.big != nil {
		f := c.folded(k)
		if _, dup := top.big[f]; dup {
			return c.dupKey(top, k)
		}
		top.big[f] = struct{}{}
		return nil
	}
	held := c.keys[top.keysFrom:]
	for _, h := range held {
		if c.sameKey(h, k) {
			return c.dupKey(top, k)
		}
	}
	if len(held) < keysBeforeMap {
		c.keys = append(c.keys, k)
		return nil
	}
	top.big = make(map[string]struct{}, 2*keysBeforeMap)
	for _, h := range held {
		top.big[c.folded(h)] = struct{}{}
	}
	top.big[c.folded(k)] = struct{}{}
	return nil
}

func (c *JSONChecker) dupKey(top *jsonFrame, k keySpan) error {
	name := unescapeJSONKey(c.data[k.start:k.end])
	// Name the key in the path of the enclosing object, not the new value.
	top.keyStart, top.keyEnd = -1, -1
	return c.fail(k.start-1, ErrDuplicateKey, fmt.Sprintf("the key %q appears twice (keys are compared ignoring letter case)", name))
}

func (c *JSONChecker) sameKey(a, b keySpan) bool {
	if a.simple && b.simple {
		x, y := c.data[a.start:a.end], c.data[b.start:b.end]
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			p, q := x[i], y[i]
			if p != q {
				if p|0x20 != q|0x20 || p|0x20 < 'a' || p|0x20 > 'z' {
					return false
				}
			}
		}
		return true
	}
	return c.folded(a) == c.folded(b)
}

// folded returns the key unescaped and case-folded so that keys
// encoding/json would take for one another compare equal.
func (c *JSONChecker) folded(k keySpan) string {
	raw := c.data[k.start:k.end]
	if k.simple {
		// The smallest rune of an ASCII letter's orbit is its upper case.
		return strings.ToUpper(string(raw))
	}
	return foldKey(unescapeJSONKey(raw))
}

// foldKey maps every rune to the smallest rune of its case-folding orbit,
// the equivalence encoding/json uses to match keys (so "K" and the Kelvin
// sign "K" are one key).
func foldKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		b.WriteRune(min)
	}
	return b.String()
}

// unescapeJSONKey decodes a key's escapes (the key is known to be valid).
func unescapeJSONKey(raw []byte) string {
	var s string
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	if json.Unmarshal(q, &s) != nil {
		return string(raw)
	}
	return s
}

// stringSafe marks the ASCII bytes that may appear in a JSON string as they are.
var stringSafe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// str reads the string whose opening quote is at i and returns the offset
// after its closing quote and whether it is plain ASCII without escapes.
func (c *JSONChecker) str(i int) (end int, simple bool, err error) {
	data := c.data
	n := len(data)
	j := i + 1
	simple = true
	for {
		for j < n && data[j] < utf8.RuneSelf && stringSafe[data[j]] {
			j++
		}
		if j >= n {
			return 0, false, c.fail(i, ErrMalformed, "a string that is never closed")
		}
		ch := data[j]
		switch {
		case ch == '"':
			return j + 1, simple, nil
		case ch == '\\':
			simple = false
			if j+1 >= n {
				return 0, false, c.fail(j, ErrMalformed, "a string that is never closed")
			}
			switch data[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				r, ok := hex4(data, j+2)
				if !ok {
					return 0, false, c.fail(j, ErrMalformed, "a malformed \\u escape")
				}
				j += 6
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(0), false
					if r < 0xDC00 && j+1 < n && data[j] == '\\' && data[j+1] == 'u' {
						r2, ok2 = hex4(data, j+2)
					}
					if !ok2 || utf16.DecodeRune(r, r2) == unicode.ReplacementChar {
						return 0, false, c.fail(j-6, ErrInvalidUTF8, "a \\u escape that leaves a surrogate unpaired")
					}
					j += 6
				}
			default:
				return 0, false, c.fail(j, ErrMalformed, "an unknown escape \\"+string(rune(data[j+1])))
			}
		case ch < 0x20:
			return 0, false, c.fail(j, ErrMalformed, "a control character inside a string")
		default:
			simple = false
			r, size := utf8.DecodeRune(data[j:])
			if r == utf8.RuneError && size <= 1 {
				return 0, false, c.fail(j, ErrInvalidUTF8, "bytes that are not UTF-8 inside a string")
			}
			j += size
		}
	}
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, ch := range data[i : i+4] {
		r <<= 4
		switch {
		case ch >= '0' && ch <= '9':
			r |= rune(ch - '0')
		case ch >= 'a' && ch <= 'f':
			r |= rune(ch - 'a' + 10)
		case ch >= 'A' && ch <= 'F':
			r |= rune(ch - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// scanJSONNumber returns the offset after the number at i, or -1.
func scanJSONNumber(data []byte, i int) int {
	n := len(data)
	if data[i] == '-' {
		i++
	}
	digits := func() int {
		s := i
		for i < n && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i - s
	}
	if i < n && data[i] == '0' {
		i++
	} else if digits() == 0 {
		return -1
	}
	if i < n && data[i] == '.' {
		i++
		if digits() == 0 {
			return -1
		}
	}
	if i < n && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < n && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if digits() == 0 {
			return -1
		}
	}
	return i
}

func hasLiteral(data []byte, i int, lit string) bool {
	return len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit
}

func skipJSONSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func quoteByte(b byte) string {
	if b >= 0x20 && b < 0x7f {
		return strconv.QuoteRune(rune(b))
	}
	return fmt.Sprintf("0x%02X", b)
}

// fail builds the error at offset off from the current nesting.
func (c *JSONChecker) fail(off int, sentinel error, msg string) error {
	line, col := 1, 1
	if off > len(c.data) {
		off = len(c.data)
	}
	for _, b := range c.data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	var path strings.Builder
	for _, f := range c.stack {
		if f.object {
			if f.keyStart <= 0 {
				continue // no key read yet, or the key itself is at fault
			}
			name := unescapeJSONKey(c.data[f.keyStart:f.keyEnd])
			if path.Len() > 0 {
				path.WriteByte('.')
			}
			path.WriteString(name)
		} else {
			path.WriteByte('[')
			path.WriteString(strconv.Itoa(f.index))
			path.WriteByte(']')
		}
	}
	return &JSONError{Offset: int64(off), Line: line, Column: col, Path: path.String(), Err: fmt.Errorf("%w: %s", sentinel, msg)}
}
