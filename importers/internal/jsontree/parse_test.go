package jsontree

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"members keep their order", `{"resourceType":"Patient","id":"p","active":true}`, `{"resourceType":"Patient","id":"p","active":true}`},
		{"numbers as written", `{"value":7.20,"big":12345678901234567890,"exp":1E+3,"neg":-0.0}`, `{"value":7.20,"big":12345678901234567890,"exp":1E+3,"neg":-0.0}`},
		{"white space dropped", "{ \"a\" : [ 1 , null , false ] ,\n\t\"b\" : { } }", `{"a":[1,null,false],"b":{}}`},
		{"escapes decoded and written again", `{"t":"\u00e9\/\"\u003c"}`, `{"t":"é/\"<"}`},
		{"duplicate keys kept", `{"a":1,"a":2}`, `{"a":1,"a":2}`},
		{"a bare value", `"x"`, `"x"`},
		{"only the first value", `{"a":1} {"b":2}`, `{"a":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(Append(nil, v)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestParse_Types(t *testing.T) {
	v, err := Parse([]byte(`{"o":{},"a":[],"n":1.0,"s":"x","b":false,"z":null}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	if _, ok := o.Get("o").(*Object); !ok {
		t.Errorf("object read as %T", o.Get("o"))
	}
	if a, ok := o.Get("a").([]any); !ok || a == nil {
		t.Errorf("empty array read as %#v, want a non-nil []any", o.Get("a"))
	}
	if n, ok := o.Get("n").(json.Number); !ok || n != "1.0" {
		t.Errorf("number read as %#v", o.Get("n"))
	}
	if o.Get("s") != "x" || o.Get("b") != false || !o.Has("z") || o.Get("z") != nil {
		t.Errorf("scalars read as %#v", o)
	}
}

func TestParse_Errors(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a":}`, `[1,]`, `}`, `{"a":1,}`} {
		v, err := Parse([]byte(in))
		if err == nil || v != nil {
			t.Errorf("Parse(%q) = %v, %v; want an error and no tree", in, v, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "reading JSON: ") {
			t.Errorf("Parse(%q) error %q does not say it was reading JSON", in, err)
		}
	}
}

// FuzzParse checks that a tree read from valid JSON is written as valid
// JSON that reads back to the same tree.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"resourceType":"Observation","valueQuantity":{"value":1.50}}`, `[1,"a",null,true,{"a":{"a":[]}}]`, `{"a":1,"a":2}`, `"\u2028\ud83d\ude00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		v, err := Parse(data)
		if err != nil {
			t.Fatalf("Parse(%q): %v", data, err)
		}
		out := Append(nil, v)
		if !json.Valid(out) {
			t.Fatalf("Append wrote invalid JSON %q from %q", out, data)
		}
		v2, err := Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		if out2 := Append(nil, v2); !bytes.Equal(out, out2) {
			t.Fatalf("not stable: %q then %q", out, out2)
		}
	})
}
