package app

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// Person is one person in the vault as the people switcher shows them.
type Person struct {
	ID   string
	Name string
	// Initial is the letter of the coloured badge ("A" for Ann Lee).
	Initial string
	// Hue picks the badge's colour, 0 to 359, stable for the person.
	Hue       int
	BirthDate record.Date
	// BirthText is "14 Feb 1980", "1980", or "" when unknown.
	BirthText string
	// Age is the age in years, or -1 when unknown; AgeText says it ("44",
	// "7 months"; "" when unknown).
	Age     int
	AgeText string
	Sex     string
	// Entries is how many entries the person has.
	Entries  int
	Contacts []record.Contact
	Language string
}

// Label is the person as a list of people shows them: "Ann Lee, 44".
func (p Person) Label() string {
	if p.AgeText == "" {
		return p.Name
	}
	return p.Name + ", " + p.AgeText
}

func (s *Session) person(v *vault.Vault, p record.Profile) Person {
	now := s.now()
	entries, _ := v.EntryCount(p.ID) // 0 when locked meanwhile
	out := Person{ID: p.ID, Name: p.Name, Initial: initial(p.Name), Hue: hue(p.ID), BirthDate: p.BirthDate,
		Age: record.Age(p.BirthDate, now), AgeText: AgeText(p.BirthDate, now), Sex: p.Sex,
		Entries: entries, Contacts: append([]record.Contact(nil), p.Contacts...), Language: p.Language}
	if !p.BirthDate.IsZero() {
		out.BirthText = p.BirthDate.Human()
	}
	return out
}

func initial(name string) string {
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return strings.ToUpper(string(r))
		}
	}
	return "?"
}

func hue(id string) int {
	h := 0
	for _, c := range id {
		h = (h*31 + int(c)) % 360
	}
	return h
}

// People returns the people in the vault, sorted by name.
func (s *Session) People() ([]Person, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	ps, err := v.Profiles()
	if err != nil {
		return nil, locked(err)
	}
	var out []Person
	for _, p := range ps {
		out = append(out, s.person(v, p))
	}
	return out, nil
}

// Person returns one person by id or name. Errors wrap
// [vault.ErrNoSuchProfile].
func (s *Session) Person(ref string) (Person, error) {
	v, err := s.vault()
	if err != nil {
		return Person{}, err
	}
	p, err := v.Profile(ref)
	if err != nil {
		return Person{}, locked(err)
	}
	return s.person(v, p), nil
}

// PersonDetails is what a person's own form edits.
type PersonDetails struct {
	Name      string
	BirthDate record.Date
	Sex       string
	Contacts  []record.Contact
	Language  string
}

// AddPerson adds a person. Errors wrap [ErrBadInput] (no name) or
// [vault.ErrProfileExists].
func (s *Session) AddPerson(d PersonDetails) (Person, error) {
	v, err := s.vault()
	if err != nil {
		return Person{}, err
	}
	name := strings.Join(strings.Fields(d.Name), " ")
	if name == "" {
		return Person{}, fmt.Errorf("%w: a person needs a name", ErrBadInput)
	}
	p, err := v.AddProfile(record.Profile{Name: name, BirthDate: d.BirthDate, Sex: d.Sex,
		Contacts: cleanContacts(d.Contacts), Language: strings.TrimSpace(d.Language)})
	if err != nil {
		return Person{}, locked(err)
	}
	s.changed(ChangePeople)
	return s.person(v, p), nil
}

func cleanContacts(cs []record.Contact) []record.Contact {
	var out []record.Contact
	for _, c := range cs {
		c = record.Contact{Name: strings.TrimSpace(c.Name), Relation: strings.TrimSpace(c.Relation), Phone: strings.TrimSpace(c.Phone)}
		if c.Name != "" || c.Phone != "" {
			out = append(out, c)
		}
	}
	return out
}

// RenamePerson gives a person a new name (the old one is kept, so later
// imports still match). Errors wrap [vault.ErrNoSuchProfile],
// [vault.ErrProfileExists] or [ErrBadInput].
func (s *Session) RenamePerson(id, name string) error {
	v, err := s.vault()
	if err != nil {
		return err
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return fmt.Errorf("%w: a person needs a name", ErrBadInput)
	}
	if err := v.RenameProfile(id, name); err != nil {
		return locked(err)
	}
	s.changed(ChangePeople)
	return nil
}

// EditPerson sets a person's birth date, sex, emergency contacts and
// preferred language (the name changes with [Session.RenamePerson]).
// Errors wrap [vault.ErrNoSuchProfile].
func (s *Session) EditPerson(id string, d PersonDetails) (Person, error) {
	v, err := s.vault()
	if err != nil {
		return Person{}, err
	}
	p, err := v.EditProfile(id, vault.ProfileDetails{BirthDate: d.BirthDate, Sex: strings.TrimSpace(d.Sex),
		Contacts: cleanContacts(d.Contacts), Language: strings.TrimSpace(d.Language)})
	if err != nil {
		return Person{}, locked(err)
	}
	s.changed(ChangePeople)
	return s.person(v, p), nil
}

