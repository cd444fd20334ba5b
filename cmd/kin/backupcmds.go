package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/backup"
)

// The commands that take records out of the vault and put them back:
// export fhir, backup, restore, and profiles remove (the other half of a
// handover). They are flags and printing over package app, which does the
// work (fill the export, write the file safely, record it in the log).

func init() {
	mapError(app.ErrOverVault, exitUsage)
	mapError(backup.ErrWrongKey, exitWrongKey)
	mapError(backup.ErrDamaged, exitDamaged)
	mapError(backup.ErrNotBackup, exitNotVault)
	mapError(backup.ErrNewerVersion, exitNotVault)
	mapError(vault.ErrExists, exitFailed)

	profile := func(fs *flag.FlagSet) {
		fs.String("profile", "", "the person (name or id); needed when the vault holds more than one")
	}
	for _, c := range []*command{
		{Name: "export fhir", Args: "[--ips] [--profile NAME] --out FILE",
			Summary: "write a person's record as a FHIR R4 Bundle, or an International Patient Summary",
			Help: `Without --ips: every stored record of the person, as imported, in one FHIR R4
collection Bundle, with a Provenance resource per source saying where each came
from. Importing it into another vault gives the same entries.

With --ips: an International Patient Summary, a FHIR document Bundle with the
required sections (medications, allergies, problems; an empty one says whether
none are known or nothing is recorded) and every recommended one there are
records for.

The file is written safely (to a temporary file beside it, then renamed) and
readable by you only. The export is recorded in the audit log.`,
			Flags: func(fs *flag.FlagSet) {
				profile(fs)
				fs.Bool("ips", false, "write an International Patient Summary instead of the whole record")
				fs.String("out", "", "the file to write (required)")
			},
			Run: runExportFHIR},
		{Name: "backup", Args: "--out FILE [--profile NAME] [--recipient AGE1...]...",
			Summary: "write an encrypted backup: manifest, FHIR bundles and the original files",
			Help: `The backup is an age file holding a zip: manifest.json, each person's FHIR R4
Bundle, the original imported files byte for byte, and what 'kin restore' needs
to rebuild the vault exactly. The stock age tool opens it:
  age -d -o backup.zip FILE     (or: age -d -i KEYFILE -o backup.zip FILE)

It is encrypted to the vault's passphrase, or to --backup-passphrase-file's, or,
with --recipient (repeatable), to those age keys instead.

--profile NAME makes a handover: a backup of that one person only, with nothing
of anyone else in it (files that also hold others' records are left out; their
part of them is kept). Restore it into a new vault for them, then remove them
from this one with 'kin profiles remove NAME'.`,
			Flags: func(fs *flag.FlagSet) {
				fs.String("profile", "", "back up this one person only (a handover)")
				fs.String("out", "", "the file to write (required)")
				fs.Var(&stringList{}, "recipient", "encrypt to this age public key (age1...) instead of a passphrase; repeatable")
				fs.String("backup-passphrase-file", "", "encrypt to the passphrase on the first line of F instead of the vault's")
			},
			Run: runBackup},
		{Name: "restore", Args: "FILE --to NEWVAULT [--new-passphrase-file F] [--work-factor N]",
			Summary: "read a backup into a new vault",
			Help: `The backup opens with --identity (the key it was made for) or a passphrase
(--passphrase-file, $KINFOLIO_PASSPHRASE, or asked). The new vault's passphrase
comes from --new-passphrase-file, $KINFOLIO_NEW_PASSPHRASE, or is asked twice;
without any of them, a backup opened with a passphrase keeps that passphrase.

Everything comes back as it was: people, entries, sources, original files byte
for byte, the audit log. Every file is checked against the backup's checksums;
a damaged or cut-short backup restores nothing (exit 4), and NEWVAULT is never
overwritten.`,
			Flags: func(fs *flag.FlagSet) {
				fs.String("to", "", "the new vault file (required; must not exist)")
				fs.String("new-passphrase-file", "", "the new vault's passphrase: the first line of F")
				fs.Int("work-factor", 0, "scrypt logN of the new vault (default: calibrated, 17-19)")
			},
			MinArgs: 1, MaxArgs: 1, Run: runRestore},
		{Name: "profiles remove", Args: "NAME [--yes]", Summary: "remove a person, with their records (asks first)",
			Help: `A person with no records is removed at once. A person with records is removed
with every file and entry only they had, after a confirmation: on a terminal kin
asks you to type their name; in a script pass --yes. Make a backup first
('kin backup --profile NAME') if they or you may want the records again. Files
that also hold other people's records must be removed first (kin sources).`,
			Flags:   func(fs *flag.FlagSet) { fs.Bool("yes", false, "remove without asking") },
			MinArgs: 1, MaxArgs: 1, Run: runProfilesRemove},
	} {
		register(c)
	}
}

