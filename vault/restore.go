package vault

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault/backup"
	bolt "go.etcd.io/bbolt"
)

// RestoreOptions tune [Restore].
type RestoreOptions struct {
	// Passphrase is the new vault's passphrase (required).
	Passphrase string
	// WorkFactor is the new vault's scrypt logN; 0 calibrates it.
	WorkFactor int
	// Now is the clock for the restore's audit event; nil means time.Now.
	Now func() time.Time
	// Name is what the audit log calls the backup (its file name).
	Name string
}

// RestoreReport says what a restore brought back.
type RestoreReport struct {
	Manifest  *backup.Manifest `json:"manifest"`
	People    int              `json:"people"`
	Sources   int              `json:"sources"`
	Entries   int              `json:"entries"`
	Resources int              `json:"resources"`
	Originals int              `json:"originals"`
}

// restoreBatch is how much sealed data one restore transaction writes.
const restoreBatch = 32 << 20

// Restore reads a backup (r, size bytes; opened with secret: the
// passphrase it was made with, or an identity it was encrypted to) into a
// new vault at target, under opts.Passphrase. It puts back exactly what
// the backup holds: the people (with their ids), the sources, the
// original files byte for byte, the stored resources byte for byte, the
// entries as they were (merged and flagged the same, with the same ids)
// and the audit log, followed by a "restore" event; nothing is imported
// again, so nothing depends on the rules that match files to people.
//
// Every file of the backup is checked against its SHA-256 as it is read,
// each original also against the hash it was imported with, and the
// counts against the manifest. The vault is built beside target and put
// in place only when all of it is read: on any error nothing is created.
// The vault is closed when Restore returns; open it with [Open].
//
// Errors: [ErrExists] when target exists; errors wrapping
// [backup.ErrWrongKey] when secret does not open the backup,
// [backup.ErrDamaged], [backup.ErrNotBackup] or
// [backup.ErrNewerVersion]; [ErrBadPassphrase]; I/O errors.
func Restore(r io.ReaderAt, size int64, secret Secret, target string, opts RestoreOptions) (rep *RestoreReport, err error) {
	if opts.Passphrase == "" {
		return nil, fmt.Errorf("%w: the new vault needs a passphrase", ErrBadPassphrase)
	}
	if _, err := os.Lstat(target); err == nil {
		return nil, fmt.Errorf("%s: %w", target, ErrExists)
	}
	ids, err := secret.ageIdentities()
	if err != nil {
		return nil, err
	}
	br, err := backup.Open(r, size, ids...)
	if err != nil {
		return nil, err
	}
	m := br.Manifest()
	if err := checkManifest(m); err != nil {
		return nil, err
	}

	dir := filepath.Dir(target)
	_, statErr := os.Stat(dir)
	madeDir := errors.Is(statErr, fs.ErrNotExist)
	tmp := filepath.Join(dir, ".kinfolio-restore-"+hex.EncodeToString(newID()[:8]))
	v, err := Create(tmp, opts.Passphrase, &Options{WorkFactor: opts.WorkFactor, Now: opts.Now})
	if err != nil {
		return nil, err
	}
	defer func() {
		if v != nil {
			v.Close()
		}
		os.Remove(tmp)
		if err != nil && madeDir {
			os.Remove(dir)
		}
	}()
	rs := &restoring{v: v, br: br, m: m, rep: &RestoreReport{Manifest: m}, sources: map[string]*storedSource{},
		people: map[string]bool{}}
	if err := rs.run(opts); err != nil {
		return nil, err
	}
	if err := v.Close(); err != nil {
		return nil, err
	}
	v = nil
	if err := os.Link(tmp, target); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s: %w", target, ErrExists)
		}
		return nil, fmt.Errorf("putting the restored vault in place: %w", err)
	}
	os.Remove(tmp)
	syncDir(dir)
	return rs.rep, nil
}

// checkManifest checks that what the manifest names can be stored: ids
// of the vault's kind, each person and source once, sources' people and
// parents in the backup.
func checkManifest(m *backup.Manifest) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: the manifest %s", backup.ErrDamaged, fmt.Sprintf(format, args...))
	}
	people := map[string]bool{}
	for _, p := range m.People {
		if _, ok := idKey(p.ID); !ok || people[p.ID] {
			return bad("names a bad or repeated person id %q", p.ID)
		}
		people[p.ID] = true
	}
	srcs := map[string]bool{}
	for _, s := range m.Sources {
		if _, ok := idKey(s.ID); !ok || srcs[s.ID] {
			return bad("names a bad or repeated source id %q", s.ID)
		}
		srcs[s.ID] = true
		for _, p := range s.Profiles {
			if !people[p] {
				return bad("gives source %s a person not in the backup", s.ID)
			}
		}
	}
	for _, s := range m.Sources {
		if s.Parent != "" && !srcs[s.Parent] {
			return bad("gives source %s a package not in the backup", s.ID)
		}
	}
	if len(m.People) != m.Counts.People || len(m.Sources) != m.Counts.Sources {
		return bad("counts do not match its lists")
	}
	return nil
}

