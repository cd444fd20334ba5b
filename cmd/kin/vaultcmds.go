package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// The vault's own commands: creating and checking the vault, its keys, the
// people in it and their entries and sources. import, export, backup,
// restore and demo live in their own files; every command unlocks
// through app (session.go).

func init() {
	mapError(vault.ErrWrongPassphrase, exitWrongKey)
	mapError(vault.ErrDamaged, exitDamaged)
	mapError(vault.ErrInUse, exitInUse)
	mapError(vault.ErrNotVault, exitNotVault)
	mapError(vault.ErrNewerVersion, exitNotVault)
	mapError(vault.ErrNeedProfile, exitUsage)
	mapError(vault.ErrNoSuchProfile, exitUsage)
	mapError(vault.ErrAmbiguousPatient, exitUsage)
	mapError(vault.ErrProfileMismatch, exitUsage)
	mapError(vault.ErrBadRecipient, exitUsage)
	mapError(vault.ErrNeedPassphrase, exitUsage)
	mapError(vault.ErrBadPassphrase, exitUsage)
	mapError(record.ErrNotSelfReportable, exitUsage)

	profileFlag := func(fs *flag.FlagSet) { fs.String("profile", "", "the person (name or id); everyone when left out") }
	for _, c := range []*command{
		{Name: "init", Args: "[--work-factor N]", Summary: "create the vault (fails if the file exists)",
			Help: `The passphrase comes from --passphrase-file, $KINFOLIO_PASSPHRASE or a prompt
(asked twice). The scrypt work factor is calibrated to about one second on this
machine (17 to 19) unless --work-factor sets it; below 17 unlocking is faster but
guessing the passphrase is too, so kin warns.

kin also estimates how many guesses the passphrase would take (common passwords,
words, names, dates, keyboard runs, repeats) and warns when it is weak (fewer than
about 10^10 guesses: two random words, a word and a year) or fair (fewer than
10^14: three random words). Four random words are strong.`,
			Flags: func(fs *flag.FlagSet) { fs.Int("work-factor", 0, "scrypt logN (default: calibrated, 17-19)") },
			Run:   runInit},
		{Name: "verify", Args: "[--profile NAME]", Summary: "open every stored value, print counts; exit 4 on any damage",
			Flags: profileFlag, Run: runVerify},
		{Name: "passwd", Args: "[--new-passphrase-file F]", Summary: "change the passphrase (re-wraps the key)",
			Help: `The new passphrase comes from --new-passphrase-file, $KINFOLIO_NEW_PASSPHRASE or a
prompt (asked twice). Unlocking with --identity (a recovery key) and setting a new
passphrase is how a forgotten passphrase is replaced. A weak or fair new passphrase
is accepted with a warning, as for init.`,
			Flags: func(fs *flag.FlagSet) {
				fs.String("new-passphrase-file", "", "read the new passphrase from the first line of F")
			},
			Run: runPasswd},
		{Name: "recovery-key", Args: "[--out FILE]", Summary: "make a recovery key, add it to the vault, write it to FILE or print it once",
			Flags: func(fs *flag.FlagSet) { fs.String("out", "", "write the key here (0600; the file must not exist)") },
			Run:   runRecoveryKey},
		{Name: "recipients list", Summary: "list the age keys (recovery, caregivers) that open the vault", Run: runRecipientsList},
		{Name: "recipients add", Args: "AGE1... [--name N]", Summary: "let a caregiver's age key open the vault",
			Flags: func(fs *flag.FlagSet) { fs.String("name", "", "whose key it is") }, MinArgs: 1, MaxArgs: 1, Run: runRecipientsAdd},
		{Name: "recipients remove", Args: "AGE1...", Summary: "remove a key; rotates the vault key so it opens nothing more",
			MinArgs: 1, MaxArgs: 1, Run: runRecipientsRemove},
		{Name: "profiles list", Summary: "list the people in the vault", Run: runProfilesList},
		{Name: "profiles add", Args: "NAME [--birth-date D] [--sex S] [--contact C]... [--language L]", Summary: "add a person",
			Help: profileDetailsHelp, Flags: profileDetailFlags, MinArgs: 1, MaxArgs: 1, Run: runProfilesAdd},
		{Name: "profiles edit", Args: "NAME [--birth-date D] [--sex S] [--contact C]... [--no-contacts] [--language L]",
			Summary: "change a person's birth date, sex, emergency contacts or language",
			Help: profileDetailsHelp + `

Only the details given change; --contact replaces the contacts (in the order given),
--no-contacts removes them. The name changes with 'kin profiles rename'.`,
			Flags: func(fs *flag.FlagSet) {
				profileDetailFlags(fs)
				fs.Bool("no-contacts", false, "remove every emergency contact")
			}, MinArgs: 1, MaxArgs: 1, Run: runProfilesEdit},
		{Name: "profiles rename", Args: "OLD NEW", Summary: "rename a person", MinArgs: 2, MaxArgs: 2, Run: runProfilesRename},
		{Name: "list", Args: "[--profile NAME] [--kind KIND] [--since D] [--until D]", Summary: "list entries, newest first",
			Help: `One entry a line: date, person (when the vault holds more than one person and no
--profile is given; otherwise the person is named on stderr), kind, title (long ones
cut), value, status and id. "(conflict)" marks an entry another source disagrees
with: 'kin show ID' says how. --json prints every field whole, with profile_name.`,
			Flags: func(fs *flag.FlagSet) {
				profileFlag(fs)
				fs.String("kind", "", "only this kind (or kinds, comma-separated): "+kindNames())
				fs.String("since", "", "from this date on (2024-03-01)")
				fs.String("until", "", "up to this date, inclusive")
			}, Run: runList},
		{Name: "show", Args: "ID", Summary: "show one entry: all fields, codes, sources; --json adds its FHIR R4 JSON",
			Help: `ID may be the start of an id (6 characters or more). When another source says
something different about the same fact (a conflict), show lists the fields that
differ side by side, with each value and the files it came from, and the other
entry's id; both entries are kept. Entries of one document never conflict with each
other: a document that lists a problem twice states two facts.`,
			MinArgs: 1, MaxArgs: 1, Run: runShow},
		{Name: "search", Args: "[--profile NAME] QUERY", Summary: "entries matching words, codes or values",
			Flags: profileFlag, MinArgs: 1, MaxArgs: -1, Run: runSearch},
		{Name: "sources", Args: "[--profile NAME]", Summary: "list the imported files", Flags: profileFlag, Run: runSources},
		{Name: "sources remove", Args: "ID", Summary: "remove an imported file and what only it gave", MinArgs: 1, MaxArgs: 1, Run: runSourcesRemove},
		{Name: "log", Summary: "the audit log: imports, removals, exports, key changes, when", Run: runLog},
	} {
		register(c)
	}
}

