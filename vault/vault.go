package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DefaultLockTimeout is how long Open waits for another process to let go
// of the vault before giving up with [ErrInUse].
const DefaultLockTimeout = time.Second

// MaxWorkFactor is the highest scrypt work factor (logN) a vault may use;
// unlocking refuses anything higher, so a tampered wrap cannot make the
// unlock take hours.
const MaxWorkFactor = 20

// Options tune Create and Open. The zero value (or nil) gives the defaults.
type Options struct {
	// WorkFactor is the scrypt logN for the passphrase wrap (Create, and
	// the wrap written by ChangePassphrase when the vault has none yet).
	// Zero calibrates it on this machine to about one second, between 17
	// and 19. Tests use about 10. Values above [MaxWorkFactor] are refused.
	WorkFactor int
	// LockTimeout is how long Open waits for the file lock; zero means
	// [DefaultLockTimeout].
	LockTimeout time.Duration
	// Now is the clock used for import times and the audit log; nil means time.Now.
	Now func() time.Time
	// Demo makes Create write a demo vault: one for made-up records whose
	// passphrase is kept in the clear in the plaintext header, so that
	// [Peek] (and the app's unlock screen) can show it. Never for a vault
	// of real records: anyone with the file can read a demo vault.
	Demo bool
}

func (o *Options) lockTimeout() time.Duration {
	if o == nil || o.LockTimeout <= 0 {
		return DefaultLockTimeout
	}
	return o.LockTimeout
}

func (o *Options) now() time.Time {
	if o == nil || o.Now == nil {
		return time.Now().UTC().Truncate(time.Second)
	}
	return o.Now()
}

// Secret is what unlocks a vault: a [Passphrase] or age [Identities]
// (the recovery key, a caregiver's key).
type Secret interface {
	ageIdentities() ([]age.Identity, error)
	passphrase() (string, bool)
}

type passphraseSecret string

func (p passphraseSecret) ageIdentities() ([]age.Identity, error) {
	id, err := age.NewScryptIdentity(string(p))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadPassphrase, err)
	}
	id.SetMaxWorkFactor(MaxWorkFactor)
	return []age.Identity{id}, nil
}

func (p passphraseSecret) passphrase() (string, bool) { return string(p), true }

type identitySecret []age.Identity

func (s identitySecret) ageIdentities() ([]age.Identity, error) { return s, nil }
func (s identitySecret) passphrase() (string, bool)             { return "", false }

// Passphrase unlocks the vault with its passphrase.
func Passphrase(p string) Secret { return passphraseSecret(p) }

// Identities unlocks the vault with age identities, such as the recovery
// key or a caregiver's key (parse an identity file with [age.ParseIdentities]).
func Identities(ids ...age.Identity) Secret { return identitySecret(ids) }

// Vault is an open, unlocked vault. Its methods are safe for concurrent use.
// Close it (lock it) when done: that drops the key from memory and releases
// the file for other processes.
type Vault struct {
	// mu guards the state below; wmu serialises writers, which take it
	// before mu (lockWrite), so an import can read the state without mu
	// while readers go on (see Import).
	mu   sync.RWMutex
	wmu  sync.Mutex
	db   *bolt.DB
	path string
	opts Options

	s          *sealer
	key        []byte
	hdr        header
	vaultID    []byte
	pass       string // the passphrase, when known (to re-wrap a rotated key)
	hasPass    bool
	recipients []Recipient

	st    *state
	wrote bool
}

// catch turns a panic from bbolt on a broken file (or a fault reading its
// memory map) into an error wrapping [ErrDamaged]. Deferred directly at the
// vault's boundary, together with debug.SetPanicOnFault.
func catch(err *error) {
	if r := recover(); r != nil {
		*err = damagedPanic(r)
	}
}

func damagedPanic(r any) error {
	if e, ok := r.(runtime.Error); ok {
		return fmt.Errorf("%w: the file's structure is broken (%v)", ErrDamaged, e)
	}
	return fmt.Errorf("%w: the file's structure is broken (%v)", ErrDamaged, r)
}