// ParseContact reads a contact written as "Name, relation, phone" (kin's
// --contact; the relation and the phone may be left out: "Jo Lee, 555
// 0100" has no relation). Errors wrap [ErrBadInput].
func ParseContact(s string) (record.Contact, error) {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	c := record.Contact{Name: parts[0]}
	if c.Name == "" {
		return c, fmt.Errorf("%w: contact: a contact needs a name (write \"Name, relation, phone\")", ErrBadInput)
	}
	rest := parts[1:]
	if n := len(rest); n > 0 && looksLikePhone(rest[n-1]) {
		c.Phone, rest = rest[n-1], rest[:n-1]
	}
	c.Relation = strings.Join(rest, ", ")
	if c.Phone == "" && c.Relation == "" {
		return c, fmt.Errorf("%w: contact: say how to reach %s (write \"Name, relation, phone\")", ErrBadInput, c.Name)
	}
	return c, nil
}

func looksLikePhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-().x/", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// Removal says what removing a person takes with them, for the
// confirmation ("Remove Sam Lee and his 214 entries?").
type Removal struct {
	Person  Person
	Entries int
	// Sources are the imported files whose records went only to this
	// person; they are removed too.
	Sources int
	// Shared are files that hold records of this person and of others:
	// the person cannot be removed while they are there.
	Shared int
	// Question is the confirmation to ask, in words.
	Question string
}

// PlanRemoval says what [Session.RemovePerson] would remove.
func (s *Session) PlanRemoval(id string) (Removal, error) {
	v, err := s.vault()
	if err != nil {
		return Removal{}, err
	}
	p, err := v.Profile(id)
	if err != nil {
		return Removal{}, locked(err)
	}
	r := Removal{Person: s.person(v, p)}
	r.Entries = r.Person.Entries
	all, err := v.Sources("")
	if err != nil {
		return Removal{}, locked(err)
	}
	own, shared := removableFiles(all, p.ID)
	r.Shared = len(shared)
	typed := map[string]bool{}
	for _, src := range all {
		typed[src.ID] = src.Format == record.SelfReported
	}
	for _, id := range own {
		// Entries typed by hand go with the person, but are not files.
		if !typed[id] {
			r.Sources++
		}
	}
	switch {
	case r.Shared > 0:
		r.Question = fmt.Sprintf("%s's records are in %s that also hold other people's records. Remove those files first, then remove %s.",
			p.Name, Plural(r.Shared, "file", ""), p.Name)
	case r.Entries == 0:
		r.Question = fmt.Sprintf("Remove %s? They have no records.", p.Name)
	default:
		r.Question = fmt.Sprintf("Remove %s and their %s from %s? This cannot be undone; make a backup first if you may want them back.",
			p.Name, Plural(r.Entries, "entry", "entries"), Plural(r.Sources, "imported file", ""))
	}
	return r, nil
}

// RemovePerson removes a person with every file and entry only they had,
// in as many transactions as they have files, then the person. Errors:
// [vault.ErrNoSuchProfile]; [vault.ErrProfileNotEmpty] when a file also
// holds someone else's records (see [Removal.Shared]).
func (s *Session) RemovePerson(id string) error {
	plan, err := s.PlanRemoval(id)
	if err != nil {
		return err
	}
	if plan.Shared > 0 {
		return fmt.Errorf("%w: %s", vault.ErrProfileNotEmpty, plan.Question)
	}
	v, err := s.vault()
	if err != nil {
		return err
	}
	defer s.changed(ChangePeople)
	all, err := v.Sources("")
	if err != nil {
		return locked(err)
	}
	own, _ := removableFiles(all, plan.Person.ID)
	for _, id := range own {
		if _, err := v.RemoveSource(id); err != nil {
			return locked(err)
		}
	}
	return locked(v.RemoveProfile(plan.Person.ID))
}

// removableFiles sorts the imported files (the top of each package) that
// hold records of person: own hold no one else's, shared also hold others'.
func removableFiles(all []vault.SourceInfo, person string) (own, shared []string) {
	parent := map[string]string{}
	for _, src := range all {
		parent[src.ID] = src.Parent
	}
	root := func(id string) string {
		for i := 0; parent[id] != "" && i < len(all); i++ {
			id = parent[id]
		}
		return id
	}
	mine, others := map[string]bool{}, map[string]bool{}
	for _, src := range all {
		for _, pid := range src.Profiles {
			if pid == person {
				mine[root(src.ID)] = true
			} else {
				others[root(src.ID)] = true
			}
		}
	}
	for _, src := range all { // in the vault's order
		id := src.ID
		switch {
		case !mine[id]:
		case others[id]:
			shared = append(shared, id)
		default:
			own = append(own, id)
		}
	}
	return own, shared
}
