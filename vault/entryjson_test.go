package vault

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

// encodingJSON is what encoding/json writes for v in a backup's entries
// file.
func encodingJSON(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAppendEntryJSON: entries are written exactly as encoding/json writes
// them: every field set (filled by reflection, so a field added to
// record.Entry fails here until appendEntryJSON writes it), none, empty
// lists against absent ones, odd numbers and every kind of character a
// string can hold.
func TestAppendEntryJSON(t *testing.T) {
	var full record.Entry
	n := 0
	fill(t, reflect.ValueOf(&full).Elem(), "Entry", &n)
	zero, tiny, big, neg := 0.0, 1e-7, 1e21, -123.456e-9
	var odd []byte
	for c := range 0x80 {
		odd = append(odd, byte(c))
	}
	odd = append(odd, "<&> é 😀 \u2028\u2029 \xff\xfe bad \xe2\x82 end"...)
	entries := map[string]record.Entry{
		"every field set": full,
		"zero":            {},
		"empty lists":     {Codes: []record.Coding{}, Sources: []string{}, Reactions: []string{}, Components: []record.Component{}, Resources: []record.ResourceRef{}},
		"odd ranges":      {Range: &record.RefRange{Low: &zero, High: &tiny}},
		"big ranges":      {Range: &record.RefRange{Low: &neg, High: &big, Text: "x"}},
		"empty range":     {Range: &record.RefRange{}, Codes: []record.Coding{{}, {Display: "only"}}, Components: []record.Component{{}}},
		"odd text":        {Title: string(odd), Note: string(odd), Codes: []record.Coding{{System: string(odd)}}, Sources: []string{string(odd)}},
		"conflict":        {Conflict: true, Date: record.MustDate("2020-01-01T10:00:00"), End: record.MustDate("2021")},
	}
	for _, f := range []float64{1, 0.1, 100, 1e20, 1e-6, 5e-324, math.MaxFloat64, -0.0, 123456789.123456789} {
		entries["float "+string(appendJSONFloat(nil, f))] = record.Entry{Range: &record.RefRange{Low: &f}}
	}
	for name, e := range entries {
		got, ok := appendEntryJSON([]byte("prefix"), &e)
		want := append([]byte("prefix"), encodingJSON(t, &e)...)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	nan := math.NaN()
	if _, ok := appendEntryJSON(nil, &record.Entry{Range: &record.RefRange{High: &nan}}); ok {
		t.Error("NaN written")
	}
}
