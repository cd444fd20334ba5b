package vault

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kinfolio/kinfolio/record"
	bolt "go.etcd.io/bbolt"
)

// chunkSize is the size of the pieces an original file is sealed in, so a
// large export is streamed rather than held whole.
const chunkSize = 1 << 20

// ImportOptions tune [Vault.Import].
type ImportOptions struct {
	// Profile names the person (id or name) the user says the file is
	// about. It decides only records that name no patient, or whose patient
	// matches more than one person; see "Whose records" in the package doc.
	Profile string
	// Run, when set, links this import to the others of the same run
	// (files given together), so references between them find their
	// patient. See [Run].
	Run *Run
	// Progress, when set, is told how the import is going: called on the
	// importing goroutine, at most once per megabyte of original and once
	// per few hundred records. It must not call the vault.
	Progress func(ImportProgress)
}

// ImportProgress says how far an import is.
type ImportProgress struct {
	// Stage is what the import is doing: [StageOriginal] (keeping the
	// original file, sealed; Done and Total count bytes) or [StageRecords]
	// (storing the records and merging them; Done and Total count records).
	Stage string
	// Done and Total measure the stage; Total is 0 when unknown.
	Done, Total int64
}

// The stages of an import, in order.
const (
	StageOriginal = "original"
	StageRecords  = "records"
)

// ImportResult is what an import did.
type ImportResult struct {
	// Report is the batch's own Report, filled in (Profile, Added, Merged,
	// Conflicts, AlreadyImported; Parts for a package, each part's filled
	// in too; parts left out are in Skipped, not in Parts).
	Report *record.Report
	// Source is the id of the new source (of the package when parts left
	// out before were added to it); "" when already imported.
	Source string
	// NewProfiles are the people the import added to the vault.
	NewProfiles []record.Profile
	// LeftOut are the documents of a package that were not imported
	// because whose they are is not known: what a front end asks about.
	// Importing the package again, with the answer as Profile, adds them.
	LeftOut []*PatientError
}

// Import stores a batch (one imported file, with the documents inside it
// when it is a package) in one transaction: all of it or, on any error,
// nothing. The one exception is a package's document that cannot be given
// to a person (see "Whose records" in the package doc): it is left out,
// listed in the package's Report.Skipped and in LeftOut, and the rest is
// stored.
//
// A batch whose Source.SHA256 was imported before changes nothing and is
// reported AlreadyImported (so are parts seen before), unless it is a
// package some of whose documents were left out then: those are imported
// now (under the same package), if whose they are is now known. Entries are
// projected with [record.Project] (references resolve within the same
// document) and merged into the person's entries by [record.MergeKey] and
// [record.Merge]; the report counts what was added per kind, merged and
// found in conflict.
//
// Import can be cancelled through ctx: it then returns ctx's error and
// stores nothing. While it runs, the vault's readers (entries, search,
// profiles, resources) do not wait for it: they see the vault as it was
// until the import commits. Other writes wait.
//
// Errors: a [*PatientError] (wrapping [ErrNeedProfile],
// [ErrAmbiguousPatient] or [ErrProfileMismatch]) when the file, or every
// document of a package, cannot be given to a person (a package's are
// joined with [errors.Join]); [ErrNoSuchProfile] for an unknown
// opts.Profile; [ErrDamaged], [ErrClosed], and the error of
// Batch.OpenOriginal.
func (v *Vault) Import(ctx context.Context, b *record.Batch, opts ImportOptions) (*ImportResult, error) {
	if b == nil {
		return nil, errors.New("vault: nothing to import")
	}
	// Writers are serialised by wmu, and only writers change the state, so
	// the import reads it without holding mu: readers go on meanwhile. mu
	// is taken only to apply the committed changes.
	v.wmu.Lock()
	defer v.wmu.Unlock()
	v.mu.RLock()
	closed := v.st == nil
	v.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := fillHashes(b); err != nil {
		return nil, err
	}
	im := &importer{v: v, t: newTxn(v.st, v.s), opts: opts, seen: map[string]bool{}, patients: map[string][]seenPatient{},
		ctx: ctx, progress: newProgress(b, opts.Progress)}
	if opts.Profile != "" {
		p, err := v.st.findProfile(opts.Profile)
		if err != nil {
			return nil, err
		}
		im.chosen = p.ID
	}
	res := &ImportResult{Report: &b.Report}
	if id, ok := v.st.bySHA[b.Source.SHA256]; ok && b.Source.SHA256 != "" {
		src := v.st.sources[id]
		if len(src.Pending) == 0 {
			markAlreadyImported(b)
			b.Report.Profile = v.st.profileNames(v.st.treeProfiles(id))
			b.FinishReport(nil)
			return res, nil
		}
		im.resume = src // a package some of whose documents were left out
	}
	units := im.plan(b)
	err := v.update(func(tx *bolt.Tx) error {
		slices.SortStableFunc(units, func(a, b *unit) int { return a.order - b.order })
		var left []error
		stored := false
		for _, u := range units {
			if err := ctx.Err(); err != nil {
				return err
			}
			im.decide(tx, u)
			switch {
			case u.err != nil && u.root:
				return u.err
			case u.err != nil:
				left = append(left, u.err)
				res.LeftOut = append(res.LeftOut, u.err)
			case u.ignored == "" && u.hasRecords():
				stored = true
			}
		}
		if !stored && len(left) > 0 {
			return errors.Join(left...)
		}
		id, err := im.store(tx, b, "")
		if err != nil {
			return err
		}
		res.Source = id
		if err := ctx.Err(); err != nil {
			return err // the last moment to stop: nothing is committed yet
		}
		if err := im.t.flush(tx); err != nil {
			return err
		}
		return putAudit(tx, v.s, AuditEvent{Time: v.opts.now(), Action: ActionImport, Source: id,
			Detail: b.Source.File, Profile: strings.Join(im.all, ",")})
	})
	im.noteRun(err)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, err
	}
	v.mu.Lock()
	im.t.apply()
	for _, id := range im.created {
		res.NewProfiles = append(res.NewProfiles, cloneProfile(v.st.profiles[id]))
	}
	v.mu.Unlock()
	b.FinishReport(func(part *record.Batch) bool {
		n := im.nodes[part]
		return n == nil || n.stored() || n.already
	})
	return res, nil
}

