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
func (v *Vault) Verify() (*VerifyReport, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
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
				rep.Values++
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
				rep.Values++
				plain, err := v.s.open(name, k, val)
				if err != nil {
					rep.problem(name, "value %s fails to open", hex.EncodeToString(k))
					return nil
				}
				switch name {
				case bucketProfiles:
					rep.Profiles++
				case bucketSources:
					rep.Sources++
				case bucketEntries:
					rep.Entries++
				case bucketResources:
					rep.Resources++
					if sr, err := decodeResource(plain); err != nil {
						rep.problem(name, "value %s is malformed", hex.EncodeToString(k))
					} else {
						members[sr.Source]++
					}
				case bucketBlobs:
					rep.Chunks++
					if len(k) == 20 {
						chunks[hex.EncodeToString(k[:16])]++
					}
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
