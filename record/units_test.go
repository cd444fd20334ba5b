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