// plan lays out the batch's tree as units and nodes: the root's own
// records form a unit, each part with the documents inside it another.
// Parts imported before (or already in this batch) are marked so, as are,
// when completing a package, the parts not left out last time.
func (im *importer) plan(b *record.Batch) []*unit {
	im.nodes = map[*record.Batch]*node{}
	var units []*unit
	var add func(x *record.Batch, u *unit, top bool)
	add = func(x *record.Batch, u *unit, top bool) {
		n := &node{b: x, unit: u}
		im.nodes[x] = n
		sha := x.Source.SHA256
		switch {
		case top && im.resume != nil:
			n.already = true // stored last time; only its parts may be new
		case im.resume != nil && u.nodes == nil && !slices.Contains(im.resume.Pending, x.Source.File):
			n.already = true
		case sha != "" && (im.seen[sha] || im.v.st.bySHA[sha] != ""):
			n.already = true
		}
		if sha != "" {
			im.seen[sha] = true
		}
		if n.already && !top {
			markAlreadyImported(x)
			return
		}
		u.nodes = append(u.nodes, n)
		for _, p := range x.Parts {
			if top {
				pu := &unit{}
				units = append(units, pu)
				add(p, pu, false)
			} else {
				add(p, u, false)
			}
		}
	}
	root := &unit{root: true}
	units = append(units, root)
	add(b, root, true)
	if im.resume != nil {
		root.nodes = nil // the package itself is stored already
	}
	for _, u := range units {
		u.order = u.rank()
		u.dir = u.order == 2
	}
	return units
}

