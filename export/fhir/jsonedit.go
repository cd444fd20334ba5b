package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
)

// errBadJSON is the cause of a stored resource whose JSON cannot be read.
var errBadJSON = errors.New("not well-formed JSON")

// edit says how [appendEdited] changes one resource's JSON on its way into a
// Bundle. Everything not named here is copied as it is, only the
// whitespace between tokens dropped.
type edit struct {
	// id replaces the resource's own id (the top-level "id"); the member is
	// added after resourceType when the resource has none.
	id string
	// refs maps Reference.reference values as written to what they become
	// (a bundle entry's full URL); values not in it are kept.
	refs map[string]string
	// contained drops what a contained resource must not carry:
	// meta.versionId and meta.lastUpdated (FHIR dom-4).
	contained bool
	// collect, when set, is called with every reference value as written
	// (and does not change the output).
	collect func(ref string)
	// topID, when set, receives the resource's own id as written.
	topID *string
}

// appendEdited appends the resource JSON src, edited as e says, to dst.
// It returns an error wrapping errBadJSON when src is not one well-formed
// JSON object.
func appendEdited(dst, src []byte, e *edit) ([]byte, error) {
	s := scanner{src: src, out: dst, e: e}
	s.ws()
	if s.i >= len(s.src) || s.src[s.i] != '{' {
		return dst, fmt.Errorf("%w: a resource must be a JSON object", errBadJSON)
	}
	if err := s.object(1, ""); err != nil {
		return dst, err
	}
	s.ws()
	if s.i != len(s.src) {
		return dst, fmt.Errorf("%w: text after the resource at byte %d", errBadJSON, s.i)
	}
	return s.out, nil
}

// references calls fn with every Reference.reference value in the
// resource JSON src, as written.
func references(src []byte, fn func(string)) error {
	_, err := appendEdited(nil, src, &edit{collect: fn})
	return err
}

type scanner struct {
	src []byte
	i   int
	out []byte
	e   *edit
}

func (s *scanner) ws() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) bad(what string) error {
	return fmt.Errorf("%w: %s at byte %d", errBadJSON, what, s.i)
}

// object copies the object at s.i. depth is 1 for the resource itself;
// parent is the key the object is the value of.
func (s *scanner) object(depth int, parent string) error {
	s.i++ // '{'
	s.out = append(s.out, '{')
	members := 0
	idDone := false
	member := func() {
		if members > 0 {
			s.out = append(s.out, ',')
		}
		members++
	}
	putID := func() {
		member()
		s.out = append(s.out, `"id":`...)
		s.out = appendString(s.out, s.e.id)
		idDone = true
	}
	for first := true; ; first = false {
		s.ws()
		if s.i >= len(s.src) {
			return s.bad("unfinished object")
		}
		if s.src[s.i] == '}' {
			s.i++
			break
		}
		if !first {
			if s.src[s.i] != ',' {
				return s.bad("expected ',' in an object")
			}
			s.i++
			s.ws()
		}
		key, raw, err := s.key()
		if err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.src) || s.src[s.i] != ':' {
			return s.bad("expected ':' after a key")
		}
		s.i++
		s.ws()
		editing := s.e.collect == nil
		switch {
		case editing && depth == 1 && s.e.id != "" && key == "id":
			if err := s.skipValue(); err != nil {
				return err
			}
			if !idDone {
				putID()
			}
			continue
		case editing && depth == 2 && s.e.contained && parent == "meta" && (key == "versionId" || key == "lastUpdated"):
			if err := s.skipValue(); err != nil {
				return err
			}
			continue
		case editing && depth == 1 && s.e.id != "" && !idDone && key != "resourceType":
			putID()
		}
		mark := len(s.out)
		member()
		s.out = append(s.out, raw...)
		s.out = append(s.out, ':')
		if err := s.value(depth, key); err != nil {
			return err
		}
		if editing && depth == 1 && s.e.contained && key == "meta" && string(s.out[len(s.out)-2:]) == "{}" {
			// meta emptied of what a contained resource may not hold
			s.out = s.out[:mark]
			members--
		}
		if editing && depth == 1 && key == "resourceType" && s.e.id != "" && !idDone {
			putID()
		}
	}
	if s.e.collect == nil && depth == 1 && s.e.id != "" && !idDone {
		putID()
	}
	s.out = append(s.out, '}')
	return nil
}

// key reads an object key: its raw bytes, and its decoded text when it is
// one of the names the scanner acts on ([knownKey]), else otherKey, so
// the millions of keys a large record holds cost no allocation.
func (s *scanner) key() (string, []byte, error) {
	if s.i >= len(s.src) || s.src[s.i] != '"' {
		return "", nil, s.bad("expected a key")
	}
	start := s.i
	end, escaped, err := s.stringEnd()
	if err != nil {
		return "", nil, err
	}
	raw := s.src[start:end]
	s.i = end
	if !escaped {
		return knownKey(raw[1 : len(raw)-1]), raw, nil
	}
	var k string
	if err := json.Unmarshal(raw, &k); err != nil {
		return "", nil, s.bad("bad string")
	}
	return knownKey([]byte(k)), raw, nil
}

