package fhir

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

func TestAppendEdited(t *testing.T) {
	refs := map[string]string{"Patient/p1": "urn:uuid:P", "Practitioner/dr": "urn:uuid:D"}
	for _, tc := range []struct {
		name, in, want string
		e              edit
	}{
		{"id replaced, references mapped, whitespace dropped",
			`{ "resourceType" : "Condition", "id": "1",
			  "subject": {"reference": "Patient/p1"}, "asserter": {"reference":"Practitioner/dr", "display": "Dr. Q"},
			  "note": [{"text": "a \"quoted\" \\ note\n"}], "onsetAge": {"value": 4.50, "unit": "a"}}`,
			`{"resourceType":"Condition","id":"c-1","subject":{"reference":"urn:uuid:P"},"asserter":{"reference":"urn:uuid:D","display":"Dr. Q"},"note":[{"text":"a \"quoted\" \\ note\n"}],"onsetAge":{"value":4.50,"unit":"a"}}`,
			edit{id: "c-1", refs: refs}},
		{"id added after resourceType",
			`{"resourceType":"Observation","status":"final"}`,
			`{"resourceType":"Observation","id":"o","status":"final"}`, edit{id: "o"}},
		{"id added first when resourceType is not",
			`{"status":"final","resourceType":"Observation"}`,
			`{"id":"o","status":"final","resourceType":"Observation"}`, edit{id: "o"}},
		{"id later in the object",
			`{"resourceType":"Observation","status":"final","id":"x"}`,
			`{"resourceType":"Observation","id":"o","status":"final"}`, edit{id: "o"}},
		{"unknown and contained references kept, escaped reference mapped",
			`{"resourceType":"X","a":{"reference":"Organization/elsewhere"},"b":{"reference":"#m1"},"c":{"reference":"Patient\/p1"},"d":["Patient/p1"]}`,
			`{"resourceType":"X","id":"x","a":{"reference":"Organization/elsewhere"},"b":{"reference":"#m1"},"c":{"reference":"urn:uuid:P"},"d":["Patient/p1"]}`,
			edit{id: "x", refs: refs}},
		{"nested id and references in arrays and extensions",
			`{"resourceType":"X","contained":[{"resourceType":"Medication","id":"m1"}],"extension":[{"url":"u","valueReference":{"reference":"Patient/p1"}}]}`,
			`{"resourceType":"X","id":"x","contained":[{"resourceType":"Medication","id":"m1"}],"extension":[{"url":"u","valueReference":{"reference":"urn:uuid:P"}}]}`,
			edit{id: "x", refs: refs}},
		{"contained copy loses versionId and lastUpdated",
			`{"resourceType":"Patient","id":"p1","meta":{"versionId":"3","lastUpdated":"2020-01-01T00:00:00Z","source":"#abc"},"gender":"female"}`,
			`{"resourceType":"Patient","id":"sp1","meta":{"source":"#abc"},"gender":"female"}`,
			edit{id: "sp1", contained: true}},
		{"contained copy loses a meta left empty",
			`{"resourceType":"Patient","id":"p1","meta":{"versionId":"3"},"gender":"female"}`,
			`{"resourceType":"Patient","id":"sp1","gender":"female"}`,
			edit{id: "sp1", contained: true}},
		{"unicode kept as written",
			`{"resourceType":"Patient","name":[{"text":"Zoë \u00d1úñez"}]}`,
			`{"resourceType":"Patient","id":"p","name":[{"text":"Zoë \u00d1úñez"}]}`, edit{id: "p"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := appendEdited(nil, []byte(tc.in), &tc.e)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", out, tc.want)
			}
		})
	}
}

func TestAppendEdited_Malformed(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"a":1`, `{"a":}`, `{"a" 1}`, `{"a":1,}`, `{"a":tru}`, `{"a":"x}`, `{"a":1}x`, "{\"a\":\"\x01\"}", `{"a":[1 2]}`} {
		if _, err := appendEdited(nil, []byte(in), &edit{id: "x"}); !errors.Is(err, errBadJSON) {
			t.Errorf("%q: %v, want errBadJSON", in, err)
		}
	}
}

func TestReferences(t *testing.T) {
	var got []string
	err := references([]byte(`{"resourceType":"X","a":{"reference":"A/1"},"b":[{"reference":"B/2"},{"x":{"reference":"#c"}}]}`), func(r string) { got = append(got, r) })
	if err != nil || !slices.Equal(got, []string{"A/1", "B/2", "#c"}) {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestTopLevelID(t *testing.T) {
	for in, want := range map[string]string{
		`{"resourceType":"X","id":"a1"}`:                               "a1",
		`{"resourceType":"X","contained":[{"id":"in"}],"id":"b"}`:      "b",
		`{"resourceType":"X","text":{"div":"\"id\":\"no\""},"id":"c"}`: "c",
		`{"resourceType":"X"}`:                                         "",
	} {
		if got := topLevelID([]byte(in)); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestIDs(t *testing.T) {
	for _, s := range []string{"abc", "A-1.2", "0123456789012345678901234567890123456789012345678901234567890123"} {
		if !validID(s) {
			t.Errorf("%q is a valid FHIR id", s)
		}
	}
	for _, s := range []string{"", "a~2", "a b", "a_b", "01234567890123456789012345678901234567890123456789012345678901234"} {
		if validID(s) {
			t.Errorf("%q is not a valid FHIR id", s)
		}
		if d := derivedID(s, "src", "T", s); !validID(d) {
			t.Errorf("derivedID(%q) = %q is not valid", s, d)
		}
	}
	if a, b := urnUUID("x", "y"), urnUUID("x", "y"); a != b || a == urnUUID("xy") || len(a) != 45 {
		t.Errorf("urnUUID: %s %s", a, b)
	}
}

// FuzzAppendEdited: whatever the input, no panic; when it is accepted,
// the output is valid JSON, and edited input is accepted exactly when it
// is one valid JSON object.
func FuzzAppendEdited(f *testing.F) {
	for _, s := range []string{`{"resourceType":"Condition","id":"1","subject":{"reference":"Patient/p1"}}`,
		`{"a":[1,2,{"reference":"x"}],"meta":{"versionId":"1"}}`, `{}`, `{"id":"\u00e9"}`, `[1]`, `{"a":1e5}`} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, in []byte, contained bool) {
		out, err := appendEdited(nil, in, &edit{id: "x", refs: map[string]string{"Patient/p1": "urn:uuid:P"}, contained: contained})
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("accepted %q but wrote invalid JSON %q", in, out)
		}
		if !json.Valid(in) {
			t.Fatalf("accepted invalid JSON %q", in)
		}
	})
}
