package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/vault"
)

// fullEntry is an entry as kin list --json prints it, all of it.
type fullEntry map[string]any

func listFull(t *testing.T, env []string, args ...string) []fullEntry {
	t.Helper()
	var es []fullEntry
	jsonOut(t, mustKin(t, env, append([]string{"list", "--json"}, args...)...), &es)
	return es
}

// contentOf is an entry without the vault's ids, with its conflict flag
// and, for where it came from, each of its sources as kin sources shows it
// (file, format, title, document date, author, hash), in order; sorted
// into a comparable list. env is the vault the entries are from.
func contentOf(t *testing.T, env []string, es []fullEntry) []string {
	t.Helper()
	var srcs []map[string]any
	jsonOut(t, mustKin(t, env, "sources", "--json"), &srcs)
	desc := map[string]string{}
	for _, s := range srcs {
		var parts []string
		for _, k := range []string{"file", "format", "title", "document_date", "author", "sha256"} {
			v, _ := s[k].(string)
			parts = append(parts, v)
		}
		desc[s["id"].(string)] = strings.Join(parts, " | ")
	}
	var out []string
	for _, e := range es {
		c := map[string]any{}
		for k, v := range e {
			switch k {
			case "id", "profile", "resources":
				continue
			case "sources":
				var from []string
				for _, id := range v.([]any) {
					d, ok := desc[id.(string)]
					if !ok {
						d = "a source kin sources does not list"
					}
					from = append(from, d)
				}
				v = from
			}
			c[k] = v
		}
		js, _ := json.Marshal(c)
		out = append(out, string(js))
	}
	slices.Sort(out)
	return out
}

func diffLists(t *testing.T, what string, want, got []string) {
	t.Helper()
	if slices.Equal(want, got) {
		return
	}
	n := 0
	for _, w := range want {
		if !slices.Contains(got, w) && n < 5 {
			t.Errorf("%s: missing %s", what, w)
			n++
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) && n < 10 {
			t.Errorf("%s: extra %s", what, g)
			n++
		}
	}
	t.Errorf("%s: %d entries, want %d", what, len(got), len(want))
}

