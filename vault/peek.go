package vault

import (
	"fmt"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// Info is what a vault's plaintext header says before it is unlocked. It
// holds no secret and no health data, except for a demo vault, whose
// passphrase is there on purpose (see [Options.Demo]).
type Info struct {
	// ID is the vault id (hex), the same as [Vault.ID].
	ID string
	// Format is the vault format version.
	Format int
	// WorkFactor is the scrypt logN unlocking with the passphrase costs.
	WorkFactor int
	// Demo marks a demo vault of made-up records.
	Demo bool
	// DemoPassphrase is a demo vault's passphrase, "" when it was changed
	// since the demo was made (and for every other vault).
	DemoPassphrase string
}

// Peek reads the plaintext header of the vault at path without unlocking
// it: whether it is a vault at all, and whether it is a demo. It opens the
// file read-only and writes nothing; it takes no key derivation.
//
// Errors: [ErrNotVault], [ErrNewerVersion], [ErrDamaged], [ErrInUse] when
// another process has the vault open for longer than the lock timeout, or
// an error wrapping fs.ErrNotExist when there is no file.
func Peek(path string, opts *Options) (info Info, err error) {
	db, err := openBolt(path, &bolt.Options{Timeout: opts.lockTimeout(), ReadOnly: true})
	if err != nil {
		return Info{}, err
	}
	defer db.Close()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer catch(&err)
	var hs *headerState
	if err := db.View(func(tx *bolt.Tx) error {
		var err error
		hs, err = readHeader(tx)
		return err
	}); err != nil {
		return Info{}, fmt.Errorf("%s: %w", path, err)
	}
	h := hs.h
	return Info{ID: h.ID, Format: h.Format, WorkFactor: h.WorkFactor, Demo: h.Demo, DemoPassphrase: h.DemoPassphrase}, nil
}

// Demo reports whether the vault is a demo vault of made-up records
// (made with [Options.Demo]).
func (v *Vault) Demo() bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.hdr.Demo
}