// onePerson is the person --profile names, or the only person in the
// vault; else a usage error that says what to do.
func (c *ctx) onePerson(s *app.Session) (app.Person, error) {
	if name := c.flagValue("profile"); name != "" {
		p, err := s.Person(name)
		if err != nil {
			return app.Person{}, usagef("--profile: %v", err)
		}
		return p, nil
	}
	ps, err := s.People()
	if err != nil {
		return app.Person{}, err
	}
	switch len(ps) {
	case 1:
		return ps[0], nil
	case 0:
		return app.Person{}, usagef("the vault holds no people yet")
	}
	return app.Person{}, usagef("the vault holds %d people: say whose record with --profile NAME", len(ps))
}

func (c *ctx) outFlag() (string, error) {
	out := c.flagValue("out")
	if strings.TrimSpace(out) == "" {
		return "", usagef("--out FILE is required")
	}
	return out, nil
}

func runExportFHIR(c *ctx, _ []string) error {
	out, err := c.outFlag()
	if err != nil {
		return err
	}
	ips := c.flagValue("ips") == "true"
	return c.withSession(func(s *app.Session) error {
		p, err := c.onePerson(s)
		if err != nil {
			return err
		}
		w, err := s.ExportFHIR(p.ID, ips, out)
		if err != nil {
			return fmt.Errorf("exporting: %w", err)
		}
		kind := "fhir"
		if ips {
			kind = "ips"
		}
		if c.json {
			return c.printJSON(struct {
				Kind string `json:"kind"`
				*app.Written
			}{kind, w})
		}
		what := "FHIR record (" + count(w.Resources, "resource", "resources") + ")"
		if ips {
			what = "patient summary (IPS)"
		}
		c.infof("wrote %s's %s to %s (%s)", w.PersonName, what, w.Path, app.ByteSize(w.Bytes))
		return nil
	})
}

func runBackup(c *ctx, _ []string) error {
	out, err := c.outFlag()
	if err != nil {
		return err
	}
	opts := app.BackupOptions{Person: c.flagValue("profile"), Recipients: c.listFlag("recipient")}
	switch f := c.flagValue("backup-passphrase-file"); {
	case f != "" && len(opts.Recipients) > 0:
		return usagef("--backup-passphrase-file and --recipient exclude each other: a backup opens with a passphrase or with keys")
	case f != "":
		if opts.Passphrase, err = readPassphraseFile(f); err != nil {
			return err
		}
	case c.getenv("KINFOLIO_BACKUP_PASSPHRASE") != "" && len(opts.Recipients) == 0:
		opts.Passphrase = c.getenv("KINFOLIO_BACKUP_PASSPHRASE")
	}
	return c.withSession(func(s *app.Session) error {
		if opts.Person != "" {
			p, err := s.Person(opts.Person)
			if err != nil {
				return usagef("--profile: %v", err)
			}
			opts.Person = p.ID
		}
		w, err := s.Backup(out, opts)
		if err != nil {
			if errors.Is(err, vault.ErrNeedPassphrase) {
				return usagef("you unlocked with a key, so there is no passphrase to lock the backup with: give --recipient AGE1... or --backup-passphrase-file F")
			}
			if errors.Is(err, vault.ErrBadRecipient) {
				return usagef("--recipient: %v", err)
			}
			return fmt.Errorf("backing up: %w", err)
		}
		if c.json {
			return c.printJSON(w)
		}
		m := w.Manifest
		who := count(m.Counts.People, "person", "people")
		if w.PersonName != "" {
			who = w.PersonName + " only"
		}
		c.infof("wrote a backup of %s to %s (%s): %s, %s, %s",
			who, w.Path, app.ByteSize(w.Bytes), count(m.Counts.Entries, "entry", "entries"),
			count(m.Counts.Sources, "source", "sources"), count(m.Counts.Originals, "original file", "original files"))
		for _, src := range m.Sources {
			if src.OriginalLeftOut != "" {
				c.infof("left out the original of %s: %s (its records of this person are in the backup)", src.File, src.OriginalLeftOut)
			}
		}
		if len(opts.Recipients) > 0 {
			c.infof("it opens with the secret key of %s", count(len(opts.Recipients), "recipient", "recipients"))
		} else {
			c.infof("it opens with the passphrase (age -d asks for it)")
		}
		return nil
	})
}