func kindNames() string {
	names := make([]string, len(record.Kinds))
	for i, k := range record.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, " ")
}

// flagValue returns the value of the command's flag name ("" when unset).
func (c *ctx) flagValue(name string) string {
	if c.flags == nil {
		return ""
	}
	if f := c.flags.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

// profileID resolves --profile (a name or an id) to an id; "" when unset.
func (c *ctx) profileID(v *vault.Vault) (string, error) {
	name := c.flagValue("profile")
	if name == "" {
		return "", nil
	}
	p, err := v.Profile(name)
	if err != nil {
		return "", noSuchPerson(v, "--profile", name, err)
	}
	return p.ID, nil
}

func parseDateFlag(flagName, s string) (record.Date, error) {
	d, err := record.ParseDate(s)
	if err != nil {
		return record.Date{}, usagef("--%s: %v", flagName, err)
	}
	return d, nil
}

func runInit(c *ctx, _ []string) error {
	path, err := c.vaultPath()
	if err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists; kin init never overwrites a vault", path)
	}
	wf := 0
	if s := c.flagValue("work-factor"); s != "" && s != "0" {
		if _, err := fmt.Sscan(s, &wf); err != nil || wf < 1 || wf > vault.MaxWorkFactor {
			return usagef("--work-factor: want 1 to %d", vault.MaxWorkFactor)
		}
		if wf < 17 {
			c.infof("warning: work factor %d is below 17: unlocking is quick, and so is guessing the passphrase. Use it for tests, not for real records.", wf)
		}
	}
	pass, err := c.newPassphrase("", "New passphrase: ")
	if err != nil {
		return err
	}
	strength := c.judgePassphrase(pass)
	if wf == 0 {
		c.infof("measuring this computer to set the key derivation cost...")
	}
	v, err := vault.Create(path, pass, &vault.Options{WorkFactor: wf})
	if err != nil {
		if errors.Is(err, vault.ErrExists) {
			return fmt.Errorf("%s already exists; kin init never overwrites a vault", path)
		}
		return err
	}
	defer v.Close()
	if c.json {
		return c.printJSON(map[string]any{"vault": path, "id": v.ID(), "work_factor": v.WorkFactor(), "passphrase_strength": strength.Level.String()})
	}
	c.infof("created %s (scrypt work factor %d)", path, v.WorkFactor())
	c.infof("make a recovery key now: kin recovery-key --out FILE, and keep FILE somewhere safe")
	return nil
}

