package jsontree

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendString(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		verbatim string // AppendString
		utf8     string // AppendStringUTF8
	}{
		{"plain", "Lisinopril 10 mg", `"Lisinopril 10 mg"`, `"Lisinopril 10 mg"`},
		{"empty", "", `""`, `""`},
		{"quote and backslash", `say "1\2"`, `"say \"1\\2\""`, `"say \"1\\2\""`},
		{"newline, return, tab", "a\nb\rc\td", `"a\nb\rc\td"`, `"a\nb\rc\td"`},
		{"other controls", "\x00\x01\x08\x0c\x1f", `"\u0000\u0001\u0008\u000c\u001f"`, `"\u0000\u0001\u0008\u000c\u001f"`},
		{"DEL is not a control JSON escapes", "a\x7fb", "\"a\x7fb\"", "\"a\x7fb\""},
		{"no HTML escaping", "<b>&amp;</b>", `"<b>&amp;</b>"`, `"<b>&amp;</b>"`},
		{"multi-byte text", "café 中文 😀", `"café 中文 😀"`, `"café 中文 😀"`},
		{"line and paragraph separators", "a\u2028b\u2029c", "\"a\u2028b\u2029c\"", `"a\u2028b\u2029c"`},
		{"a byte that is not UTF-8", "T\xe9st", "\"T\xe9st\"", "\"T\ufffdst\""},
		{"a cut sequence at the end", "caf\xc3", "\"caf\xc3\"", "\"caf\ufffd\""},
		{"each bad byte replaced", "\xff\xfe", "\"\xff\xfe\"", "\"\ufffd\ufffd\""},
		{"U+2028 cut short", "\xe2\x80", "\"\xe2\x80\"", "\"\ufffd\ufffd\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(AppendString([]byte("x"), tc.in)); got != "x"+tc.verbatim {
				t.Errorf("AppendString(%q) = %q, want %q", tc.in, got, "x"+tc.verbatim)
			}
			if got := string(AppendStringUTF8([]byte("x"), tc.in)); got != "x"+tc.utf8 {
				t.Errorf("AppendStringUTF8(%q) = %q, want %q", tc.in, got, "x"+tc.utf8)
			}
		})
	}
}

func TestAppend(t *testing.T) {
	var nilObj *Object
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"null", nil, `null`},
		{"bools", []any{true, false}, `[true,false]`},
		{"number kept as written", json.Number("7.20"), `7.20`},
		{"int", []any{0, -3, 24}, `[0,-3,24]`},
		{"strings", []string{"a", "b\""}, `["a","b\""]`},
		{"empty lists", []any{[]any{}, []string{}}, `[[],[]]`},
		{"nil object", nilObj, `null`},
		{"empty object", &Object{}, `{}`},
		{"members in the order set", New("resourceType", "Observation", "id", "bp", "valueQuantity", New("value", json.Number("120"), "unit", "mm[Hg]")),
			`{"resourceType":"Observation","id":"bp","valueQuantity":{"value":120,"unit":"mm[Hg]"}}`},
		{"null member kept", New("a", nil, "b", ""), `{"a":null,"b":""}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(Append(nil, tc.in)); got != tc.want {
				t.Errorf("Append = %s, want %s", got, tc.want)
			}
			if got := string(AppendUTF8(nil, tc.in)); got != tc.want {
				t.Errorf("AppendUTF8 = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestAppend_Strings(t *testing.T) {
	tree := New("text\u2028", []any{"\xff", []string{"\u2029"}})
	if got, want := string(Append(nil, tree)), "{\"text\u2028\":[\"\xff\",[\"\u2029\"]]}"; got != want {
		t.Errorf("Append = %q, want %q", got, want)
	}
	if got, want := string(AppendUTF8(nil, tree)), `{"text\u2028":["`+"\ufffd"+`",["\u2029"]]}`; got != want {
		t.Errorf("AppendUTF8 = %q, want %q", got, want)
	}
}

func TestAppend_UnknownTypePanics(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "float64") {
			t.Errorf("recovered %v, want a panic naming float64", r)
		}
	}()
	Append(nil, New("value", 1.5))
}

// FuzzAppendString checks that both string writers give JSON that decodes
// to the text (each byte that is not UTF-8 read as U+FFFD), and that
// AppendStringUTF8 always writes valid UTF-8 without raw U+2028/U+2029.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\"b\\c\n\x00\x1f\x7f", "<>&", "\u2028\u2029", "\xff\xc3", "é中😀", "\xe2\x80\xa8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := string([]rune(s))
		for _, w := range []struct {
			name   string
			append func([]byte, string) []byte
		}{{"AppendString", AppendString}, {"AppendStringUTF8", AppendStringUTF8}} {
			out := w.append(nil, s)
			var got string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%s(%q) = %q is not a JSON string: %v", w.name, s, out, err)
			}
			if got != want {
				t.Fatalf("%s(%q) decodes to %q, want %q", w.name, s, got, want)
			}
		}
		out := AppendStringUTF8(nil, s)
		if !utf8.Valid(out) || strings.ContainsAny(string(out), "\u2028\u2029") {
			t.Fatalf("AppendStringUTF8(%q) = %q", s, out)
		}
	})
}
