package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/vault"
)

// kin demo: the same demo vault the app's "Open the demo" makes.

func init() {
	register(&command{Name: "demo", Args: "--to FILE [--work-factor N]",
		Summary: "create a vault filled from the embedded demo record; prints its passphrase",
		Help: `Creates a demo vault at FILE (never over an existing file) with a made-up
family: Ann Lee and her son Sam Lee, with records from two providers each (FHIR
R4 and C-CDA) that merge and, for one medication, disagree, five years of labs,
and entries typed in by hand. It goes the way real records do: create, import,
add.

The passphrase is printed on stdout, alone on its line; --json prints
{"vault","passphrase","people"} instead. A demo vault keeps its passphrase in
the clear in its header so the app's unlock screen can show it: never put real
records in one.`,
		Flags: func(fs *flag.FlagSet) {
			fs.String("to", "", "the demo vault to create")
			fs.Int("work-factor", 0, "scrypt logN (default: calibrated, 17-19; tests use less)")
		},
		Run: runDemo})
}

// demoPerson is one person of the demo in kin demo --json, shaped like
// profiles list's.
type demoPerson struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	BirthDate string `json:"birth_date,omitempty"`
	Entries   int    `json:"entries"`
}

func runDemo(c *ctx, _ []string) error {
	path := c.flagValue("to")
	if path == "" {
		return usagef("demo: --to FILE is needed (the demo vault to create)")
	}
	wf := 0
	if s := c.flagValue("work-factor"); s != "" && s != "0" {
		if _, err := fmt.Sscan(s, &wf); err != nil || wf < 1 || wf > vault.MaxWorkFactor {
			return usagef("--work-factor: want 1 to %d", vault.MaxWorkFactor)
		}
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists; kin demo never overwrites a file", path)
	}
	s, d, err := app.CreateDemo(path, &app.Options{WorkFactor: wf})
	if err != nil {
		if errors.Is(err, vault.ErrExists) {
			return fmt.Errorf("%s already exists; kin demo never overwrites a file", path)
		}
		return err
	}
	if err := s.Lock(); err != nil {
		return err
	}
	if c.json {
		people := []demoPerson{}
		for _, p := range d.People {
			people = append(people, demoPerson{ID: p.ID, Name: p.Name, BirthDate: p.BirthDate.String(), Entries: p.Entries})
		}
		return c.printJSON(map[string]any{"vault": path, "passphrase": d.Passphrase, "people": people})
	}
	var names []string
	for _, p := range d.People {
		names = append(names, p.Label())
	}
	c.infof("created the demo vault %s: %s (made-up records)", path, strings.Join(names, "; "))
	fmt.Fprintln(c.stdout, d.Passphrase)
	return nil
}
