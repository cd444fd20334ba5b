package vault

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/scrypt"
)

// Recipient is an age public key the vault key is wrapped to, besides the
// passphrase: the recovery key or a caregiver's key.
type Recipient struct {
	// Key is the age public key ("age1…").
	Key string `json:"key"`
	// Name says whose key it is ("recovery key", "Dr. Rivera's laptop").
	Name  string    `json:"name,omitempty"`
	Added time.Time `json:"added"`
}

// CalibrateWorkFactor measures scrypt on this machine and returns the logN
// that takes about one second, kept between 17 and 19. It takes about half
// a second: the probe must be large (64 MiB) to see the memory costs that
// dominate at the sizes used.
func CalibrateWorkFactor() int {
	const probe = 16
	salt := make([]byte, 16)
	rand.Read(salt)
	took := math.MaxFloat64
	for range 3 { // the fastest of three: the first ones also pay for fresh memory
		start := time.Now()
		scrypt.Key([]byte("calibration"), salt, 1<<probe, 8, 1, 32)
		took = min(took, time.Since(start).Seconds())
	}
	// Each step up doubles the work and, past the caches, costs a little
	// more than double the time: take the largest logN predicted to stay
	// near a second.
	logN := 17
	for n := 18; n <= 19; n++ {
		if took*math.Pow(2.2, float64(n-probe)) <= 1.4 {
			logN = n
		}
	}
	return min(max(logN, 17), 19)
}

// Recipients returns the age public keys the vault key is wrapped to.
// Errors: [ErrClosed].
func (v *Vault) Recipients() ([]Recipient, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	return slices.Clone(v.recipients), nil
}

// parseRecipient reads an age public key (X25519 "age1…" or a hybrid
// post-quantum key); anything else wraps [ErrBadRecipient].
func parseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "age1") {
		return nil, fmt.Errorf("%w: %q", ErrBadRecipient, s)
	}
	rs, err := age.ParseRecipients(strings.NewReader(s))
	if err != nil || len(rs) != 1 {
		return nil, fmt.Errorf("%w: %q", ErrBadRecipient, s)
	}
	return rs[0], nil
}

// writeKeys puts the header (hdr with the new wraps' sums) and wraps for
// key: the passphrase wrap given (nil keeps the current one), the
// recipients wrap rebuilt from list, the sealed key check and the sealed
// recipient list.
func (v *Vault) writeKeys(tx *bolt.Tx, hdr header, s *sealer, key, passWrap []byte, workFactor int, list []Recipient) (header, error) {
	hb := tx.Bucket([]byte(bucketHeader))
	if hb == nil {
		return header{}, fmt.Errorf("%w: the header is missing", ErrDamaged)
	}
	if passWrap != nil {
		if err := hb.Put(keyWrapPassphrase, passWrap); err != nil {
			return header{}, err
		}
		hdr.PassphraseWrap = hexSum(passWrap)
		hdr.WorkFactor = workFactor
	}
	var rs []age.Recipient
	for _, r := range list {
		ar, err := parseRecipient(r.Key)
		if err != nil {
			return header{}, err
		}
		rs = append(rs, ar)
	}
	if len(rs) > 0 {
		w, err := wrapTo(key, rs...)
		if err != nil {
			return header{}, err
		}
		if err := hb.Put(keyWrapRecipients, w); err != nil {
			return header{}, err
		}
		hdr.RecipientsWrap = hexSum(w)
	} else {
		if err := hb.Delete(keyWrapRecipients); err != nil {
			return header{}, err
		}
		hdr.RecipientsWrap = ""
	}
	js, err := json.Marshal(list)
	if err != nil {
		return header{}, err
	}
	if err := hb.Put(keyRecipients, s.seal(bucketHeader, keyRecipients, js)); err != nil {
		return header{}, err
	}
	if err := hb.Put(keyCheck, s.seal(bucketHeader, keyCheck, v.vaultID)); err != nil {
		return header{}, err
	}
	return hdr, hb.Put(keyHeader, encodeHeader(hdr))
}

// ChangePassphrase re-wraps the vault key to a new passphrase, in one
// transaction: afterwards only the new passphrase opens the vault (the
// recipients are unchanged). The vault may have been unlocked with an
// identity: this is how a recovery key resets a forgotten passphrase.
// It takes one key derivation at the vault's work factor.
//
// Errors: [ErrBadPassphrase] for an empty passphrase, [ErrClosed], [ErrDamaged].
func (v *Vault) ChangePassphrase(newPassphrase string) error {
	if newPassphrase == "" {
		return fmt.Errorf("%w: the passphrase is empty", ErrBadPassphrase)
	}
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return ErrClosed
	}
	wf := v.hdr.WorkFactor
	if wf <= 0 || wf > MaxWorkFactor {
		wf = CalibrateWorkFactor()
	}
	wrap, err := wrapToPassphrase(v.key, newPassphrase, wf)
	if err != nil {
		return err
	}
	var hdr header
	err = v.update(func(tx *bolt.Tx) error {
		// A demo vault's old passphrase no longer opens it, and the new
		// one is never written in the clear.
		base := v.hdr
		base.DemoPassphrase = ""
		hdr, err = v.writeKeys(tx, base, v.s, v.key, wrap, wf, v.recipients)
		if err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionPassphrase, Detail: "passphrase changed"})
	})
	if err != nil {
		return err
	}
	v.hdr, v.pass, v.hasPass = hdr, newPassphrase, true
	return nil
}

