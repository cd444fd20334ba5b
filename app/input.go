package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// ParseBirthDate reads a birth date as a person types it: "1981-04-12",
// "1981-04", "1981", or "" for unknown. Errors wrap [ErrBadInput] and say
// how to write it; a date in the future is refused too.
func (s *Session) ParseBirthDate(text string) (record.Date, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return record.Date{}, nil
	}
	d, err := record.ParseDate(text)
	if err != nil {
		return record.Date{}, fmt.Errorf("%w: birth date: %q is not a date (write it as 1981-04-12, or just the year)", ErrBadInput, text)
	}
	if d.T.After(s.now()) {
		return record.Date{}, fmt.Errorf("%w: birth date: %s is in the future", ErrBadInput, d.Human())
	}
	return d, nil
}

// InputProblem says what is wrong with a typed value, for showing beside
// its field: for an error wrapping [ErrBadInput] made by this package
// ("birth date: \"1981-13\" is not a date (…)") it returns the field's name
// and the problem in words; for any other error, "" and [Sentence].
func InputProblem(err error) (field, problem string) {
	if err == nil {
		return "", ""
	}
	if !errors.Is(err, ErrBadInput) {
		return "", Sentence(err)
	}
	msg := err.Error()
	_, rest, ok := strings.Cut(msg, ErrBadInput.Error()+": ")
	if !ok {
		return "", Sentence(err)
	}
	field, problem, ok = strings.Cut(rest, ": ")
	if !ok {
		return "", upperFirst(rest) + "."
	}
	return field, upperFirst(problem) + "."
}

func upperFirst(s string) string {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
