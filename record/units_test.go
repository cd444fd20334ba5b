package record_test

import (
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

func TestUnitText(t *testing.T) {
	for _, tc := range []struct{ unit, want string }{
		{"mm[Hg]", "mmHg"},
		{"Cel", "°C"},
		{"[degF]", "°F"},
		{"[lb_av]", "lb"},
		{"kg/m2", "kg/m²"},
		{"10*3/uL", "×10³/µL"},
		{"{beats}/min", "/min"},
		{"{score}", ""},
		{"1", ""},
		{"mg/dL", "mg/dL"},
		{"[IU]/L", "IU/L"},
		{"%", "%"},
		{"", ""},
	} {
		if got := record.UnitText(tc.unit); got != tc.want {
			t.Errorf("UnitText(%q) = %q, want %q", tc.unit, got, tc.want)
		}
	}
}

func TestUnitKey(t *testing.T) {
	same := [][]string{
		{"mm[Hg]", "mmHg", "mm Hg", " mmHg "},
		{"Cel", "°C", "degC"},
		{"/min", "{beats}/min", "beats/min", "bpm"},
		{"[lb_av]", "lb", "lbs"},
		{"kg", "KG"},
	}
	for _, group := range same {
		for _, u := range group[1:] {
			if record.UnitKey(u) != record.UnitKey(group[0]) {
				t.Errorf("UnitKey(%q) = %q, UnitKey(%q) = %q: one unit", u, record.UnitKey(u), group[0], record.UnitKey(group[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"mg/dL", "mmol/L"}, {"kg", "lb"}, {"°C", "°F"}, {"%", ""}} {
		if record.UnitKey(pair[0]) == record.UnitKey(pair[1]) {
			t.Errorf("UnitKey joins %q and %q", pair[0], pair[1])
		}
	}
}
