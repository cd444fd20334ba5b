package vault

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/export/fhir"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault/backup"
	bolt "go.etcd.io/bbolt"
)

// Paths in a backup's zip besides the manifest (see package backup).
const (
	backupReadme   = "README.txt"
	backupProfiles = "kinfolio/profiles.json"
	backupEntries  = "kinfolio/entries.ndjson"
	backupAudit    = "kinfolio/audit.ndjson"
)

// backupResources is the zip path of a person's stored resources.
func backupResources(pid string) string { return "kinfolio/resources/" + pid + ".ndjson" }

// BackupOptions say what a backup holds and whom it is encrypted to.
type BackupOptions struct {
	// Profile (an id or a name) backs up that one person: their profile,
	// entries and resources, the sources their records came from (of a
	// file that also holds other people's records, only their part, and
	// not the original file), and the audit events about them. Nothing
	// of anyone else is in it. "" backs up everyone.
	Profile string
	// Recipients are age public keys ("age1…") to encrypt to. When empty
	// the backup is encrypted to Passphrase.
	Recipients []string
	// Passphrase encrypts the backup when there are no Recipients; ""
	// means the vault's own passphrase (the vault must have been unlocked
	// with it, else [ErrNeedPassphrase]).
	Passphrase string
	// WorkFactor is the scrypt logN of a passphrase backup; 0 means the
	// vault's own.
	WorkFactor int
	// Now is when the backup is made (stamped in it); zero means now.
	Now time.Time
}

// Backup writes a backup of the vault (or of one person) to w: an age
// file of a zip holding the manifest, each person's FHIR R4 Bundle (made
// by package export/fhir), the original files byte for byte, and the
// vault's own records of people, sources, entries, resources and audit
// events, from which [Restore] rebuilds the vault exactly. The file
// format is package backup's. The vault is read in one read transaction,
// so the backup is one consistent moment; imports wait meanwhile.
//
// Backup does not record itself in the audit log: the caller does that
// ([Vault.Record], [ActionBackup]) once the file is safely written.
//
// Errors: [ErrNoSuchProfile], [ErrBadRecipient], [ErrNeedPassphrase],
// [ErrBadPassphrase], [ErrDamaged], [ErrClosed], and w's errors.
func (v *Vault) Backup(w io.Writer, opts BackupOptions) (*backup.Manifest, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	now := opts.Now
	if now.IsZero() {
		now = v.opts.now()
	}
	pid := ""
	if opts.Profile != "" {
		p, err := v.st.findProfile(opts.Profile)
		if err != nil {
			return nil, err
		}
		pid = p.ID
	}
	var rs []age.Recipient
	for _, k := range opts.Recipients {
		r, err := parseRecipient(k)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		pass := opts.Passphrase
		if pass == "" {
			if !v.hasPass {
				return nil, fmt.Errorf("%w: to encrypt the backup to it (or give a recipient key)", ErrNeedPassphrase)
			}
			pass = v.pass
		}
		r, err := age.NewScryptRecipient(pass)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadPassphrase, err)
		}
		wf := opts.WorkFactor
		if wf == 0 {
			wf = v.hdr.WorkFactor
		}
		if wf < 1 || wf > MaxWorkFactor {
			return nil, fmt.Errorf("%w: work factor %d", ErrBadPassphrase, wf)
		}
		r.SetWorkFactor(wf)
		rs = []age.Recipient{r}
	}
	bw, err := backup.NewWriter(w, rs...)
	if err != nil {
		return nil, err
	}
	b := &backupRun{v: v, w: bw, pid: pid, now: now}
	err = v.view(func(tx *bolt.Tx) error { return b.write(tx) })
	if err != nil {
		return nil, err
	}
	if err := bw.Close(b.m); err != nil {
		return nil, fmt.Errorf("writing the backup: %w", err)
	}
	return b.m, nil
}

// backupRun is one Backup's work.
type backupRun struct {
	v   *Vault
	w   *backup.Writer
	pid string // "" for everyone
	now time.Time
	m   *backup.Manifest

	openers []opener
	pieces  []chunkPiece    // an original's chunks being copied, one per opener
	all     []*record.Entry // every entry, by id

	people  []*record.Profile
	sources []*storedSource           // included, sorted by import
	srcInfo map[string]*backup.Source // by id
}

