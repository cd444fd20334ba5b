package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// formatVersion is the vault format this package writes and reads. A vault
// with a higher number is refused with [ErrNewerVersion].
const formatVersion = 1

// magic names the format in the plaintext header.
const magic = "kinfolio-vault"

// Bucket names. No health data is in bucket names or keys.
const (
	bucketHeader    = "kinfolio"  // plaintext header, key wraps; sealed check and recipients
	bucketProfiles  = "profiles"  // profile id → sealed record.Profile
	bucketSources   = "sources"   // source id → sealed storedSource
	bucketMembers   = "members"   // source id → sealed list of the source's resources (type, id)
	bucketBlobs     = "blobs"     // blob id ‖ chunk number → sealed chunk of an original file
	bucketResources = "resources" // resourceKey(source, type, id) → sealed storedResource
	bucketEntries   = "entries"   // entry id → sealed record.Entry
	bucketAudit     = "audit"     // sequence number → sealed AuditEvent
)

// sealedBuckets are the buckets whose every value is sealed.
var sealedBuckets = []string{bucketProfiles, bucketSources, bucketMembers, bucketBlobs, bucketResources, bucketEntries, bucketAudit}

// Keys in the header bucket.
var (
	keyHeader         = []byte("header")          // sha256 ‖ header JSON (plaintext)
	keyWrapPassphrase = []byte("wrap-passphrase") // age file: vault key to the passphrase (plaintext)
	keyWrapRecipients = []byte("wrap-recipients") // age file: vault key to the X25519 recipients (plaintext)
	keyCheck          = []byte("check")           // sealed vault id: proves the unwrapped key is this vault's
	keyRecipients     = []byte("recipients")      // sealed []Recipient
)

// header is the small plaintext description of a vault. It holds no
// secrets and no health data.
type header struct {
	Magic  string `json:"magic"`
	Format int    `json:"format"`
	// ID is the vault id (hex), part of every value's associated data.
	ID string `json:"id"`
	// WorkFactor is the scrypt logN the passphrase wrap uses.
	WorkFactor int `json:"work_factor"`
	// PassphraseWrap and RecipientsWrap are the hex SHA-256 of the wraps,
	// so a damaged wrap reads as damage, not as a wrong passphrase.
	PassphraseWrap string `json:"passphrase_wrap"`
	RecipientsWrap string `json:"recipients_wrap,omitempty"`
	// Demo marks a demo vault of made-up records (see [Options.Demo]);
	// DemoPassphrase is its passphrase in the clear, so the unlock screen
	// can show it. Only demo vaults carry either; changing a demo vault's
	// passphrase clears DemoPassphrase.
	Demo           bool   `json:"demo,omitempty"`
	DemoPassphrase string `json:"demo_passphrase,omitempty"`
}

