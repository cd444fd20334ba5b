package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// chunkSize is the size of the pieces an original file is sealed in, so a
// large export is streamed rather than held whole.
const chunkSize = 1 << 20

// ImportOptions tune [Vault.Import].
type ImportOptions struct {
	// Profile names the person (id or name) the file's records go to when
	// the file names no patient, or when its patient is ambiguous or not
	// yet in the vault. A file whose patient is clearly another person in
	// the vault is refused with [ErrProfileMismatch].
	Profile string
}

// ImportResult is what an import did.
type ImportResult struct {
	// Report is the batch's own Report, filled in (Profile, Added, Merged,
	// Conflicts, AlreadyImported; Parts for a package).
	Report *record.Report
	// Source is the id of the new source; "" when already imported.
	Source string
	// NewProfiles are the people the import added to the vault.
	NewProfiles []record.Profile
}

// Import stores a batch (one imported file, with the documents inside it
// when it is a package) in one transaction: all of it or, on any error,
// nothing.
//
// A batch whose Source.SHA256 was imported before changes nothing and is
// reported AlreadyImported (so are parts seen before). Each patient in the
// batch is matched to a profile with [record.MatchPatient]: a match goes to
// that person, no match creates a new person (listed in NewProfiles and in
// the report's warnings), and an ambiguous match goes to opts.Profile or
// fails with [ErrAmbiguousPatient]. A file that names no patient goes to
// opts.Profile, or to the only person in the vault, or fails with
// [ErrNeedProfile]. Entries are projected with [record.Project] (references
// resolve within the same document) and merged into the person's entries
// by [record.MergeKey] and [record.Merge]; the report counts what was added
// per kind, merged and found in conflict.
//
// Other errors: [ErrNoSuchProfile] for an unknown opts.Profile,
// [ErrProfileMismatch], [ErrDamaged], [ErrClosed], and the error of
// Batch.OpenOriginal.
func (v *Vault) Import(b *record.Batch, opts ImportOptions) (*ImportResult, error) {
	if b == nil {
		return nil, errors.New("vault: nothing to import")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.st == nil {
		return nil, ErrClosed
	}
	if err := fillHashes(b); err != nil {
		return nil, err
	}
	res := &ImportResult{Report: &b.Report}
	if id, ok := v.st.bySHA[b.Source.SHA256]; ok && b.Source.SHA256 != "" {
		markAlreadyImported(b)
		b.Report.Profile = v.st.profileNames(v.st.sources[id].Profiles)
		return res, nil
	}
	im := &importer{v: v, t: newTxn(v.st, v.s), opts: opts, seen: map[string]bool{}}
	if opts.Profile != "" {
		p, err := v.st.findProfile(opts.Profile)
		if err != nil {
			return nil, err
		}
		im.named = p.ID
	}
	err := v.update(func(tx *bolt.Tx) error {
		id, err := im.store(tx, b, "")
		if err != nil {
			return err
		}
		res.Source = id
		if err := im.t.flush(tx); err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionImport, Source: id,
			Detail: b.Source.File, Profile: strings.Join(im.all, ",")})
	})
	if err != nil {
		return nil, err
	}
	im.t.apply()
	for _, id := range im.created {
		res.NewProfiles = append(res.NewProfiles, cloneProfile(v.st.profiles[id]))
	}
	return res, nil
}

// fillHashes computes the content hash of batches whose importer left it
// empty but handed over the bytes.
func fillHashes(b *record.Batch) error {
	var err error
	b.Walk(func(x *record.Batch) {
		if err != nil || x.Source.SHA256 != "" {
			return
		}
		h := sha256.New()
		switch {
		case x.Original != nil:
			h.Write(x.Original)
			x.Source.Size = int64(len(x.Original))
		case x.OpenOriginal != nil:
			r, oerr := x.OpenOriginal()
			if oerr != nil {
				err = fmt.Errorf("reading %s: %w", x.Source.File, oerr)
				return
			}
			n, cerr := io.Copy(h, r)
			r.Close()
			if cerr != nil {
				err = fmt.Errorf("reading %s: %w", x.Source.File, cerr)
				return
			}
			x.Source.Size = n
		default:
			return
		}
		x.Source.SHA256 = hex.EncodeToString(h.Sum(nil))
	})
	return err
}

