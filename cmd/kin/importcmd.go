package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

func init() {
	mapError(importers.ErrNoPatient, exitUsage)
	register(&command{
		Name: "import", Args: "[--profile NAME] FILE...", Summary: "import files (or folders); print a report per file",
		Help: `Each file's format is detected from its content: C-CDA and C32 documents, FHIR R4,
R4B, STU3 and DSTU2 (JSON, XML, NDJSON), IHE XDM and other zips, folders, Apple
Health exports, Blue Button 2.0 claims. Each file is imported in one transaction:
all of it or nothing. Importing a file again changes nothing (already imported).

Whose records they are, by one rule:
  A file or package part that names its patient goes to the matching person,
  or to a new person. One that names no patient but refers to one (Patient/ID)
  goes to the person whose Patient was in the same package or among the files
  given with it, or was imported before from the same kind of file.
  --profile decides only for parts that name no one, or whose patient matches
  more than one person. A part whose patient is clearly someone else than the
  --profile person (another person in the vault, or a name or birth date that
  differs while nothing agrees) is refused; when only the name or only the
  birth date differs (a married name, a typo) it goes there with a warning
  saying what differs.
  Without --profile, a part that names no one goes to the only person in the
  vault. A file put under a person by --profile never changes the person's
  name, birth date or record numbers.

A zip or folder is imported per person, as separate files would be. A part
that cannot be given to anyone is left out (the report says why) and the rest is
imported; import the package again with --profile to add the part left out.

For a package the counts cover everything inside it; "parts" break them down.
Exit status 0 when everything was imported; 1 when a file or a part could not
be; 2 when nothing was imported because whose it is must be said.`,
		Flags:   func(fs *flag.FlagSet) { fs.String("profile", "", "the person the files are about (name or id)") },
		MinArgs: 1, MaxArgs: -1,
		Run: runImport,
	})
}

// outcome is what importing one path did, as the messages need it.
type outcome struct {
	path   string
	report *app.FileReport // nil when the file failed
	err    error           // why the file failed: nothing of it was stored
	// leftOut are the parts of a package that were not imported.
	leftOut []*vault.PatientError
	people  []string // everyone in the vault, for the messages
}

func runImport(c *ctx, args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	profile := c.flagValue("profile")

	var outs []outcome
	err := c.withSession(func(s *app.Session) error {
		if profile != "" {
			if _, err := s.Person(profile); err != nil {
				return noSuchPerson(s.Vault(), "--profile", profile, err)
			}
		}
		results, err := s.Import(ctx, args, app.ImportOptions{Person: profile})
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted; files not started were not imported")
			}
			return err
		}
		people := everyone(s.Vault())
		for _, r := range results {
			outs = append(outs, outcome{path: r.Path, report: r.Report, err: r.Err, leftOut: r.LeftOut, people: people})
		}
		return nil
	})
	if err != nil {
		return err
	}

	if c.json {
		reports := make([]app.FileReport, len(outs))
		for i, o := range outs {
			if o.report != nil {
				reports[i] = *o.report
			} else {
				reports[i] = app.FileReport{File: filepath.Base(o.path), Added: map[record.Kind]int{},
					Skipped: []record.Skip{}, Warnings: []string{}, Error: failureSentence(o)}
			}
		}
		if err := c.printJSON(reports); err != nil {
			return err
		}
	}
	for _, o := range outs {
		if o.report != nil && !c.json {
			printImportReport(c.stdout, o.report)
		}
		if o.err != nil {
			c.infof("kin: %s", failureSentence(o))
		}
		for _, pe := range o.leftOut {
			c.infof("kin: %s", leftOutSentence(filepath.Base(o.path), pe, o.people))
		}
	}
	if code := importExit(outs); code != exitOK {
		return withCode(code, errSilent)
	}
	return nil
}

// importExit is the exit status of an import: 0 when everything was
// imported, 2 when nothing was and only because whose it is must be said,
// else 1 when any file or part was not imported.
func importExit(outs []outcome) int {
	imported, usage, failed := 0, 0, 0
	for _, o := range outs {
		switch {
		case o.err != nil && exitCode(o.err) == exitUsage:
			usage++
		case o.err != nil:
			failed++
		default:
			imported++
			if len(o.leftOut) > 0 {
				failed++
			}
		}
	}
	switch {
	case usage+failed == 0:
		return exitOK
	case imported == 0 && failed == 0:
		return exitUsage
	}
	return exitFailed
}

// everyone lists the names of everyone in the vault (never nil).
func everyone(v *vault.Vault) []string {
	out := []string{}
	for _, p := range profilesOf(v) {
		out = append(out, p.Name)
	}
	return out
}

