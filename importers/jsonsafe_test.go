package importers

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestCheckJSON(t *testing.T) {
	lim := DefaultLimits()
	tests := []struct {
		name string
		in   string
		want error // nil: valid
		path string
		line int
	}{
		{"object", `{"resourceType":"Patient","id":"a","name":[{"given":["Ann"]}]}`, nil, "", 0},
		{"scalars", `[1, -2.5e+3, 0, true, false, null, "x\u00e9\n"]`, nil, "", 0},
		{"pretty with CRLF", "{\r\n  \"a\": [1,\r\n 2]\r\n}\r\n", nil, "", 0},
		{"unicode keys differ", `{"é":1,"É":2}`, ErrDuplicateKey, "", 1},
		{"surrogate pair", `{"a":"\ud83d\ude00"}`, nil, "", 0},
		{"same keys in sibling objects", `[{"a":1},{"a":2}]`, nil, "", 0},
		{"duplicate key", `{"code":1,"code":2}`, ErrDuplicateKey, "", 1},
		{"case variant", `{"entry":[{"resource":{"code":1,"CODE":2}}]}`, ErrDuplicateKey, "entry[0].resource", 1},
		{"escaped variant", `{"code":1,"co\u0064e":2}`, ErrDuplicateKey, "", 1},
		{"kelvin sign", "{\"k\":1,\"\u212a\":2}", ErrDuplicateKey, "", 1},
		{"invalid UTF-8 in value", "{\"a\":\n[\"ok\", \"b\xff\"]}", ErrInvalidUTF8, "a[1]", 2},
		{"invalid UTF-8 in key", "{\"a\xc3\":1}", ErrInvalidUTF8, "", 1},
		{"lone surrogate", `{"a":"\ud800x"}`, ErrInvalidUTF8, "a", 1},
		{"trailing comma", `{"a":1,}`, ErrMalformed, "", 1},
		{"two values", `{} {}`, ErrMalformed, "", 1},
		{"empty", ``, ErrMalformed, "", 1},
		{"bad number", `[01]`, ErrMalformed, "[0]", 1},
		{"bad literal", `[tru]`, ErrMalformed, "[0]", 1},
		{"control char", "[\"a\tb\"]", ErrMalformed, "[0]", 1},
		{"unclosed", `{"a":[1,2`, ErrMalformed, "a[1]", 1},
		{"missing colon", `{"a" 1}`, ErrMalformed, "a", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckJSON([]byte(tt.in), lim)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckJSON = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckJSON = %v, want %v", err, tt.want)
			}
			var je *JSONError
			if !errors.As(err, &je) {
				t.Fatalf("error %T is not a *JSONError", err)
			}
			if je.Path != tt.path || je.Line != tt.line {
				t.Errorf("place = line %d path %q, want line %d path %q (%v)", je.Line, je.Path, tt.line, tt.path, err)
			}
		})
	}
}

func TestCheckJSON_depth(t *testing.T) {
	lim := DefaultLimits()
	nest := func(n int) []byte {
		return []byte(strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n))
	}
	if err := CheckJSON(nest(lim.MaxDepth-1), lim); err != nil {
		t.Fatalf("%d levels: %v", lim.MaxDepth-1, err)
	}
	if err := CheckJSON(nest(lim.MaxDepth), lim); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("%d levels: %v, want ErrTooDeep", lim.MaxDepth, err)
	}
	// A hostile depth is refused as soon as the limit is reached: the
	// error comes before the rest of the input is looked at.
	deep := bytes.Repeat([]byte("["), 10_000_000)
	err := CheckJSON(deep, lim)
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("10M levels: %v", err)
	}
	var je *JSONError
	if errors.As(err, &je) && je.Offset != int64(lim.MaxDepth-1) {
		t.Errorf("refused at byte %d, want %d", je.Offset, lim.MaxDepth-1)
	}
}

func TestCheckJSON_manyKeys(t *testing.T) {
	// Past keysBeforeMap keys the check switches to a map; duplicates are
	// still found, in any case.
	var b strings.Builder
	b.WriteString("{")
	for i := range 5000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k`)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(`_`)
		b.WriteString(strings.Repeat("y", i/26))
		b.WriteString(`":1`)
	}
	ok := b.String() + "}"
	if err := CheckJSON([]byte(ok), DefaultLimits()); err != nil {
		t.Fatalf("distinct keys: %v", err)
	}
	dup := b.String() + `,"KA_":2}`
	if err := CheckJSON([]byte(dup), DefaultLimits()); !errors.Is(err, ErrDuplicateKey) {
		t.Fatalf("duplicate among many: %v", err)
	}
}

func TestJSONError_Place(t *testing.T) {
	err := CheckJSON([]byte("{\n \"a\": [1, \"\xff\"]}"), DefaultLimits())
	var je *JSONError
	if !errors.As(err, &je) {
		t.Fatal(err)
	}
	if got, want := je.Place(), "line 2, column 12 (byte 13), at a[1]"; got != want {
		t.Errorf("Place = %q, want %q", got, want)
	}
}

// FuzzCheckJSON checks CheckJSON against encoding/json: whatever CheckJSON
// accepts, json.Valid accepts, and json.Unmarshal into any decodes.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `"\u00e9"`, `{"a":1,"A":2}`, "[\"\xff\"]", `-0.5e-3`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := CheckJSON(data, Limits{MaxDepth: 64})
		if err == nil && !json.Valid(data) {
			t.Fatalf("CheckJSON accepted what json.Valid refuses: %q", data)
		}
		if err == nil {
			var v any
			d := json.NewDecoder(bytes.NewReader(data))
			d.UseNumber() // huge numbers are valid JSON but overflow float64
			if uerr := d.Decode(&v); uerr != nil {
				t.Fatalf("accepted but Unmarshal fails: %v", uerr)
			}
		}
		if err != nil && json.Valid(data) && !errors.Is(err, ErrDuplicateKey) && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrInvalidUTF8) {
			t.Fatalf("valid JSON refused as %v: %q", err, data)
		}
	})
}

func BenchmarkCheckJSON(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"resourceType":"Bundle","entry":[`)
	for i := range 20000 {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(`{"fullUrl":"urn:uuid:4ce65733-1ebc-4ca0-8b92-eaaad5ba0d61","resource":{"resourceType":"Observation","id":"x","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8302-2","display":"Body Height"}],"text":"Body Height"},"subject":{"reference":"urn:uuid:4e8ed886"},"effectiveDateTime":"2011-06-11T05:28:45+00:00","valueQuantity":{"value":176.4,"unit":"cm","system":"http://unitsofmeasure.org","code":"cm"}}}`)
	}
	buf.WriteString(`]}`)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	var c JSONChecker
	for b.Loop() {
		if err := c.Check(data, DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
