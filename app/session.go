package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"filippo.io/age"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// Options tune a [Session]. The zero value (or nil) gives the defaults a
// user's app runs with; tests set a low WorkFactor and a fixed Now.
type Options struct {
	// WorkFactor is the scrypt logN of a vault made by [Create]; zero
	// calibrates it on this computer to about a second (17 to 19). Tests
	// use about 10; never the app.
	WorkFactor int
	// LockTimeout is how long opening waits for another program to let go
	// of the vault before answering [vault.ErrInUse]; zero means about a second.
	LockTimeout time.Duration
	// Now is the clock used for ages, "2 days ago", import times and
	// exports; nil means time.Now.
	Now func() time.Time
	// Run starts background work (an import from a window, a key
	// derivation) and returns at once; nil means a new goroutine. Tests
	// pass a function that runs the work inline, so no test sleeps.
	Run func(work func())
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) run(work func()) {
	if o.Run != nil {
		o.Run(work)
		return
	}
	go work()
}

func (o *Options) vaultOptions() *vault.Options {
	return &vault.Options{WorkFactor: o.WorkFactor, LockTimeout: o.LockTimeout, Now: o.Now}
}

// Secret is what unlocks a vault: its passphrase, or an age identity (the
// recovery key, a caregiver's key) given as a key file or as its text.
type Secret struct {
	passphrase   string
	identityFile string
	identityText string
}

// Passphrase unlocks with the vault's passphrase.
func Passphrase(p string) Secret { return Secret{passphrase: p} }

// IdentityFile unlocks with the age identity (AGE-SECRET-KEY-1…) kept in
// the file at path, such as a saved recovery key.
func IdentityFile(path string) Secret { return Secret{identityFile: path} }

// IdentityText unlocks with an age identity pasted or typed as text.
func IdentityText(key string) Secret { return Secret{identityText: key} }

// vaultSecret turns s into the vault's secret, reading a key file. Errors
// wrap [ErrBadKeyFile].
func (s Secret) vaultSecret() (vault.Secret, error) {
	text := s.identityText
	if s.identityFile != "" {
		b, err := os.ReadFile(s.identityFile)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w: there is no file %s", ErrBadKeyFile, s.identityFile)
			}
			return nil, fmt.Errorf("%w: %s: %v", ErrBadKeyFile, s.identityFile, err)
		}
		text = string(b)
	} else if text == "" {
		return vault.Passphrase(s.passphrase), nil
	}
	ids, err := age.ParseIdentities(strings.NewReader(text))
	if err != nil {
		where := "the key"
		if s.identityFile != "" {
			where = s.identityFile
		}
		return nil, fmt.Errorf("%w: %s holds no age secret key (AGE-SECRET-KEY-1…)", ErrBadKeyFile, where)
	}
	return vault.Identities(ids...), nil
}

// Session is an open vault as a front end holds it: unlocked until [Session.Lock].
// Every method is safe for concurrent use. Views it returns are copies,
// sorted and labelled for showing; a locked session answers every call with
// an error wrapping [ErrLocked] (which also wraps [vault.ErrClosed]).
//
// After every change it makes, a session bumps its [Session.Revision] and
// tells its subscribers ([Session.Subscribe]), so the screen on show can
// refresh.
type Session struct {
	opts Options
	path string

	mu sync.RWMutex
	v  *vault.Vault // nil once locked

	rev     atomic.Uint64
	subMu   sync.Mutex
	subs    map[int]func(Change)
	nextSub int

	cache viewCache
}

// Open unlocks the vault at path.
//
// Errors wrap [vault.ErrWrongPassphrase], [vault.ErrInUse],
// [vault.ErrDamaged], [vault.ErrNotVault], [vault.ErrNewerVersion],
// [ErrNoVault] (nothing at path) or [ErrBadKeyFile]; [Sentence] words each
// for a person.
func Open(path string, secret Secret, opts *Options) (*Session, error) {
	s := newSession(path, opts)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoVault, path)
	}
	vs, err := secret.vaultSecret()
	if err != nil {
		return nil, err
	}
	v, err := vault.Open(path, vs, s.opts.vaultOptions())
	releaseKDFMemory()
	if err != nil {
		return nil, err
	}
	s.v = v
	return s, nil
}