// failureSentence says why a file was not imported, naming it once.
func failureSentence(o outcome) string {
	name := filepath.Base(o.path)
	pes := app.PatientErrors(o.err)
	switch {
	case len(pes) == 1 && pes[0].File == name:
		return whoseSentence(name, pes[0], o.people, "")
	case len(pes) > 0:
		var b strings.Builder
		fmt.Fprintf(&b, "%s: nothing was imported:", name)
		mismatch, unknown := false, false
		for _, pe := range pes {
			b.WriteString("\n  " + partSentence(pe))
			if errors.Is(pe, vault.ErrProfileMismatch) {
				mismatch = true
			} else {
				unknown = true
			}
		}
		if mismatch {
			b.WriteString("\nLeave out --profile to import them for the people they name.")
		}
		if unknown {
			fmt.Fprintf(&b, "\nSay who they belong to with --profile NAME and import %s again (%s).", name, vaultPeople(o.people))
		}
		return b.String()
	}
	return o.err.Error() // app.fileError names the file
}

// leftOutSentence says why a part of a package was left out and how to
// add it.
func leftOutSentence(pkg string, pe *vault.PatientError, people []string) string {
	return pkg + ": " + whoseSentence(pe.File, pe, people, pkg)
}

// whoseSentence words a *vault.PatientError for a caregiver: whom the file
// names, whom it was asked to go to, who is in the vault, and what to do.
// pkg is the package the file was left out of ("" for a file of its own).
// With people nil the advice is left for the caller to add.
func whoseSentence(file string, pe *vault.PatientError, people []string, pkg string) string {
	again := ""
	if pkg != "" {
		again = " and import " + pkg + " again"
	}
	leftOut := ""
	if pkg != "" {
		leftOut = ", so it was left out"
	}
	advice := func(what string) string {
		if people == nil {
			return ""
		}
		return " " + what + " with --profile NAME" + again + " (" + vaultPeople(people) + ")"
	}
	who := app.DescribePerson(pe.Person)
	switch {
	case errors.Is(pe, vault.ErrProfileMismatch) && pe.Chosen != nil:
		chosen := app.DescribeProfile(*pe.Chosen)
		if anonymousPerson(pe.Person) {
			return fmt.Sprintf("%s holds records of someone other than %s (%s)%s.", file, chosen, pe.Why, orLeftOut(leftOut, ", so it was not imported"))
		}
		target := "as a new person"
		if len(pe.Candidates) == 1 {
			target = "for " + pe.Candidates[0].Name + ", who is already in this vault"
		} else if len(pe.Candidates) > 1 {
			target = "and say which of " + namesOf(pe.Candidates) + " it is"
		}
		fix := fmt.Sprintf(" Leave out --profile to import it %s.", target)
		if pe.Refers != "" {
			fix = ""
		}
		return fmt.Sprintf("%s names %s, not %s%s.%s", file, who, chosen, orLeftOut(leftOut, ", so it was not imported"), fix)
	case errors.Is(pe, vault.ErrAmbiguousPatient) && len(pe.Candidates) == 0:
		return fmt.Sprintf("%s names %s, but %s%s.%s", file, who, pe.Why, orLeftOut(leftOut, ", so it was not imported"), advice("Say who it is"))
	case errors.Is(pe, vault.ErrAmbiguousPatient):
		return fmt.Sprintf("%s names %s, who could be %s%s.%s", file, who, oneOf(pe.Candidates), leftOut, advice("Say which"))
	}
	switch {
	case !anonymousPerson(pe.Person) && pe.Refers != "":
		// The records are about the patient of a file that was left out.
		return fmt.Sprintf("%s was not imported: %s.", file, pe.Why)
	case !pe.Person.BirthDate.IsZero() && len(pe.Candidates) == 1 && len(people) <= 1:
		return fmt.Sprintf("%s names no patient, and its birth date (%s) is not %s's%s.%s",
			file, pe.Person.BirthDate.Human(), pe.Candidates[0].Name, leftOut, advice("Say who it belongs to"))
	}
	return fmt.Sprintf("%s names no patient%s.%s", file, leftOut, advice("Say who it belongs to"))
}

func orLeftOut(leftOut, otherwise string) string {
	if leftOut != "" {
		return leftOut
	}
	return otherwise
}

// partSentence says in one sentence why one part of a package could not
// be given to anyone; the advice follows all of them.
func partSentence(pe *vault.PatientError) string {
	who := app.DescribePerson(pe.Person)
	switch {
	case errors.Is(pe, vault.ErrProfileMismatch) && pe.Chosen != nil && !anonymousPerson(pe.Person):
		return fmt.Sprintf("%s names %s, not %s.", pe.File, who, app.DescribeProfile(*pe.Chosen))
	case errors.Is(pe, vault.ErrProfileMismatch) && pe.Chosen != nil:
		return fmt.Sprintf("%s holds records of someone other than %s (%s).", pe.File, app.DescribeProfile(*pe.Chosen), pe.Why)
	case errors.Is(pe, vault.ErrAmbiguousPatient):
		return fmt.Sprintf("%s names %s, who could be %s.", pe.File, who, oneOf(pe.Candidates))
	case !anonymousPerson(pe.Person) && pe.Refers != "":
		return fmt.Sprintf("%s: %s.", pe.File, pe.Why)
	}
	return pe.File + " names no patient."
}

func vaultPeople(people []string) string {
	if len(people) == 0 {
		return "the vault holds no people yet: add one with kin profiles add NAME"
	}
	return "people in this vault: " + strings.Join(people, ", ")
}