// openDB opens the bbolt file of an existing vault, mapping bbolt's errors
// to this package's.
func openDB(path string, timeout time.Duration) (db *bolt.DB, err error) {
	return openBolt(path, boltOptions(timeout))
}

// openBolt is openDB with the bbolt options given (Peek opens read-only).
func openBolt(path string, bo *bolt.Options) (db *bolt.DB, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no vault at %s: %w", path, err)
		}
		return nil, fmt.Errorf("opening the vault: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, ErrNotVault)
	}
	if fi.Size() == 0 {
		// bbolt would initialize an empty file: refuse instead of writing.
		return nil, fmt.Errorf("%s: %w: the file is empty", path, ErrNotVault)
	}
	if err := precheck(path); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damagedPanic(r)
			if db != nil {
				db.Close()
				db = nil
			}
		}
	}()
	db, err = bolt.Open(path, 0o600, bo)
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s: %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%s: %w", path, ErrNotVault)
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("opening the vault: %w", err)
	}
	return nil, fmt.Errorf("%s: %w (%v)", path, ErrDamaged, err)
}

// boltOptions are the options every vault is opened with: the lock
// timeout and, where mapping more than the file is free (not on Windows,
// which would grow the file to match), a large initial memory map so big
// imports do not remap the file again and again while committing.
func boltOptions(timeout time.Duration) *bolt.Options {
	o := &bolt.Options{Timeout: timeout}
	if runtime.GOOS != "windows" && strconv.IntSize == 64 {
		o.InitialMmapSize = 1 << 30
	}
	return o
}