// TestKin_ExportFHIR: a person from three sources (two C-CDA documents
// and a FHIR file, which disagree on some facts) and a hand-entered entry,
// exported with kin export fhir and imported with kin import into a new
// vault, has the same entries: the same kinds, titles, dates and values,
// each from the same sources (one per original, with its name, format and
// dates), the same conflicts, and the hand-entered one once, still the
// person's own. Importing the export again adds nothing. The IPS is a
// document whose Composition comes first; both exports are in the audit
// log.
func TestKin_ExportFHIR(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "import", larsonA, larsonB, larsonFHIR)
	mustKin(t, env, "add", "--kind", "medication", "--title", "Vitamin D 1000 IU", "--date", "2024-01-05")
	dir := t.TempDir()
	record, ips := filepath.Join(dir, "larson.fhir.json"), filepath.Join(dir, "larson.ips.json")

	var w struct {
		File      string `json:"file"`
		Kind      string `json:"kind"`
		Bytes     int64  `json:"bytes"`
		Resources int    `json:"resources"`
	}
	jsonOut(t, mustKin(t, env, "export", "fhir", "--out", record, "--json"), &w)
	if w.File != record || w.Kind != "fhir" || w.Resources < 50 {
		t.Errorf("kin export fhir --json: %+v", w)
	}
	if fi, err := os.Stat(record); err != nil || fi.Size() != w.Bytes || fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("the export: %v %v (want %d bytes, mode 0600)", fi, err, w.Bytes)
	}
	r := mustKin(t, env, "export", "fhir", "--ips", "--out", ips)
	if !strings.Contains(r.stderr, "patient summary") || r.stdout != "" {
		t.Errorf("kin export fhir --ips said %q on stderr, %q on stdout", r.stderr, r.stdout)
	}
	var doc struct {
		Type  string `json:"type"`
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
			} `json:"resource"`
		} `json:"entry"`
	}
	data, _ := os.ReadFile(ips)
	if err := json.Unmarshal(data, &doc); err != nil || doc.Type != "document" || doc.Entry[0].Resource.ResourceType != "Composition" {
		t.Errorf("the IPS: type %q, first %+v, %v", doc.Type, doc.Entry[:1], err)
	}

	_, env2 := newVault(t)
	var reps []importJSON
	jsonOut(t, mustKin(t, env2, "import", "--json", record), &reps)
	if len(reps) != 1 || reps[0].Error != "" || len(reps[0].Skipped) > 0 {
		t.Fatalf("importing our own export: %+v", reps)
	}
	var files []string
	for _, p := range reps[0].Parts {
		files = append(files, p.File+" ("+p.Format+")")
	}
	if want := []string{"Test1_LarsonDSSample1.xml (ccda)", "larson-rn.xml (ccda)", "larson-clinic-fhir.json (fhir-r4)",
		"entered by hand (self-reported)"}; !slices.Equal(files, want) {
		t.Errorf("the export read back as %q, want one part per source in the order imported: %q", files, want)
	}
	before, after := listFull(t, env), listFull(t, env2)
	diffLists(t, "after the round trip", contentOf(t, env, before), contentOf(t, env2, after))
	conflicts := 0
	for _, e := range after {
		if e["conflict"] == true {
			conflicts++
		}
	}
	if conflicts == 0 {
		t.Errorf("no conflicts after the round trip; the three sources disagree on some facts")
	}
	again := mustKin(t, env, "import", "--json", record)
	var rep2 []importJSON
	jsonOut(t, again, &rep2)
	if n := totalAdded(rep2[0]); n != 0 {
		t.Errorf("importing the export into the vault it came from added %d entries", n)
	}

	var log []vault.AuditEvent
	jsonOut(t, mustKin(t, env, "log", "--json"), &log)
	exports := 0
	for _, ev := range log {
		if ev.Action == vault.ActionExport {
			exports++
		}
	}
	if exports != 2 {
		t.Errorf("%d exports in the audit log, want 2", exports)
	}
	// Two people: the export must be told whose.
	mustKin(t, env, "import", alberto)
	if r := kin(t, env, "export", "fhir", "--out", record); r.code != exitUsage || !strings.Contains(r.stderr, "--profile") {
		t.Errorf("export with two people and no --profile: exit %d, %q", r.code, r.stderr)
	}
	if r := kin(t, env, "export", "fhir"); r.code != exitUsage || !strings.Contains(r.stderr, "--out") {
		t.Errorf("export without --out: exit %d, %q", r.code, r.stderr)
	}
}

// twoPeople is a vault of Larson (three sources, a hand-entered entry)
// and Alberto.
func twoPeople(t *testing.T) (string, []string) {
	t.Helper()
	path, env := newVault(t)
	mustKin(t, env, "import", larsonA, larsonB, larsonFHIR, alberto)
	mustKin(t, env, "add", "--profile", "Rebecca Jones Larson", "--kind", "allergy", "--title", "Latex", "--note", "rash on gloves")
	return path, env
}

