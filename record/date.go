package record

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Precision says how much of a [Date] is known.
type Precision uint8

// Date precisions, from none (unknown date) to a full time of day.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
	PrecisionTime
)

// Date is a FHIR date or dateTime with its precision: "2014", "2014-03",
// "2014-03-02" and "2014-03-02T10:30:00-05:00" are all dates. The zero Date
// means the date is unknown. Dates compare by their instant; a less precise
// date stands for the start of its period.
//
// Date marshals to and from JSON as its ISO 8601 text (empty when unknown).
type Date struct {
	// T is the start of the period the date names. For dates without a time
	// of day it is midnight UTC.
	T time.Time
	// Precision is how much of T is meaningful.
	Precision Precision
	// Zoned is true when the text carried a time zone offset.
	Zoned bool
}

// ParseDate reads a FHIR date, dateTime or instant. Surrounding spaces are
// ignored; an empty string is the unknown date with no error. Anything else
// returns an error wrapping [ErrBadDate].
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	bad := func() (Date, error) { return Date{}, fmt.Errorf("%w: %q", ErrBadDate, s) }
	switch len(s) {
	case 4:
		t, err := time.Parse("2006", s)
		if err != nil {
			return bad()
		}
		return Date{T: t, Precision: PrecisionYear}, nil
	case 7:
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return bad()
		}
		return Date{T: t, Precision: PrecisionMonth}, nil
	case 10:
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return bad()
		}
		return Date{T: t, Precision: PrecisionDay}, nil
	}
	if len(s) < 16 || s[10] != 'T' {
		return bad()
	}
	zoned := strings.HasSuffix(s, "Z") || strings.LastIndexAny(s[10:], "+-") > 0
	layouts := []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04"}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{T: t, Precision: PrecisionTime, Zoned: zoned}, nil
		}
	}
	return bad()
}

// MustDate is [ParseDate] for literals known to be valid; it panics otherwise.
// Use it only in tests and for constants.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the day-precision date of t.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{T: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Precision: PrecisionDay}
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Precision == PrecisionNone }

// String returns the date as ISO 8601 text at its precision, or "" when unknown.
func (d Date) String() string {
	switch d.Precision {
	case PrecisionYear:
		return d.T.Format("2006")
	case PrecisionMonth:
		return d.T.Format("2006-01")
	case PrecisionDay:
		return d.T.Format(time.DateOnly)
	case PrecisionTime:
		if d.Zoned {
			return d.T.Format(time.RFC3339)
		}
		return d.T.Format("2006-01-02T15:04:05")
	}
	return ""
}

// Day returns the date's calendar day as "2006-01-02" (at most day precision).
func (d Date) Day() string {
	if d.Precision > PrecisionDay {
		return d.T.Format(time.DateOnly)
	}
	return d.String()
}

// Human returns the date as people read it without ambiguity: "12 Mar 2024",
// "Mar 2024", "2024", or "date unknown". Times of day are left out.
func (d Date) Human() string {
	switch d.Precision {
	case PrecisionYear:
		return d.T.Format("2006")
	case PrecisionMonth:
		return d.T.Format("Jan 2006")
	case PrecisionDay, PrecisionTime:
		return d.T.Format("2 Jan 2006")
	}
	return "date unknown"
}

// Before reports whether d is earlier than e. An unknown date sorts before every known one.
func (d Date) Before(e Date) bool {
	if d.IsZero() || e.IsZero() {
		return d.IsZero() && !e.IsZero()
	}
	return d.T.Before(e.T)
}

// Equal reports whether d and e name the same instant at the same precision.
func (d Date) Equal(e Date) bool {
	return d.Precision == e.Precision && d.T.Equal(e.T)
}

// SameDay reports whether d and e can name the same day: both known, and
// equal at the coarser of their precisions (at most a day), so "1970" and
// "1970-05-01" are the same day as far as anyone can tell.
func (d Date) SameDay(e Date) bool {
	if d.IsZero() || e.IsZero() {
		return false
	}
	p := min(d.Precision, e.Precision, PrecisionDay)
	return d.Truncate(p).String() == e.Truncate(p).String()
}

// Truncate returns d reduced to at most precision p.
func (d Date) Truncate(p Precision) Date {
	if d.Precision <= p {
		return d
	}
	t := d.T
	if d.Precision == PrecisionTime {
		// Reduce to the calendar day as written, whatever the offset.
		y, m, day := t.Date()
		t = time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	}
	switch p {
	case PrecisionNone:
		return Date{}
	case PrecisionYear:
		t = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	case PrecisionMonth:
		t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return Date{T: t, Precision: p}
}

// MarshalJSON writes the date as its ISO text, or "" when unknown.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a date written by MarshalJSON or any FHIR date.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: %s", ErrBadDate, b)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
