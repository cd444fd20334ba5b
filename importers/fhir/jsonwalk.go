package fhir

import (
	"bytes"
	"encoding/json"
)

// The functions here walk JSON that [importers.CheckJSON] has already
// accepted: they trust the syntax and only find spans, so they are fast and
// never fail.

func skipWS(d []byte, i int) int {
	for i < len(d) {
		switch d[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the offset after the string whose quote is at i.
func skipString(d []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(d[j:], '"')
		if k < 0 {
			return len(d)
		}
		j += k
		// An escaped quote has an odd number of backslashes before it.
		bs := 0
		for p := j - 1; p > i && d[p] == '\\'; p-- {
			bs++
		}
		if bs%2 == 0 {
			return j + 1
		}
		j++
	}
}

// skipValue returns the offset after the value at i.
func skipValue(d []byte, i int) int {
	switch d[i] {
	case '"':
		return skipString(d, i)
	case '{', '[':
		depth := 0
		for i < len(d) {
			switch d[i] {
			case '"':
				i = skipString(d, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(d) {
		switch d[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// fields calls fn for each member of the object at i with the key's raw
// bytes (escapes kept) and the value's span; it returns the offset after
// the object. fn returns false to stop early.
func fields(d []byte, i int, fn func(key []byte, vs, ve int) bool) int {
	i = skipWS(d, i+1)
	for i < len(d) && d[i] != '}' {
		ke := skipString(d, i)
		key := d[i+1 : ke-1]
		vs := skipWS(d, skipWS(d, ke)+1)
		ve := skipValue(d, vs)
		if !fn(key, vs, ve) {
			return ve
		}
		i = skipWS(d, ve)
		if i < len(d) && d[i] == ',' {
			i = skipWS(d, i+1)
		}
	}
	return i + 1
}

// members calls fn for each member of the object at i with the key's raw
// bytes and the offset of its value; fn returns the offset after the
// value, or -1 to have it skipped. It returns the offset after the object.
func members(d []byte, i int, fn func(key []byte, vs int) int) int {
	i = skipWS(d, i+1)
	for i < len(d) && d[i] != '}' {
		ke := skipString(d, i)
		key := d[i+1 : ke-1]
		vs := skipWS(d, skipWS(d, ke)+1)
		ve := fn(key, vs)
		if ve < 0 {
			ve = skipValue(d, vs)
		}
		i = skipWS(d, ve)
		if i < len(d) && d[i] == ',' {
			i = skipWS(d, i+1)
		}
	}
	return i + 1
}

// elements calls fn with the offset of each element of the array at i; fn
// returns the offset after the element. It returns the offset after the array.
func elements(d []byte, i int, fn func(k, vs int) int) int {
	i = skipWS(d, i+1)
	k := 0
	for i < len(d) && d[i] != ']' {
		ve := fn(k, i)
		k++
		i = skipWS(d, ve)
		if i < len(d) && d[i] == ',' {
			i = skipWS(d, i+1)
		}
	}
	return i + 1
}

// str decodes the JSON string at d[vs:ve]; "" when it is not a string.
func str(d []byte) string {
	if len(d) < 2 || d[0] != '"' {
		return ""
	}
	inner := d[1 : len(d)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner)
	}
	var s string
	if json.Unmarshal(d, &s) != nil {
		return ""
	}
	return s
}