// otherKey stands for every key the scanner does not act on (it equals
// none of those it does).
const otherKey = "\x00"

// knownKey returns k as a string when it is a key the scanner compares
// against, else otherKey.
func knownKey(k []byte) string {
	switch string(k) {
	case "id":
		return "id"
	case "meta":
		return "meta"
	case "versionId":
		return "versionId"
	case "lastUpdated":
		return "lastUpdated"
	case "resourceType":
		return "resourceType"
	case "reference":
		return "reference"
	}
	return otherKey
}

// stringEnd finds the end of the string starting at s.i (just after its
// closing quote) and whether it holds escapes.
func (s *scanner) stringEnd() (int, bool, error) {
	escaped := false
	for j := s.i + 1; j < len(s.src); j++ {
		switch c := s.src[j]; {
		case c == '"':
			return j + 1, escaped, nil
		case c == '\\':
			escaped = true
			j++
			if j >= len(s.src) {
				return 0, false, s.bad("unfinished string")
			}
			switch s.src[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(s.src) || !isHex4(s.src[j+1:j+5]) {
					return 0, false, fmt.Errorf("%w: a bad \\u escape at byte %d", errBadJSON, j)
				}
				j += 4
			default:
				return 0, false, fmt.Errorf("%w: a bad escape at byte %d", errBadJSON, j)
			}
		case c < 0x20:
			return 0, false, fmt.Errorf("%w: a control character in a string at byte %d", errBadJSON, j)
		}
	}
	return 0, false, s.bad("unfinished string")
}

func (s *scanner) value(depth int, key string) error {
	if s.i >= len(s.src) {
		return s.bad("expected a value")
	}
	switch c := s.src[s.i]; {
	case c == '{':
		return s.object(depth+1, key)
	case c == '[':
		return s.array(depth, key)
	case c == '"':
		start := s.i
		end, escaped, err := s.stringEnd()
		if err != nil {
			return err
		}
		raw := s.src[start:end]
		s.i = end
		if s.e.topID != nil && depth == 1 && key == "id" {
			if json.Unmarshal(raw, s.e.topID) != nil {
				return s.bad("bad string")
			}
		}
		if key == "reference" && s.e.collect == nil && !escaped {
			// the common case, looked up without a copy of the text
			if to, ok := s.e.refs[string(raw[1:len(raw)-1])]; ok {
				s.out = appendString(s.out, to)
				return nil
			}
		} else if key == "reference" && (s.e.refs != nil || s.e.collect != nil) {
			ref := string(raw[1 : len(raw)-1])
			if escaped {
				if json.Unmarshal(raw, &ref) != nil {
					return s.bad("bad string")
				}
			}
			if s.e.collect != nil {
				s.e.collect(ref)
			} else if to, ok := s.e.refs[ref]; ok {
				s.out = appendString(s.out, to)
				return nil
			}
		}
		s.out = append(s.out, raw...)
		return nil
	default:
		start := s.i
		for s.i < len(s.src) {
			switch s.src[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				goto done
			}
			s.i++
		}
	done:
		lit := s.src[start:s.i]
		if len(lit) == 0 || !validLiteral(lit) {
			return s.bad("bad value")
		}
		s.out = append(s.out, lit...)
		return nil
	}
}

// array copies an array; its elements are values of key (FHIR repeats an
// element as an array under one name).
func (s *scanner) array(depth int, key string) error {
	s.i++
	s.out = append(s.out, '[')
	for first := true; ; first = false {
		s.ws()
		if s.i >= len(s.src) {
			return s.bad("unfinished array")
		}
		if s.src[s.i] == ']' {
			s.i++
			break
		}
		if !first {
			if s.src[s.i] != ',' {
				return s.bad("expected ',' in an array")
			}
			s.i++
			s.ws()
			s.out = append(s.out, ',')
		}
		if err := s.value(depth, key); err != nil {
			return err
		}
	}
	s.out = append(s.out, ']')
	return nil
}

// skipValue passes over one value without copying it.
func (s *scanner) skipValue() error {
	out := s.out
	err := s.value(99, "")
	s.out = out
	return err
}

func validLiteral(b []byte) bool {
	switch string(b) {
	case "true", "false", "null":
		return true
	}
	return json.Valid(b)
}

// appendString appends s as a JSON string. It escapes what JSON requires
// and nothing else, so XHTML narrative stays readable.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c < 0x20:
			dst = append(dst, fmt.Sprintf(`\u%04x`, c)...)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
