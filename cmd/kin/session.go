package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

func init() {
	mapError(app.ErrBadKeyFile, exitUsage)
	mapError(app.ErrBadInput, exitUsage)
}

// session unlocks the vault named by --vault (or the default) through app:
// with --identity when given, else the passphrase. Errors carry their exit
// codes (3 wrong secret, 4 damaged, 5 in use, 6 not a vault) and app's
// sentence.
func (c *ctx) session() (*app.Session, error) {
	path, err := c.vaultPath()
	if err != nil {
		return nil, err
	}
	var secret app.Secret
	if c.identity != "" {
		secret = app.IdentityFile(c.identity)
	} else {
		p, err := c.passphrase("Passphrase: ")
		if err != nil {
			return nil, err
		}
		secret = app.Passphrase(p)
	}
	s, err := app.Open(path, secret, nil)
	switch {
	case errors.Is(err, app.ErrNoVault):
		return nil, fmt.Errorf("no vault at %s (create one with 'kin init')", path)
	case errors.Is(err, app.ErrBadKeyFile):
		return nil, usagef("--identity: %s %s", app.Sentence(err), errors.Unwrap(err))
	case err != nil:
		return nil, &wordedError{text: openFailure(path, err), err: err}
	}
	return s, nil
}

// withSession unlocks, runs fn and locks again.
func (c *ctx) withSession(fn func(s *app.Session) error) error {
	s, err := c.session()
	if err != nil {
		return err
	}
	err = fn(s)
	if lerr := s.Lock(); err == nil {
		err = lerr
	}
	return err
}

// withVault is withSession for the commands that print the vault's records
// as they are stored (list, show, verify, sources, the keys).
func (c *ctx) withVault(fn func(v *vault.Vault) error) error {
	return c.withSession(func(s *app.Session) error { return fn(s.Vault()) })
}

// The vault's lists, for commands that hold it open (withVault): it cannot
// be locked under them, so the vault's ErrClosed does not arise.

func profilesOf(v *vault.Vault) []record.Profile {
	ps, _ := v.Profiles()
	return ps
}

func recipientsOf(v *vault.Vault) []vault.Recipient {
	rs, _ := v.Recipients()
	return rs
}

func entryCount(v *vault.Vault, profile string) int {
	n, _ := v.EntryCount(profile)
	return n
}

func sourcesOf(v *vault.Vault, profile string) []vault.SourceInfo {
	ss, _ := v.Sources(profile)
	return ss
}

// openFailure words why the vault at path did not open: the path once, the
// sentence for people, and the technical detail when it adds to the
// sentence.
func openFailure(path string, err error) string {
	sentence := app.Sentence(err)
	detail := strings.TrimPrefix(err.Error(), path+": ")
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e.Error() == detail { // the bare sentinel: the sentence says it
			return path + ": " + sentence
		}
	}
	return path + ": " + sentence + " (" + detail + ")"
}