// Create makes a new vault at path, protected by passphrase, and returns it
// open. The file is written 0600; a missing folder is created 0700. The
// vault is built beside path and linked into place, so a crash leaves
// either no vault or a whole one.
//
// Errors: [ErrExists] if path exists; [ErrBadPassphrase] for an empty
// passphrase or a work factor above [MaxWorkFactor]; I/O errors as they come.
func Create(path, passphrase string, opts *Options) (v *Vault, err error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if passphrase == "" {
		return nil, fmt.Errorf("%w: the passphrase is empty", ErrBadPassphrase)
	}
	if o.WorkFactor < 0 || o.WorkFactor > MaxWorkFactor {
		return nil, fmt.Errorf("%w: work factor %d (want 1 to %d)", ErrBadPassphrase, o.WorkFactor, MaxWorkFactor)
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%s: %w", path, ErrExists)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the vault's folder: %w", err)
	}
	if o.WorkFactor == 0 {
		o.WorkFactor = CalibrateWorkFactor()
	}

	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	vaultID := newID()
	s, err := newSealer(key, vaultID)
	if err != nil {
		return nil, err
	}
	wrap, err := wrapToPassphrase(key, passphrase, o.WorkFactor)
	if err != nil {
		return nil, err
	}
	hdr := header{Magic: magic, Format: formatVersion, ID: hex.EncodeToString(vaultID),
		WorkFactor: o.WorkFactor, PassphraseWrap: hexSum(wrap)}
	if o.Demo {
		hdr.Demo, hdr.DemoPassphrase = true, passphrase
	}

	tmp, err := os.CreateTemp(dir, ".kinfolio-new-*")
	if err != nil {
		return nil, fmt.Errorf("creating the vault: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath) // bbolt initializes the file itself
	defer os.Remove(tmpPath)
	db, err := bolt.Open(tmpPath, 0o600, &bolt.Options{Timeout: o.lockTimeout()})
	if err != nil {
		return nil, fmt.Errorf("creating the vault: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		hb, err := tx.CreateBucket([]byte(bucketHeader))
		if err != nil {
			return err
		}
		for _, name := range sealedBuckets {
			if _, err := tx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		if err := hb.Put(keyHeader, encodeHeader(hdr)); err != nil {
			return err
		}
		if err := hb.Put(keyWrapPassphrase, wrap); err != nil {
			return err
		}
		if err := hb.Put(keyCheck, s.seal(bucketHeader, keyCheck, vaultID)); err != nil {
			return err
		}
		ev := AuditEvent{Time: o.now(), Action: ActionCreate}
		return putAudit(tx, s, ev)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("creating the vault: %w", err)
	}
	if err := os.Chmod(tmpPath, 0o600); err != nil {
		return nil, err
	}
	if err := os.Link(tmpPath, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrExists)
		}
		return nil, fmt.Errorf("creating the vault: %w", err)
	}
	// Drop the temporary name before opening the vault: Windows refuses
	// to delete a name of a file that is open, and it would stay behind.
	os.Remove(tmpPath)
	syncDir(dir)

	db, err = openDB(path, o.lockTimeout())
	if err != nil {
		return nil, err
	}
	v = &Vault{db: db, path: path, opts: o, s: s, key: key, hdr: hdr, vaultID: vaultID,
		pass: passphrase, hasPass: true, st: newState()}
	return v, nil
}

// syncDir makes a rename or link in dir durable, where the system allows.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Open opens and unlocks the vault at path with a passphrase or identities.
// It costs one key derivation (about a second) for a passphrase and does
// not write to the file.
//
// Errors: [ErrWrongPassphrase] when the secret does not unwrap the key;
// [ErrInUse] when another process holds the vault for longer than the lock
// timeout; [ErrNotVault] for a file that is not a vault; [ErrNewerVersion]
// for a vault of a newer format; [ErrDamaged] when the file is damaged
// (never a panic); an error wrapping fs.ErrNotExist when there is no file.
func Open(path string, secret Secret, opts *Options) (v *Vault, err error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	ids, err := secret.ageIdentities()
	if err != nil {
		return nil, err
	}
	db, err := openDB(path, o.lockTimeout())
	if err != nil {
		return nil, err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damagedPanic(r)
		}
		if err != nil {
			db.Close()
			v = nil
		}
	}()
	var hs *headerState
	if err := db.View(func(tx *bolt.Tx) error {
		var err error
		hs, err = readHeader(tx)
		return err
	}); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pass, isPass := secret.passphrase()
	wrap := hs.wrapPassphrase
	if !isPass {
		wrap = hs.wrapRecipients
		if wrap == nil {
			return nil, fmt.Errorf("%w: the vault has no recovery or caregiver keys", ErrWrongPassphrase)
		}
	}
	key, err := unwrapKey(wrap, ids)
	if err != nil {
		return nil, err
	}
	s, err := newSealer(key, hs.id)
	if err != nil {
		return nil, err
	}
	v = &Vault{db: db, path: path, opts: o, s: s, key: key, hdr: hs.h, vaultID: hs.id, pass: pass, hasPass: isPass}
	if err := db.View(func(tx *bolt.Tx) error {
		hb := tx.Bucket([]byte(bucketHeader))
		check, err := s.open(bucketHeader, keyCheck, hb.Get(keyCheck))
		if err != nil || !bytes.Equal(check, hs.id) {
			return fmt.Errorf("%w: the key does not fit this vault", ErrDamaged)
		}
		if raw := hb.Get(keyRecipients); raw != nil {
			plain, err := s.open(bucketHeader, keyRecipients, raw)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(plain, &v.recipients); err != nil {
				return fmt.Errorf("%w: unreadable key list", ErrDamaged)
			}
		}
		st, err := loadState(tx, s)
		v.st = st
		return err
	}); err != nil {
		return nil, err
	}
	return v, nil
}

// unwrapKey opens an age wrap of the vault key with ids.
func unwrapKey(wrap []byte, ids []age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(wrap), ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) || errors.Is(err, age.ErrIncorrectIdentity) {
			return nil, ErrWrongPassphrase
		}
		return nil, fmt.Errorf("%w: the key wrap cannot be read (%v)", ErrDamaged, err)
	}
	key, err := io.ReadAll(io.LimitReader(r, keySize+1))
	if err != nil || len(key) != keySize {
		return nil, fmt.Errorf("%w: the key wrap holds no key", ErrDamaged)
	}
	return key, nil
}