// restoring is one Restore's work.
type restoring struct {
	v       *Vault
	br      *backup.Reader
	m       *backup.Manifest
	rep     *RestoreReport
	sources map[string]*storedSource
	members map[string][]member
	people  map[string]bool
	// the pending transaction
	puts map[string][]kv
	size int
}

func (rs *restoring) put(bucket string, k, plain []byte, raw bool) error {
	var sealed []byte
	if raw {
		sealed = rs.v.s.sealRaw(bucket, k, plain)
	} else {
		sealed = rs.v.s.seal(bucket, k, plain)
	}
	if rs.puts == nil {
		rs.puts = map[string][]kv{}
	}
	rs.puts[bucket] = append(rs.puts[bucket], kv{k, sealed})
	rs.size += len(sealed) + len(k)
	if rs.size >= restoreBatch {
		return rs.commit()
	}
	return nil
}

// commit writes the pending values, each bucket's keys in order.
func (rs *restoring) commit() error {
	if len(rs.puts) == 0 {
		return nil
	}
	err := rs.v.update(func(tx *bolt.Tx) error {
		for name, kvs := range rs.puts {
			b, err := bucket(tx, name)
			if err != nil {
				return err
			}
			slices.SortFunc(kvs, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
			for _, p := range kvs {
				if err := b.Put(p.k, p.v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	rs.puts, rs.size = nil, 0
	return err
}

func (rs *restoring) run(opts RestoreOptions) error {
	v := rs.v
	// People.
	js, err := rs.br.ReadFile(backupProfiles, 64<<20)
	if err != nil {
		return err
	}
	var profiles []record.Profile
	if err := json.Unmarshal(js, &profiles); err != nil {
		return fmt.Errorf("%w: %s: %v", backup.ErrDamaged, backupProfiles, err)
	}
	if len(profiles) != len(rs.m.People) {
		return fmt.Errorf("%w: %s holds %d people, the manifest %d", backup.ErrDamaged, backupProfiles, len(profiles), len(rs.m.People))
	}
	for i := range profiles {
		p := &profiles[i]
		if p.ID != rs.m.People[i].ID {
			return fmt.Errorf("%w: %s does not list the manifest's people", backup.ErrDamaged, backupProfiles)
		}
		rs.people[p.ID] = true
		k, _ := idKey(p.ID)
		js, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if err := rs.put(bucketProfiles, k, js, false); err != nil {
			return err
		}
	}
	// Sources and their originals.
	rs.members = map[string][]member{}
	for _, s := range rs.m.Sources {
		src := &storedSource{Source: s.Source, Profiles: slices.Clone(s.Profiles), Pending: slices.Clone(s.Pending), Seq: s.Seq}
		if len(src.Profiles) == 0 {
			src.Profiles = nil
		}
		if s.Original != "" {
			if err := rs.original(src, s.Original); err != nil {
				return err
			}
		}
		rs.sources[s.ID] = src
	}
	// Resources, person by person.
	for _, p := range rs.m.People {
		if err := rs.resources(p); err != nil {
			return err
		}
	}
	for _, s := range rs.m.Sources {
		src := rs.sources[s.ID]
		ms := rs.members[s.ID]
		if len(ms) != s.Resources {
			return fmt.Errorf("%w: source %s: %d resources, the manifest says %d", backup.ErrDamaged, s.ID, len(ms), s.Resources)
		}
		src.Resources = len(ms)
		k, _ := idKey(s.ID)
		js, err := json.Marshal(src)
		if err != nil {
			return err
		}
		if err := rs.put(bucketSources, k, js, false); err != nil {
			return err
		}
		if len(ms) > 0 {
			if err := rs.put(bucketMembers, k, encodeMembers(ms), false); err != nil {
				return err
			}
		}
	}
	rs.rep.Sources = len(rs.m.Sources)
	rs.rep.People = len(rs.m.People)
	if rs.rep.Originals != rs.m.Counts.Originals || rs.rep.Resources != rs.m.Counts.Resources {
		return fmt.Errorf("%w: %d originals and %d resources, the manifest says %d and %d", backup.ErrDamaged,
			rs.rep.Originals, rs.rep.Resources, rs.m.Counts.Originals, rs.m.Counts.Resources)
	}
	// Entries.
	if err := rs.entries(); err != nil {
		return err
	}
	// The audit log: the backup's events, then this restore.
	if err := rs.commit(); err != nil {
		return err
	}
	if err := rs.audit(opts); err != nil {
		return err
	}
	// The index, as an unlock builds it.
	return v.view(func(tx *bolt.Tx) error {
		st, err := loadState(tx, v.s)
		if err == nil {
			v.st = st
		}
		return err
	})
}

// original stores a source's original file in chunks, checking it is the
// file that was imported.
func (rs *restoring) original(src *storedSource, path string) error {
	rc, err := rs.br.Open(path)
	if err != nil {
		return err
	}
	defer rc.Close()
	blob := newID()
	h := sha256.New()
	n := 0
	var size int64
	for {
		buf := make([]byte, chunkSize)
		k, err := io.ReadFull(rc, buf)
		if k > 0 {
			h.Write(buf[:k])
			size += int64(k)
			key := blobKey(blob, n)
			if perr := rs.put(bucketBlobs, key, buf[:k], false); perr != nil {
				return perr
			}
			n++
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if hex.EncodeToString(h.Sum(nil)) != src.SHA256 || size != src.Size {
		return fmt.Errorf("%w: %s is not the file that was imported (its checksum differs)", backup.ErrDamaged, path)
	}
	if n > 0 {
		src.Blob, src.Chunks = fmtID(blob), n
	}
	rs.rep.Originals++
	return nil
}

// lines calls fn with each line of a file of the backup.
func (rs *restoring) lines(path string, fn func(line []byte) error) error {
	rc, err := rs.br.Open(path)
	if err != nil {
		return err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 1<<20)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if ferr := fn(line); ferr != nil {
				return fmt.Errorf("%s line %d: %w", path, n, ferr)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (rs *restoring) resources(p backup.Person) error {
	count := 0
	err := rs.lines(backupResources(p.ID), func(line []byte) error {
		var rl resourceLine
		if err := json.Unmarshal(line, &rl); err != nil {
			return fmt.Errorf("%w: %v", backup.ErrDamaged, err)
		}
		src := rs.sources[rl.Source]
		if rl.Profile != p.ID || src == nil || !slices.Contains(src.Profiles, p.ID) || rl.Type == "" {
			return fmt.Errorf("%w: a resource of a source or person not in the backup", backup.ErrDamaged)
		}
		js := []byte(rl.JSON)
		if rl.Text != nil {
			js = []byte(*rl.Text)
		}
		if len(js) == 0 {
			return fmt.Errorf("%w: a resource without JSON", backup.ErrDamaged)
		}
		sr := storedResource{Profile: p.ID, Source: rl.Source, Type: rl.Type, ID: rl.ID, JSON: js}
		rs.members[rl.Source] = append(rs.members[rl.Source], member{rl.Type, rl.ID})
		count++
		return rs.put(bucketResources, rs.v.s.resourceKey(rl.Source, rl.Type, rl.ID), sr.encode(), false)
	})
	if err != nil {
		return err
	}
	if count != p.Resources {
		return fmt.Errorf("%w: %s has %d resources, the manifest says %d", backup.ErrDamaged, p.Name, count, p.Resources)
	}
	rs.rep.Resources += count
	return nil
}

func (rs *restoring) entries() error {
	seen := map[string]bool{}
	err := rs.lines(backupEntries, func(line []byte) error {
		var e record.Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return fmt.Errorf("%w: %v", backup.ErrDamaged, err)
		}
		k, ok := idKey(e.ID)
		if !ok || seen[e.ID] || !rs.people[e.Profile] {
			return fmt.Errorf("%w: an entry with a bad id or of a person not in the backup", backup.ErrDamaged)
		}
		seen[e.ID] = true
		for _, s := range e.Sources {
			if rs.sources[s] == nil {
				return fmt.Errorf("%w: an entry from a source not in the backup", backup.ErrDamaged)
			}
		}
		rs.rep.Entries++
		return rs.put(bucketEntries, k, encodeEntry(&e), true)
	})
	if err != nil {
		return err
	}
	if rs.rep.Entries != rs.m.Counts.Entries {
		return fmt.Errorf("%w: %d entries, the manifest says %d", backup.ErrDamaged, rs.rep.Entries, rs.m.Counts.Entries)
	}
	return nil
}

// audit replaces the new vault's "create" event with the backup's log and
// a "restore" event.
func (rs *restoring) audit(opts RestoreOptions) error {
	var events []AuditEvent
	err := rs.lines(backupAudit, func(line []byte) error {
		var ev AuditEvent
		if err := json.Unmarshal(line, &ev); err != nil {
			return fmt.Errorf("%w: %v", backup.ErrDamaged, err)
		}
		events = append(events, ev)
		return nil
	})
	if err != nil {
		return err
	}
	v := rs.v
	detail := fmt.Sprintf("from %s, made %s", strings.TrimSpace(opts.Name), rs.m.Created.UTC().Format(time.RFC3339))
	if opts.Name == "" {
		detail = "from a backup made " + rs.m.Created.UTC().Format(time.RFC3339)
	}
	events = append(events, AuditEvent{Time: v.opts.now(), Action: ActionRestore, Detail: detail})
	return v.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketAudit)
		if err != nil {
			return err
		}
		var old [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			old = append(old, bytes.Clone(k))
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		for _, ev := range events {
			if err := putAudit(tx, v.s, ev); err != nil {
				return err
			}
		}
		return nil
	})
}