// peopleOf returns, for every source, the people whose records it or the
// documents inside it hold.
func (st *state) peopleOf() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, s := range st.sources {
		x := s
		for i := 0; x != nil && i < 64; i++ {
			m := out[x.ID]
			if m == nil {
				m = map[string]bool{}
				out[x.ID] = m
			}
			for _, p := range s.Profiles {
				m[p] = true
			}
			if x.Parent == "" {
				break
			}
			x = st.sources[x.Parent]
		}
	}
	return out
}

func (b *backupRun) write(tx *bolt.Tx) error {
	st := b.v.st
	b.m = &backup.Manifest{Created: b.now, Scope: "vault"}
	if b.pid != "" {
		b.m.Scope = "person"
		b.people = []*record.Profile{st.profiles[b.pid]}
	} else {
		for _, p := range st.profiles {
			b.people = append(b.people, p)
		}
		slices.SortFunc(b.people, func(x, y *record.Profile) int {
			return strings.Compare(record.NormalizeText(x.Name)+x.ID, record.NormalizeText(y.Name)+y.ID)
		})
	}

	// Which sources, which of their people, which originals.
	people := st.peopleOf()
	b.srcInfo = map[string]*backup.Source{}
	for _, s := range st.sources {
		info := &backup.Source{Source: s.Source, Profiles: []string{}, Pending: slices.Clone(s.Pending), Seq: s.Seq}
		if b.pid != "" {
			if !people[s.ID][b.pid] {
				continue
			}
			if slices.Contains(s.Profiles, b.pid) {
				info.Profiles = []string{b.pid}
			}
		} else {
			info.Profiles = slices.Clone(s.Profiles)
		}
		if s.Blob != "" {
			if b.pid != "" && len(people[s.ID]) > 1 {
				info.OriginalLeftOut = "the file also holds records of other people"
			} else {
				info.Original = "originals/" + s.ID + "/" + backup.SafeName(s.File)
			}
		}
		b.srcInfo[s.ID] = info
		b.sources = append(b.sources, s)
	}
	// Sorted by id next to the id, not through the entries.
	byID := make([]idEntry, 0, len(st.entries))
	for id, e := range st.entries {
		byID = append(byID, idEntry{id, e})
	}
	slices.SortFunc(byID, func(x, y idEntry) int { return strings.Compare(x.id, y.id) })
	b.all = make([]*record.Entry, len(byID))
	for i, x := range byID {
		b.all[i] = x.e
	}
	var err error
	if b.sources, err = b.v.importOrder(tx, b.sources, b.all); err != nil {
		return err
	}

	if err := b.text(backupReadme, readme(b.m.Scope, b.now)); err != nil {
		return err
	}
	if err := b.profiles(); err != nil {
		return err
	}
	if err := b.entries(); err != nil {
		return err
	}
	if err := b.audit(tx); err != nil {
		return err
	}
	for _, p := range b.people {
		if err := b.person(tx, p); err != nil {
			return err
		}
	}
	for _, s := range b.sources {
		if err := b.original(tx, s); err != nil {
			return err
		}
	}
	for _, s := range b.sources {
		b.m.Sources = append(b.m.Sources, *b.srcInfo[s.ID])
	}
	b.m.Counts.People = len(b.people)
	b.m.Counts.Sources = len(b.sources)
	return nil
}

type idEntry struct {
	id string
	e  *record.Entry
}

func (b *backupRun) text(name string, content []byte) error {
	w, err := b.w.Create(name, b.now, true)
	if err != nil {
		return err
	}
	_, err = w.Write(content)
	return err
}

func (b *backupRun) profiles() error {
	out := make([]record.Profile, 0, len(b.people))
	for _, p := range b.people {
		out = append(out, cloneProfile(p))
	}
	js, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return b.text(backupProfiles, append(js, '\n'))
}

