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
	"strings"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/all"
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

A file that names its patient goes to the matching person, or to a new one. A file
that names no patient, or whose patient could be several people, goes to the person
named by --profile (or the only person in the vault).

Exit status 1 when any file failed; the others are imported all the same.`,
		Flags:   func(fs *flag.FlagSet) { fs.String("profile", "", "the person the files are about (name or id)") },
		MinArgs: 1, MaxArgs: -1,
		Run: runImport,
	})
}

// importReport is one file's line in `kin import --json`: the importer's
// and vault's report, or the error that stopped the file.
type importReport struct {
	*record.Report
	File        string   `json:"file"`
	NewProfiles []string `json:"new_profiles,omitempty"`
	Error       string   `json:"error,omitempty"`
	code        int
}

func runImport(c *ctx, args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	reg := all.Registry()
	lim := importers.DefaultLimits()
	profile := c.flagValue("profile")

	var reports []importReport
	err := c.withVault(func(v *vault.Vault) error {
		if profile != "" {
			if _, err := v.Profile(profile); err != nil {
				return usagef("--profile: %v", err)
			}
		}
		for _, path := range args {
			reports = append(reports, importOne(ctx, v, reg, lim, path, profile))
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted; files not started were not imported")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	worst := exitOK
	for _, r := range reports {
		worst = max(worst, r.code)
	}
	if c.json {
		if err := c.printJSON(reports); err != nil {
			return err
		}
	} else {
		for _, r := range reports {
			printImportReport(c.stdout, &r)
		}
	}
	switch worst {
	case exitOK:
		return nil
	case exitUsage:
		return withCode(exitUsage, errSilentUsage)
	}
	return withCode(worst, errSilent)
}

// errSilentUsage: a usage error whose details are in the per-file report.
var errSilentUsage = fmt.Errorf("%w: see the report above; name the person with --profile", errSilent)

// importOne reads and imports one file, never returning an error: what went
// wrong is the report's Error, with the exit code it deserves.
func importOne(ctx context.Context, v *vault.Vault, reg *importers.Registry, lim importers.Limits, path, profile string) importReport {
	name := filepath.Base(path)
	fail := func(err error) importReport {
		code := exitCode(err)
		if code == exitOK {
			code = exitFailed
		}
		return importReport{File: name, Error: err.Error(), code: code}
	}
	b, err := reg.ReadPath(ctx, path, lim)
	if err != nil {
		return fail(err)
	}
	res, err := v.Import(b, vault.ImportOptions{Profile: profile})
	if err != nil {
		var ie *importers.Error
		if !errors.As(err, &ie) {
			err = fmt.Errorf("%s: %w", name, err)
		}
		return fail(err)
	}
	fillEmpty(res.Report)
	r := importReport{Report: res.Report, File: name}
	for _, p := range res.NewProfiles {
		r.NewProfiles = append(r.NewProfiles, p.Name)
	}
	return r
}

// printImportReport writes one file's report for people.
func printImportReport(w io.Writer, r *importReport) {
	if r.Error != "" {
		fmt.Fprintf(w, "%s: FAILED, nothing imported\n  %s\n", r.File, r.Error)
		return
	}
	rep := r.Report
	format := rep.Format
	if rep.Version != "" && !strings.Contains(format, strings.ToLower(rep.Version)) {
		format += ", " + rep.Version
	}
	if rep.AlreadyImported {
		fmt.Fprintf(w, "%s (%s): already imported, nothing changed\n", r.File, format)
		return
	}
	who := rep.Profile
	if who == "" {
		who = "(no person)"
	}
	fmt.Fprintf(w, "%s (%s) → %s\n", r.File, format, who)
	for _, n := range r.NewProfiles {
		fmt.Fprintf(w, "  new person: %s\n", n)
	}
	printCounts(w, "  ", rep)
}

func printCounts(w io.Writer, indent string, rep *record.Report) {
	added := rep.TotalAdded()
	fmt.Fprintf(w, "%sadded %d%s, merged %d, conflicts %d, skipped %d\n", indent, added, kindCounts(rep), sumMerged(rep), sumConflicts(rep), len(rep.Skipped))
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "%s  skipped %s: %s\n", indent, s.Path, s.Reason)
	}
	for _, m := range rep.Warnings {
		fmt.Fprintf(w, "%s  warning: %s\n", indent, m)
	}
	for i := range rep.Parts {
		p := &rep.Parts[i]
		state := ""
		if p.AlreadyImported {
			state = ": already imported"
		}
		fmt.Fprintf(w, "%s%s (%s)%s\n", indent, p.File, p.Format, state)
		if !p.AlreadyImported {
			printCounts(w, indent+"  ", p)
		}
	}
}

// kindCounts renders the per-kind additions of a report and its parts:
// " (3 problems, 12 lab results)".
func kindCounts(rep *record.Report) string {
	total := map[record.Kind]int{}
	var add func(r *record.Report)
	add = func(r *record.Report) {
		for k, n := range r.Added {
			total[k] += n
		}
		for i := range r.Parts {
			add(&r.Parts[i])
		}
	}
	add(rep)
	var parts []string
	for _, k := range record.Kinds {
		if n := total[k]; n > 0 {
			parts = append(parts, count(n, kindSingular[k], strings.ToLower(k.Label())))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// kindSingular names one entry of a kind, as [record.Kind.Label] names many.
var kindSingular = map[record.Kind]string{
	record.KindCondition: "problem", record.KindMedication: "medication", record.KindAllergy: "allergy",
	record.KindImmunization: "immunization", record.KindLab: "lab result", record.KindVital: "vital sign",
	record.KindProcedure: "procedure", record.KindEncounter: "visit", record.KindDocument: "document",
	record.KindClaim: "claim", record.KindOther: "other",
}

func sumMerged(r *record.Report) int {
	n := r.Merged
	for i := range r.Parts {
		n += sumMerged(&r.Parts[i])
	}
	return n
}

func sumConflicts(r *record.Report) int {
	n := r.Conflicts
	for i := range r.Parts {
		n += sumConflicts(&r.Parts[i])
	}
	return n
}

// fillEmpty makes a report's lists empty rather than null in JSON.
func fillEmpty(r *record.Report) {
	if r.Added == nil {
		r.Added = map[record.Kind]int{}
	}
	if r.Skipped == nil {
		r.Skipped = []record.Skip{}
	}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	for i := range r.Parts {
		fillEmpty(&r.Parts[i])
	}
}
