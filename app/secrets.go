package app

import "github.com/kinfolio/kinfolio/vault"

// The vault's unlock errors, for front ends that do not import the vault
// package (the window): [Open] and [Peek] return errors wrapping them.
var (
	// ErrWrongPassphrase: the passphrase or key does not open the vault.
	ErrWrongPassphrase = vault.ErrWrongPassphrase
	// ErrInUse: another window or program has the vault open.
	ErrInUse = vault.ErrInUse
)
