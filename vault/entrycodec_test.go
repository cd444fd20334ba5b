package vault

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

// fill sets every field reachable from v to a distinct non-zero value, so a
// field the codec forgets shows up in the round trip.
func fill(t *testing.T, v reflect.Value, path string, n *int) {
	*n++
	if v.Type() == reflect.TypeFor[record.Date]() {
		dates := []string{"2024-03-05T10:20:30+02:00", "2023-11", "2019-01-02", "2001", "2020-02-03T04:05:06Z"}
		v.Set(reflect.ValueOf(record.MustDate(dates[*n%len(dates)])))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("%s-%d", path, *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), path, n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), fmt.Sprintf("%s[%d]", path, i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				t.Fatalf("%s: unexported field %s", path, v.Type().Field(i).Name)
			}
			fill(t, v.Field(i), path+"."+v.Type().Field(i).Name, n)
		}
	default:
		t.Fatalf("%s: the entry codec test does not know how to fill a %s; teach it, and the codec", path, v.Kind())
	}
}

func TestEntryCodec_RoundTripsEveryField(t *testing.T) {
	var full record.Entry
	n := 0
	fill(t, reflect.ValueOf(&full).Elem(), "Entry", &n)
	ids := record.Entry{ID: fmtID(newID()), Profile: fmtID(newID()), Sources: []string{fmtID(newID()), "not-an-id", fmtID(newID())},
		Resources: []record.ResourceRef{{Source: fmtID(newID()), Type: "Observation", ID: "x"}, {Source: "ABCDEF0123456789ABCDEF0123456789", Type: "T", ID: "y"}}}
	for name, e := range map[string]record.Entry{"every field set": full, "zero": {}, "vault ids": ids, "some": {ID: "x", Kind: record.KindLab,
		Range: &record.RefRange{Text: "<5"}, Codes: []record.Coding{{Code: "1"}}, Date: record.MustDate("2020-01-01T10:00:00")}} {
		t.Run(name, func(t *testing.T) {
			got, err := decodeEntryBytes(encodeEntry(&e))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, e) {
				t.Errorf("round trip changed the entry:\n got %+v\nwant %+v", *got, e)
			}
		})
	}
}

func TestEntryCodec_RefusesDamage(t *testing.T) {
	var full record.Entry
	n := 0
	fill(t, reflect.ValueOf(&full).Elem(), "Entry", &n)
	b := encodeEntry(&full)
	for cut := range len(b) {
		if _, err := decodeEntryBytes(b[:cut]); err == nil {
			t.Errorf("a record cut at %d of %d bytes decodes", cut, len(b))
		}
	}
	if _, err := decodeEntryBytes(append(b, 0)); err == nil {
		t.Error("trailing bytes are accepted")
	}
}

func FuzzEntryCodec(f *testing.F) {
	f.Add(encodeEntry(&record.Entry{ID: "a", Codes: []record.Coding{{Code: "x"}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEntryBytes(b)
		if err != nil {
			return
		}
		again, err := decodeEntryBytes(encodeEntry(e))
		if err != nil || !reflect.DeepEqual(again, e) {
			t.Errorf("decoded entry does not round trip: %v", err)
		}
	})
}

func TestStoredResource_RoundTrip(t *testing.T) {
	for _, r := range []storedResource{
		{Profile: fmtID(newID()), Source: fmtID(newID()), Type: "Observation", ID: "obs-1", JSON: []byte(`{"resourceType":"Observation"}`)},
		{Profile: "not an id", Source: fmtID(newID()), Type: "Patient", ID: "", JSON: []byte(`{}`)},
		{Profile: "ABCDEF0123456789ABCDEF0123456789", Source: "x", Type: "T", ID: "i", JSON: nil},
	} {
		got, err := decodeResource(r.encode())
		if err != nil || got.Profile != r.Profile || got.Source != r.Source || got.Type != r.Type || got.ID != r.ID || string(got.JSON) != string(r.JSON) {
			t.Errorf("round trip of %+v: %+v %v", r, got, err)
		}
		enc := r.encode()
		for cut := range len(enc) - len(r.JSON) {
			if _, err := decodeResource(enc[:cut]); err == nil {
				t.Errorf("a record cut at %d decodes", cut)
			}
			if _, _, err := matchResource(enc[:cut], r.Source, r.Type, r.ID, ""); !errors.Is(err, ErrDamaged) {
				t.Errorf("a record cut at %d matches: %v", cut, err)
			}
		}
		// matchResource reads what decodeResource reads, without copies.
		js, ofProfile, err := matchResource(enc, r.Source, r.Type, r.ID, r.Profile)
		if err != nil || !ofProfile || string(js) != string(r.JSON) {
			t.Errorf("%+v does not match itself: %q %v %v", r, js, ofProfile, err)
		}
		if _, ofProfile, err := matchResource(enc, r.Source, r.Type, r.ID, ""); err != nil || !ofProfile {
			t.Errorf("%+v: not anyone's: %v %v", r, ofProfile, err)
		}
		if _, ofProfile, err := matchResource(enc, r.Source, r.Type, r.ID, fmtID(newID())); err != nil || ofProfile {
			t.Errorf("%+v: another person's: %v %v", r, ofProfile, err)
		}
		for _, other := range [][3]string{{fmtID(newID()), r.Type, r.ID}, {r.Source + "0", r.Type, r.ID}, {r.Source, r.Type + "x", r.ID}, {r.Source, r.Type, r.ID + "x"}} {
			if _, _, err := matchResource(enc, other[0], other[1], other[2], ""); !errors.Is(err, errWrongResource) {
				t.Errorf("%+v matches %v: %v", r, other, err)
			}
		}
	}
}