func originals(t *testing.T, path, passphrase string) map[string][]byte {
	t.Helper()
	v, err := vault.Open(path, vault.Passphrase(passphrase), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	out := map[string][]byte{}
	for _, s := range sourcesOf(v, "") {
		if !s.HasOriginal {
			continue
		}
		rc, err := v.OpenOriginal(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[s.ID], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestKin_BackupRestore: kin backup then kin restore into a new vault
// gives the same entries (ids included), sources and byte-identical
// original files, under the new passphrase; the backup is in the log.
func TestKin_BackupRestore(t *testing.T) {
	path, env := twoPeople(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "family.kinfolio-backup")
	r := mustKin(t, env, "backup", "--out", file)
	if !strings.Contains(r.stderr, "wrote a backup of 2 people") {
		t.Errorf("kin backup said %q", r.stderr)
	}
	newPath := filepath.Join(dir, "restored.kinfolio")
	restoreEnv := []string{"KINFOLIO_PASSPHRASE=" + testPassphrase, "KINFOLIO_NEW_PASSPHRASE=new and different"}
	var rep struct {
		Vault   string `json:"vault"`
		People  int    `json:"people"`
		Entries int    `json:"entries"`
	}
	jsonOut(t, mustKin(t, restoreEnv, "restore", file, "--to", newPath, "--work-factor", "10", "--json"), &rep)
	if rep.Vault != newPath || rep.People != 2 {
		t.Errorf("restore --json: %+v", rep)
	}
	env2 := []string{"KINFOLIO_PASSPHRASE=new and different", "KINFOLIO_VAULT=" + newPath}
	before, after := listFull(t, env), listFull(t, env2)
	a, _ := json.Marshal(before)
	b, _ := json.Marshal(after)
	if !bytes.Equal(a, b) {
		t.Errorf("the restored vault lists other entries (%d before, %d after)", len(before), len(after))
	}
	var s1, s2 []map[string]any
	jsonOut(t, mustKin(t, env, "sources", "--json"), &s1)
	jsonOut(t, mustKin(t, env2, "sources", "--json"), &s2)
	if x, y := mustJSON(s1), mustJSON(s2); x != y {
		t.Errorf("sources differ after the restore:\n%s\n%s", x, y)
	}
	o1, o2 := originals(t, path, testPassphrase), originals(t, newPath, "new and different")
	if len(o1) != 4 || len(o2) != len(o1) {
		t.Errorf("%d originals, %d restored", len(o1), len(o2))
	}
	for id, data := range o1 {
		if !bytes.Equal(o2[id], data) {
			t.Errorf("original %s is not byte-identical after the restore", id)
		}
	}
	var verify map[string]float64
	jsonOut(t, mustKin(t, env2, "verify", "--json"), &verify)
	if verify["damaged"] != 0 {
		t.Errorf("the restored vault does not verify: %v", verify)
	}
	// The restored log is the family vault's up to the backup, then the restore.
	var log1, log2 []vault.AuditEvent
	jsonOut(t, mustKin(t, env, "log", "--json"), &log1)
	jsonOut(t, mustKin(t, env2, "log", "--json"), &log2)
	n := len(log2)
	if n < 3 || log1[len(log1)-1].Action != vault.ActionBackup || log2[n-1].Action != vault.ActionRestore ||
		mustJSON(log2[:n-1]) != mustJSON(log1[:len(log1)-1]) {
		t.Errorf("the restored log is not the family's up to the backup, then the restore: %+v", log2[max(0, n-3):])
	}
	// Restoring again onto the new vault is refused; so is a wrong passphrase.
	if r := kin(t, restoreEnv, "restore", file, "--to", newPath); r.code != exitFailed || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("restore over an existing file: exit %d, %q", r.code, r.stderr)
	}
	wrong := []string{"KINFOLIO_PASSPHRASE=not it", "KINFOLIO_NEW_PASSPHRASE=x"}
	if r := kin(t, wrong, "restore", file, "--to", filepath.Join(dir, "w.kinfolio"), "--work-factor", "10"); r.code != exitWrongKey {
		t.Errorf("restore with a wrong passphrase: exit %d, %q", r.code, r.stderr)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestKin_RestoreDamaged: a backup cut short or with a flipped bit
// restores nothing, exits 4 and says so.
func TestKin_RestoreDamaged(t *testing.T) {
	_, env := twoPeople(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "b")
	mustKin(t, env, "backup", "--out", file)
	data, _ := os.ReadFile(file)
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 0x04
	for name, d := range map[string][]byte{"truncated": data[:len(data)*2/3], "bit-flipped": flipped} {
		bad := filepath.Join(dir, name)
		os.WriteFile(bad, d, 0o600)
		target := filepath.Join(dir, name+"-restored", "v.kinfolio")
		r := kin(t, []string{"KINFOLIO_PASSPHRASE=" + testPassphrase, "KINFOLIO_NEW_PASSPHRASE=x"}, "restore", bad, "--to", target, "--work-factor", "10")
		if r.code != exitDamaged || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, "nothing was restored") {
			t.Errorf("%s: exit %d, %q", name, r.code, r.stderr)
		}
		if _, err := os.Stat(filepath.Dir(target)); !os.IsNotExist(err) {
			t.Errorf("%s: the failed restore left %s behind", name, filepath.Dir(target))
		}
	}
}

// TestKin_Handover: kin backup --profile to a caregiver's key holds one
// person and nothing of the other (checked in the plaintext the stock age
// tool decrypts); it restores with --identity into a vault with only
// them; kin profiles remove then asks before removing them here.
func TestKin_Handover(t *testing.T) {
	agePath, err := exec.LookPath("age")
	if err != nil {
		t.Skip("the age tool is not installed (apt install age)")
	}
	_, env := twoPeople(t)
	id, _ := age.GenerateX25519Identity()
	dir := t.TempDir()
	key := filepath.Join(dir, "teen.key")
	os.WriteFile(key, []byte(id.String()+"\n"), 0o600)
	file := filepath.Join(dir, "rebecca.kinfolio-backup")
	r := mustKin(t, env, "backup", "--profile", "Rebecca Jones Larson", "--recipient", id.Recipient().String(), "--out", file)
	if !strings.Contains(r.stderr, "Rebecca Jones Larson only") {
		t.Errorf("kin backup --profile said %q", r.stderr)
	}

	// What the stock age tool gets out of it.
	zipFile := filepath.Join(dir, "rebecca.zip")
	if msg, err := exec.Command(agePath, "-d", "-i", key, "-o", zipFile, file).CombinedOutput(); err != nil {
		t.Fatalf("age -d: %v\n%s", err, msg)
	}
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, _ := f.Open()
		content, _ := io.ReadAll(rc)
		rc.Close()
		for _, other := range []string{"Alberto", "Atencio"} {
			if strings.Contains(f.Name, other) || bytes.Contains(content, []byte(other)) {
				t.Errorf("%s in the handover backup names the other person (%q)", f.Name, other)
			}
		}
	}
	zr.Close()
	if !slices.Contains(names, "manifest.json") || !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "record.fhir.json") }) {
		t.Errorf("the backup holds %v", names)
	}

	// The new owner restores it with their key, under their own passphrase.
	newPath := filepath.Join(dir, "rebecca.kinfolio")
	mustKin(t, []string{"KINFOLIO_NEW_PASSPHRASE=rebecca's own"}, "restore", file, "--identity", key, "--to", newPath, "--work-factor", "10")
	env2 := []string{"KINFOLIO_PASSPHRASE=rebecca's own", "KINFOLIO_VAULT=" + newPath}
	var people []profileJSON
	jsonOut(t, mustKin(t, env2, "profiles", "list", "--json"), &people)
	if len(people) != 1 || people[0].Name != "Rebecca Jones Larson" {
		t.Fatalf("the handover restored %+v", people)
	}
	diffLists(t, "the handed-over person", contentOf(t, env, listFull(t, env, "--profile", "Rebecca Jones Larson")), contentOf(t, env2, listFull(t, env2)))

	// The other half: remove them from the family vault, after confirming.
	r = kin(t, env, "profiles", "remove", "Rebecca Jones Larson")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--yes") || !strings.Contains(r.stderr, "cannot be undone") {
		t.Errorf("profiles remove without confirmation: exit %d, %q", r.code, r.stderr)
	}
	mustKin(t, env, "profiles", "remove", "Rebecca Jones Larson", "--yes")
	jsonOut(t, mustKin(t, env, "profiles", "list", "--json"), &people)
	if len(people) != 1 || !strings.HasPrefix(people[0].Name, "Alberto") {
		t.Errorf("after the handover the family vault holds %+v", people)
	}
	if es := listFull(t, env); len(es) == 0 || slices.ContainsFunc(es, func(e fullEntry) bool { return e["title"] == "Latex" }) {
		t.Errorf("after removing Rebecca: %d entries, her hand-entered allergy still there or nothing left", len(es))
	}
	mustKin(t, env, "verify")
}