func markAlreadyImported(b *record.Batch) {
	b.Walk(func(x *record.Batch) {
		x.Report.AlreadyImported = true
		if x.Report.Added == nil {
			x.Report.Added = map[record.Kind]int{}
		}
		if x.Report.File == "" {
			x.Report.File = x.Source.File
		}
		if x.Report.Format == "" {
			x.Report.Format = x.Source.Format
		}
	})
}

func (st *state) profileNames(ids []string) string {
	var names []string
	for _, id := range ids {
		if p := st.profiles[id]; p != nil {
			names = append(names, p.Name)
		}
	}
	return strings.Join(names, ", ")
}

// importer carries one Import's transaction.
type importer struct {
	v       *Vault
	t       *txn
	opts    ImportOptions
	named   string          // the profile opts.Profile names
	seen    map[string]bool // content hashes stored in this import
	created []string        // profiles made by this import
	all     []string        // profiles this import touched
}

// store writes one batch node and its parts; it returns the source id.
func (im *importer) store(tx *bolt.Tx, b *record.Batch, parent string) (string, error) {
	t := im.t
	rep := &b.Report
	if rep.Added == nil {
		rep.Added = map[record.Kind]int{}
	}
	if rep.File == "" {
		rep.File = b.Source.File
	}
	if rep.Format == "" {
		rep.Format = b.Source.Format
	}
	sha := b.Source.SHA256
	if sha != "" && (im.seen[sha] || im.v.st.bySHA[sha] != "") {
		markAlreadyImported(b)
		if id := im.v.st.bySHA[sha]; id != "" {
			rep.Profile = im.v.st.profileNames(im.v.st.sources[id].Profiles)
		}
		return "", nil
	}
	if sha != "" {
		im.seen[sha] = true
	}

	src := &storedSource{Source: b.Source}
	src.ID = fmtID(newID())
	src.ImportedAt = im.v.opts.now()
	src.Parent = parent
	if src.Format == "" {
		src.Format = rep.Format
	}
	if err := im.storeOriginal(tx, b, src); err != nil {
		return "", err
	}

	// Who is each group of records about?
	profiles := make([]string, len(b.Patients))
	for i := range b.Patients {
		pid, err := im.assign(&b.Patients[i], rep)
		if err != nil {
			return "", fmt.Errorf("%s: %w", b.Source.File, err)
		}
		profiles[i] = pid
		if !slices.Contains(src.Profiles, pid) {
			src.Profiles = append(src.Profiles, pid)
		}
		if !slices.Contains(im.all, pid) {
			im.all = append(im.all, pid)
		}
	}
	rep.Profile = im.profileNames(src.Profiles)

	// Store every resource and index them for reference resolution.
	res := newResolver()
	var members []member
	var toSeal []kv
	taken := map[string]bool{}
	storeRes := func(pid string, r record.Resource) record.Resource {
		id := r.ID
		for n := 2; taken[r.Type+"/"+id]; n++ {
			id = fmt.Sprintf("%s~%d", r.ID, n)
		}
		if id != r.ID {
			rep.Warn(fmt.Sprintf("%s/%s appears more than once in the file; each copy is kept", r.Type, r.ID))
		}
		taken[r.Type+"/"+id] = true
		stored := storedResource{Profile: pid, Source: src.ID, Type: r.Type, ID: id, JSON: r.JSON}
		toSeal = append(toSeal, kv{im.v.s.resourceKey(src.ID, r.Type, id), stored.encode()})
		members = append(members, member{r.Type, id})
		r.ID = id
		res.add(r)
		return r
	}
	type pending struct {
		pid string
		r   record.Resource
	}
	var toProject []pending
	for i := range b.Patients {
		g := &b.Patients[i]
		if g.Patient != nil {
			storeRes(profiles[i], *g.Patient)
		}
		for _, r := range g.Resources {
			toProject = append(toProject, pending{profiles[i], storeRes(profiles[i], r)})
		}
	}
	t.sealAll(bucketResources, toSeal)
	src.Resources = len(members)
	srcKey, _ := idKey(src.ID)
	t.put(bucketMembers, srcKey, im.v.s.seal(bucketMembers, srcKey, encodeMembers(members)))

	// Project and merge.
	for _, p := range toProject {
		e, ok, err := record.Project(p.r, res.resolve)
		if err != nil {
			rep.Warn(fmt.Sprintf("%s/%s is stored but could not be read for the record view: %v", p.r.Type, p.r.ID, err))
			continue
		}
		if !ok {
			continue
		}
		e.Profile = p.pid
		e.Sources = []string{src.ID}
		e.Resources = []record.ResourceRef{{Source: src.ID, Type: p.r.Type, ID: p.r.ID}}
		im.merge(&e, rep)
	}
	t.sources[src.ID] = src
	if sha != "" {
		t.shas[sha] = src.ID
	}

	var parts []record.Report
	for _, part := range b.Parts {
		if _, err := im.store(tx, part, src.ID); err != nil {
			return "", err
		}
		parts = append(parts, part.Report)
	}
	if len(b.Parts) > 0 {
		rep.Parts = parts
		if rep.Profile == "" {
			rep.Profile = im.profileNames(im.all)
		}
	}
	return src.ID, nil
}

