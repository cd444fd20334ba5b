package vault

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kinfolio/kinfolio/record"
)

// appendEntryJSON appends an entry as the line a backup's entries file
// holds: what encoding/json's Encoder (with SetEscapeHTML(false)) writes
// for it, byte for byte, a newline included, several times faster and
// without allocating. A test fills every field of record.Entry by
// reflection and compares, so a field added to it cannot be left out
// unnoticed. ok is false for what encoding/json refuses (a range bound
// that is not a finite number), which the caller then hands to it for its
// error.
func appendEntryJSON(dst []byte, e *record.Entry) (out []byte, ok bool) {
	if r := e.Range; r != nil && (r.Low != nil && !finite(*r.Low) || r.High != nil && !finite(*r.High)) {
		return dst, false
	}
	dst = append(dst, `{"id":`...)
	dst = appendJSONText(dst, e.ID)
	dst = append(dst, `,"profile":`...)
	dst = appendJSONText(dst, e.Profile)
	dst = append(dst, `,"kind":`...)
	dst = appendJSONText(dst, string(e.Kind))
	dst = append(dst, `,"title":`...)
	dst = appendJSONText(dst, e.Title)
	dst = append(dst, `,"date":`...)
	dst = appendJSONDate(dst, e.Date)
	if !e.End.IsZero() {
		dst = append(dst, `,"end":`...)
		dst = appendJSONDate(dst, e.End)
	}
	dst = append(dst, `,"status":`...)
	dst = appendJSONText(dst, e.Status)
	dst = append(dst, `,"value":`...)
	dst = appendJSONText(dst, e.Value)
	dst = append(dst, `,"unit":`...)
	dst = appendJSONText(dst, e.Unit)
	if r := e.Range; r != nil {
		dst = append(dst, `,"range":{`...)
		comma := false
		field := func(name string) {
			if comma {
				dst = append(dst, ',')
			}
			comma = true
			dst = append(dst, name...)
		}
		if r.Low != nil {
			field(`"low":`)
			dst = appendJSONFloat(dst, *r.Low)
		}
		if r.High != nil {
			field(`"high":`)
			dst = appendJSONFloat(dst, *r.High)
		}
		if r.Text != "" {
			field(`"text":`)
			dst = appendJSONText(dst, r.Text)
		}
		dst = append(dst, '}')
	}
	dst = appendOptional(dst, `,"interpretation":`, e.Interpretation)
	dst = append(dst, `,"codes":`...)
	dst = appendCodings(dst, e.Codes)
	dst = appendOptional(dst, `,"category":`, e.Category)
	dst = appendOptional(dst, `,"dosage":`, e.Dosage)
	dst = appendOptional(dst, `,"reason":`, e.Reason)
	if len(e.Reactions) > 0 {
		dst = append(dst, `,"reactions":`...)
		dst = appendJSONTexts(dst, e.Reactions)
	}
	dst = appendOptional(dst, `,"severity":`, e.Severity)
	dst = appendOptional(dst, `,"place":`, e.Place)
	dst = appendOptional(dst, `,"performer":`, e.Performer)
	dst = appendOptional(dst, `,"note":`, e.Note)
	if len(e.Components) > 0 {
		dst = append(dst, `,"components":[`...)
		for i, c := range e.Components {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"title":`...)
			dst = appendJSONText(dst, c.Title)
			if len(c.Codes) > 0 {
				dst = append(dst, `,"codes":`...)
				dst = appendCodings(dst, c.Codes)
			}
			dst = append(dst, `,"value":`...)
			dst = appendJSONText(dst, c.Value)
			dst = appendOptional(dst, `,"unit":`, c.Unit)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"sources":`...)
	dst = appendJSONTexts(dst, e.Sources)
	if len(e.Resources) > 0 {
		dst = append(dst, `,"resources":[`...)
		for i, r := range e.Resources {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"source":`...)
			dst = appendJSONText(dst, r.Source)
			dst = append(dst, `,"type":`...)
			dst = appendJSONText(dst, r.Type)
			dst = append(dst, `,"id":`...)
			dst = appendJSONText(dst, r.ID)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if e.Conflict {
		dst = append(dst, `,"conflict":true}`...)
	} else {
		dst = append(dst, `,"conflict":false}`...)
	}
	return append(dst, '\n'), true
}

// appendJSONDate appends d as its MarshalJSON writes it (the text of
// [record.Date.String]), without the string.
func appendJSONDate(dst []byte, d record.Date) []byte {
	layout := ""
	switch d.Precision {
	case record.PrecisionYear:
		layout = "2006"
	case record.PrecisionMonth:
		layout = "2006-01"
	case record.PrecisionDay:
		layout = time.DateOnly
	case record.PrecisionTime:
		layout = "2006-01-02T15:04:05"
		if d.Zoned {
			layout = time.RFC3339
		}
	default:
		return appendJSONText(dst, d.String())
	}
	dst = append(dst, '"')
	return append(d.T.AppendFormat(dst, layout), '"')
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// appendOptional appends an omitempty string member.
func appendOptional(dst []byte, name, s string) []byte {
	if s == "" {
		return dst
	}
	return appendJSONText(append(dst, name...), s)
}

// appendCodings appends codings as encoding/json does: null for nil.
func appendCodings(dst []byte, cs []record.Coding) []byte {
	if cs == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, c := range cs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		comma := false
		for _, m := range [3]struct{ name, v string }{{`"system":`, c.System}, {`"code":`, c.Code}, {`"display":`, c.Display}} {
			if m.v == "" {
				continue
			}
			if comma {
				dst = append(dst, ',')
			}
			comma = true
			dst = appendJSONText(append(dst, m.name...), m.v)
		}
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendJSONTexts appends strings as encoding/json does: null for nil.
func appendJSONTexts(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONText(dst, s)
	}
	return append(dst, ']')
}

// appendJSONFloat appends a finite float64 as encoding/json does:
// the shortest form that reads back the same, in exponent form below
// 1e-6 and from 1e21, with a two-digit negative exponent shortened.
func appendJSONFloat(dst []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if n := len(dst); format == 'e' && n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		dst[n-2] = dst[n-1]
		dst = dst[:n-1]
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// appendJSONText appends s as a JSON string as encoding/json does without
// HTML escaping: quotes, backslashes and control characters escaped (the
// short forms where JSON has them), invalid UTF-8 as U+FFFD, and U+2028
// and U+2029 escaped.
func appendJSONText(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