// judgePassphrase estimates a new passphrase's strength and, below
// strong, says so on stderr with a suggestion. The passphrase is accepted
// either way: the person decides.
func (c *ctx) judgePassphrase(p string) app.Strength {
	s := app.PassphraseStrength(p)
	if msg := passphraseWarning(s, app.SuggestPassphrase(5)); msg != "" {
		c.infof("%s", msg)
	}
	return s
}

// passphraseWarning words the warning for a weak or fair passphrase; ""
// for a strong one.
func passphraseWarning(s app.Strength, suggestion string) string {
	why := ""
	if s.Why != "" {
		why = " (" + s.Why + ")"
	}
	switch s.Level {
	case app.Weak:
		return fmt.Sprintf("warning: this passphrase is weak%s: someone who copies the vault file could guess it.\n"+
			"Use four or more random words, such as: %s\n"+
			"(kin accepts it; change it later with 'kin passwd')", why, suggestion)
	case app.Fair:
		return fmt.Sprintf("note: this passphrase is fair%s: a determined attacker with a copy of the vault could guess it in years; one or two more words make it strong", why)
	}
	return ""
}

func runVerify(c *ctx, _ []string) error {
	return c.withVault(func(v *vault.Vault) error {
		pid, err := c.profileID(v)
		if err != nil {
			return err
		}
		var rep *vault.VerifyReport
		var verr error
		if pid != "" {
			rep, verr = v.VerifyProfile(pid)
		} else {
			rep, verr = v.Verify()
		}
		if rep == nil {
			return verr
		}
		if c.json {
			if err := c.printJSON(rep); err != nil {
				return err
			}
		} else {
			writeVerify(c.stdout, rep, peopleNames(v)[pid])
		}
		if verr != nil {
			return withCode(exitDamaged, fmt.Errorf("the vault is damaged: %s (see above)", count(max(rep.Damaged, len(rep.Problems)), "problem", "problems")))
		}
		return nil
	})
}

// writeVerify prints a verify report: for one person (person not "")
// their values and records, and the damage found anywhere in the vault.
func writeVerify(w io.Writer, rep *vault.VerifyReport, person string) {
	counts := fmt.Sprintf("%s, %s, %s, %s", count(rep.Profiles, "person", "people"), count(rep.Sources, "source", "sources"),
		count(rep.Entries, "entry", "entries"), count(rep.Resources, "resource", "resources"))
	if person != "" {
		fmt.Fprintf(w, "%s: %s opened\n%s\n", oneLine(person), count(rep.Values, "value", "values"), counts)
		if rep.Damaged == 0 {
			fmt.Fprintln(w, "the whole vault was checked: nothing is damaged")
		} else {
			fmt.Fprintf(w, "the whole vault was checked: %s damaged\n", count(rep.Damaged, "value", "values"))
		}
	} else {
		fmt.Fprintf(w, "%s opened, %d damaged\n%s\n", count(rep.Values, "value", "values"), rep.Damaged, counts)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(w, "damaged:", p)
	}
}