// releaseKDFMemory gives the key derivation's memory back to the system
// at once (scrypt at a calibrated work factor takes 128 to 512 MiB, which
// the Go runtime would otherwise keep resident for minutes).
func releaseKDFMemory() { debug.FreeOSMemory() }

// Create makes a new vault at path protected by passphrase and returns it
// open. Errors wrap [vault.ErrExists] (never overwrites a file) or
// [vault.ErrBadPassphrase].
func Create(path, passphrase string, opts *Options) (*Session, error) {
	return create(path, passphrase, opts, false)
}

// create is Create; demo marks the vault as a demo ([CreateDemo]).
func create(path, passphrase string, opts *Options, demo bool) (*Session, error) {
	s := newSession(path, opts)
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%w: %s", vault.ErrExists, path)
	}
	vo := s.opts.vaultOptions()
	vo.Demo = demo
	v, err := vault.Create(path, passphrase, vo)
	releaseKDFMemory()
	if err != nil {
		return nil, err
	}
	s.v = v
	return s, nil
}

func newSession(path string, opts *Options) *Session {
	s := &Session{path: path, subs: map[int]func(Change){}}
	if opts != nil {
		s.opts = *opts
	}
	return s
}

// Path returns the vault's file name.
func (s *Session) Path() string { return s.path }

// Locked reports whether the session was locked.
func (s *Session) Locked() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.v == nil
}

// Lock closes the vault: the key and every decrypted value are dropped and
// the file is released for other programs. Subscribers are told
// ([ChangeLocked]). Locking a locked session does nothing.
func (s *Session) Lock() error {
	s.mu.Lock()
	v := s.v
	s.v = nil
	s.mu.Unlock()
	if v == nil {
		return nil
	}
	s.cache.drop()
	err := v.Close()
	s.changed(ChangeLocked)
	return err
}

// WorkFactor returns the vault's scrypt work factor (logN).
func (s *Session) WorkFactor() (int, error) {
	v, err := s.vault()
	if err != nil {
		return 0, err
	}
	return v.WorkFactor(), nil
}

// VaultID returns the vault's id: not secret, stable for the vault's life.
func (s *Session) VaultID() (string, error) {
	v, err := s.vault()
	if err != nil {
		return "", err
	}
	return v.ID(), nil
}

// vault returns the open vault, or an error wrapping ErrLocked.
func (s *Session) vault() (*vault.Vault, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.v == nil {
		return nil, ErrLocked
	}
	return s.v, nil
}

// locked turns the vault's ErrClosed (a lock that raced a call) into ErrLocked.
func locked(err error) error {
	if errors.Is(err, vault.ErrClosed) && !errors.Is(err, ErrLocked) {
		return fmt.Errorf("%w: %w", ErrLocked, err)
	}
	return err
}

func (s *Session) now() time.Time { return s.opts.now() }

// ChangeKind says what a change touched, so a screen can skip refreshes
// that do not concern it.
type ChangeKind int

// What changed.
const (
	// ChangeRecords: entries or sources (an import, a removal, an entry
	// added by hand).
	ChangeRecords ChangeKind = iota + 1
	// ChangePeople: a person added, renamed, removed or edited.
	ChangePeople
	// ChangeKeys: the passphrase, the recovery key or caregivers' keys.
	ChangeKeys
	// ChangeLocked: the session was locked.
	ChangeLocked
	// ChangeLog: only the audit log (an export, a backup).
	ChangeLog
)

// Change is one notification: the new revision and what changed.
type Change struct {
	Revision uint64
	Kind     ChangeKind
}

// Revision counts the session's changes: it grows by one after every
// write. A screen that remembers the revision it drew knows when it is stale.
func (s *Session) Revision() uint64 { return s.rev.Load() }