// merge folds a projected entry into the person's entries.
func (im *importer) merge(e *record.Entry, rep *record.Report) {
	t := im.t
	key := record.MergeKey(e)
	ids := t.group(e.Profile, key)
	held := make([]*record.Entry, len(ids))
	for i, id := range ids {
		held[i] = cloneEntry(t.entry(id))
	}
	outcome, idx := record.Merge(held, e)
	// Write back the entry merged into and every one whose flag changed.
	for i, id := range ids {
		if i == idx || held[i].Conflict != t.entry(id).Conflict {
			*t.mutableEntry(id) = *held[i]
		}
	}
	switch outcome {
	case record.Merged:
		rep.Merged++
		return
	case record.Conflict:
		rep.Conflicts++
	}
	e.ID = newIDNear(e.Sources[0])
	t.entries[e.ID] = e
	t.addToGroup(e.Profile, key, e.ID)
	rep.Added[e.Kind]++
}

func (im *importer) profileNames(ids []string) string {
	var names []string
	for _, id := range ids {
		if p := im.t.profile(id); p != nil {
			names = append(names, p.Name)
		}
	}
	return strings.Join(names, ", ")
}

// anonymous reports whether a file's patient has neither a name nor an
// identifier (an Apple Health export gives only a birth date and sex): such
// a file does not say who it is about.
func anonymous(p record.Person) bool {
	return strings.TrimSpace(p.Name) == "" && strings.TrimSpace(p.Family) == "" && len(p.Given) == 0 &&
		len(p.Identifiers) == 0
}

// assign decides whose records a patient group is; see Import.
func (im *importer) assign(g *record.PatientRecords, rep *record.Report) (string, error) {
	t := im.t
	if anonymous(g.Person) {
		if im.named != "" {
			return im.named, nil
		}
		// The only person, unless the file's birth date says it is someone else.
		if ps := t.profileList(); len(ps) == 1 {
			b, pb := g.Person.BirthDate, ps[0].BirthDate
			if b.IsZero() || pb.IsZero() || b.SameDay(pb) {
				return ps[0].ID, nil
			}
			return "", fmt.Errorf("%w: the file names no one, and its birth date (%s) is not %q's", ErrNeedProfile, b.Human(), ps[0].Name)
		}
		return "", ErrNeedProfile
	}
	m := record.MatchPatient(g.Person, t.profileList())
	switch m.Outcome {
	case record.Matched:
		if im.named != "" && im.named != m.Profile {
			return "", fmt.Errorf("%w: %s", ErrProfileMismatch, m.Why)
		}
		im.learn(m.Profile, g.Person)
		return m.Profile, nil
	case record.Ambiguous:
		if im.named == "" {
			return "", fmt.Errorf("%w: %s", ErrAmbiguousPatient, m.Why)
		}
		im.learn(im.named, g.Person)
		return im.named, nil
	}
	if im.named != "" {
		im.learn(im.named, g.Person)
		return im.named, nil
	}
	p := &record.Profile{ID: fmtID(newID()), Name: personName(g.Person), BirthDate: g.Person.BirthDate,
		Sex: g.Person.Sex, Identifiers: slices.Clone(g.Person.Identifiers)}
	t.profiles[p.ID] = p
	im.created = append(im.created, p.ID)
	rep.Warn(fmt.Sprintf("added a new person to the vault: %q (%s)", p.Name, m.Why))
	return p.ID, nil
}

func personName(p record.Person) string {
	if n := strings.Join(strings.Fields(p.Name), " "); n != "" {
		return n
	}
	if n := strings.Join(strings.Fields(strings.Join(append(slices.Clone(p.Given), p.Family), " ")), " "); n != "" {
		return n
	}
	return "Unnamed person"
}