func runPasswd(c *ctx, _ []string) error {
	return c.withVault(func(v *vault.Vault) error {
		var p string
		var err error
		switch f := c.flagValue("new-passphrase-file"); {
		case f != "":
			p, err = readPassphraseFile(f)
		case c.getenv("KINFOLIO_NEW_PASSPHRASE") != "":
			p = c.getenv("KINFOLIO_NEW_PASSPHRASE")
		default:
			if p, err = c.prompt("New passphrase: "); err == nil {
				var again string
				if again, err = c.prompt("Repeat the new passphrase: "); err == nil && again != p {
					err = usagef("the two passphrases differ")
				}
			}
		}
		if err != nil {
			return err
		}
		strength := c.judgePassphrase(p)
		if err := v.ChangePassphrase(p); err != nil {
			return err
		}
		if c.json {
			return c.printJSON(map[string]any{"changed": true, "passphrase_strength": strength.Level.String()})
		}
		c.infof("passphrase changed")
		return nil
	})
}

func runRecoveryKey(c *ctx, _ []string) error {
	out := c.flagValue("out")
	return c.withVault(func(v *vault.Vault) error {
		var f *os.File
		if out != "" {
			var err error
			if f, err = os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
				return fmt.Errorf("writing the recovery key: %w", err)
			}
		}
		key, err := v.RecoveryKey()
		if err != nil {
			if f != nil {
				f.Close()
				os.Remove(out)
			}
			return err
		}
		id, _ := age.ParseX25519Identity(key)
		recipient := id.Recipient().String()
		text := fmt.Sprintf("# Kinfolio recovery key, created %s\n# It opens the vault %s without the passphrase: keep it safe.\n# public key: %s\n%s\n",
			time.Now().UTC().Format(time.RFC3339), v.Path(), recipient, key)
		if f != nil {
			_, err := f.WriteString(text)
			if serr := f.Sync(); err == nil {
				err = serr
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("writing the recovery key: %w", err)
			}
			if c.json {
				return c.printJSON(map[string]any{"recipient": recipient, "file": out})
			}
			c.infof("recovery key written to %s; it opens the vault: print it or store it away from this computer", out)
			return nil
		}
		if c.json {
			return c.printJSON(map[string]any{"recipient": recipient, "identity": key})
		}
		fmt.Fprint(c.stdout, text)
		c.infof("this is the only time the recovery key is shown: save it now")
		return nil
	})
}

func runRecipientsList(c *ctx, _ []string) error {
	return c.withVault(func(v *vault.Vault) error {
		rs := recipientsOf(v)
		if c.json {
			if rs == nil {
				rs = []vault.Recipient{}
			}
			return c.printJSON(rs)
		}
		if len(rs) == 0 {
			c.infof("no recovery or caregiver keys: only the passphrase opens the vault")
			return nil
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 8, 2, ' ', 0)
		for _, r := range rs {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Key, r.Name, r.Added.Format(time.DateOnly))
		}
		return tw.Flush()
	})
}

func runRecipientsAdd(c *ctx, args []string) error {
	return c.withVault(func(v *vault.Vault) error {
		key, name := strings.TrimSpace(args[0]), strings.TrimSpace(c.flagValue("name"))
		var had *vault.Recipient
		for _, r := range recipientsOf(v) {
			if r.Key == key {
				had = &r
			}
		}
		if err := v.AddRecipient(key, name); err != nil {
			return err
		}
		if c.json {
			return c.printJSON(recipientsOf(v))
		}
		switch {
		case had == nil:
			c.infof("added: that key now opens the vault")
		case name != "" && name != had.Name:
			c.infof("that key already opens the vault; renamed from %q to %q", had.Name, name)
		case had.Name != "":
			c.infof("that key already opens the vault (%s); nothing changed", had.Name)
		default:
			c.infof("that key already opens the vault; nothing changed")
		}
		return nil
	})
}

