package vault

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// VerifyReport is what [Vault.Verify] found. The JSON names are those of
// `kin verify --json`.
type VerifyReport struct {
	// Values is how many sealed values were opened; Damaged how many failed.
	Values  int `json:"values"`
	Damaged int `json:"damaged"`
	// Counts of what the vault holds.
	Profiles    int `json:"profiles"`
	Sources     int `json:"sources"`
	Entries     int `json:"entries"`
	Resources   int `json:"resources"`
	Chunks      int `json:"chunks"`
	AuditEvents int `json:"audit_events"`
	// ByBucket counts the damaged values per section of the file.
	ByBucket map[string]int `json:"damaged_by_section,omitempty"`
	// Problems describe each failure by section and key (no health data).
	Problems []string `json:"problems,omitempty"`
}

// OK reports whether nothing was found damaged.
func (r *VerifyReport) OK() bool { return r.Damaged == 0 && len(r.Problems) == 0 }

func (r *VerifyReport) problem(section, format string, args ...any) {
	if r.ByBucket == nil {
		r.ByBucket = map[string]int{}
	}
	r.ByBucket[section]++
	r.Damaged++
	if len(r.Problems) < 100 {
		r.Problems = append(r.Problems, section+": "+fmt.Sprintf(format, args...))
	}
}

// Verify opens every stored value, checks every original file against its
// SHA-256 and every source's resources against its member list, checks the
// file's page structure (what bbolt's consistency check checks: every page
// in bounds, referenced once, keys in order, each page used or free), and
// counts what the vault holds. It
// returns the report, with an error wrapping [ErrDamaged] when anything is
// damaged (the report then says what and where). It changes nothing.
func (v *Vault) Verify() (*VerifyReport, error) { return v.verify("") }

// VerifyProfile checks the whole vault as [Vault.Verify] does (damage
// anywhere is damage), but counts only what belongs to one person: Values
// are the sealed values holding that person's records (their profile, the
// sources their records came from with those sources' resource lists and
// original files, their resources and entries), and Profiles, Sources,
// Entries, Resources and Chunks are theirs. The vault's own values (the key
// check, the key list, the audit log) are not counted. Damaged and Problems
// cover the whole vault: a value that fails to open cannot say whose it is.
// Errors: as Verify, and [ErrNoSuchProfile] for an unknown id.
func (v *Vault) VerifyProfile(profile string) (*VerifyReport, error) {
	if profile == "" {
		return nil, fmt.Errorf("%w: no person given", ErrNoSuchProfile)
	}
	return v.verify(profile)
}

