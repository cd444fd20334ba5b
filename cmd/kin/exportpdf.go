package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/export/pdf"
)

func init() {
	mapError(pdf.ErrNoPerson, exitFailed)
	register(&command{
		Name:    "export pdf",
		Args:    "[--kind summary|card|full] [--since D] [--profile NAME] [--paper letter|a4] [--large-print] [--sections LIST] [--reason TEXT] --out FILE",
		Summary: "print a visit summary, an emergency card or the full record as a PDF",
		Help: `The visit summary (the default) is what a new doctor reads in a minute: allergies and alerts,
current medications, active problems, key results as trend charts, procedures, devices, care team,
immunizations, and the sources. The emergency card is a wallet card (front and back, to fold),
printed on a Letter or A4 sheet with cut marks: print it at 100%, never "fit to page". The full
record holds every entry, with contents, and appendices of the sources and conflicts.

The paper is the locale's (Letter in the US and Canada, A4 elsewhere) unless --paper says.
--since leaves out history (results, visits, procedures) dated before it; allergies, current
medications and active problems always print. --sections picks the summary's sections
(comma-separated: ` + sectionNames() + `); alerts and allergies always print.
The file is written whole or not at all, and the export is noted in the audit log.`,
		Flags: func(fs *flag.FlagSet) {
			fs.String("kind", "summary", "summary, card or full")
			fs.String("since", "", "leave out history before this date (2024-03-01)")
			fs.String("profile", "", "the person (needed when the vault holds more than one)")
			fs.String("paper", "", "letter or a4 (default: the locale's)")
			fs.Bool("large-print", false, "13 pt body text instead of 10.5 pt (summary and full record)")
			fs.String("sections", "", "the summary's sections, comma-separated (default: all)")
			fs.String("reason", "", "the reason for the visit, in the person's words (summary)")
			fs.String("reason-file", "", "read the reason for the visit from this file (summary)")
			fs.String("referred-by", "", "who referred the person (summary)")
			fs.Bool("strip", false, "card: the 171.2 × 54 mm strip alone, for a print shop")
			fs.String("out", "", "the PDF file to write")
		},
		Run: runExportPDF,
	})
}

func sectionNames() string {
	names := make([]string, len(pdf.SummarySections))
	for i, s := range pdf.SummarySections {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// exportOptions reads the command's flags into the printout's options.
func (c *ctx) exportOptions() (pdf.Kind, pdf.Options, error) {
	var o pdf.Options
	kind, err := pdf.ParseKind(c.flagValue("kind"))
	if err != nil {
		return "", o, usagef("--kind: %v", err)
	}
	if s := c.flagValue("since"); s != "" {
		if o.Since, err = parseDateFlag("since", s); err != nil {
			return "", o, err
		}
	}
	switch strings.ToLower(c.flagValue("paper")) {
	case "":
		o.Paper = app.PaperForEnvironment(c.getenv)
	case "letter", "us-letter":
		o.Paper = pdf.Letter
	case "a4":
		o.Paper = pdf.A4
	default:
		return "", o, usagef("--paper: %q is not letter or a4", c.flagValue("paper"))
	}
	o.LargePrint = c.flagValue("large-print") == "true"
	o.CardStrip = c.flagValue("strip") == "true"
	for _, s := range strings.Split(c.flagValue("sections"), ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		sec, err := pdf.ParseSection(s)
		if err != nil {
			return "", o, usagef("--sections: %v", err)
		}
		o.Sections = append(o.Sections, sec)
	}
	o.Reason = c.flagValue("reason")
	if f := c.flagValue("reason-file"); f != "" {
		if o.Reason != "" {
			return "", o, usagef("give --reason or --reason-file, not both")
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return "", o, usagef("--reason-file: %v", err)
		}
		o.Reason = string(b)
	}
	o.ReferredBy = c.flagValue("referred-by")
	return kind, o, nil
}

func runExportPDF(c *ctx, _ []string) error {
	out := c.flagValue("out")
	if out == "" {
		return usagef("say where to write the PDF with --out FILE")
	}
	kind, o, err := c.exportOptions()
	if err != nil {
		return err
	}
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return usagef("--out: there is no folder %s", filepath.Dir(out))
	}
	s, err := c.session()
	if err != nil {
		return err
	}
	defer s.Lock()
	person := c.flagValue("profile")
	if person == "" {
		people, err := s.People()
		if err != nil {
			return err
		}
		switch len(people) {
		case 0:
			return usagef("the vault holds no people yet: import their records first")
		case 1:
			person = people[0].ID
		default:
			return usagef("the vault holds %d people: say whose %s to print with --profile NAME", len(people), strings.ToLower(kind.Label()))
		}
	}
	p, err := s.Person(person)
	if err != nil {
		return usagef("--profile: %v", err)
	}
	n, err := s.ExportPDF(p.ID, kind, o, out)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]any{"file": out, "kind": string(kind), "profile": p.ID, "profile_name": p.Name,
			"paper": o.Paper.String(), "bytes": n})
	}
	c.infof("wrote %s: %s of %s (%s, %s)", out, strings.ToLower(kind.Label()), p.Name, o.Paper, app.ByteSize(n))
	if kind == pdf.KindCard && !o.CardStrip {
		c.infof("print it at 100%% (actual size), not \"fit to page\", and check the 50 mm bar with a ruler")
	}
	return nil
}