func runRecipientsRemove(c *ctx, args []string) error {
	return c.withVault(func(v *vault.Vault) error {
		if err := v.RemoveRecipient(args[0]); err != nil {
			if errors.Is(err, vault.ErrNeedPassphrase) {
				return fmt.Errorf("%w: unlock with the passphrase (not --identity) to remove a key", err)
			}
			return err
		}
		if c.json {
			rs := recipientsOf(v)
			if rs == nil {
				rs = []vault.Recipient{}
			}
			return c.printJSON(rs)
		}
		c.infof("removed; the vault key was replaced, so that key opens nothing from now on")
		return nil
	})
}

// profileJSON is a person as `kin profiles list --json` prints it.
type profileJSON struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	BirthDate record.Date      `json:"birth_date"`
	Sex       string           `json:"sex,omitempty"`
	Entries   int              `json:"entries"`
	Contacts  []record.Contact `json:"contacts,omitempty"`
	Language  string           `json:"language,omitempty"`
}

func runProfilesList(c *ctx, _ []string) error {
	return c.withVault(func(v *vault.Vault) error {
		out := []profileJSON{}
		for _, p := range profilesOf(v) {
			out = append(out, profileJSON{ID: p.ID, Name: p.Name, BirthDate: p.BirthDate, Sex: p.Sex, Entries: entryCount(v, p.ID),
				Contacts: p.Contacts, Language: p.Language})
		}
		if c.json {
			return c.printJSON(out)
		}
		if len(out) == 0 {
			c.infof("no people in the vault yet: kin profiles add NAME, or kin import FILE")
			return nil
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 8, 2, ' ', 0)
		for _, p := range out {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d entries\n", p.Name, p.BirthDate.Human(), p.ID, p.Entries)
		}
		return tw.Flush()
	})
}

const profileDetailsHelp = `The emergency card and the visit summary print a person's emergency contacts
(two fit on the card) and preferred language. --contact "Name, relation, phone" is
repeatable, first first: --contact "Jo Lee, mother, 555 0100". Sex is as FHIR
codes it: female, male, other, unknown.`

func profileDetailFlags(fs *flag.FlagSet) {
	fs.String("birth-date", "", "birth date, ISO 8601 (1980-02-14)")
	fs.String("sex", "", "female, male, other or unknown")
	fs.Var(&stringList{}, "contact", `an emergency contact, "Name, relation, phone"; repeatable`)
	fs.String("language", "", "the language the person prefers to be spoken to in (\"Spanish\")")
}

// profileDetails reads the details flags over d: only the flags given change it.
func (c *ctx) profileDetails(d app.PersonDetails) (app.PersonDetails, error) {
	if s := c.flagValue("birth-date"); s != "" {
		b, err := parseDateFlag("birth-date", s)
		if err != nil {
			return d, err
		}
		d.BirthDate = b
	}
	if s := strings.ToLower(strings.TrimSpace(c.flagValue("sex"))); s != "" {
		switch s {
		case "female", "male", "other", "unknown":
			d.Sex = s
		default:
			return d, usagef("--sex: want female, male, other or unknown, not %q", s)
		}
	}
	if c.flagValue("no-contacts") == "true" {
		d.Contacts = nil
	}
	if cs := c.listFlag("contact"); len(cs) > 0 {
		d.Contacts = nil
		for _, s := range cs {
			ct, err := app.ParseContact(s)
			if err != nil {
				return d, usagef("--contact %q: %s", s, strings.TrimPrefix(err.Error(), app.ErrBadInput.Error()+": contact: "))
			}
			d.Contacts = append(d.Contacts, ct)
		}
	}
	if l := c.flagValue("language"); l != "" {
		d.Language = l
	}
	return d, nil
}

func runProfilesAdd(c *ctx, args []string) error {
	if strings.TrimSpace(args[0]) == "" {
		return usagef("the name is empty")
	}
	d, err := c.profileDetails(app.PersonDetails{Name: args[0]})
	if err != nil {
		return err
	}
	return c.withSession(func(s *app.Session) error {
		p, err := s.AddPerson(d)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(profileJSON{ID: p.ID, Name: p.Name, BirthDate: p.BirthDate, Sex: p.Sex,
				Contacts: p.Contacts, Language: p.Language})
		}
		c.infof("added %s (%s)", p.Name, p.ID)
		return nil
	})
}

