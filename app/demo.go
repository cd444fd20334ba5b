package app

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/assets"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// DemoFile is the demo vault's file name, beside the user's own vault.
const DemoFile = "demo.kinfolio"

// Demo is a demo vault as [CreateDemo] made it.
type Demo struct {
	Path string
	// Passphrase opens the demo vault; it is also in the vault's plaintext
	// header, for the unlock screen ([Peek]).
	Passphrase string
	// People are the demo family, sorted by name.
	People []Person
}

// demoEntry is one line of the demo's entered-by-hand.json.
type demoEntry struct {
	Person string `json:"person"`
	NewEntry
}

// CreateDemo makes a demo vault at path, filled with the embedded demo
// record (a made-up family; see assets/demo/README.md), and returns it
// open. It goes the way a user's records do: [Create], then [Session.Import]
// of each export, then [Session.AddEntry] of what the family "typed in".
// The vault is marked as a demo, with its passphrase kept in the clear in
// its header ([Peek] shows it): never put real records in it.
//
// Errors wrap [vault.ErrExists] (CreateDemo never overwrites a file); if
// filling the vault fails, the half-made vault is removed.
func CreateDemo(path string, opts *Options) (*Session, *Demo, error) {
	pass, err := demoPassphrase()
	if err != nil {
		return nil, nil, err
	}
	s, err := create(path, pass, opts, true)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.fillDemo(assets.DemoRecords())
	if err != nil {
		s.Lock()
		os.Remove(path)
		return nil, nil, fmt.Errorf("filling the demo vault: %w", err)
	}
	d.Path, d.Passphrase = path, pass
	return s, d, nil
}

func (s *Session) fillDemo(files fs.FS) (*Demo, error) {
	names, err := fs.Glob(files, "records/*")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	// The importers read files from disk, as a user's would be; the demo's
	// made-up records go to a private folder for the while.
	dir, err := os.MkdirTemp("", "kinfolio-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var paths []string
	for _, n := range names {
		b, err := fs.ReadFile(files, n)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(dir, filepath.Base(n))
		if err := os.WriteFile(p, b, 0o600); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	results, err := s.Import(context.Background(), paths, ImportOptions{})
	if err != nil {
		return nil, err
	}
	for _, r := range results {
		if r.Failed() {
			return nil, r.Err
		}
	}
	b, err := fs.ReadFile(files, "entered-by-hand.json")
	if err != nil {
		return nil, err
	}
	var typed []demoEntry
	if err := json.Unmarshal(b, &typed); err != nil {
		return nil, fmt.Errorf("entered-by-hand.json: %w", err)
	}
	for i, e := range typed {
		if _, err := s.AddEntry(e.Person, e.NewEntry); err != nil {
			return nil, fmt.Errorf("entered-by-hand.json, entry %d: %w", i+1, err)
		}
	}
	// What the family typed in about themselves: contacts for the card.
	for name, d := range demoDetails {
		p, err := s.Person(name)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		d.Name, d.BirthDate, d.Sex = p.Name, p.BirthDate, p.Sex
		if _, err := s.EditPerson(p.ID, d); err != nil {
			return nil, err
		}
	}
	people, err := s.People()
	if err != nil {
		return nil, err
	}
	return &Demo{People: people}, nil
}

// demoDetails are the demo family's emergency contacts (invented, with
// numbers from the range set aside for fiction).
var demoDetails = map[string]PersonDetails{
	"Ann Lee": {Contacts: []record.Contact{{Name: "David Lee", Relation: "husband", Phone: "555-0142"},
		{Name: "Grace Park", Relation: "sister", Phone: "555-0178"}}},
	"Sam Lee": {Contacts: []record.Contact{{Name: "Ann Lee", Relation: "mother", Phone: "555-0131"},
		{Name: "David Lee", Relation: "father", Phone: "555-0142"}}},
}

// demoPassphrase makes a passphrase for a demo vault: "demo-" and three
// short syllable groups, easy to read off the screen and type. It guards
// nothing (it is in the vault's header), but differs per demo vault so no
// two share a secret.
func demoPassphrase() (string, error) {
	const consonants, vowels = "bdfgklmnprstvz", "aeiou"
	pick := func(set string) (byte, error) {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return 0, err
		}
		return set[n.Int64()], nil
	}
	groups := []string{"demo"}
	for range 3 {
		var g []byte
		for range 2 {
			c, err := pick(consonants)
			if err != nil {
				return "", err
			}
			v, err := pick(vowels)
			if err != nil {
				return "", err
			}
			g = append(g, c, v)
		}
		groups = append(groups, string(g))
	}
	return strings.Join(groups, "-"), nil
}

// VaultInfo is what is known of a vault file before it is unlocked.
type VaultInfo struct {
	Path string
	// Demo marks a demo vault of made-up records; DemoPassphrase is its
	// passphrase when it was not changed since (the unlock screen shows it).
	Demo           bool
	DemoPassphrase string
}

// Peek reads what a vault file says of itself before unlocking: whether
// it is a vault, and whether a demo one. It takes no key derivation and
// writes nothing.
//
// Errors wrap [ErrNoVault] (no file there), [vault.ErrNotVault],
// [vault.ErrNewerVersion], [vault.ErrDamaged] or [vault.ErrInUse]; [Sentence]
// words each.
func Peek(path string, opts *Options) (VaultInfo, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	info, err := vault.Peek(path, o.vaultOptions())
	if errors.Is(err, fs.ErrNotExist) {
		return VaultInfo{Path: path}, fmt.Errorf("%w: %s", ErrNoVault, path)
	}
	if err != nil {
		return VaultInfo{Path: path}, err
	}
	return VaultInfo{Path: path, Demo: info.Demo, DemoPassphrase: info.DemoPassphrase}, nil
}

// Demo reports whether the open vault is a demo vault of made-up records
// (false once locked): every screen then says so.
func (s *Session) Demo() bool {
	v, err := s.vault()
	return err == nil && v.Demo()
}