// noteRun tells the run whose Patients this import read, or that they
// were not imported.
func (im *importer) noteRun(err error) {
	run := im.opts.Run
	if run == nil {
		return
	}
	var whole *PatientError
	if err != nil && !errors.As(err, &whole) {
		whole = &PatientError{Err: ErrNeedProfile, Why: "the file was not imported"}
	}
	for x, n := range im.nodes {
		if n.already {
			continue
		}
		for i := range x.Patients {
			g := &x.Patients[i]
			if g.Patient == nil {
				continue
			}
			p := seenPatient{file: n.file()}
			switch {
			case err != nil:
				p.err = whole
				if n.unit.err != nil {
					p.err = n.unit.err
				}
			case n.unit.err != nil:
				p.err = n.unit.err
			case n.stored():
				p.profile = n.profiles[i]
			default:
				continue
			}
			run.add("Patient/"+g.Patient.ID, p)
		}
	}
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
	b.Walk(func(x *record.Batch) { x.Report.AlreadyImported = true })
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

// treeProfiles lists the people the records of a source and of the
// sources inside it went to.
func (st *state) treeProfiles(id string) []string {
	var out []string
	in := map[string]bool{id: true}
	for changed := true; changed; {
		changed = false
		for sid, s := range st.sources {
			if !in[sid] && in[s.Parent] {
				in[sid] = true
				changed = true
			}
		}
	}
	for sid := range in {
		for _, p := range st.sources[sid].Profiles {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(st.profiles[a].Name, st.profiles[b].Name) })
	return out
}

// importer carries one Import's transaction.
type importer struct {
	v       *Vault
	t       *txn
	opts    ImportOptions
	chosen  string          // the profile opts.Profile names
	seen    map[string]bool // content hashes met in this batch
	created []string        // profiles made by this import
	all     []string        // profiles this import gave records to
	// resume is the package being completed (its parts left out before).
	resume *storedSource
	nodes  map[*record.Batch]*node
	// patients are the Patients read in this import: "Patient/id" → whose.
	patients map[string][]seenPatient
	// undo reverts what deciding a unit changed, should the unit fail.
	undo []func()
	// ctx cancels the import; progress reports on it.
	ctx      context.Context
	progress *progress
	// cur is the source being stored; seq the last Seq given.
	cur *storedSource
	seq int64
}

// nextSeq is the Seq of the next source stored.
func (im *importer) nextSeq() int64 {
	if im.seq == 0 {
		for _, src := range im.t.st.sources {
			im.seq = max(im.seq, src.Seq)
		}
		for _, src := range im.t.sources {
			im.seq = max(im.seq, src.Seq)
		}
	}
	im.seq++
	return im.seq
}

// heldOrder sorts a merge-key group's entries (ids and held alike) by
// the order in which the source that first stated each was imported
// (storedSource.Seq, then ImportedAt): [record.Merge] folds an incoming
// fact into the first entry that agrees with it, and which is first must
// not depend on how the vault happens to list them, so that importing the
// same files in the same order (or Kinfolio's own export of them) merges
// the same way.
func (im *importer) heldOrder(ids []string, held []*record.Entry) {
	type pair struct {
		id  string
		e   *record.Entry
		seq int64
		at  time.Time
		s   string
	}
	ps := make([]pair, len(ids))
	for i := range ids {
		p := pair{id: ids[i], e: held[i]}
		if len(held[i].Sources) > 0 {
			p.s = held[i].Sources[0]
			src := im.t.sources[p.s]
			if src == nil && im.cur != nil && im.cur.ID == p.s {
				src = im.cur
			}
			if src == nil {
				src = im.t.st.sources[p.s]
			}
			if src != nil {
				p.seq, p.at = src.Seq, src.ImportedAt
			}
		}
		ps[i] = p
	}
	slices.SortStableFunc(ps, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.seq, b.seq), a.at.Compare(b.at), strings.Compare(a.s, b.s))
	})
	for i, p := range ps {
		ids[i], held[i] = p.id, p.e
	}
}

// progress counts an import's work for ImportOptions.Progress.
type progress struct {
	fn                  func(ImportProgress)
	bytes, totalBytes   int64
	records, allRecords int64
	lastBytes           int64
}

func newProgress(b *record.Batch, fn func(ImportProgress)) *progress {
	p := &progress{fn: fn}
	if fn == nil {
		return p
	}
	b.Walk(func(x *record.Batch) {
		switch {
		case x.Original != nil:
			p.totalBytes += int64(len(x.Original))
		case x.OpenOriginal != nil:
			p.totalBytes += max(x.Source.Size, 0)
		}
		for i := range x.Patients {
			p.allRecords += int64(len(x.Patients[i].Resources))
		}
	})
	return p
}

