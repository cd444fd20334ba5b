package vault

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// PatientError says why a file, or one document of a package, could not be
// given to a person. It wraps [ErrNeedProfile] (it names no one, and no
// reference or choice says whose it is), [ErrAmbiguousPatient] (its patient
// could be more than one person) or [ErrProfileMismatch] (its patient is
// clearly someone other than the person chosen); test with [errors.Is].
// Its fields are what a front end needs to ask "Whose is it?" without
// reading the message.
type PatientError struct {
	Err error
	// File is the file's name, or the document's path inside its package.
	File string
	// Person is whom the file names; zero when it names no one.
	Person record.Person
	// Refers is the patient reference ("Patient/123") the file's records
	// make when the file names no patient itself.
	Refers string
	// Chosen is the person the import was asked to put the file under
	// ([ImportOptions.Profile]); nil when none was chosen.
	Chosen *record.Profile
	// Candidates are the people the file could be (ErrAmbiguousPatient;
	// for ErrNeedProfile everyone who could take it), or the person it
	// matches in the vault (ErrProfileMismatch; none when the file names
	// someone not in the vault).
	Candidates []record.Profile
	// Why is the reason, in words; it names people in the vault and no
	// health data.
	Why string
}

func (e *PatientError) Error() string {
	s := e.File + ": " + e.Err.Error()
	if e.Why != "" {
		s += " (" + e.Why + ")"
	}
	return s
}

func (e *PatientError) Unwrap() error { return e.Err }

// Reason says in a few words, without the file's name, why the file was
// not given to anyone: what a package's report lists for a part left out.
func (e *PatientError) Reason() string {
	who := personName(e.Person)
	switch {
	case errors.Is(e.Err, ErrAmbiguousPatient):
		return fmt.Sprintf("its patient, %s, could be more than one person (%s); import the package again saying who it is", who, e.Why)
	case errors.Is(e.Err, ErrProfileMismatch) && e.Chosen != nil && anonymous(e.Person):
		return fmt.Sprintf("its records are not %s's (%s)", e.Chosen.Name, e.Why)
	case errors.Is(e.Err, ErrProfileMismatch) && e.Chosen != nil:
		return fmt.Sprintf("it names %s, not %s", who, e.Chosen.Name)
	case !anonymous(e.Person):
		return e.Why
	case e.Why != "":
		return fmt.Sprintf("it names no patient (%s); import the package again saying whose it is", e.Why)
	}
	return "it names no patient; import the package again saying whose it is"
}

// Run links the imports of files given together (one command line, one
// drop of files on the window): a file that names no patient but refers to
// one ("Patient/123") goes to the person that an earlier file of the run
// held that Patient for. Pass the same Run in each [ImportOptions]; Import
// adds what it read. The zero Run is ready to use; a Run is not safe for
// concurrent use.
type Run struct {
	patients map[string][]seenPatient
}

// seenPatient is a Patient an import read: the person it went to, or the
// error that kept its file out.
type seenPatient struct {
	profile string
	file    string
	err     *PatientError
}

func (r *Run) add(key string, p seenPatient) {
	if r.patients == nil {
		r.patients = map[string][]seenPatient{}
	}
	r.patients[key] = append(r.patients[key], p)
}

// patientKey turns a patient reference ("Patient/123", an absolute URL
// ending in Patient/123, "urn:uuid:123") into the key Patients are known
// by: "Patient/123".
func patientKey(ref string) string {
	if id, ok := strings.CutPrefix(ref, "urn:uuid:"); ok {
		return "Patient/" + id
	}
	if i := strings.Index(ref, "/_history/"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, "Patient/"); i >= 0 && (i == 0 || ref[i-1] == '/') {
		return ref[i:]
	}
	return ""
}

// minStoredID is the shortest Patient id trusted for finding a person
// among earlier imports: short ids ("1", "example") are reused by many
// unrelated files.
const minStoredID = 8

// unit is what is decided as a whole: the root's own records, or one
// document of a package with the documents inside it.
type unit struct {
	nodes []*node
	root  bool
	dir   bool // holds only directory groups (see directory)
	order int  // when it is decided: see rank
	err   *PatientError
	// ignored says why a part holding only practitioners, organizations
	// and the like, claimed by no one, was passed over.
	ignored string
}

// node is one batch of the tree being imported, with its decisions.
type node struct {
	b        *record.Batch
	unit     *unit
	already  bool     // imported before, or twice in this batch
	profiles []string // per patient group: the person, "" for an empty group
	warns    []string // said about whose the records are, for the report
}

func (n *node) file() string { return n.b.Source.File }

func (n *node) warn(msg string) { n.warns = append(n.warns, msg) }

// stored reports whether the node's records are stored by this import.
func (n *node) stored() bool {
	return !n.already && n.unit.err == nil && n.unit.ignored == ""
}

