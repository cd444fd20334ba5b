package ccda

import (
	"strconv"
	"unicode/utf8"
)

// obj is a JSON object whose keys keep the order they were set in, so a
// resource always serializes to the same bytes with resourceType first.
// Setting an empty value (an empty string, a nil or empty object, an empty
// list) is a no-op, which keeps the mapping code free of emptiness checks.
type obj struct {
	keys []string
	vals []any
}

// num is a JSON number kept as written ("7.20" stays "7.20").
type num string

func newObj(kv ...any) *obj {
	o := &obj{}
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

// set adds or replaces key's value; empty values are skipped.
func (o *obj) set(key string, v any) *obj {
	if isEmpty(v) {
		return o
	}
	for i, k := range o.keys {
		if k == key {
			o.vals[i] = v
			return o
		}
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	return o
}

// get returns key's value, or nil.
func (o *obj) get(key string) any {
	if o == nil {
		return nil
	}
	for i, k := range o.keys {
		if k == key {
			return o.vals[i]
		}
	}
	return nil
}

// add appends v to the list under key.
func (o *obj) add(key string, v any) *obj {
	if isEmpty(v) {
		return o
	}
	if cur, ok := o.get(key).([]any); ok {
		return o.set(key, append(cur, v))
	}
	return o.set(key, []any{v})
}

func (o *obj) empty() bool { return o == nil || len(o.keys) == 0 }

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case num:
		return x == ""
	case *obj:
		return x.empty()
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	}
	return false
}

// marshal serializes the object.
func (o *obj) marshal() []byte {
	b := make([]byte, 0, 512)
	return appendValue(b, o)
}

func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case *obj:
		b = append(b, '{')
		for i, k := range x.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, x.vals[i])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	case []string:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e)
		}
		return append(b, ']')
	case string:
		return appendString(b, x)
	case num:
		return append(b, x...)
	case bool:
		return strconv.AppendBool(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	}
	panic("ccda: unsupported JSON value")
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
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
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