// TestKin_ExportIPS_EmptySections: a patient summary's required sections
// with nothing to list read back, through kin export fhir --ips and kin
// import into a new vault, as the state the record was in: "none known"
// (with the date a source said so, or none) stays none known, "no
// information" stays no records at all, never a statement dated the day
// the summary was made.
func TestKin_ExportIPS_EmptySections(t *testing.T) {
	type state struct{ kind, title, date string }
	for _, tc := range []struct {
		file string
		want []state // the statements of absence after the round trip
	}{
		// No known allergies (dated) and no known medications (dated);
		// problems are listed, so no statement is made for them.
		{batesSuccess, []state{{"allergy", "No known allergies", "2017-02-17T17:28:48"}, {"medication", "No known medications", "2017-05-04T10:57:13"}}},
		// No known allergies (undated), nothing about medications, no
		// known problems (dated).
		{batesNetsmart, []state{{"allergy", "No known allergies", ""}, {"condition", "No known problems", "2017-02-27T15:27:03"}}},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			_, env := newVault(t)
			mustKin(t, env, "import", tc.file)
			ips := filepath.Join(t.TempDir(), "summary.ips.json")
			mustKin(t, env, "export", "fhir", "--ips", "--out", ips)
			_, env2 := newVault(t)
			mustKin(t, env2, "import", ips)
			var got []state
			for _, e := range listFull(t, env2) {
				title, _ := e["title"].(string)
				if strings.HasPrefix(title, "No known") || strings.HasPrefix(title, "No information") {
					date, _ := e["date"].(string)
					got = append(got, state{e["kind"].(string), title, date})
				}
			}
			slices.SortFunc(got, func(a, b state) int { return strings.Compare(a.kind, b.kind) })
			if !slices.Equal(got, tc.want) {
				t.Errorf("statements after the round trip: %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestKin_ExportFHIR_OfAFamilyFile: one person's export, from a bulk
// download that holds thirteen people, read into a new vault, does not make
// that vault take the download for imported: importing it afterwards
// brings in the other twelve, and the person's own records merge.
func TestKin_ExportFHIR_OfAFamilyFile(t *testing.T) {
	bulk := filepath.Join(repoRoot(t), "importers/fhir/testdata/corpus/fhir-r4-ndjson/smart-bulk-synthea-10")
	_, env := newVault(t)
	mustKin(t, env, "import", bulk)
	var people []struct {
		Name    string `json:"name"`
		Entries int    `json:"entries"`
	}
	jsonOut(t, mustKin(t, env, "profiles", "list", "--json"), &people)
	if len(people) != 13 { // Patient.000.ndjson has 13 lines
		t.Fatalf("%d people in the bulk download", len(people))
	}
	one := people[0]
	out := filepath.Join(t.TempDir(), "one.fhir.json")
	mustKin(t, env, "export", "fhir", "--profile", one.Name, "--out", out)

	_, fresh := newVault(t)
	mustKin(t, fresh, "import", out)
	var reps []importJSON
	jsonOut(t, mustKin(t, fresh, "import", "--json", bulk), &reps)
	if reps[0].AlreadyImported {
		t.Fatalf("the download was taken for imported after one person's export: %+v", reps[0])
	}
	jsonOut(t, mustKin(t, fresh, "profiles", "list", "--json"), &people)
	if len(people) != 13 {
		t.Errorf("%d people after importing the download, want 13", len(people))
	}
	for _, p := range people {
		if p.Name == one.Name && p.Entries != one.Entries {
			t.Errorf("%s has %d entries, had %d in the first vault (merged twice, or lost some)", p.Name, p.Entries, one.Entries)
		}
	}
}
