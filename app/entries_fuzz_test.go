package app

import (
	"errors"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// FuzzCheckEntry: whatever is typed, the check refuses it with an
// InputError (or, for claims, ErrNotSelfReportable), or what it accepts
// the record builds: a form never passes its checks and fails on save.
func FuzzCheckEntry(f *testing.F) {
	f.Add("medication", "Metformin", "", "500 mg", "", "by mouth, twice a day", "", "2024-03", "", "")
	f.Add("vital", "Blood pressure", "128/82", "", "mmHg", "", "", "", "", "")
	f.Add("vital", "Weight", "7000", "", "kg", "", "", "", "", "")
	f.Add("allergy", "Penicillin", "", "", "", "", "severe", "1990", "hives", "medicine")
	f.Add("allergy", "NKA", "", "", "", "", "", "", "", "")
	f.Add("condition", "Asthma", "", "", "", "", "resolved", "2001", "", "2003")
	f.Add("document", "", "", "", "", "", "", "", "", "")
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, kind, title, value, dose, unit, how, status, date, reaction, until string) {
		n := NewEntry{Kind: record.Kind(kind), Title: title, Value: value, Dose: dose, Unit: unit, How: how, Status: status,
			Date: date, Until: until, Severity: status, Category: until, Reactions: splitList(reaction), Note: how}
		if n.Kind == record.KindVital || n.Kind == record.KindAllergy || n.Kind == record.KindCondition {
			n.Dose, n.How = "", ""
		}
		s, err := checkEntry(n, now)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) && !errors.Is(err, record.ErrNotSelfReportable) {
				t.Fatalf("%+v: %v", n, err)
			}
			return
		}
		if _, err := record.NewSelfReported(s, "id", "p"); err != nil {
			t.Fatalf("%+v passed the checks as %+v, and the record refuses it: %v", n, s, err)
		}
	})
}