// named reports whether a patient group names its patient (a name or a
// record number).
func named(g *record.PatientRecords) bool { return !anonymous(g.Person) }

// directory reports whether a group holds only resources that describe
// others (practitioners, organizations, places) and names and refers to no
// patient: a part of a bulk export that is no one's health record.
func directory(g *record.PatientRecords) bool {
	if g.Patient != nil || g.PatientRef != "" || len(g.Resources) == 0 {
		return false
	}
	for _, r := range g.Resources {
		if !record.IsSupporting(r.Type) {
			return false
		}
	}
	return true
}

// hasRecords reports whether any node of the unit holds records.
func (u *unit) hasRecords() bool {
	for _, n := range u.nodes {
		for i := range n.b.Patients {
			if !empty(&n.b.Patients[i]) {
				return true
			}
		}
	}
	return false
}

func empty(g *record.PatientRecords) bool { return g.Patient == nil && len(g.Resources) == 0 }

// rank orders units: those naming a patient first (so references from the
// others find them), those holding only directories last (so they can
// follow the people the rest went to).
func (u *unit) rank() int {
	any, dir := false, true
	for _, n := range u.nodes {
		for i := range n.b.Patients {
			g := &n.b.Patients[i]
			if empty(g) {
				continue
			}
			if named(g) {
				any = true
			}
			if !directory(g) {
				dir = false
			}
		}
	}
	switch {
	case any:
		return 0
	case dir:
		return 2
	}
	return 1
}

// decide assigns every patient group of a unit to a person, named groups
// first, then those that refer to a patient, then the rest. On failure it
// undoes what the unit changed (people created or learned about) and
// records the error on the unit.
func (im *importer) decide(tx *bolt.Tx, u *unit) {
	mark := len(im.undo)
	for pass := range 3 {
		for _, n := range u.nodes {
			if n.profiles == nil {
				n.profiles = make([]string, len(n.b.Patients))
			}
			for i := range n.b.Patients {
				g := &n.b.Patients[i]
				p := 2
				switch {
				case empty(g):
					continue
				case named(g):
					p = 0
				case g.PatientRef != "":
					p = 1
				}
				if p != pass {
					continue
				}
				pid, err := im.assign(tx, n, g)
				if err != nil {
					im.rollback(mark)
					u.err = err
					for _, m := range u.nodes {
						m.warns = nil
					}
					im.notePatients(u)
					return
				}
				if pid == "" {
					im.rollback(mark)
					u.ignored = "only practitioners, organizations or places that other files refer to, not anyone's health record (kept in the package's original file)"
					return
				}
				n.profiles[i] = pid
				if g.Patient != nil {
					key := "Patient/" + g.Patient.ID
					old := im.patients[key]
					im.patients[key] = append(slices.Clip(old), seenPatient{profile: pid, file: n.file()})
					im.undo = append(im.undo, func() { im.patients[key] = old })
				}
			}
		}
	}
	for _, n := range u.nodes {
		for _, pid := range n.profiles {
			if pid != "" && !slices.Contains(im.all, pid) {
				im.all = append(im.all, pid)
			}
		}
	}
}

// notePatients records the Patients of a unit that was left out, so that
// references to them fail too rather than go elsewhere.
func (im *importer) notePatients(u *unit) {
	for _, n := range u.nodes {
		for i := range n.b.Patients {
			if g := &n.b.Patients[i]; g.Patient != nil {
				key := "Patient/" + g.Patient.ID
				im.patients[key] = append(im.patients[key], seenPatient{file: n.file(), err: u.err})
			}
		}
	}
}

func (im *importer) rollback(mark int) {
	for i := len(im.undo) - 1; i >= mark; i-- {
		im.undo[i]()
	}
	im.undo = im.undo[:mark]
}

// assign decides whose records one patient group is, by the rule in the
// package doc ("Whose records"). It returns "" without an error for a
// directory group no one claims.
func (im *importer) assign(tx *bolt.Tx, n *node, g *record.PatientRecords) (string, *PatientError) {
	if named(g) {
		return im.assignNamed(n, g)
	}
	if g.PatientRef != "" {
		pid, err := im.follow(tx, n, g.PatientRef)
		if err != nil {
			return "", err
		}
		if pid != "" {
			if c := im.chosenProfile(); c != nil && c.ID != pid {
				p := im.t.profile(pid)
				return "", im.fail(n, g, ErrProfileMismatch, []string{pid},
					fmt.Sprintf("its records refer to the patient of another file, who is %q", p.Name))
			}
			return pid, nil
		}
	}
	return im.assignUnnamed(n, g)
}