func runProfilesEdit(c *ctx, args []string) error {
	return c.withSession(func(s *app.Session) error {
		p, err := s.Person(args[0])
		if err != nil {
			return noSuchPerson(s.Vault(), "profiles edit", args[0], err)
		}
		d, err := c.profileDetails(app.PersonDetails{Name: p.Name, BirthDate: p.BirthDate, Sex: p.Sex,
			Contacts: p.Contacts, Language: p.Language})
		if err != nil {
			return err
		}
		p, err = s.EditPerson(p.ID, d)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(profileJSON{ID: p.ID, Name: p.Name, BirthDate: p.BirthDate, Sex: p.Sex,
				Entries: p.Entries, Contacts: p.Contacts, Language: p.Language})
		}
		c.infof("changed %s's details", p.Name)
		return nil
	})
}

func runProfilesRename(c *ctx, args []string) error {
	return c.withVault(func(v *vault.Vault) error {
		if err := v.RenameProfile(args[0], args[1]); err != nil {
			return err
		}
		c.infof("renamed")
		if c.json {
			p, _ := v.Profile(args[1])
			return c.printJSON(profileJSON{ID: p.ID, Name: p.Name, BirthDate: p.BirthDate, Entries: entryCount(v, p.ID)})
		}
		return nil
	})
}

// peopleNames maps every person's id to their name.
func peopleNames(v *vault.Vault) map[string]string {
	names := map[string]string{}
	for _, p := range profilesOf(v) {
		names[p.ID] = p.Name
	}
	return names
}

// printEntries prints entries for people or as JSON. When the entries may
// belong to several people (the vault holds more than one and no --profile
// was given) each row names its person; otherwise a line on stderr does,
// so that stdout holds only rows. An empty result prints nothing on stdout
// and says why on stderr.
func (c *ctx) printEntries(v *vault.Vault, es []record.Entry, profile, none string) error {
	names := peopleNames(v)
	rows := newEntryRows(es, names)
	if c.json {
		return c.printJSON(rows)
	}
	if len(rows) == 0 {
		c.infof("%s", none)
		return nil
	}
	perPerson := profile == "" && len(names) > 1
	if !perPerson {
		// Whose entries, for people; the rows stay rows for scripts.
		c.infof("%s: %s", oneLine(rows[0].ProfileName), count(len(rows), "entry", "entries"))
	}
	return writeEntryTable(c.stdout, rows, perPerson)
}

// noEntries says why a list came back empty.
func noEntries(v *vault.Vault, profile string, filtered bool) string {
	switch {
	case entryCount(v, profile) == 0 && profile == "":
		return "no entries: the vault holds no records yet (kin import FILE, or kin add)"
	case entryCount(v, profile) == 0:
		return "no entries: " + peopleNames(v)[profile] + " has no records yet"
	case filtered:
		return "no entries match these filters"
	}
	return "no entries"
}

func runList(c *ctx, _ []string) error {
	var q vault.Query
	for _, k := range strings.Split(c.flagValue("kind"), ",") {
		if strings.TrimSpace(k) == "" {
			continue
		}
		kind, err := record.ParseKind(k)
		if err != nil {
			return usagef("--kind: %v", err)
		}
		q.Kinds = append(q.Kinds, kind)
	}
	var err error
	if s := c.flagValue("since"); s != "" {
		if q.Since, err = parseDateFlag("since", s); err != nil {
			return err
		}
	}
	if s := c.flagValue("until"); s != "" {
		if q.Until, err = parseDateFlag("until", s); err != nil {
			return err
		}
	}
	return c.withVault(func(v *vault.Vault) error {
		if q.Profile, err = c.profileID(v); err != nil {
			return err
		}
		es, err := v.Entries(q)
		if err != nil {
			return err
		}
		filtered := len(q.Kinds) > 0 || !q.Since.IsZero() || !q.Until.IsZero()
		return c.printEntries(v, es, q.Profile, noEntries(v, q.Profile, filtered))
	})
}