// original counts n more bytes of originals sealed.
func (p *progress) original(n int64) {
	p.bytes += n
	if p.fn != nil && (p.bytes-p.lastBytes >= chunkSize || p.bytes == p.totalBytes) {
		p.lastBytes = p.bytes
		p.fn(ImportProgress{Stage: StageOriginal, Done: p.bytes, Total: max(p.totalBytes, p.bytes)})
	}
}

// record counts one more record stored and merged.
func (p *progress) record() {
	p.records++
	if p.fn != nil && (p.records%256 == 0 || p.records == p.allRecords) {
		p.fn(ImportProgress{Stage: StageRecords, Done: p.records, Total: max(p.allRecords, p.records)})
	}
}

// store writes one batch node and its parts; it returns the source id.
func (im *importer) store(tx *bolt.Tx, b *record.Batch, parent string) (string, error) {
	n := im.nodes[b]
	rep := &b.Report
	if rep.Added == nil {
		rep.Added = map[record.Kind]int{}
	}
	if n.already {
		// The package being completed: only its new parts are stored.
		src := cloneStoredSource(im.resume)
		src.Pending = nil
		if err := im.storeParts(tx, b, src); err != nil {
			return "", err
		}
		im.t.sources[src.ID] = src
		rep.Profile = im.profileNames(im.all)
		return src.ID, nil
	}

	t := im.t
	src := &storedSource{Source: b.Source}
	src.ID = fmtID(newID())
	src.ImportedAt = im.v.opts.now()
	src.Seq = im.nextSeq()
	src.Parent = parent
	im.cur = src
	if src.Format == "" {
		src.Format = rep.Format
	}
	if err := im.storeOriginal(tx, b, src); err != nil {
		return "", err
	}
	for _, pid := range n.profiles {
		if pid != "" && !slices.Contains(src.Profiles, pid) {
			src.Profiles = append(src.Profiles, pid)
		}
	}
	rep.Profile = im.profileNames(src.Profiles)
	rep.Warnings = append(rep.Warnings, n.warns...)

	// Store every resource and index them for reference resolution.
	res := newResolver()
	var members []member
	var toSeal []kv
	var bodies [][]byte
	taken := map[string][]byte{} // Type/id stored → its JSON
	storeRes := func(pid string, r record.Resource) record.Resource {
		id := r.ID
		first := taken[r.Type+"/"+id]
		for n := 2; taken[r.Type+"/"+id] != nil; n++ {
			id = fmt.Sprintf("%s~%d", r.ID, n)
		}
		if id != r.ID && !bytes.Equal(first, r.JSON) {
			// (A practitioner or clinic the reader gave to each of the
			// file's people is one resource of the file, copied.)
			rep.Warn(fmt.Sprintf("%s/%s appears more than once in the file; each copy is kept", r.Type, r.ID))
		}
		taken[r.Type+"/"+id] = r.JSON
		stored := storedResource{Profile: pid, Source: src.ID, Type: r.Type, ID: id, JSON: r.JSON}
		toSeal = append(toSeal, kv{im.v.s.resourceKey(src.ID, r.Type, id), stored.encodeHead(0)})
		bodies = append(bodies, r.JSON)
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
		pid := n.profiles[i]
		if pid == "" {
			continue // an empty group
		}
		if g.Patient != nil {
			storeRes(pid, *g.Patient)
		}
		for _, r := range g.Resources {
			toProject = append(toProject, pending{pid, storeRes(pid, r)})
		}
	}
	t.sealAll(bucketResources, toSeal, bodies)
	src.Resources = len(members)
	srcKey, _ := idKey(src.ID)
	t.put(bucketMembers, srcKey, im.v.s.seal(bucketMembers, srcKey, encodeMembers(members)))

	// Project and merge.
	for i, p := range toProject {
		if i%256 == 0 {
			if err := im.ctx.Err(); err != nil {
				return "", err
			}
		}
		im.progress.record()
		e, ok, problems, err := record.ProjectChecked(p.r, res.resolve)
		if err != nil {
			rep.Warn(fmt.Sprintf("%s/%s is stored but could not be read for the record view: %v", p.r.Type, p.r.ID, err))
			continue
		}
		if !ok {
			continue
		}
		if len(problems) > 0 {
			rep.Warn(record.FieldProblemsNote(e.Kind, p.r.Type+"/"+p.r.ID, problems))
		}
		e.Profile = p.pid
		e.Sources = []string{src.ID}
		e.Resources = []record.ResourceRef{{Source: src.ID, Type: p.r.Type, ID: p.r.ID}}
		if src.Format == record.SelfReported {
			// The person's own entries, read back from Kinfolio's export:
			// never merged, as when they were typed in.
			im.addUnmerged(&e, rep)
			continue
		}
		im.merge(&e, rep)
	}
	if sha := b.Source.SHA256; sha != "" {
		t.shas[sha] = src.ID
	}
	if err := im.storeParts(tx, b, src); err != nil {
		return "", err
	}
	t.sources[src.ID] = src
	if len(b.Parts) > 0 && rep.Profile == "" {
		rep.Profile = im.profileNames(im.all)
	}
	return src.ID, nil
}