// Subscribe calls fn after every change, on the goroutine that made it
// (a window must hand the call to its own thread). It returns the function
// that ends the subscription.
func (s *Session) Subscribe(fn func(Change)) (unsubscribe func()) {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	return func() {
		s.subMu.Lock()
		defer s.subMu.Unlock()
		delete(s.subs, id)
	}
}

// changed bumps the revision, drops cached views and tells subscribers.
func (s *Session) changed(kind ChangeKind) {
	rev := s.rev.Add(1)
	if kind != ChangeLog && kind != ChangeKeys {
		s.cache.drop()
	}
	s.subMu.Lock()
	fns := make([]func(Change), 0, len(s.subs))
	for _, fn := range s.subs {
		fns = append(fns, fn)
	}
	s.subMu.Unlock()
	for _, fn := range fns {
		fn(Change{Revision: rev, Kind: kind})
	}
}

// viewCache keeps each person's entries and summary as last read, until a
// change, so paging through a timeline, opening a chart or typing a search
// does not read 50,000 entries again.
type viewCache struct {
	mu        sync.Mutex
	entries   map[string][]*record.Entry // person id → entries, newest first (the vault's own: read only)
	summaries map[string]*record.Summary // person id and day → the summary
	sources   map[string][]vault.SourceInfo
	keys      map[string]*sourceKeys
}

func (c *viewCache) drop() {
	c.mu.Lock()
	c.entries, c.summaries, c.sources, c.keys = nil, nil, nil, nil
	c.mu.Unlock()
}

// cached returns m[key] from the cache, or computes it with fill and keeps
// it unless a change happened meanwhile.
func cached[T any](s *Session, m *map[string]T, key string, fill func() (T, error)) (T, error) {
	s.cache.mu.Lock()
	if v, ok := (*m)[key]; ok {
		s.cache.mu.Unlock()
		return v, nil
	}
	s.cache.mu.Unlock()
	rev := s.Revision()
	v, err := fill()
	if err != nil {
		return v, err
	}
	s.cache.mu.Lock()
	if s.Revision() == rev && !s.lockedNow() {
		if *m == nil {
			*m = map[string]T{}
		}
		(*m)[key] = v
	}
	s.cache.mu.Unlock()
	return v, nil
}

func (s *Session) lockedNow() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.v == nil
}

// profileNames maps the people's ids to their names (empty once locked).
func profileNames(v *vault.Vault) map[string]string {
	names := map[string]string{}
	ps, _ := v.Profiles()
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	return names
}

// sourcesOf returns the vault's sources of a person ("" for everyone),
// from the cache when current (none once locked). The slice is shared:
// never change it.
func (s *Session) sourcesOf(v *vault.Vault, person string) []vault.SourceInfo {
	out, _ := cached(s, &s.cache.sources, person, func() ([]vault.SourceInfo, error) { return v.Sources(person) })
	return out
}

// personSummary is [record.SummarizeRefs] of the person's entries as of
// today, from the cache when it is current. It is shared: callers never
// change it.
func (s *Session) personSummary(person string, es []*record.Entry) *record.Summary {
	now := s.now()
	sum, _ := cached(s, &s.cache.summaries, person+"|"+now.Format(time.DateOnly), func() (*record.Summary, error) {
		sum := record.SummarizeRefs(es, now)
		return &sum, nil
	})
	return sum
}

// personEntries returns a person's entries (newest first), from the cache
// when it is current. The slice is shared: callers never change it.
func (s *Session) personEntries(person string) ([]*record.Entry, error) {
	return cached(s, &s.cache.entries, person, func() ([]*record.Entry, error) {
		v, err := s.vault()
		if err != nil {
			return nil, err
		}
		es, err := v.SharedEntries(vault.Query{Profile: person})
		return es, locked(err)
	})
}

// Vault returns the open vault, nil once locked. It is for kin's commands
// that print the vault's records exactly as stored (list, show, verify,
// sources, keys); the window never uses it (arch_test.go holds app/ui to
// that): screens get views.
func (s *Session) Vault() *vault.Vault {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.v
}
