package app

import (
	"fmt"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// NewEntry is what a person types to add an entry by hand.
type NewEntry struct {
	Kind  record.Kind
	Title string
	// Date is when ("" or "2024-03-01", "2024-03", "2024"), as typed.
	Date  string
	Value string
	Unit  string
	Note  string
}

// check validates a typed entry, the same rules for kin add and the
// window's forms. Errors wrap [ErrBadInput] and name the field.
func (n NewEntry) check() (record.SelfReport, error) {
	s := record.SelfReport{Kind: n.Kind, Title: strings.TrimSpace(n.Title), Value: strings.TrimSpace(n.Value),
		Unit: strings.TrimSpace(n.Unit), Note: strings.TrimSpace(n.Note)}
	if _, err := record.ParseKind(string(n.Kind)); err != nil {
		return s, fmt.Errorf("%w: kind: %w", ErrBadInput, err)
	}
	if n.Kind == record.KindClaim {
		return s, fmt.Errorf("%w: claims come from your insurer's files and cannot be entered by hand", record.ErrNotSelfReportable)
	}
	if s.Title == "" {
		return s, fmt.Errorf("%w: title: say what it is", ErrBadInput)
	}
	if d := strings.TrimSpace(n.Date); d != "" {
		date, err := record.ParseDate(d)
		if err != nil {
			return s, fmt.Errorf("%w: date: %q is not a date (write 2024-03-01, 2024-03 or 2024)", ErrBadInput, d)
		}
		s.Date = date
	}
	if s.Unit != "" && s.Value == "" {
		return s, fmt.Errorf("%w: unit: a unit needs a value", ErrBadInput)
	}
	return s, nil
}

// AddEntry adds an entry the person entered by hand (person: an id or a
// name; "" when the vault holds exactly one person) and returns its row.
// Errors wrap [ErrBadInput], [record.ErrNotSelfReportable],
// [vault.ErrNoSuchProfile] or [vault.ErrNeedProfile].
func (s *Session) AddEntry(person string, n NewEntry) (Row, error) {
	sr, err := n.check()
	if err != nil {
		return Row{}, err
	}
	v, err := s.vault()
	if err != nil {
		return Row{}, err
	}
	if person == "" && len(v.Profiles()) != 1 {
		if len(v.Profiles()) == 0 {
			return Row{}, fmt.Errorf("%w: the vault holds no people yet; add a person first", vault.ErrNeedProfile)
		}
		return Row{}, fmt.Errorf("%w: the vault holds %d people; say whose entry it is", vault.ErrNeedProfile, len(v.Profiles()))
	}
	e, err := v.AddSelfReported(person, sr)
	if err != nil {
		return Row{}, locked(err)
	}
	s.changed(ChangeRecords)
	return s.row(v, &e), nil
}

// EditEntry replaces the content of an entry the person entered. Errors
// wrap [ErrBadInput], [vault.ErrNoSuchEntry] or [vault.ErrNotSelfReported].
func (s *Session) EditEntry(id string, n NewEntry) (Row, error) {
	sr, err := n.check()
	if err != nil {
		return Row{}, err
	}
	v, err := s.vault()
	if err != nil {
		return Row{}, err
	}
	e, err := v.EditSelfReported(id, sr)
	if err != nil {
		return Row{}, locked(err)
	}
	s.changed(ChangeRecords)
	return s.row(v, &e), nil
}

// DeleteEntry deletes an entry the person entered. Errors wrap
// [vault.ErrNoSuchEntry] or [vault.ErrNotSelfReported].
func (s *Session) DeleteEntry(id string) error {
	v, err := s.vault()
	if err != nil {
		return err
	}
	if err := v.DeleteSelfReported(id); err != nil {
		return locked(err)
	}
	s.changed(ChangeRecords)
	return nil
}

func (s *Session) row(v *vault.Vault, e *record.Entry) Row {
	name := ""
	if p, err := v.Profile(e.Profile); err == nil {
		name = p.Name
	}
	return rowOf(e, s.keysFor(v, e.Profile), name)
}