// storeParts stores the parts of a batch under its source src; parts left
// out or passed over are listed in the batch's report (and, for the root's
// parts, in src.Pending, so importing the package again can add them).
func (im *importer) storeParts(tx *bolt.Tx, b *record.Batch, src *storedSource) error {
	rep := &b.Report
	for _, part := range b.Parts {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		n := im.nodes[part]
		switch {
		case n == nil || n.already:
			if id := im.v.st.bySHA[part.Source.SHA256]; id != "" && part.Source.SHA256 != "" {
				part.Report.Profile = im.v.st.profileNames(im.v.st.treeProfiles(id))
			}
			continue
		case n.unit.err != nil:
			if n.unit.nodes[0] == n {
				rep.Skip(part.Source.File, n.unit.err.Reason())
				if src.Parent == "" {
					src.Pending = append(src.Pending, part.Source.File)
				}
			}
			continue
		case n.unit.ignored != "":
			if n.unit.nodes[0] == n {
				rep.Ignore(part.Source.File, n.unit.ignored)
			}
			continue
		}
		if part.Source.Format == record.SelfReported && im.heldSelfReported(part, n) {
			markAlreadyImported(part)
			continue
		}
		if _, err := im.store(tx, part, src.ID); err != nil {
			return err
		}
	}
	return nil
}

// heldSelfReported reports whether every entry of a part of the person's
// own entries (read back from Kinfolio's export) is one the person already
// has, entered by hand: importing one's own export again adds nothing
// twice. Such parts have no content hash to tell.
func (im *importer) heldSelfReported(part *record.Batch, n *node) bool {
	none := func(string) (record.Resource, bool) { return record.Resource{}, false }
	any := false
	for i := range part.Patients {
		pid := n.profiles[i]
		for _, r := range part.Patients[i].Resources {
			e, ok, err := record.Project(r, none)
			if err != nil || !ok {
				continue
			}
			any = true
			if pid == "" || !im.hasSelfReported(pid, &e) {
				return false
			}
		}
	}
	return any
}

// hasSelfReported reports whether the person pid has a hand-entered entry
// saying what e says.
func (im *importer) hasSelfReported(pid string, e *record.Entry) bool {
	key := record.MergeKey(e)
	same := func(h *record.Entry) bool {
		if h.Profile != pid || len(h.Sources) != 1 || h.Kind != e.Kind || record.MergeKey(h) != key {
			return false
		}
		src := im.t.sources[h.Sources[0]]
		if src == nil {
			src = im.t.st.sources[h.Sources[0]]
		}
		return src != nil && src.Format == record.SelfReported &&
			record.NormalizeText(h.Title) == record.NormalizeText(e.Title) && h.Date.Equal(e.Date) &&
			h.Value == e.Value && h.Unit == e.Unit && h.Note == e.Note && len(record.Differences(h, e)) == 0
	}
	for id, h := range im.t.st.entries {
		if !im.t.delEntry[id] && im.t.entries[id] == nil && same(h) {
			return true
		}
	}
	for _, h := range im.t.entries {
		if same(h) {
			return true
		}
	}
	return false
}