// assignNamed places a group that names its patient.
func (im *importer) assignNamed(n *node, g *record.PatientRecords) (string, *PatientError) {
	m := record.MatchPatient(g.Person, im.t.profileList())
	c := im.chosenProfile()
	if c == nil {
		switch m.Outcome {
		case record.Matched:
			im.learn(n, m.Profile, g.Person)
			return m.Profile, nil
		case record.Ambiguous:
			if cands := im.existing(m.Candidates); len(cands) < len(m.Candidates) {
				// Someone this very import would add: the file names one
				// person twice, and the two records disagree.
				return "", im.fail(n, g, ErrAmbiguousPatient, cands,
					"another record in the same import names this patient with the same record number or name but differs")
			}
			return "", im.fail(n, g, ErrAmbiguousPatient, m.Candidates, m.Why)
		}
		return im.create(n, g.Person, m.Why), nil
	}
	if m.Outcome == record.Matched {
		if m.Profile == c.ID {
			im.learn(n, c.ID, g.Person)
			return c.ID, nil
		}
		return "", im.fail(n, g, ErrProfileMismatch, []string{m.Profile}, m.Why)
	}
	l := record.Compare(g.Person, *c)
	chosenFits := m.Outcome == record.Ambiguous && slices.Contains(m.Candidates, c.ID)
	fitsOthers := m.Outcome == record.Ambiguous && !chosenFits && l.Name == record.Differs && l.Identifier != record.Same
	if !chosenFits && (l.ClearlyOther() || fitsOthers) {
		var cands []string
		if m.Outcome == record.Ambiguous {
			cands = m.Candidates
		}
		why := fmt.Sprintf("neither the name nor the birth date is %q's", c.Name)
		if fitsOthers {
			why = fmt.Sprintf("the name fits others in the vault, not %q", c.Name)
		}
		return "", im.fail(n, g, ErrProfileMismatch, cands, why)
	}
	var diffs []string
	if l.Name == record.Differs {
		diffs = append(diffs, "the file names "+personName(g.Person))
	}
	if l.BirthDate == record.Differs {
		diffs = append(diffs, fmt.Sprintf("its birth date is %s (%s's: %s)", g.Person.BirthDate.Human(), c.Name, c.BirthDate.Human()))
	}
	if len(diffs) > 0 {
		n.warn(fmt.Sprintf("the records were put under %s as asked, although %s", c.Name, strings.Join(diffs, " and ")))
	}
	return c.ID, nil
}

// assignUnnamed places a group that names no one and whose references
// found no one.
func (im *importer) assignUnnamed(n *node, g *record.PatientRecords) (string, *PatientError) {
	if c := im.chosenProfile(); c != nil {
		if b := g.Person.BirthDate; !b.IsZero() && !c.BirthDate.IsZero() && !b.SameDay(c.BirthDate) {
			n.warn(fmt.Sprintf("the records were put under %s as asked, although the file's birth date is %s (%s's: %s)",
				c.Name, b.Human(), c.Name, c.BirthDate.Human()))
		}
		return c.ID, nil
	}
	if directory(g) && len(im.all) == 1 {
		return im.all[0], nil
	}
	ps := im.t.profileList()
	if len(ps) == 1 {
		b, pb := g.Person.BirthDate, ps[0].BirthDate
		if b.IsZero() || pb.IsZero() || b.SameDay(pb) {
			return ps[0].ID, nil
		}
		return "", im.fail(n, g, ErrNeedProfile, []string{ps[0].ID}, fmt.Sprintf("its birth date is not %q's", ps[0].Name))
	}
	if n.unit.dir && !n.unit.root {
		return "", nil
	}
	ids := make([]string, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	return "", im.fail(n, g, ErrNeedProfile, ids, "")
}

// follow finds whose Patient a reference is: among the Patients read in
// this import and earlier in the run, else among those stored before from
// sources of the same format. It returns "" when it finds none or more
// than one person, and an error when the Patient's own file was left out.
func (im *importer) follow(tx *bolt.Tx, n *node, ref string) (string, *PatientError) {
	key := patientKey(ref)
	if key == "" {
		return "", nil
	}
	seen := slices.Concat(im.patients[key], im.runPatients(key))
	if len(seen) > 0 {
		first := seen[0]
		for _, s := range seen[1:] {
			if s.profile != first.profile || (s.profile == "" && s.file != first.file) {
				return "", nil // not unique
			}
		}
		if first.profile != "" {
			return first.profile, nil
		}
		e := *first.err
		e.File, e.Refers = n.file(), ref
		e.Why = fmt.Sprintf("its records are about the patient of %s, which was left out", first.file)
		return "", &e
	}
	id := strings.TrimPrefix(key, "Patient/")
	if len(id) < minStoredID {
		return "", nil
	}
	format := n.b.Source.Format
	if format == "" {
		format = n.b.Report.Format
	}
	found := ""
	for _, src := range im.v.st.sources {
		if src.Format != format || src.Resources == 0 {
			continue
		}
		sr, err := getStoredResource(tx, im.v.s, record.ResourceRef{Source: src.ID, Type: "Patient", ID: id})
		if err != nil || im.t.profile(sr.Profile) == nil {
			continue
		}
		if found != "" && found != sr.Profile {
			return "", nil
		}
		found = sr.Profile
	}
	return found, nil
}

func (im *importer) runPatients(key string) []seenPatient {
	if im.opts.Run == nil {
		return nil
	}
	return im.opts.Run.patients[key]
}

// fail builds the error for a group that cannot be placed.
func (im *importer) fail(n *node, g *record.PatientRecords, sentinel error, candidates []string, why string) *PatientError {
	e := &PatientError{Err: sentinel, File: n.file(), Person: g.Person, Refers: g.PatientRef, Why: why}
	if c := im.chosenProfile(); c != nil {
		cc := cloneProfile(c)
		e.Chosen = &cc
	}
	for _, id := range candidates {
		if p := im.t.profile(id); p != nil {
			e.Candidates = append(e.Candidates, cloneProfile(p))
		}
	}
	sortProfiles(e.Candidates)
	return e
}

// existing keeps the profile ids that are in the vault already, not made
// by this import.
func (im *importer) existing(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(im.created, id) {
			out = append(out, id)
		}
	}
	return out
}

