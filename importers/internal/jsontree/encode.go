package jsontree

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Append appends v, a tree (see the package doc for its types), to b as
// compact JSON and returns the extended buffer. Strings are written as by
// [AppendString]; a nil *Object is written as null.
//
// Append panics when the tree holds a value of any other Go type: trees
// are built by code, so that is a programming error, never bad input.
func Append(b []byte, v any) []byte { return appendValue(b, v, verbatim) }

// AppendUTF8 is [Append] with strings written as by [AppendStringUTF8], so
// the output is valid UTF-8 whatever the strings held.
func AppendUTF8(b []byte, v any) []byte { return appendValue(b, v, repaired) }

// AppendString appends s to b as a JSON string and returns the extended
// buffer. It escapes the quotation mark and the reverse solidus (\" and
// \\), writes newline, carriage return and tab as \n, \r and \t and the
// other control characters below U+0020 as \u00XX (lower-case hex), and
// copies every other byte as it is: no HTML escaping, and bytes that are
// not UTF-8 stay as they are.
func AppendString(b []byte, s string) []byte { return appendString(b, s, verbatim) }

// AppendStringUTF8 is [AppendString], except that each byte of s that is
// not part of a valid UTF-8 sequence is written as U+FFFD (the replacement
// character, as UTF-8, not escaped), and U+2028 and U+2029 are escaped as
// \u2028 and \u2029.
func AppendStringUTF8(b []byte, s string) []byte { return appendString(b, s, repaired) }

// A byteClass says how a byte is written inside a JSON string.
type byteClass uint8

const (
	asIs      byteClass = iota // copied
	escaped                    // an ASCII byte JSON requires escaped
	multiByte                  // starts (or breaks) a UTF-8 sequence to check
)

// verbatim and repaired classify every byte for AppendString and
// AppendStringUTF8: the same ASCII escapes, and only repaired looks at the
// bytes from 0x80 up.
var verbatim, repaired = byteClasses(false), byteClasses(true)

func byteClasses(checkUTF8 bool) *[256]byteClass {
	var t [256]byteClass
	for c := range 256 {
		switch {
		case c < 0x20 || c == '"' || c == '\\':
			t[c] = escaped
		case c >= utf8.RuneSelf && checkUTF8:
			t[c] = multiByte
		}
	}
	return &t
}

const hexDigits = "0123456789abcdef"

func appendValue(b []byte, v any, class *[256]byteClass) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, x, class)
	case *Object:
		if x == nil {
			return append(b, "null"...)
		}
		b = append(b, '{')
		for i, k := range x.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k, class)
			b = append(b, ':')
			b = appendValue(b, x.vals[i], class)
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e, class)
		}
		return append(b, ']')
	case json.Number:
		return append(b, x...)
	case bool:
		return strconv.AppendBool(b, x)
	case []string:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e, class)
		}
		return append(b, ']')
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	}
	panic(fmt.Sprintf("jsontree: cannot write a %T", v))
}

func appendString(b []byte, s string, class *[256]byteClass) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is still to be copied
	for i := 0; i < len(s); {
		c := s[i]
		switch class[c] {
		case asIs:
			i++
			continue
		case escaped:
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
		case multiByte:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, s[start:i]...)
				b = append(b, "\ufffd"...)
			case r == '\u2028' || r == '\u2029':
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			default:
				i += size
				continue
			}
			i += size
		}
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