func cloneStoredSource(s *storedSource) *storedSource {
	c := *s
	c.Profiles = slices.Clone(s.Profiles)
	c.Pending = slices.Clone(s.Pending)
	return &c
}

// merge folds a projected entry into the person's entries.
func (im *importer) merge(e *record.Entry, rep *record.Report) {
	t := im.t
	key := record.MergeKey(e)
	ids := t.group(e.Profile, key)
	held := make([]*record.Entry, len(ids))
	for i, id := range ids {
		if e := t.entries[id]; e != nil {
			// Already this import's own copy: Merge works on a shallow
			// copy, kept only when it says so (a deep copy of an entry
			// that gathers every copy of a fact, each time, made imports
			// of repetitive exports quadratic).
			c := *e
			held[i] = &c
		} else {
			held[i] = cloneEntry(t.entry(id))
		}
	}
	if len(ids) > 1 {
		ids = slices.Clone(ids)
		im.heldOrder(ids, held)
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

// addUnmerged adds an entry that takes no part in merging (see
// [state.mergeable]).
func (im *importer) addUnmerged(e *record.Entry, rep *record.Report) {
	e.ID = newIDNear(e.Sources[0])
	im.t.entries[e.ID] = e
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

// storeOriginal seals the batch's original bytes in chunks, streaming from
// OpenOriginal when the bytes are not in memory.
func (im *importer) storeOriginal(tx *bolt.Tx, b *record.Batch, src *storedSource) error {
	var r io.Reader
	switch {
	case b.Original != nil:
		return im.storeOriginalBytes(b, src)
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
	// Chunks are read in turn and sealed by a worker per CPU, a few
	// chunks in memory at a time.
	blob := newID()
	type chunk struct {
		n    int
		data []byte
	}
	workers := runtime.GOMAXPROCS(0)
	todo := make(chan chunk, 2)
	free := make(chan []byte, workers+3) // chunk buffers, used again once sealed
	var sealed [][]byte
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				v := im.v.s.seal(bucketBlobs, blobKey(blob, c.n), c.data)
				select {
				case free <- c.data[:cap(c.data)]:
				default:
				}
				mu.Lock()
				for len(sealed) <= c.n {
					sealed = append(sealed, nil)
				}
				sealed[c.n] = v
				mu.Unlock()
			}
		}()
	}
	h := sha256.New()
	var size int64
	n := 0
	var readErr error
	for {
		var buf []byte
		select {
		case buf = <-free:
		default:
			buf = make([]byte, chunkSize)
		}
		m, err := io.ReadFull(r, buf)
		if m > 0 {
			h.Write(buf[:m])
			size += int64(m)
			todo <- chunk{n, buf[:m]}
			n++
			im.progress.original(int64(m))
			if err := im.ctx.Err(); err != nil {
				readErr = err
				break
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			readErr = fmt.Errorf("reading %s: %w", b.Source.File, err)
			break
		}
	}
	close(todo)
	wg.Wait()
	if readErr != nil {
		return readErr
	}
	for i, v := range sealed {
		if err := bk.Put(blobKey(blob, i), v); err != nil {
			return err
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

// storeOriginalBytes seals an original held in memory: its chunks are
// sealed in the background, with the resources, while the import projects.
func (im *importer) storeOriginalBytes(b *record.Batch, src *storedSource) error {
	data := b.Original
	sum := sha256.Sum256(data)
	if h := hex.EncodeToString(sum[:]); src.SHA256 == "" {
		src.SHA256 = h
	} else if src.SHA256 != h {
		return fmt.Errorf("reading %s: the original is not the file the batch was read from", b.Source.File)
	}
	blob := newID()
	var chunks []kv
	for n := 0; n*chunkSize < len(data) || n == 0 && len(data) > 0; n++ {
		end := min((n+1)*chunkSize, len(data))
		chunks = append(chunks, kv{blobKey(blob, n), data[n*chunkSize : end : end]})
	}
	im.t.sealAll(bucketBlobs, chunks, nil)
	im.progress.original(int64(len(data)))
	src.Size = int64(len(data))
	src.Blob, src.Chunks = fmtID(blob), len(chunks)
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