// AddRecipient wraps the vault key to one more age public key (a
// caregiver's, or a recovery key), named for the list. Adding a key that
// is already there renames it when name is not empty and otherwise changes
// nothing: its name is never wiped. Errors: [ErrBadRecipient], [ErrClosed].
func (v *Vault) AddRecipient(key, name string) error {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return ErrClosed
	}
	key = strings.TrimSpace(key)
	name = strings.TrimSpace(name)
	if _, err := parseRecipient(key); err != nil {
		return err
	}
	list := slices.Clone(v.recipients)
	i := slices.IndexFunc(list, func(r Recipient) bool { return r.Key == key })
	if i >= 0 {
		if name == "" || name == list[i].Name {
			return nil
		}
		list[i].Name = name
	} else {
		list = append(list, Recipient{Key: key, Name: name, Added: v.opts.now()})
	}
	var hdr header
	err := v.update(func(tx *bolt.Tx) error {
		var err error
		hdr, err = v.writeKeys(tx, v.hdr, v.s, v.key, nil, 0, list)
		if err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionRecipientAdd, Detail: describeRecipient(key, name)})
	})
	if err != nil {
		return err
	}
	v.hdr, v.recipients = hdr, list
	return nil
}

func describeRecipient(key, name string) string {
	if name == "" {
		return key
	}
	return name + " (" + key + ")"
}

// RecoveryKey makes a new age identity, adds its public key as a recipient
// named "recovery key", and returns the identity ("AGE-SECRET-KEY-1…") for
// the user to print or store: the vault keeps only the public half.
func (v *Vault) RecoveryKey() (string, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", err
	}
	if err := v.AddRecipient(id.Recipient().String(), "recovery key"); err != nil {
		return "", err
	}
	return id.String(), nil
}

// RemoveRecipient removes an age public key and rotates the vault key: a
// new key is made, every value is sealed again with it and it is wrapped to
// the passphrase and the remaining recipients, all in one transaction. From
// then on the removed key opens nothing, even if its holder kept the old
// vault key. It takes one key derivation and time proportional to the
// vault's size.
//
// Errors: [ErrNoSuchRecipient]; [ErrNeedPassphrase] when the vault was
// unlocked with an identity and no passphrase was set since (use
// ChangePassphrase first); [ErrDamaged] if a value fails to open (nothing
// is changed then); [ErrClosed].
func (v *Vault) RemoveRecipient(key string) error {
	v.lockWrite()
	defer v.unlockWrite()
	if v.st == nil {
		return ErrClosed
	}
	key = strings.TrimSpace(key)
	i := slices.IndexFunc(v.recipients, func(r Recipient) bool { return r.Key == key })
	if i < 0 {
		return fmt.Errorf("%w: %q", ErrNoSuchRecipient, key)
	}
	if !v.hasPass {
		return ErrNeedPassphrase
	}
	list := slices.Delete(slices.Clone(v.recipients), i, i+1)
	name := v.recipients[i].Name
	return v.rotate(list, AuditEvent{Time: v.opts.now(), Action: ActionRecipientRemove, Detail: describeRecipient(key, name)})
}

// rotate replaces the vault key, re-sealing every value, and wraps the new
// key to the passphrase and list.
func (v *Vault) rotate(list []Recipient, ev AuditEvent) error {
	newKey := make([]byte, keySize)
	if _, err := rand.Read(newKey); err != nil {
		return err
	}
	ns, err := newSealer(newKey, v.vaultID)
	if err != nil {
		return err
	}
	wf := v.hdr.WorkFactor
	wrap, err := wrapToPassphrase(newKey, v.pass, wf)
	if err != nil {
		return err
	}
	var hdr header
	err = v.update(func(tx *bolt.Tx) error {
		for _, name := range sealedBuckets {
			if err := reseal(tx, name, v.s, ns); err != nil {
				return err
			}
		}
		var err error
		hdr, err = v.writeKeys(tx, v.hdr, ns, newKey, wrap, wf, list)
		if err != nil {
			return err
		}
		return putAudit(tx, ns, ev)
	})
	if err != nil {
		clear(newKey)
		return err
	}
	clear(v.key)
	v.key, v.s, v.hdr, v.recipients = newKey, ns, hdr, list
	return nil
}

// reseal opens every value of a bucket with the old sealer and writes it
// sealed with the new one. Resources move to their new keyed-hash keys.
func reseal(tx *bolt.Tx, name string, old, ns *sealer) error {
	b, err := bucket(tx, name)
	if err != nil {
		return err
	}
	var out []kv
	err = forEach(tx, name, func(k, val []byte) error {
		plain, err := old.open(name, k, val)
		if err != nil {
			return fmt.Errorf("%s %s: %w", name, hex.EncodeToString(k), err)
		}
		nk := k
		if name == bucketResources {
			r, err := decodeResource(plain)
			if err != nil {
				return err
			}
			nk = ns.resourceKey(r.Source, r.Type, r.ID)
		}
		nk = slices.Clone(nk)
		out = append(out, kv{nk, ns.seal(name, nk, plain)})
		return nil
	})
	if err != nil {
		return err
	}
	seq := b.Sequence()
	if name == bucketResources {
		// New keys are unrelated to the old: rebuild the bucket.
		if err := tx.DeleteBucket([]byte(name)); err != nil {
			return err
		}
		if b, err = tx.CreateBucket([]byte(name)); err != nil {
			return err
		}
		b.FillPercent = 0.9
		if err := b.SetSequence(seq); err != nil {
			return err
		}
		slices.SortFunc(out, func(a, b kv) int { return strings.Compare(string(a.k), string(b.k)) })
	}
	for _, p := range out {
		if err := b.Put(p.k, p.v); err != nil {
			return err
		}
	}
	return nil
}
