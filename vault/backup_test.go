package vault_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/backup"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

var backupTime = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// family is a vault of two people from real files, plus a file naming
// both of them, a package of two documents (one each), and entries typed
// in by hand.
func family(t *testing.T) *vault.Vault {
	t.Helper()
	v := vaulttest.New(t)
	for _, path := range []string{alberto, chauncey} {
		if _, err := v.Import(context.Background(), bundle(t, path), vault.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ps := mustProfiles(t, v)
	if len(ps) != 2 {
		t.Fatalf("%d people", len(ps))
	}
	both := familyFile(t, "household.json", ps)
	if _, err := v.Import(context.Background(), both, vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	pkg := &record.Batch{Source: record.Source{File: "download.zip", Format: "zip"}, Original: []byte("PK\x03\x04 a zip of two documents")}
	a, c := familyFile(t, "a.json", ps), familyFile(t, "c.json", ps)
	a.Patients, c.Patients = a.Patients[:1], c.Patients[1:]
	a.Original, c.Original = nil, nil
	a.Source.SHA256, c.Source.SHA256 = "aa"+strings.Repeat("0", 62), "cc"+strings.Repeat("0", 62)
	pkg.Parts = []*record.Batch{a, c}
	if _, err := v.Import(context.Background(), pkg, vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if _, err := v.AddSelfReported(p.ID, record.SelfReport{Kind: record.KindAllergy, Title: "Latex", Note: "rash, " + p.Name}); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

// familyFile is a FHIR file about both people of the family vault.
func familyFile(t *testing.T, name string, ps []record.Profile) *record.Batch {
	t.Helper()
	mk := func(js string) record.Resource {
		r, err := record.ParseResource([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	alb, chn := ps[0], ps[1]
	if !strings.HasPrefix(alb.Name, "Alberto") {
		alb, chn = chn, alb
	}
	pa := mk(`{"resourceType":"Patient","id":"a","name":[{"text":"` + alb.Name + `"}],"birthDate":"` + alb.BirthDate.String() + `"}`)
	pc := mk(`{"resourceType":"Patient","id":"c","name":[{"text":"` + chn.Name + `"}],"birthDate":"` + chn.BirthDate.String() + `"}`)
	ca := mk(`{"resourceType":"Condition","id":"ca","code":{"text":"Household flu ` + name + `"},"subject":{"reference":"Patient/a"},"onsetDateTime":"2024-01-02"}`)
	cc := mk(`{"resourceType":"Condition","id":"cc","code":{"text":"Secret of Chauncey ` + name + `"},"subject":{"reference":"Patient/c"},"onsetDateTime":"2024-01-03"}`)
	var orig bytes.Buffer
	for _, r := range []record.Resource{pa, pc, ca, cc} {
		orig.Write(r.JSON)
		orig.WriteByte('\n')
	}
	return &record.Batch{Source: record.Source{File: name, Format: "fhir-ndjson"}, Original: orig.Bytes(),
		Patients: []record.PatientRecords{
			{Patient: &pa, Person: record.Person{Name: alb.Name, BirthDate: alb.BirthDate}, Resources: []record.Resource{ca}},
			{Patient: &pc, Person: record.Person{Name: chn.Name, BirthDate: chn.BirthDate}, Resources: []record.Resource{cc}},
		}}
}

func makeBackup(t *testing.T, v *vault.Vault, opts vault.BackupOptions) []byte {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = backupTime
	}
	var buf bytes.Buffer
	if _, err := v.Backup(&buf, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const newPassphrase = "a different one, for the new vault"

func restore(t *testing.T, data []byte, secret vault.Secret) (string, *vault.RestoreReport, error) {
	t.Helper()
	target := filepath.Join(t.TempDir(), "restored", "vault.kinfolio")
	rep, err := vault.Restore(bytes.NewReader(data), int64(len(data)), secret, target,
		vault.RestoreOptions{Passphrase: newPassphrase, WorkFactor: vaulttest.WorkFactor, Name: "family.backup"})
	return target, rep, err
}

func openRestored(t *testing.T, path string) *vault.Vault {
	t.Helper()
	v, err := vault.Open(path, vault.Passphrase(newPassphrase), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if rep, err := v.Verify(); err != nil {
			t.Errorf("the restored vault does not verify: %v %+v", err, rep)
		}
		v.Close()
		vaulttest.CheckFile(t, path)
	})
	return v
}

func allResources(t *testing.T, v *vault.Vault, profile string) map[record.ResourceRef]string {
	t.Helper()
	out := map[record.ResourceRef]string{}
	err := v.ForEachResource(profile, func(ref record.ResourceRef, r record.Resource) error {
		out[ref] = string(r.JSON)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func original(t *testing.T, v *vault.Vault, source string) []byte {
	t.Helper()
	rc, err := v.OpenOriginal(source)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameVault asserts that restored holds exactly what v holds for the
// people given: profiles, entries (ids, merges, conflicts), sources,
// resources byte for byte, originals byte for byte.
func sameVault(t *testing.T, v, restored *vault.Vault, people []string) {
	t.Helper()
	for _, pid := range people {
		p1, err1 := v.Profile(pid)
		p2, err2 := restored.Profile(pid)
		if err1 != nil || err2 != nil || !equalJSON(p1, p2) {
			t.Errorf("profile %s: %+v (%v), restored %+v (%v)", pid, p1, err1, p2, err2)
		}
		e1, _ := v.Entries(vault.Query{Profile: pid})
		e2, _ := restored.Entries(vault.Query{Profile: pid})
		if !equalJSON(e1, e2) {
			t.Errorf("%s: %d entries, %d restored, or they differ", p1.Name, len(e1), len(e2))
		}
		r1, r2 := allResources(t, v, pid), allResources(t, restored, pid)
		if len(r1) != len(r2) {
			t.Errorf("%s: %d resources, %d restored", p1.Name, len(r1), len(r2))
		}
		for ref, js := range r1 {
			if r2[ref] != js {
				t.Errorf("%s: resource %v differs after the restore", p1.Name, ref)
				break
			}
		}
	}
	s2 := map[string]vault.SourceInfo{}
	for _, s := range mustSources(t, restored, "") {
		s2[s.ID] = s
	}
	for _, pid := range people {
		for _, s := range mustSources(t, v, pid) {
			r, ok := s2[s.ID]
			if !ok {
				t.Errorf("source %s (%s) not restored", s.ID, s.File)
				continue
			}
			if !r.ImportedAt.Equal(s.ImportedAt) || r.File != s.File || r.SHA256 != s.SHA256 || r.Format != s.Format {
				t.Errorf("source %s: %+v, restored %+v", s.ID, s.Source, r.Source)
			}
			if s.HasOriginal && r.HasOriginal && !bytes.Equal(original(t, v, s.ID), original(t, restored, s.ID)) {
				t.Errorf("source %s: the original is not byte-identical after the restore", s.File)
			}
		}
	}
}

func equalJSON(a, b any) bool {
	x, _ := jsonMarshal(a)
	y, _ := jsonMarshal(b)
	return bytes.Equal(x, y)
}

// TestBackupRestore_Everyone: a backup of the whole vault restores into a
// new vault, under a new passphrase, with the same people, entries, ids,
// sources, resources and byte-identical originals, and the audit log.
func TestBackupRestore_Everyone(t *testing.T) {
	v := family(t)
	data := makeBackup(t, v, vault.BackupOptions{})
	target, rep, err := restore(t, data, vault.Passphrase(vaulttest.Passphrase))
	if err != nil {
		t.Fatal(err)
	}
	if rep.People != 2 || rep.Sources != len(mustSources(t, v, "")) || rep.Originals == 0 {
		t.Errorf("report %+v", rep)
	}
	if _, err := vault.Open(target, vault.Passphrase(vaulttest.Passphrase), nil); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Errorf("the restored vault opens with the old passphrase: %v", err)
	}
	r := openRestored(t, target)
	var ids []string
	for _, p := range mustProfiles(t, v) {
		ids = append(ids, p.ID)
	}
	sameVault(t, v, r, ids)
	if len(mustSources(t, r, "")) != len(mustSources(t, v, "")) {
		t.Errorf("%d sources restored of %d", len(mustSources(t, r, "")), len(mustSources(t, v, "")))
	}
	log1, _ := v.Log()
	log2, _ := r.Log()
	if len(log2) != len(log1)+1 || log2[len(log2)-1].Action != vault.ActionRestore || !equalJSON(log1, log2[:len(log1)]) {
		t.Errorf("audit log: %d events, restored %d (last %+v)", len(log1), len(log2), log2[len(log2)-1])
	}
}

// TestBackup_Handover: a backup of one person restores into a vault with
// only them, and nothing of the other person is anywhere in the file:
// not their name, their records, their hand-entered notes, nor the
// family file that also holds their records.
func TestBackup_Handover(t *testing.T) {
	v := family(t)
	alb, other := mustProfiles(t, v)[0], mustProfiles(t, v)[1]
	if !strings.HasPrefix(alb.Name, "Alberto") {
		alb, other = other, alb
	}
	id, _ := age.GenerateX25519Identity()
	data := makeBackup(t, v, vault.BackupOptions{Profile: alb.Name, Recipients: []string{id.Recipient().String()}})

	// Everything inside, decrypted and unpacked.
	plain := unpack(t, data, id)
	for name, content := range plain {
		for _, secret := range []string{other.ID, other.Name, "Chauncey", "Secret of Chauncey", "rash, " + other.Name} {
			if strings.Contains(name, secret) || bytes.Contains(content, []byte(secret)) {
				t.Errorf("%s holds %q: the other person's records are in a handover backup", name, secret)
			}
		}
	}
	target, rep, err := restore(t, data, vault.Identities(id))
	if err != nil {
		t.Fatal(err)
	}
	r := openRestored(t, target)
	ps := mustProfiles(t, r)
	if len(ps) != 1 || ps[0].ID != alb.ID || rep.People != 1 {
		t.Fatalf("restored people %+v", ps)
	}
	sameVault(t, v, r, []string{alb.ID})
	for _, s := range mustSources(t, r, "") {
		switch s.File {
		case "household.json":
			if s.HasOriginal {
				t.Error("the household file, which holds the other person's records, came along")
			}
		case "download.zip":
			if s.HasOriginal {
				t.Error("the package holding the other person's document came along")
			}
		case "c.json":
			t.Error("the other person's document inside the package came along")
		}
		if slices.Contains(s.Profiles, other.ID) {
			t.Errorf("source %s still names the other person", s.File)
		}
	}
	log, _ := r.Log()
	for _, ev := range log {
		if strings.Contains(ev.Profile, other.ID) || strings.Contains(ev.Detail, "Chauncey") {
			t.Errorf("audit event about the other person: %+v", ev)
		}
	}
}

// unpack decrypts a backup and returns its files.
func unpack(t *testing.T, data []byte, ids ...age.Identity) map[string][]byte {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(data), ids...)
	if err != nil {
		t.Fatal(err)
	}
	z, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// TestRestore_DamagedCreatesNothing: a backup cut short, or with a bit
// flipped anywhere, is refused with a clear error, and nothing is left
// behind: no vault, no temporary file.
func TestRestore_DamagedCreatesNothing(t *testing.T) {
	v := family(t)
	data := makeBackup(t, v, vault.BackupOptions{})
	cases := map[string][]byte{
		"cut at the end":    data[:len(data)-100],
		"cut in the middle": data[:len(data)/2],
		"cut to its header": data[:150],
	}
	for _, at := range []int{len(data) / 5, len(data) / 2, len(data) - 300} {
		d := bytes.Clone(data)
		d[at] ^= 0x01
		cases["bit flipped at "+itoa(at)] = d
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			target, _, err := restore(t, d, vault.Passphrase(vaulttest.Passphrase))
			if err == nil {
				t.Fatal("a damaged backup restored")
			}
			if !errors.Is(err, backup.ErrDamaged) && !errors.Is(err, backup.ErrNotBackup) {
				t.Errorf("error %v does not say the backup is damaged", err)
			}
			if _, serr := os.Stat(filepath.Dir(target)); !errors.Is(serr, os.ErrNotExist) {
				left, _ := os.ReadDir(filepath.Dir(target))
				t.Errorf("the failed restore left %v", left)
			}
		})
	}
	t.Run("wrong passphrase", func(t *testing.T) {
		_, _, err := restore(t, data, vault.Passphrase("not it"))
		if !errors.Is(err, backup.ErrWrongKey) {
			t.Errorf("%v, want backup.ErrWrongKey", err)
		}
	})
	t.Run("onto an existing file", func(t *testing.T) {
		target := filepath.Join(t.TempDir(), "v.kinfolio")
		os.WriteFile(target, []byte("mine"), 0o600)
		_, err := vault.Restore(bytes.NewReader(data), int64(len(data)), vault.Passphrase(vaulttest.Passphrase), target,
			vault.RestoreOptions{Passphrase: "x", WorkFactor: vaulttest.WorkFactor})
		if !errors.Is(err, vault.ErrExists) {
			t.Errorf("%v, want ErrExists", err)
		}
		if b, _ := os.ReadFile(target); string(b) != "mine" {
			t.Error("the existing file was changed")
		}
	})
}

// TestBackup_AgeCLI: the stock age tool opens a backup, and what is inside
// is the manifest, a FHIR Bundle per person and the originals, byte for byte.
func TestBackup_AgeCLI(t *testing.T) {
	agePath, err := exec.LookPath("age")
	if err != nil {
		t.Skip("the age tool is not installed (apt install age)")
	}
	v := family(t)
	id, _ := age.GenerateX25519Identity()
	data := makeBackup(t, v, vault.BackupOptions{Recipients: []string{id.Recipient().String()}})
	dir := t.TempDir()
	in, key, out := filepath.Join(dir, "family.backup"), filepath.Join(dir, "key.txt"), filepath.Join(dir, "family.zip")
	os.WriteFile(in, data, 0o600)
	os.WriteFile(key, []byte(id.String()+"\n"), 0o600)
	if msg, err := exec.Command(agePath, "-d", "-i", key, "-o", out, in).CombinedOutput(); err != nil {
		t.Fatalf("age -d: %v\n%s", err, msg)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	if !bytes.Contains(files["manifest.json"], []byte(`"format": "kinfolio-backup"`)) {
		t.Error("no manifest")
	}
	bundles := 0
	for name, content := range files {
		if strings.HasPrefix(name, "people/") && strings.HasSuffix(name, "/record.fhir.json") {
			bundles++
			if !bytes.HasPrefix(content, []byte(`{"resourceType":"Bundle"`)) {
				t.Errorf("%s is not a FHIR Bundle", name)
			}
		}
	}
	if bundles != 2 {
		t.Errorf("%d FHIR bundles, want one per person", bundles)
	}
	for _, s := range mustSources(t, v, "") {
		if !s.HasOriginal {
			continue
		}
		found := false
		for name, content := range files {
			if strings.HasPrefix(name, "originals/"+s.ID+"/") {
				sum := sha256.Sum256(content)
				found = hex.EncodeToString(sum[:]) == s.SHA256
			}
		}
		if !found {
			t.Errorf("the original of %s is not in the backup byte for byte", s.File)
		}
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func itoa(n int) string { return strconv.Itoa(n) }

// TestBackup_LargeOriginals: originals of several chunks go into a backup
// byte for byte however their chunks were sealed: a text file with a part
// that does not compress in the middle (its chunks copied as they were
// deflated, the middle one stored), and a zip-like file that does not
// compress at first but does later (stored, each chunk inflated). The
// stock age and unzip tools check the archive, and a restore gives the
// files back. The same holds for a vault made before chunks were laid
// out to be copied (every chunk inflated; they were sealed deflated
// against the dictionary, or raw).
func TestBackup_LargeOriginals(t *testing.T) {
	text, err := os.ReadFile(alberto)
	if err != nil {
		t.Fatal(err)
	}
	for len(text) < 2<<20 {
		text = append(text, text...)
	}
	noise := make([]byte, 1<<20+200_000)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	originals := map[string][]byte{
		"mixed.json": join(text[:1<<20], noise, text[:700_000]),
		"export.zip": join([]byte("PK\x03\x04"), noise, text[:1<<20]),
	}
	for _, before := range []bool{false, true} {
		name := "chunks sealed to be copied"
		if before {
			name = "chunks sealed as before"
		}
		t.Run(name, func(t *testing.T) {
			v := vaulttest.New(t)
			for name, content := range originals {
				batch, _ := generatedBatch(20, uint64(len(name)))
				batch.Source.File, batch.Original = name, content
				if _, err := v.Import(context.Background(), batch, vault.ImportOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			if before {
				path, key := v.Path(), vault.KeyForTest(v)
				if err := v.Close(); err != nil {
					t.Fatal(err)
				}
				if n, err := vault.SealChunksAsBeforeForTest(path, key); err != nil || n != 6 {
					t.Fatalf("%d chunks resealed, %v", n, err)
				}
				v = vaulttest.Open(t, path)
			}
			checkLargeOriginals(t, v, originals)
		})
	}
}

// checkLargeOriginals backs up v, which holds originals, and checks the
// backup with age, unzip and a restore.
func checkLargeOriginals(t *testing.T, v *vault.Vault, originals map[string][]byte) {
	id, _ := age.GenerateX25519Identity()
	data := makeBackup(t, v, vault.BackupOptions{Recipients: []string{id.Recipient().String()}})
	br, err := backup.Open(bytes.NewReader(data), int64(len(data)), id)
	if err != nil {
		t.Fatal(err)
	}
	if err := br.Verify(); err != nil {
		t.Fatal(err)
	}
	for _, s := range br.Manifest().Sources {
		want := originals[s.File]
		got, err := br.ReadFile(s.Original, 1<<30)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, %v; want the %d imported", s.File, len(got), err, len(want))
		}
	}
	if m := br.Manifest(); m.Counts.Originals != 2 || m.Counts.OriginalBytes != int64(len(originals["mixed.json"])+len(originals["export.zip"])) {
		t.Errorf("counts %+v", m.Counts)
	}

	dir := t.TempDir()
	in, key, out := filepath.Join(dir, "b.backup"), filepath.Join(dir, "key.txt"), filepath.Join(dir, "b.zip")
	os.WriteFile(in, data, 0o600)
	os.WriteFile(key, []byte(id.String()+"\n"), 0o600)
	if agePath, err := exec.LookPath("age"); err == nil {
		if msg, err := exec.Command(agePath, "-d", "-i", key, "-o", out, in).CombinedOutput(); err != nil {
			t.Fatalf("age -d: %v\n%s", err, msg)
		}
		zr, err := zip.OpenReader(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			switch {
			case strings.HasSuffix(f.Name, "/mixed.json"):
				if f.Method != zip.Deflate || f.CompressedSize64 > f.UncompressedSize64*7/10 {
					t.Errorf("%s: method %d, %d bytes of %d", f.Name, f.Method, f.CompressedSize64, f.UncompressedSize64)
				}
			case strings.HasSuffix(f.Name, "/export.zip"):
				if f.Method != zip.Store {
					t.Errorf("%s: method %d, want it stored", f.Name, f.Method)
				}
			}
		}
		zr.Close()
		if unzip, err := exec.LookPath("unzip"); err == nil {
			if msg, err := exec.Command(unzip, "-tq", out).CombinedOutput(); err != nil {
				t.Errorf("unzip -t: %v\n%s", err, msg)
			}
		}
	}

	target, _, err := restore(t, data, vault.Identities(id))
	if err != nil {
		t.Fatal(err)
	}
	r := openRestored(t, target)
	srcs, err := r.Sources("")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if got := original(t, r, s.ID); !bytes.Equal(got, originals[s.File]) {
			t.Errorf("%s: not byte-identical after the restore", s.File)
		}
	}
}

// TestBackup_EntriesAsEncodingJSON: the backup writes every entry of real
// files exactly as encoding/json would.
func TestBackup_EntriesAsEncodingJSON(t *testing.T) {
	v := family(t)
	es, err := v.Entries(vault.Query{})
	if err != nil || len(es) < 100 {
		t.Fatalf("%d entries, %v", len(es), err)
	}
	for _, e := range es {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(&e); err != nil {
			t.Fatal(err)
		}
		if got, ok := vault.EntryJSONForTest(&e); !ok || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("entry %s:\n got %s\nwant %s", e.ID, got, want.Bytes())
		}
	}
}

// TestBackupRestore_KeepsWhatAPackageLeftOut: a package document left out
// (whose it is was not known) can still be added after a restore, by
// importing the package again with the person named, as in the vault
// backed up.
func TestBackupRestore_KeepsWhatAPackageLeftOut(t *testing.T) {
	v := vaulttest.New(t)
	labs := batchOf("labs.json", "fhir-r4", record.PatientRecords{Resources: []record.Resource{problem(t, "c1", "Asthma", "")}})
	pkg := func() *record.Batch {
		return pkgOf("family.zip", bundle(t, alberto), batchOf("labs.json", "fhir-r4", labs.Patients...), bundle(t, chauncey))
	}
	if res := mustImport(t, v, pkg(), vault.ImportOptions{}); len(res.LeftOut) != 1 {
		t.Fatalf("left out %+v", res.LeftOut)
	}
	target, _, err := restore(t, makeBackup(t, v, vault.BackupOptions{}), vault.Passphrase(vaulttest.Passphrase))
	if err != nil {
		t.Fatal(err)
	}
	r := openRestored(t, target)
	res := mustImport(t, r, pkg(), vault.ImportOptions{Profile: "Chauncey Johnston"})
	if rep := res.Report; rep.AlreadyImported || len(rep.Parts) != 3 || rep.Parts[1].Added[record.KindCondition] != 1 {
		t.Fatalf("the package again after a restore: %+v", rep)
	}
	if es := entriesOf(t, r, "Chauncey Johnston"); !slices.ContainsFunc(es, func(e record.Entry) bool { return e.Title == "Asthma" }) {
		t.Error("the left-out document's condition is not Chauncey's")
	}
}