func (b *backupRun) entries() error {
	sel := b.all
	if b.pid != "" {
		sel = nil
		for _, e := range b.all {
			if e.Profile == b.pid {
				sel = append(sel, e)
			}
		}
	}
	w, err := b.w.Create(backupEntries, b.now, true)
	if err != nil {
		return err
	}
	// Encoded a batch at a time on every CPU, written in order.
	const batch = 4096
	bufs := make([][]byte, workersFor(len(sel)))
	for start := 0; start < len(sel); start += batch * len(bufs) {
		err := parallel(len(bufs), func(_, part int) error {
			buf := bufs[part][:0]
			for i := start + part*batch; i < min(start+(part+1)*batch, len(sel)); i++ {
				var ok bool
				if buf, ok = appendEntryJSON(buf, sel[i]); !ok {
					_, err := json.Marshal(sel[i]) // what it refuses, in its words
					return fmt.Errorf("%w: an entry cannot be written: %v", ErrDamaged, err)
				}
			}
			bufs[part] = buf
			return nil
		})
		if err != nil {
			return err
		}
		for _, buf := range bufs {
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
	}
	b.m.Counts.Entries = len(sel)
	return nil
}

// audit writes the audit log: all of it, or for one person the events
// about them or their sources (naming only them).
func (b *backupRun) audit(tx *bolt.Tx) error {
	w, err := b.w.Create(backupAudit, b.now, true)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err = forEach(tx, bucketAudit, func(k, val []byte) error {
		plain, err := b.v.s.open(bucketAudit, k, val)
		if err != nil {
			return err
		}
		var ev AuditEvent
		if err := json.Unmarshal(plain, &ev); err != nil {
			return fmt.Errorf("%w: unreadable log event", ErrDamaged)
		}
		if b.pid != "" {
			_, ownSource := b.srcInfo[ev.Source]
			if !slices.Contains(strings.Split(ev.Profile, ","), b.pid) && !(ev.Source != "" && ownSource) {
				return nil
			}
			if ev.Profile != "" {
				ev.Profile = b.pid
			}
		}
		return enc.Encode(ev)
	})
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// person writes one person's FHIR Bundle and stored resources.
func (b *backupRun) person(tx *bolt.Tx, p *record.Profile) error {
	in, err := b.v.exportInput(tx, p.ID, b.now, false)
	if err != nil {
		return err
	}
	dir := "people/" + backup.SafeName(p.Name) + " (" + p.ID[:min(8, len(p.ID))] + ")"
	bundle := dir + "/record.fhir.json"
	w, err := b.w.Create(bundle, b.now, true)
	if err != nil {
		return err
	}
	if err := fhir.WriteBundle(w, in); err != nil {
		return fmt.Errorf("writing %s's FHIR record: %w", p.Name, err)
	}
	w, err = b.w.Create(backupResources(p.ID), b.now, true)
	if err != nil {
		return err
	}
	var line []byte
	for _, r := range in.Resources {
		line = appendResourceLine(line[:0], p.ID, r)
		if _, err := w.Write(line); err != nil {
			return err
		}
		if info := b.srcInfo[r.Ref.Source]; info != nil {
			info.Resources++
		}
	}
	b.m.People = append(b.m.People, backup.Person{ID: p.ID, Name: p.Name, BirthDate: p.BirthDate, Bundle: bundle,
		Entries: b.v.st.countEntries(p.ID), Resources: len(in.Resources)})
	b.m.Counts.Resources += len(in.Resources)
	return nil
}

// resourceLine is one line of a backup's resources file. The resource's
// JSON is kept byte for byte: as a JSON value when it is on one line, else
// as a string.
type resourceLine struct {
	Profile string          `json:"profile"`
	Source  string          `json:"source"`
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	JSON    json.RawMessage `json:"json,omitempty"`
	Text    *string         `json:"text,omitempty"`
}

// appendResourceLine appends a resource's line. The caller has checked
// the JSON is well formed (the FHIR Bundle was written from it).
func appendResourceLine(dst []byte, pid string, r export.Resource) []byte {
	dst = append(dst, `{"profile":`...)
	dst = appendJSONText(dst, pid)
	dst = append(dst, `,"source":`...)
	dst = appendJSONText(dst, r.Ref.Source)
	dst = append(dst, `,"type":`...)
	dst = appendJSONText(dst, r.Ref.Type)
	dst = append(dst, `,"id":`...)
	dst = appendJSONText(dst, r.Ref.ID)
	if bytes.IndexByte(r.JSON, '\n') < 0 && bytes.IndexByte(r.JSON, '\r') < 0 {
		dst = append(dst, `,"json":`...)
		dst = append(dst, r.JSON...)
	} else {
		dst = append(dst, `,"text":`...)
		dst = appendJSONText(dst, string(r.JSON))
	}
	return append(dst, "}\n"...)
}

// original writes a source's original file, byte for byte, its chunks
// decrypted a few at a time on every CPU. The first chunk decides how:
// chunks sealed deflated ([flagDeflateChunk]) are copied into the zip as
// they are, with the chunks that did not compress stored between them, so
// nothing is inflated or compressed again; an original whose first chunk
// does not compress (a zip), or one sealed before chunks were laid out so,
// is inflated and stored or deflated anew.
func (b *backupRun) original(tx *bolt.Tx, s *storedSource) error {
	info := b.srcInfo[s.ID]
	if info.Original == "" {
		return nil
	}
	bk, err := bucket(tx, bucketBlobs)
	if err != nil {
		return err
	}
	blob, _ := hex.DecodeString(s.Blob)
	if len(b.openers) == 0 {
		b.openers = make([]opener, workersFor(1<<20))
		for i := range b.openers {
			b.openers[i].s = b.v.s
		}
		b.pieces = make([]chunkPiece, len(b.openers))
	}
	var df *backup.DeflatedFile // copying the chunks as they are
	var w io.Writer             // or writing their plaintext
	var size int64
	for start := 0; start < s.Chunks; {
		n := min(len(b.openers), s.Chunks-start)
		if start == 0 {
			n = 1
		}
		copying := start == 0 || df != nil
		err := parallel(n, func(_, i int) error {
			k := blobKey(blob, start+i)
			val := bk.Get(k)
			if val == nil {
				return fmt.Errorf("%w: part of an original file is missing (source %s)", ErrDamaged, s.ID)
			}
			p := &b.pieces[i]
			var err error
			if copying {
				p.data, p.crc, p.n, p.deflated, err = b.openers[i].openChunk(bucketBlobs, k, val)
			} else {
				p.data, err = b.openers[i].open(bucketBlobs, k, val)
				p.n, p.deflated = len(p.data), false
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, p := range b.pieces[:n] {
			switch {
			case start == 0 && p.deflated:
				df, err = b.w.CreateDeflated(info.Original, s.ImportedAt, s.SHA256)
			case start == 0:
				w, err = b.w.Create(info.Original, s.ImportedAt, !compressed(p.data))
			}
			if err != nil {
				return err
			}
			switch {
			case df != nil && p.deflated:
				err = df.WriteBlocks(p.data, p.crc, int64(p.n))
			case df != nil:
				_, err = df.Write(p.data)
			default:
				_, err = w.Write(p.data)
			}
			if err != nil {
				return err
			}
			size += int64(p.n)
		}
		start += n
	}
	if w == nil && df == nil {
		if _, err := b.w.Create(info.Original, s.ImportedAt, true); err != nil {
			return err
		}
	}
	f, err := b.w.Finish()
	if err != nil {
		return err
	}
	// The original must be the file that was imported: when its plaintext
	// went through the backup (which hashes every file it holds), its
	// hash; when its chunks were copied, which are authenticated as they
	// are read and carry the CRC-32 and length of the plaintext they were
	// made from, its size.
	if df == nil && f.SHA256 != s.SHA256 || df != nil && size != s.Size {
		return fmt.Errorf("%w: the original file of source %s does not match its checksum", ErrDamaged, s.ID)
	}
	b.m.Counts.Originals++
	b.m.Counts.OriginalBytes += size
	return nil
}

// chunkPiece is a chunk of an original as [opener.openChunk] gives it.
type chunkPiece struct {
	data     []byte
	crc      uint32
	n        int
	deflated bool
}

// compressed reports content that is compressed already (zip, gzip), so
// deflating it again would only cost time.
func compressed(head []byte) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte{0x1f, 0x8b})
}

func readme(scope string, now time.Time) []byte {
	who := "everyone in the vault"
	if scope == "person" {
		who = "one person (a handover: nothing of anyone else is in it)"
	}
	return []byte(`Kinfolio backup, made ` + now.UTC().Format(time.RFC3339) + `, of ` + who + `.

You are reading the inside of the backup: age -d opened it. Everything here is
standard and readable without Kinfolio:

  people/NAME (ID)/record.fhir.json
      each person's whole record as a FHIR R4 Bundle (JSON, one entry a line),
      with a Provenance resource per source saying where each record came from
  originals/SOURCE ID/FILE
      the files that were imported, byte for byte as they were
  manifest.json
      what the backup holds: the people, the sources (file names, formats,
      when imported, who wrote them), counts, and the SHA-256 of every file
  kinfolio/
      Kinfolio's own records of the people, entries, resources and the audit
      log, from which 'kin restore' rebuilds the vault exactly

To restore into Kinfolio: kin restore BACKUP --to NEW-VAULT-FILE
`)
}
