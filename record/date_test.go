package record_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in    string
		iso   string
		human string
		prec  record.Precision
	}{
		{"", "", "date unknown", record.PrecisionNone},
		{"2014", "2014", "2014", record.PrecisionYear},
		{"2014-03", "2014-03", "Mar 2014", record.PrecisionMonth},
		{"2014-03-02", "2014-03-02", "2 Mar 2014", record.PrecisionDay},
		{" 2014-03-02 ", "2014-03-02", "2 Mar 2014", record.PrecisionDay},
		{"2014-03-02T10:30:00-05:00", "2014-03-02T10:30:00-05:00", "2 Mar 2014", record.PrecisionTime},
		{"2016-03-07T05:28:45.267+00:00", "2016-03-07T05:28:45Z", "7 Mar 2016", record.PrecisionTime},
		{"2016-03-07T05:28:45Z", "2016-03-07T05:28:45Z", "7 Mar 2016", record.PrecisionTime},
		{"2016-03-07T05:28:45", "2016-03-07T05:28:45", "7 Mar 2016", record.PrecisionTime},
		{"2016-03-07T05:28", "2016-03-07T05:28:00", "7 Mar 2016", record.PrecisionTime},
	} {
		d, err := record.ParseDate(tc.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tc.in, err)
			continue
		}
		if d.String() != tc.iso || d.Human() != tc.human || d.Precision != tc.prec {
			t.Errorf("ParseDate(%q) = %q / %q / %d; want %q / %q / %d", tc.in, d.String(), d.Human(), d.Precision, tc.iso, tc.human, tc.prec)
		}
	}
	for _, bad := range []string{"03/04/2024", "2024-13", "2024-02-30", "20240301", "yesterday", "2024-03-01T", "2024-03-01 10:00"} {
		if _, err := record.ParseDate(bad); !errors.Is(err, record.ErrBadDate) {
			t.Errorf("ParseDate(%q) = %v, want ErrBadDate", bad, err)
		}
	}
}

func TestDate_OrderTruncateJSON(t *testing.T) {
	a, b := record.MustDate("2014-03"), record.MustDate("2014-03-02")
	if !a.Before(b) || b.Before(a) {
		t.Error("a month sorts before a day inside it")
	}
	if !(record.Date{}).Before(a) || a.Before(record.Date{}) {
		t.Error("an unknown date sorts first")
	}
	if got := record.MustDate("2014-03-02T23:30:00-05:00").Truncate(record.PrecisionDay).String(); got != "2014-03-02" {
		t.Errorf("truncating keeps the day as written: got %s", got)
	}
	if got := b.Truncate(record.PrecisionYear).String(); got != "2014" {
		t.Errorf("Truncate year = %s", got)
	}
	var back record.Date
	data, _ := json.Marshal(b)
	if err := json.Unmarshal(data, &back); err != nil || !back.Equal(b) {
		t.Errorf("JSON round trip: %s -> %v, %v", data, back, err)
	}
	if data, _ := json.Marshal(record.Date{}); string(data) != `""` {
		t.Errorf("unknown date marshals as %s", data)
	}
	if got := record.DateOf(time.Date(2024, 5, 6, 22, 0, 0, 0, time.UTC)).String(); got != "2024-05-06" {
		t.Errorf("DateOf = %s", got)
	}
}

func TestDate_SameDay(t *testing.T) {
	d := record.MustDate
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"1970-05-01", "1970-05-01", true},
		{"1970", "1970-05-01", true},
		{"1970-05-01T23:00:00-05:00", "1970-05-01", true},
		{"1970-05-02", "1970-05-01", false},
		{"1971", "1970-05-01", false},
	} {
		if got := d(tc.a).SameDay(d(tc.b)); got != tc.want {
			t.Errorf("%s SameDay %s = %v", tc.a, tc.b, got)
		}
	}
	if (record.Date{}).SameDay(record.Date{}) {
		t.Error("two unknown dates are not the same day")
	}
}

func TestAge(t *testing.T) {
	on := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		birth string
		want  int
	}{
		{"1950-11-25", 76}, {"1950-11-26", 75}, {"2026-12-01", -1}, {"", -1}, {"1990", 36},
	} {
		d, _ := record.ParseDate(tc.birth)
		if got := record.Age(d, on); got != tc.want {
			t.Errorf("Age(%s) = %d, want %d", tc.birth, got, tc.want)
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range record.Kinds {
		got, err := record.ParseKind(" " + string(k) + " ")
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
		if k.Label() == "" || k.Label() == string(k) {
			t.Errorf("%s has no label", k)
		}
	}
	if got, err := record.ParseKind("LAB"); err != nil || got != record.KindLab {
		t.Errorf("ParseKind is case-insensitive: %q %v", got, err)
	}
	for _, bad := range []string{"", "labs", "vitals", "note"} {
		if _, err := record.ParseKind(bad); !errors.Is(err, record.ErrUnknownKind) {
			t.Errorf("ParseKind(%q) = %v, want ErrUnknownKind", bad, err)
		}
	}
}