func (im *importer) chosenProfile() *record.Profile {
	if im.chosen == "" {
		return nil
	}
	return im.t.profile(im.chosen)
}

// create adds a new person for a group whose patient is not in the vault.
func (im *importer) create(n *node, per record.Person, why string) string {
	t := im.t
	p := &record.Profile{ID: fmtID(newID()), Name: personName(per), BirthDate: per.BirthDate,
		Sex: per.Sex, Identifiers: slices.Clone(per.Identifiers)}
	t.profiles[p.ID] = p
	created := len(im.created)
	im.created = append(im.created, p.ID)
	im.undo = append(im.undo, func() {
		delete(t.profiles, p.ID)
		im.created = im.created[:created]
	})
	n.warn(fmt.Sprintf("added a new person to the vault: %q (%s)", p.Name, why))
	return p.ID
}

// anonymous reports whether a file's patient has neither a name nor an
// identifier (an Apple Health export gives only a birth date and sex): such
// a file does not say who it is about.
func anonymous(p record.Person) bool {
	return strings.TrimSpace(p.Name) == "" && strings.TrimSpace(p.Family) == "" && len(p.Given) == 0 &&
		len(p.Identifiers) == 0
}

// personName is the name a new person gets from a file.
func personName(p record.Person) string {
	if n := p.DisplayName(); n != "" {
		return n
	}
	return "Unnamed person"
}

// learn adds what a file that matched a person says about them that the
// profile lacks: new record numbers, another spelling of the name, a birth
// date, a sex. It never overwrites what the profile holds, and it is only
// called for a match the file itself made, never for one the user chose.
func (im *importer) learn(n *node, id string, per record.Person) {
	cur := im.t.profile(id)
	var add []record.Identifier
	for _, x := range per.Identifiers {
		if strings.TrimSpace(x.Value) == "" {
			continue
		}
		known := false
		for _, y := range cur.Identifiers {
			if record.SameSystem(x.System, y.System) && strings.EqualFold(strings.TrimSpace(x.Value), strings.TrimSpace(y.Value)) {
				known = true
				break
			}
		}
		if !known {
			add = append(add, x)
		}
	}
	name := personName(per)
	newName := name != "Unnamed person" && record.NormalizeText(name) != record.NormalizeText(cur.Name) &&
		!slices.ContainsFunc(cur.Names, func(n string) bool { return record.NormalizeText(n) == record.NormalizeText(name) })
	birth := cur.BirthDate.IsZero() && !per.BirthDate.IsZero()
	sex := cur.Sex == "" && per.Sex != ""
	if len(add) == 0 && !newName && !birth && !sex {
		return
	}
	t := im.t
	if prev, ok := t.profiles[id]; ok {
		saved := cloneProfile(prev)
		im.undo = append(im.undo, func() { *t.profiles[id] = saved })
	} else {
		im.undo = append(im.undo, func() { delete(t.profiles, id) })
	}
	p := t.mutableProfile(id)
	p.Identifiers = append(p.Identifiers, add...)
	if newName {
		p.Names = append(p.Names, name)
	}
	if birth {
		p.BirthDate = per.BirthDate
		n.warn(fmt.Sprintf("%s had no birth date; this file's, %s, is now kept with the person", p.Name, per.BirthDate.Human()))
	}
	if sex {
		p.Sex = per.Sex
	}
}