// wrapToPassphrase wraps key to passphrase with scrypt at logN.
func wrapToPassphrase(key []byte, passphrase string, logN int) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadPassphrase, err)
	}
	r.SetWorkFactor(logN)
	return wrapTo(key, r)
}

func wrapTo(key []byte, rs ...age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return nil, fmt.Errorf("wrapping the vault key: %w", err)
	}
	w.Write(key)
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("wrapping the vault key: %w", err)
	}
	return buf.Bytes(), nil
}

// Path returns the vault's file name.
func (v *Vault) Path() string { return v.path }

// ID returns the vault's id (hex): not secret, stable for the vault's life.
func (v *Vault) ID() string { return v.hdr.ID }

// WorkFactor returns the scrypt logN of the passphrase wrap.
func (v *Vault) WorkFactor() int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.hdr.WorkFactor
}

// Close locks the vault: it forgets the key and the decrypted index and
// releases the file. When the session wrote anything, Close first commits
// an empty transaction so both of bbolt's meta pages describe the final
// state (a later damaged meta page then loses nothing). Close is idempotent.
func (v *Vault) Close() (err error) {
	v.lockWrite()
	defer v.unlockWrite()
	if v.db == nil {
		return nil
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer catch(&err)
	if v.wrote {
		err = v.db.Update(func(tx *bolt.Tx) error { return nil })
	}
	if cerr := v.db.Close(); err == nil {
		err = cerr
	}
	v.db = nil
	clear(v.key)
	v.key, v.s, v.st, v.pass, v.recipients = nil, nil, nil, "", nil
	return err
}

// lockWrite takes the writer's lock, then the state's: every method that
// changes the vault holds both (Import holds mu only to apply its changes).
func (v *Vault) lockWrite() {
	v.wmu.Lock()
	v.mu.Lock()
}

func (v *Vault) unlockWrite() {
	v.mu.Unlock()
	v.wmu.Unlock()
}

// view runs fn in a read transaction at the vault boundary: a panic or
// memory fault from a damaged file becomes [ErrDamaged].
func (v *Vault) view(fn func(tx *bolt.Tx) error) (err error) {
	if v.db == nil {
		return ErrClosed
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer catch(&err)
	return v.db.View(fn)
}

// update runs fn in one write transaction at the vault boundary.
func (v *Vault) update(fn func(tx *bolt.Tx) error) (err error) {
	if v.db == nil {
		return ErrClosed
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer catch(&err)
	v.wrote = true
	return v.db.Update(fn)
}

// bucket returns a bucket of tx set for dense pages, or an error wrapping
// ErrDamaged when it is missing.
func bucket(tx *bolt.Tx, name string) (*bolt.Bucket, error) {
	b := tx.Bucket([]byte(name))
	if b == nil {
		return nil, fmt.Errorf("%w: the %s section is missing", ErrDamaged, name)
	}
	if tx.Writable() {
		b.FillPercent = 0.9
	}
	return b, nil
}

// forEach calls fn for every key and value of bucket name, checking that
// keys come in strictly increasing order (a broken page can make a cursor
// repeat itself).
func forEach(tx *bolt.Tx, name string, fn func(k, v []byte) error) error {
	b, err := bucket(tx, name)
	if err != nil {
		return err
	}
	var prev []byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if prev != nil && bytes.Compare(prev, k) >= 0 {
			return fmt.Errorf("%w: the %s section is out of order", ErrDamaged, name)
		}
		if v == nil {
			return fmt.Errorf("%w: unexpected nested section in %s", ErrDamaged, name)
		}
		prev = k
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// idKey decodes a hex id to its storage key; ok is false for anything that
// is not an id this package made.
func idKey(id string) ([]byte, bool) {
	b, err := hex.DecodeString(id)
	return b, err == nil && len(b) == 16
}

var _ = record.Kinds