func runSearch(c *ctx, args []string) error {
	query := strings.Join(args, " ")
	if strings.TrimSpace(query) == "" {
		return usagef("search for what?")
	}
	return c.withVault(func(v *vault.Vault) error {
		pid, err := c.profileID(v)
		if err != nil {
			return err
		}
		es, err := v.Search(pid, query)
		if err != nil {
			return err
		}
		none := fmt.Sprintf("no entries match %q", query)
		if entryCount(v, pid) == 0 {
			none = noEntries(v, pid, false)
		}
		return c.printEntries(v, es, pid, none)
	})
}

// shownEntry is `kin show --json`: the entry's fields with its person's
// name, its FHIR R4 resources, the files they came from and the entries
// that disagree with it.
type shownEntry struct {
	entryRow
	FHIR        []any              `json:"fhir"`
	SourceFiles []vault.SourceInfo `json:"source_files"`
	Conflicts   []conflictJSON     `json:"conflicts"`
}

func runShow(c *ctx, args []string) error {
	return c.withVault(func(v *vault.Vault) error {
		e, rs, err := v.Entry(args[0])
		if err != nil {
			if errors.Is(err, vault.ErrNoSuchEntry) {
				return usagef("%v", err)
			}
			return err
		}
		d := entryDetail{Row: newEntryRow(e, peopleNames(v))}
		for _, s := range e.Sources {
			if si, err := v.Source(s); err == nil {
				d.Sources = append(d.Sources, si)
			}
		}
		if d.Conflicts, err = v.Conflicts(e.ID); err != nil {
			return err
		}
		if c.json {
			out := shownEntry{entryRow: d.Row, FHIR: []any{}, SourceFiles: d.Sources, Conflicts: []conflictJSON{}}
			for _, r := range rs {
				out.FHIR = append(out.FHIR, rawJSON(r.JSON))
			}
			if out.SourceFiles == nil {
				out.SourceFiles = []vault.SourceInfo{}
			}
			for _, cf := range d.Conflicts {
				out.Conflicts = append(out.Conflicts, newConflictJSON(cf))
			}
			return c.printJSON(out)
		}
		writeEntryDetail(c.stdout, d)
		return nil
	})
}

// rawJSON keeps a resource's JSON as it is when printed inside a document.
type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

func runSources(c *ctx, _ []string) error {
	return c.withVault(func(v *vault.Vault) error {
		pid, err := c.profileID(v)
		if err != nil {
			return err
		}
		names := peopleNames(v)
		out := []sourceRow{}
		for _, s := range sourcesOf(v, pid) {
			out = append(out, newSourceRow(s, names))
		}
		if c.json {
			return c.printJSON(out)
		}
		if len(out) == 0 {
			c.infof("no imported files yet: kin import FILE")
			return nil
		}
		perPerson := pid == "" && len(names) > 1
		if !perPerson {
			who := ""
			if pid != "" {
				who = names[pid]
			} else if len(names) == 1 {
				for _, n := range names {
					who = n
				}
			}
			if who != "" {
				c.infof("%s: %s", oneLine(who), count(len(out), "source", "sources"))
			}
		}
		return writeSourceTable(c.stdout, out, perPerson)
	})
}

func runSourcesRemove(c *ctx, args []string) error {
	return c.withVault(func(v *vault.Vault) error {
		src, err := v.Source(args[0])
		if err != nil {
			return usagef("%v", err)
		}
		rep, err := v.RemoveSource(src.ID)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(rep)
		}
		c.infof("removed %s: %d entries gone, %d kept (other sources state them too)", src.File, rep.Entries, rep.Kept)
		return nil
	})
}

func runLog(c *ctx, _ []string) error {
	return c.withVault(func(v *vault.Vault) error {
		evs, err := v.Log()
		if err != nil {
			return err
		}
		if c.json {
			if evs == nil {
				evs = []vault.AuditEvent{}
			}
			return c.printJSON(evs)
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 8, 2, ' ', 0)
		for _, ev := range evs {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", ev.Time.Local().Format("2006-01-02 15:04:05"), ev.Action, ev.Detail)
		}
		return tw.Flush()
	})
}

// count renders n with the singular or plural noun: "1 person", "3 people".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
