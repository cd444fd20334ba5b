package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

func init() {
	register(&command{Name: "add", Args: "--kind KIND --title T [--date D] [--value V --unit U] [--note N] [--profile NAME]",
		Summary: "add an entry by hand (self-reported)", Help: addHelp(), Flags: addFlags, Run: runAdd})
}

// addHelp says which flags each kind takes; the rules are app's, the same
// as the window's forms.
func addHelp() string {
	var vitals []string
	for _, v := range record.VitalSigns {
		vitals = append(vitals, fmt.Sprintf("%s (%s)", v.Key, v.UnitTexts()))
	}
	return `The entry is marked as entered by you; the window checks it with the same rules.
Each kind takes its own flags:

  medication  --title NAME [--dose "10 mg" | --dose 10 --dose-unit mg]
              [--how "by mouth, twice a day"] or [--route R] [--frequency F] [--as-needed]
              [--instructions T] [--reason WHAT-FOR] [--date SINCE] [--until D]
              [--status active|stopped]; --value and --unit may give the dose
  allergy     --title SUBSTANCE [--reaction R]... [--severity mild|moderate|severe]
              [--category medication|food|environment|biologic] [--date SINCE],
              or --no-known-allergies [--date AS-OF]
  condition   --title NAME [--status active|resolved] [--date SINCE] [--until RESOLVED]
  vital       --vital SIGN --value V [--unit U], or a title that names the sign
              ("Weight", "Blood pressure"); a blood pressure is one reading:
              --value 128/82 --unit mmHg, or --systolic 128 --diastolic 82.
              ` + wrapWords("Signs and units: "+strings.Join(vitals, ", ")+".", 70, "\n              ") + `
              Another measurement: --title T [--value V --unit U]. The date is today
              when --date is left out.
  document    (or note) --note TEXT [--title T] (the title is the first line when left out)
  lab, other  --title T [--value V --unit U]
  immunization, procedure, encounter  --title T [--date D]

Values are checked: a weight of 7000 kg or a temperature of 60 °C is refused with a
sentence naming the flag (exit 2), and nothing is stored.`
}

// wrapWords wraps text at width, joining lines with sep.
func wrapWords(text string, width int, sep string) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line = strings.TrimSpace(line + " " + w)
	}
	return strings.Join(append(lines, line), sep)
}

func addFlags(fs *flag.FlagSet) {
	fs.String("profile", "", "the person (needed when the vault holds more than one)")
	fs.String("kind", "", "one of "+kindNames())
	fs.String("title", "", "what it is (\"Lisinopril\", \"Penicillin\", \"Asthma\")")
	fs.String("date", "", "when, ISO 8601 (2024-03-01, 2024-03, 2024); a medicine's or problem's start")
	fs.String("value", "", "a value (a measurement, 128/82 for a blood pressure; a medication's dose)")
	fs.String("unit", "", "the value's unit (kg, lb, mmHg, °C, mg/dL...)")
	fs.String("note", "", "a note; a document's text")
	fs.String("until", "", "when it ended: a medicine's last day, the day a problem resolved")
	fs.String("status", "", "a problem's (active, resolved) or a medicine's (active, stopped)")
	fs.String("vital", "", "the vital sign: "+vitalKeys())
	fs.String("systolic", "", "a blood pressure's upper number")
	fs.String("diastolic", "", "a blood pressure's lower number")
	fs.String("dose", "", "how much of a medicine each time (\"10 mg\", \"2 tablets\", or a number with --dose-unit)")
	fs.String("dose-unit", "", "the dose's unit (mg, mcg, g, mL, units, tablets, capsules, puffs, drops...)")
	fs.String("how", "", "how a medicine is taken, in words (\"by mouth, twice a day, with food\")")
	fs.String("route", "", "how a medicine is taken (by mouth, inhaled, on the skin, injected under the skin...)")
	fs.String("frequency", "", "how often (once a day, twice a day, at bedtime, once a week...)")
	fs.Bool("as-needed", false, "the medicine is taken only when needed")
	fs.String("instructions", "", "other instructions for a medicine (\"with food\")")
	fs.String("reason", "", "what a medicine is for")
	fs.Var(&stringList{}, "reaction", "an allergy's reaction (hives, rash, swelling...); repeat for several")
	fs.String("severity", "", "how bad an allergic reaction is: mild, moderate or severe")
	fs.String("category", "", "what an allergy is to: medication, food, environment or biologic")
	fs.Bool("no-known-allergies", false, "state that there are no known allergies (with --kind allergy)")
}

func vitalKeys() string {
	var keys []string
	for _, v := range record.VitalSigns {
		keys = append(keys, v.Key)
	}
	return strings.Join(keys, ", ")
}

// addInput reads the flags of kin add into the entry they describe.
func (c *ctx) addInput(kind record.Kind) (app.NewEntry, error) {
	n := app.NewEntry{Kind: kind}
	for _, name := range app.EntryFieldNames()[1:] {
		f := c.flags.Lookup(name)
		if f == nil {
			return n, fmt.Errorf("kin add has no flag for the field %q", name)
		}
		if l, ok := f.Value.(*stringList); ok {
			for _, v := range *l {
				var one app.NewEntry
				one.Set(name, v)
				n.Reactions = append(n.Reactions, one.Reactions...)
			}
			continue
		}
		if err := n.Set(name, f.Value.String()); err != nil {
			return n, addError(err)
		}
	}
	return n, nil
}

// addError words a refused entry for the command line: each field as its
// flag, with app's sentence.
func addError(err error) error {
	var ie *app.InputError
	if errors.As(err, &ie) {
		var lines []string
		for _, f := range ie.Fields {
			lines = append(lines, "--"+f.Field+": "+f.Text)
		}
		return usagef("%s", strings.Join(lines, "\nkin: "))
	}
	if errors.Is(err, record.ErrNotSelfReportable) {
		return usagef("--kind: %s", strings.TrimPrefix(err.Error(), record.ErrNotSelfReportable.Error()+": "))
	}
	return err
}

func runAdd(c *ctx, _ []string) error {
	kindText := c.flagValue("kind")
	if kindText == "" {
		return usagef("--kind is required (one of %s)", kindNames())
	}
	kind, err := record.ParseKind(kindText)
	if strings.EqualFold(strings.TrimSpace(kindText), "note") {
		// The window calls a document typed by hand a note.
		kind, err = record.KindDocument, nil
	}
	if err != nil {
		return usagef("--kind: %v", err)
	}
	in, err := c.addInput(kind)
	if err != nil {
		return err
	}
	// Check before asking for the passphrase; AddEntry checks again.
	if err := app.CheckEntry(in, time.Now()); err != nil {
		return addError(err)
	}
	return c.withSession(func(s *app.Session) error {
		v := s.Vault()
		profile := c.flagValue("profile")
		if profile == "" && len(profilesOf(v)) != 1 {
			n := len(profilesOf(v))
			if n == 0 {
				return usagef("the vault holds no people yet: add one with 'kin profiles add NAME'")
			}
			return usagef("say whose entry it is with --profile NAME (%s)", vaultPeople(everyone(v)))
		}
		if profile != "" {
			if _, err := v.Profile(profile); err != nil {
				return noSuchPerson(v, "--profile", profile, err)
			}
		}
		row, err := s.AddEntry(profile, in)
		if err != nil {
			return addError(err)
		}
		e, _, err := v.Entry(row.ID)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(newEntryRow(e, peopleNames(v)))
		}
		c.infof("added %s %q (%s)", e.Kind, e.Title, e.ID)
		return nil
	})
}