func runRestore(c *ctx, args []string) error {
	to := c.flagValue("to")
	if strings.TrimSpace(to) == "" {
		return usagef("--to NEWVAULT is required: the new vault's file")
	}
	if _, err := os.Lstat(to); err == nil {
		return fmt.Errorf("%s already exists; kin restore never overwrites a file (choose a new name)", to)
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
	var secret app.Secret
	backupPass := ""
	if c.identity != "" {
		secret = app.IdentityFile(c.identity)
	} else {
		p, err := c.passphrase("Backup passphrase: ")
		if err != nil {
			return err
		}
		secret, backupPass = app.Passphrase(p), p
	}
	var newPass string
	var err error
	switch f := c.flagValue("new-passphrase-file"); {
	case f != "":
		newPass, err = readPassphraseFile(f)
	case c.getenv("KINFOLIO_NEW_PASSPHRASE") != "":
		newPass = c.getenv("KINFOLIO_NEW_PASSPHRASE")
	case c.interactive():
		if newPass, err = c.prompt("New vault's passphrase: "); err == nil {
			var again string
			if again, err = c.prompt("Repeat it: "); err == nil && again != newPass {
				err = usagef("the two passphrases differ")
			}
		}
	case backupPass != "":
		newPass = backupPass
		c.infof("the new vault keeps the backup's passphrase (change it with 'kin passwd')")
	default:
		err = usagef("say the new vault's passphrase: --new-passphrase-file F or $KINFOLIO_NEW_PASSPHRASE")
	}
	if err != nil {
		return err
	}
	rep, err := app.Restore(args[0], secret, to, newPass, &app.Options{WorkFactor: wf})
	if err != nil {
		switch {
		case errors.Is(err, backup.ErrDamaged):
			return fmt.Errorf("%s: %w; nothing was restored", args[0], err)
		case errors.Is(err, fs.ErrNotExist) && !strings.Contains(err.Error(), to):
			return fmt.Errorf("no backup at %s", args[0])
		}
		return fmt.Errorf("%s: %w", args[0], err)
	}
	if c.json {
		return c.printJSON(struct {
			Vault string `json:"vault"`
			*vault.RestoreReport
		}{to, rep})
	}
	var names []string
	for _, p := range rep.Manifest.People {
		names = append(names, p.Name)
	}
	c.infof("restored %s (%s) into %s: %s, %s, %s", count(rep.People, "person", "people"), strings.Join(names, ", "), to,
		count(rep.Entries, "entry", "entries"), count(rep.Sources, "source", "sources"), count(rep.Originals, "original file", "original files"))
	return nil
}

// interactive reports whether stdin is a terminal kin can ask on.
func (c *ctx) interactive() bool {
	f, ok := c.stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func runProfilesRemove(c *ctx, args []string) error {
	return c.withSession(func(s *app.Session) error {
		p, err := s.Person(args[0])
		if err != nil {
			return usagef("%v", err)
		}
		plan, err := s.PlanRemoval(p.ID)
		if err != nil {
			return err
		}
		if plan.Shared > 0 {
			return fmt.Errorf("%s (kin sources --profile %q lists them)", plan.Question, p.Name)
		}
		if plan.Entries > 0 && c.flagValue("yes") != "true" {
			if !c.interactive() {
				return usagef("%s Run again with --yes to remove them.", plan.Question)
			}
			fmt.Fprintf(c.stderr, "%s\nType %s to confirm: ", plan.Question, p.Name)
			line, _ := bufio.NewReader(c.stdin).ReadString('\n')
			if strings.TrimSpace(line) != p.Name {
				return withCode(exitFailed, errors.New("not confirmed; nothing was removed"))
			}
		}
		if err := s.RemovePerson(p.ID); err != nil {
			return err
		}
		if c.json {
			return c.printJSON(map[string]any{"removed": p.ID, "name": p.Name, "entries": plan.Entries, "sources": plan.Sources})
		}
		if plan.Entries > 0 {
			c.infof("removed %s, with %s from %s", p.Name, count(plan.Entries, "entry", "entries"), count(plan.Sources, "file", "files"))
		} else {
			c.infof("removed %s", p.Name)
		}
		return nil
	})
}