func anonymousPerson(p record.Person) bool {
	return strings.TrimSpace(p.Name) == "" && strings.TrimSpace(p.Family) == "" && len(p.Given) == 0 && len(p.Identifiers) == 0
}

func namesOf(ps []record.Profile) string {
	var ns []string
	for _, p := range ps {
		ns = append(ns, p.Name)
	}
	return strings.Join(ns, ", ")
}

func oneOf(ps []record.Profile) string {
	var ns []string
	for _, p := range ps {
		ns = append(ns, app.DescribeProfile(p))
	}
	switch len(ns) {
	case 0:
		return "more than one person here"
	case 1:
		return ns[0] + ", but not surely"
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " or " + ns[len(ns)-1]
}

// noSuchPerson is the usage error for a --profile (or other person flag)
// that names no one, listing who is there.
func noSuchPerson(v *vault.Vault, flagName, name string, err error) error {
	if !errors.Is(err, vault.ErrNoSuchProfile) {
		return err
	}
	people := everyone(v)
	if strings.Contains(err.Error(), "several people") {
		return usagef("%s %s: several people are named so; use the id (kin profiles list)", flagName, name)
	}
	if len(people) == 0 {
		return usagef("%s %s: the vault holds no people yet (add one with kin profiles add NAME)", flagName, name)
	}
	return usagef("%s %s: no one of that name in this vault (people in this vault: %s)", flagName, name, strings.Join(people, ", "))
}

// printImportReport writes one file's report for people.
func printImportReport(w io.Writer, r *app.FileReport) {
	if r.AlreadyImported {
		fmt.Fprintf(w, "%s (%s): already imported, nothing changed\n", r.File, formatOf(r))
		return
	}
	who := r.Profile
	if who == "" {
		who = "(no person)"
	}
	fmt.Fprintf(w, "%s (%s) → %s\n", r.File, formatOf(r), who)
	for _, n := range r.NewProfiles {
		fmt.Fprintf(w, "  new person: %s\n", n)
	}
	printCounts(w, "  ", r)
}

func formatOf(r *app.FileReport) string {
	f := string(r.Format)
	if r.Version != "" && !strings.Contains(f, strings.ToLower(r.Version)) {
		return f + ", " + r.Version
	}
	return f
}

// printCounts writes a report's totals, then its own skipped items,
// warnings and what was left out, then each part.
func printCounts(w io.Writer, indent string, r *app.FileReport) {
	fmt.Fprintf(w, "%sadded %d%s, merged %d, conflicts %d, skipped %d\n", indent, r.TotalAdded(), kindCounts(r.Added), r.Merged, r.Conflicts, len(r.Skipped))
	own := r.Own
	for _, s := range own.Skipped {
		fmt.Fprintf(w, "%s  skipped %s: %s\n", indent, s.Path, s.Reason)
	}
	for _, m := range own.Warnings {
		fmt.Fprintf(w, "%s  warning: %s\n", indent, m)
	}
	for _, line := range leftOutLines(own.Ignored) {
		fmt.Fprintf(w, "%s  left out %s\n", indent, line)
	}
	for i := range r.Parts {
		p := &r.Parts[i]
		if p.AlreadyImported {
			fmt.Fprintf(w, "%s%s (%s): already imported\n", indent, p.File, formatOf(p))
			continue
		}
		who := ""
		if p.Profile != "" && p.Profile != r.Profile {
			who = " → " + p.Profile
		}
		fmt.Fprintf(w, "%s%s (%s)%s\n", indent, p.File, formatOf(p), who)
		printCounts(w, indent+"  ", p)
	}
}

// trailingCount is a reason ending in a count: "... Kinfolio does not keep (2)".
var trailingCount = regexp.MustCompile(`^(.*\S) \((\d+)(?: [a-z]+)?\)$`)

// leftOutLines groups what was passed over on purpose by why, one line per
// kind of thing: "(not health records) a stylesheet for displaying
// documents: CCD.xsl", "activity and fitness data Kinfolio does not keep:
// ActivitySummary (2), Workout (1)".
func leftOutLines(ignored []record.Skip) []string {
	var reasons []string
	paths := map[string][]string{}
	for _, ig := range ignored {
		reason, item := ig.Reason, ig.Path
		if m := trailingCount.FindStringSubmatch(reason); m != nil {
			reason, item = m[1], fmt.Sprintf("%s (%s)", item, m[2])
		}
		if _, ok := paths[reason]; !ok {
			reasons = append(reasons, reason)
		}
		paths[reason] = append(paths[reason], item)
	}
	var out []string
	for _, reason := range reasons {
		ps := paths[reason]
		list := strings.Join(ps[:min(len(ps), 4)], ", ")
		if len(ps) > 4 {
			list += fmt.Sprintf(" and %d more", len(ps)-4)
		}
		out = append(out, fmt.Sprintf("%s: %s", list, reason))
	}
	return out
}

// kindCounts renders per-kind additions: " (3 problems, 12 lab results)".
func kindCounts(added map[record.Kind]int) string {
	if k := app.KindCounts(added); k != "" {
		return " (" + k + ")"
	}
	return ""
}