func encodeHeader(h header) []byte {
	js, _ := json.Marshal(h)
	sum := sha256.Sum256(js)
	return append(sum[:], js...)
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// headerState is what unlocking needs from the file, copied out of bbolt.
type headerState struct {
	h              header
	id             []byte
	wrapPassphrase []byte
	wrapRecipients []byte
}

// readHeader reads and checks the plaintext header and the wraps.
// Errors wrap ErrNotVault, ErrNewerVersion or ErrDamaged.
func readHeader(tx *bolt.Tx) (*headerState, error) {
	b := tx.Bucket([]byte(bucketHeader))
	if b == nil {
		for _, name := range sealedBuckets {
			if tx.Bucket([]byte(name)) != nil {
				return nil, fmt.Errorf("%w: the header is missing", ErrDamaged)
			}
		}
		return nil, ErrNotVault
	}
	raw := b.Get(keyHeader)
	if len(raw) < sha256.Size+2 {
		return nil, fmt.Errorf("%w: the header is missing or cut short", ErrDamaged)
	}
	sum := sha256.Sum256(raw[sha256.Size:])
	if !bytes.Equal(sum[:], raw[:sha256.Size]) {
		return nil, fmt.Errorf("%w: the header fails its checksum", ErrDamaged)
	}
	var hs headerState
	if err := json.Unmarshal(raw[sha256.Size:], &hs.h); err != nil {
		return nil, fmt.Errorf("%w: unreadable header", ErrDamaged)
	}
	if hs.h.Magic != magic {
		return nil, ErrNotVault
	}
	if hs.h.Format > formatVersion {
		return nil, fmt.Errorf("%w (format %d; this version reads up to %d)", ErrNewerVersion, hs.h.Format, formatVersion)
	}
	if hs.h.Format < 1 {
		return nil, fmt.Errorf("%w: bad format number", ErrDamaged)
	}
	id, err := hex.DecodeString(hs.h.ID)
	if err != nil || len(id) != 16 {
		return nil, fmt.Errorf("%w: bad vault id", ErrDamaged)
	}
	hs.id = id
	hs.wrapPassphrase = bytes.Clone(b.Get(keyWrapPassphrase))
	if hexSum(hs.wrapPassphrase) != hs.h.PassphraseWrap {
		return nil, fmt.Errorf("%w: the passphrase wrap fails its checksum", ErrDamaged)
	}
	if w := b.Get(keyWrapRecipients); w != nil || hs.h.RecipientsWrap != "" {
		hs.wrapRecipients = bytes.Clone(w)
		if hexSum(hs.wrapRecipients) != hs.h.RecipientsWrap {
			return nil, fmt.Errorf("%w: the recipients wrap fails its checksum", ErrDamaged)
		}
	}
	return &hs, nil
}

// storedResource is a resource as kept in the resources bucket.
type storedResource struct {
	Profile, Source, Type, ID string
	JSON                      []byte
}

// encode lays out the resource: a layout byte; the profile and source ids
// (16 bytes each, or length-prefixed text in layout 0 should they not be
// this package's ids); the type and id, length-prefixed; then the JSON,
// byte for byte as the importer gave it.
func (r *storedResource) encode() []byte { return append(r.encodeHead(len(r.JSON)), r.JSON...) }

// encodeHead is encode without the JSON that follows it (sealed from where
// it is), with room for extra more bytes.
func (r *storedResource) encodeHead(extra int) []byte {
	b := make([]byte, 0, extra+len(r.Type)+len(r.ID)+40)
	pk, okP := idKey(r.Profile)
	sk, okS := idKey(r.Source)
	if okP && okS && fmtID(pk) == r.Profile && fmtID(sk) == r.Source {
		b = append(b, 1)
		b = append(b, pk...)
		b = append(b, sk...)
	} else {
		b = append(b, 0)
		for _, s := range []string{r.Profile, r.Source} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	for _, s := range []string{r.Type, r.ID} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// errBadResource is a resource record that cannot be read.
var errBadResource = fmt.Errorf("%w: malformed resource record", ErrDamaged)

func decodeResource(b []byte) (storedResource, error) {
	var r storedResource
	bad := errBadResource
	if len(b) == 0 {
		return r, bad
	}
	layout := b[0]
	b = b[1:]
	var all [4]string
	var fields []string
	switch layout {
	case 1:
		if len(b) < 32 {
			return r, bad
		}
		r.Profile, r.Source = fmtID(b[:16]), fmtID(b[16:32])
		b = b[32:]
		fields = all[:2]
	case 0:
		fields = all[:]
	default:
		return r, bad
	}
	for i := range fields {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return r, bad
		}
		fields[i] = string(b[w : w+int(n)])
		b = b[w+int(n):]
	}
	if layout == 0 {
		r.Profile, r.Source, fields = fields[0], fields[1], fields[2:]
	}
	r.Type, r.ID = fields[0], fields[1]
	r.JSON = b
	return r, nil
}

// member is one resource of a source, as listed in the members bucket.
type member struct{ Type, ID string }

func encodeMembers(ms []member) []byte {
	var b []byte
	for _, m := range ms {
		b = binary.AppendUvarint(b, uint64(len(m.Type)))
		b = append(b, m.Type...)
		b = binary.AppendUvarint(b, uint64(len(m.ID)))
		b = append(b, m.ID...)
	}
	return b
}

func decodeMembers(b []byte) ([]member, error) {
	var ms []member
	for len(b) > 0 {
		var f [2]string
		for i := range f {
			n, w := binary.Uvarint(b)
			if w <= 0 || uint64(len(b)-w) < n {
				return nil, fmt.Errorf("%w: malformed member list", ErrDamaged)
			}
			f[i] = string(b[w : w+int(n)])
			b = b[w+int(n):]
		}
		ms = append(ms, member{f[0], f[1]})
	}
	return ms, nil
}

// blobKey is the storage key of chunk n of a blob.
func blobKey(blob []byte, n int) []byte {
	return binary.BigEndian.AppendUint32(bytes.Clone(blob), uint32(n))
}

// matchResource checks that the resource record b is the one stored for
// source, typ and id, as [decodeResource] would read it, without copying
// any of it: it returns the record's JSON (within b) and whether the
// resource is profile's (always true for profile ""). Errors: a record
// that cannot be read or is another resource's, wrapping [ErrDamaged].
func matchResource(b []byte, source, typ, id, profile string) (js []byte, ofProfile bool, err error) {
	if len(b) == 0 {
		return nil, false, errBadResource
	}
	layout := b[0]
	b = b[1:]
	var p, s []byte
	binaryIDs := false
	fields := 2
	switch layout {
	case 1:
		if len(b) < 32 {
			return nil, false, errBadResource
		}
		p, s, b = b[:16], b[16:32], b[32:]
		binaryIDs = true
	case 0:
		fields = 4
	default:
		return nil, false, errBadResource
	}
	var text [4][]byte
	for i := range fields {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return nil, false, errBadResource
		}
		text[i] = b[w : w+int(n)]
		b = b[w+int(n):]
	}
	t, i := text[0], text[1]
	if !binaryIDs {
		p, s, t, i = text[0], text[1], text[2], text[3]
	}
	same := func(raw []byte, want string) bool {
		if !binaryIDs {
			return string(raw) == want
		}
		return hexIs(raw, want)
	}
	if !same(s, source) || string(t) != typ || string(i) != id {
		return nil, false, errWrongResource
	}
	return b, profile == "" || same(p, profile), nil
}

// errWrongResource is a resource record found under another's key.
var errWrongResource = fmt.Errorf("%w: a resource is stored under the wrong key", ErrDamaged)

// hexIs reports whether s is raw in lower-case hex, as [fmtID] writes it.
func hexIs(raw []byte, s string) bool {
	if len(s) != 2*len(raw) {
		return false
	}
	for i, c := range raw {
		if s[2*i] != hexDigits[c>>4] || s[2*i+1] != hexDigits[c&0xf] {
			return false
		}
	}
	return true
}
