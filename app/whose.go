package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// QuestionKind says why a file's person must be asked about.
type QuestionKind int

// Why a question is asked.
const (
	// NamesNoOne: the file names no patient ("This file names no patient.
	// Whose is it?").
	NamesNoOne QuestionKind = iota + 1
	// CouldBeSeveral: the patient it names could be more than one person.
	CouldBeSeveral
	// SomeoneElse: it clearly names someone other than the person chosen;
	// the answer is to import it without a choice (for the person it names).
	SomeoneElse
)

// Question is what a window asks when the person of a file (or of a
// document in a package) is unknown.
type Question struct {
	Kind QuestionKind
	// File is the file, or the document's path in its package; Package the
	// package it was left out of ("" for a file of its own).
	File, Package string
	// Names is whom the file names, as it gives them: "Jeremy V Bates
	// (born 1 Aug 1980)"; "" when it names no one. Name and BirthDate are
	// the parts, to prefill "Someone new".
	Names     string
	Name      string
	BirthDate record.Date
	// Chosen is the person it was asked to go to (SomeoneElse).
	Chosen string
	// Candidates are the people it could be, the likeliest first; the
	// window offers them, and "Someone new".
	Candidates []Person
	// Text is the question in words.
	Text string
}

// questions turns what a file's import could not place into questions.
func (s *Session) questions(r *FileResult) []Question {
	var out []Question
	for _, pe := range PatientErrors(r.Err) {
		out = append(out, s.question(pe, ""))
	}
	for _, pe := range r.LeftOut {
		out = append(out, s.question(pe, r.File))
	}
	return out
}

func (s *Session) question(pe *vault.PatientError, pkg string) Question {
	q := Question{File: pe.File, Package: pkg, Name: pe.Person.DisplayName(), BirthDate: pe.Person.BirthDate}
	q.Names = DescribePerson(pe.Person)
	if q.Name == "" {
		q.Names = ""
	}
	v, _ := s.vault()
	for _, c := range pe.Candidates {
		if v != nil {
			q.Candidates = append(q.Candidates, s.person(v, c))
		} else {
			q.Candidates = append(q.Candidates, Person{ID: c.ID, Name: c.Name, BirthDate: c.BirthDate})
		}
	}
	file := pe.File
	switch {
	case errors.Is(pe, vault.ErrProfileMismatch):
		q.Kind = SomeoneElse
		if pe.Chosen != nil {
			q.Chosen = pe.Chosen.Name
		}
		switch {
		case q.Names != "" && q.Chosen != "":
			q.Text = fmt.Sprintf("%s is about %s, not %s. It will be filed under the person it names.", file, q.Names, q.Chosen)
		case q.Chosen != "":
			q.Text = fmt.Sprintf("%s holds records of someone other than %s (%s).", file, q.Chosen, pe.Why)
		default:
			q.Text = fmt.Sprintf("%s is about someone else than the person chosen.", file)
		}
	case errors.Is(pe, vault.ErrAmbiguousPatient):
		q.Kind = CouldBeSeveral
		q.Text = fmt.Sprintf("%s names %s, who could be %s. Who is it?", file, orSomeone(q.Names), oneOfPeople(q.Candidates))
	default:
		q.Kind = NamesNoOne
		q.Text = fmt.Sprintf("%s names no patient. Whose is it?", file)
		if pe.Refers != "" && q.Names != "" {
			q.Text = fmt.Sprintf("%s was not imported: %s. Whose is it?", file, pe.Why)
		}
	}
	return q
}

func orSomeone(names string) string {
	if names == "" {
		return "a patient"
	}
	return names
}

func oneOfPeople(ps []Person) string {
	var ns []string
	for _, p := range ps {
		ns = append(ns, p.Name)
	}
	switch len(ns) {
	case 0:
		return "more than one person here"
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " or " + ns[len(ns)-1]
}

// DescribePerson is a file's patient in words: "Jeremy V Bates (born 1 Aug
// 1980)", or "a patient without a name".
func DescribePerson(p record.Person) string {
	name := p.DisplayName()
	if name == "" {
		name = "a patient without a name"
	}
	if !p.BirthDate.IsZero() {
		name += " (born " + p.BirthDate.Human() + ")"
	}
	return name
}

// DescribeProfile is a person of the vault in words: "Ann Lee (born 14 Feb 1980)".
func DescribeProfile(p record.Profile) string {
	if p.BirthDate.IsZero() {
		return p.Name
	}
	return p.Name + " (born " + p.BirthDate.Human() + ")"
}