func (v *Vault) verify(profile string) (*VerifyReport, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	if profile != "" && v.st.profiles[profile] == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoSuchProfile, profile)
	}
	blobs := map[string]bool{} // blob ids of the person's sources
	for _, src := range v.st.sources {
		if src.Blob != "" && slices.Contains(src.Profiles, profile) {
			blobs[src.Blob] = true
		}
	}
	sourceOf := func(k []byte) bool {
		src := v.st.sources[hex.EncodeToString(k)]
		return src != nil && slices.Contains(src.Profiles, profile)
	}
	// mine reports whether a value opened from bucket name under key k
	// (plaintext plain) belongs to the person counted.
	mine := func(name string, k, plain []byte) bool {
		if profile == "" {
			return true
		}
		switch name {
		case bucketProfiles:
			return hex.EncodeToString(k) == profile
		case bucketSources, bucketMembers:
			return sourceOf(k)
		case bucketBlobs:
			return len(k) == 20 && blobs[hex.EncodeToString(k[:16])]
		case bucketResources:
			sr, err := decodeResource(plain)
			return err == nil && sr.Profile == profile
		case bucketEntries:
			e := v.st.entries[hex.EncodeToString(k)]
			return e != nil && e.Profile == profile
		}
		return false // the header's values, the audit log
	}
	rep := &VerifyReport{}
	err := v.view(func(tx *bolt.Tx) error {
		hb := tx.Bucket([]byte(bucketHeader))
		if hb == nil {
			rep.problem(bucketHeader, "missing")
			return nil
		}
		for _, k := range [][]byte{keyCheck, keyRecipients} {
			if val := hb.Get(k); val != nil {
				if profile == "" {
					rep.Values++
				}
				if _, err := v.s.open(bucketHeader, k, val); err != nil {
					rep.problem(bucketHeader, "%s fails to open", k)
				}
			}
		}
		chunks := map[string]int{}
		members := map[string]int{}
		for _, name := range sealedBuckets {
			if tx.Bucket([]byte(name)) == nil {
				rep.problem(name, "missing")
				continue
			}
			err := forEach(tx, name, func(k, val []byte) error {
				plain, err := v.s.open(name, k, val)
				if err != nil {
					if profile == "" {
						rep.Values++
					}
					rep.problem(name, "value %s fails to open", hex.EncodeToString(k))
					return nil
				}
				// The cross-checks below count over the whole vault.
				switch {
				case name == bucketResources:
					if sr, err := decodeResource(plain); err == nil {
						members[sr.Source]++
					}
				case name == bucketBlobs && len(k) == 20:
					chunks[hex.EncodeToString(k[:16])]++
				}
				if !mine(name, k, plain) {
					return nil
				}
				rep.Values++
				switch name {
				case bucketProfiles:
					rep.Profiles++
				case bucketSources:
					rep.Sources++
				case bucketEntries:
					rep.Entries++
				case bucketResources:
					rep.Resources++
					if _, err := decodeResource(plain); err != nil {
						rep.problem(name, "value %s is malformed", hex.EncodeToString(k))
					}
				case bucketBlobs:
					rep.Chunks++
				case bucketAudit:
					rep.AuditEvents++
				case bucketMembers:
					if _, err := decodeMembers(plain); err != nil {
						rep.problem(name, "value %s is malformed", hex.EncodeToString(k))
					}
				}
				return nil
			})
			if err != nil {
				rep.problem(name, "cannot be read through: %v", err)
			}
		}
		// Cross-checks against the index loaded at unlock.
		for _, src := range v.st.sources {
			if src.Blob != "" && chunks[src.Blob] != src.Chunks {
				rep.problem(bucketBlobs, "source %s: %d of %d parts of the original are present", src.ID, chunks[src.Blob], src.Chunks)
			}
			if members[src.ID] != src.Resources {
				rep.problem(bucketResources, "source %s: %d of %d resources are present", src.ID, members[src.ID], src.Resources)
			}
		}
		// The file's structure, checked as bbolt's consistency check does
		// but without its assertions, which panic on some damage in a
		// goroutine nothing can recover.
		for _, p := range walkFile(v.path, true) {
			rep.problem("file", "%s", p)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			rep.problem("file", "%v", err)
		}
		return rep, err
	}
	if rep.OK() {
		// Whole-file checks of the originals against their checksums.
		for _, src := range v.sortedSources() {
			if src.Blob == "" {
				continue
			}
			if err := v.checkOriginal(src); err != nil {
				rep.problem(bucketBlobs, "source %s: %v", src.ID, err)
			}
		}
	}
	if !rep.OK() {
		slices.Sort(rep.Problems)
		return rep, fmt.Errorf("%w: %d damaged values", ErrDamaged, rep.Damaged)
	}
	return rep, nil
}

func (v *Vault) sortedSources() []*storedSource {
	var out []*storedSource
	for _, s := range v.st.sources {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *storedSource) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return out
}

// checkOriginal streams a source's chunks and compares the SHA-256.
func (v *Vault) checkOriginal(src *storedSource) error {
	blob, _ := hex.DecodeString(src.Blob)
	r := &originalReader{v: v, blob: blob, chunks: src.Chunks, sha: src.SHA256, h: newHash()}
	r.locked = true
	buf := make([]byte, 64<<10)
	for {
		_, err := r.Read(buf)
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}