// learn adds what a file says about a person that the profile lacks: new
// record numbers, another spelling of the name, a birth date, a sex. It
// never overwrites what the profile holds.
func (im *importer) learn(id string, per record.Person) {
	cur := im.t.profile(id)
	var add []record.Identifier
	for _, x := range per.Identifiers {
		if strings.TrimSpace(x.Value) == "" {
			continue
		}
		known := false
		for _, y := range cur.Identifiers {
			if record.SameSystem(x.System, y.System) && strings.EqualFold(strings.TrimSpace(x.Value), strings.TrimSpace(y.Value)) {
				known = true
				break
			}
		}
		if !known {
			add = append(add, x)
		}
	}
	name := personName(per)
	newName := name != "Unnamed person" && record.NormalizeText(name) != record.NormalizeText(cur.Name) &&
		!slices.ContainsFunc(cur.Names, func(n string) bool { return record.NormalizeText(n) == record.NormalizeText(name) })
	birth := cur.BirthDate.IsZero() && !per.BirthDate.IsZero()
	sex := cur.Sex == "" && per.Sex != ""
	if len(add) == 0 && !newName && !birth && !sex {
		return
	}
	p := im.t.mutableProfile(id)
	p.Identifiers = append(p.Identifiers, add...)
	if newName {
		p.Names = append(p.Names, name)
	}
	if birth {
		p.BirthDate = per.BirthDate
	}
	if sex {
		p.Sex = per.Sex
	}
}

// storeOriginal seals the batch's original bytes in chunks, streaming from
// OpenOriginal when the bytes are not in memory.
func (im *importer) storeOriginal(tx *bolt.Tx, b *record.Batch, src *storedSource) error {
	var r io.Reader
	switch {
	case b.Original != nil:
		r = bytes.NewReader(b.Original)
	case b.OpenOriginal != nil:
		rc, err := b.OpenOriginal()
		if err != nil {
			return fmt.Errorf("reading %s: %w", b.Source.File, err)
		}
		defer rc.Close()
		r = rc
	default:
		return nil
	}
	bk, err := bucket(tx, bucketBlobs)
	if err != nil {
		return err
	}
	blob := newID()
	h := sha256.New()
	buf := make([]byte, chunkSize)
	var size int64
	n := 0
	for {
		m, err := io.ReadFull(r, buf)
		if m > 0 {
			h.Write(buf[:m])
			size += int64(m)
			k := blobKey(blob, n)
			if err := bk.Put(k, im.v.s.seal(bucketBlobs, k, buf[:m])); err != nil {
				return err
			}
			n++
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", b.Source.File, err)
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if src.SHA256 != "" && src.SHA256 != sum {
		return fmt.Errorf("reading %s: the file changed while it was being imported", b.Source.File)
	}
	src.SHA256, src.Size = sum, size
	src.Blob, src.Chunks = fmtID(blob), n
	return nil
}

// resolver finds a document's resources by the references inside it:
// "Type/id" as the importers write them, and, leniently, "urn:uuid:id" and
// absolute URLs ending in Type/id.
type resolver struct {
	byRef map[string]record.Resource
	byID  map[string]record.Resource
}

func newResolver() *resolver {
	return &resolver{byRef: map[string]record.Resource{}, byID: map[string]record.Resource{}}
}

func (rs *resolver) add(r record.Resource) {
	rs.byRef[r.Type+"/"+r.ID] = r
	if _, dup := rs.byID[r.ID]; !dup {
		rs.byID[r.ID] = r
	}
}

func (rs *resolver) resolve(ref string) (record.Resource, bool) {
	if r, ok := rs.byRef[ref]; ok {
		return r, true
	}
	for _, p := range []string{"urn:uuid:", "urn:oid:"} {
		if id, ok := strings.CutPrefix(ref, p); ok {
			r, ok := rs.byID[id]
			return r, ok
		}
	}
	if i := strings.Index(ref, "/_history/"); i >= 0 {
		ref = ref[:i]
	}
	parts := strings.Split(ref, "/")
	if len(parts) >= 2 {
		r, ok := rs.byRef[parts[len(parts)-2]+"/"+parts[len(parts)-1]]
		return r, ok
	}
	return record.Resource{}, false
}
