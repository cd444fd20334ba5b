package main

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	batesSuccess  = "testdata/corpus/ccda/onc-successehs/JeremyBates.xml"
	batesIntelli  = "testdata/corpus/ccda/onc-intellichart/Transition_Of_Care_Ambulatory_for_Jeremy_Bates.xml"
	batesNetsmart = "testdata/corpus/ccda/onc-netsmart-myavatar/Bates_Referral_Note.xml"
	bb2Dir        = "testdata/corpus/bb2/bluebutton-api-fixtures/"
	bulkDir       = "testdata/corpus/fhir-r4-ndjson/smart-bulk-synthea-10/"
	xdmZip        = "testdata/corpus/xdm/direct-project/xd-common_samplexdm.zip"
	appleFolder   = "testdata/corpus/apple-health/healthkit-to-sqlite-fixtures/"
)

type person struct {
	Name      string `json:"name"`
	BirthDate string `json:"birth_date"`
	Entries   int    `json:"entries"`
}

func people(t *testing.T, env []string) map[string]person {
	t.Helper()
	var ps []person
	jsonOut(t, mustKin(t, env, "profiles", "list", "--json"), &ps)
	out := map[string]person{}
	for _, p := range ps {
		out[p.Name] = p
	}
	return out
}

func importReports(t *testing.T, r result) []importJSON {
	t.Helper()
	var reps []importJSON
	jsonOut(t, r, &reps)
	return reps
}

// folder copies files into a new folder named name.
func folder(t *testing.T, name string, files ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// noUsageLine checks that a sentence saying what to do is not followed by
// the command's bare usage line.
func noUsageLine(t *testing.T, r result) {
	t.Helper()
	if strings.Contains(r.stderr, "usage: kin") {
		t.Errorf("a usage line after the sentence:\n%s", r.stderr)
	}
}

// TestKinImport_BatesThreeVendors: the same patient's documents from three
// EHR vendors go to one person, and never to a --profile person born
// another day.
func TestKinImport_BatesThreeVendors(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "profiles", "add", "John Doe", "--birth-date", "1970-01-01")
	r := kin(t, env, "import", "--profile", "John Doe", batesSuccess)
	want := "kin: JeremyBates.xml names Jeremy V Bates (born 1 Aug 1980), not John Doe (born 1 Jan 1970), so it was not imported. Leave out --profile to import it as a new person.\n"
	if r.code != exitUsage || r.stderr != want || r.stdout != "" {
		t.Fatalf("forced onto someone else: exit %d\nstdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, want)
	}
	// Refused with --json too; the reason is on stderr and in the report.
	r = kin(t, env, "import", "--json", "--profile", "John Doe", batesSuccess, batesIntelli)
	reps := importReports(t, r)
	if r.code != exitUsage || len(reps) != 2 || !strings.Contains(reps[1].Error, "not John Doe") || strings.Count(r.stderr, "not John Doe") != 2 {
		t.Errorf("two files forced onto someone else: exit %d, %+v\n%s", r.code, reps, r.stderr)
	}
	if ps := people(t, env); len(ps) != 1 || ps["John Doe"].Entries != 0 {
		t.Fatalf("a refused import changed the people: %+v", ps)
	}

	reps = importReports(t, mustKin(t, env, "import", "--json", batesSuccess, batesIntelli, batesNetsmart))
	for i, rep := range reps {
		if rep.Profile != "Jeremy V Bates" || rep.Error != "" || totalAdded(rep) == 0 {
			t.Errorf("file %d went to %q (%s)", i, rep.Profile, rep.Error)
		}
	}
	if len(reps[0].NewProfiles) != 1 || len(reps[1].NewProfiles)+len(reps[2].NewProfiles) != 0 || reps[1].Merged+reps[2].Merged == 0 {
		t.Errorf("new people %v %v %v; merged %d %d", reps[0].NewProfiles, reps[1].NewProfiles, reps[2].NewProfiles, reps[1].Merged, reps[2].Merged)
	}
	ps := people(t, env)
	if len(ps) != 2 || ps["Jeremy V Bates"].BirthDate != "1980-08-01" || ps["John Doe"].Entries != 0 ||
		ps["Jeremy V Bates"].Entries != len(listAll(t, env, "--profile", "Jeremy V Bates")) {
		t.Errorf("people %+v", ps)
	}
}

// TestKinImport_FolderOfTwoPatients: a folder holding two patients'
// exports makes two people with their own entries; a part that names no
// one is left out with its name, the rest imported, and importing the
// folder again with --profile adds it.
func TestKinImport_FolderOfTwoPatients(t *testing.T) {
	_, env := newVault(t)
	two := folder(t, "downloads", alberto, batesSuccess)
	var reps []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", two), &reps)
	pkg := reps[0]
	if pkg.Format != "folder" || len(pkg.Parts) != 2 || pkg.Profile != "Alberto Atencio, Jeremy V Bates" || len(pkg.NewProfiles) != 2 {
		t.Fatalf("folder report: %+v", pkg)
	}
	for _, part := range pkg.Parts {
		es := listAll(t, env, "--profile", part.Profile)
		if len(es) != totalAdded(part) || len(es) == 0 {
			t.Errorf("%s: %d entries for %s, the part added %d", part.File, len(es), part.Profile, totalAdded(part))
		}
	}
	if a, b := len(listAll(t, env)), totalAdded(pkg); a != b || b != totalAdded(pkg.Parts[0])+totalAdded(pkg.Parts[1]) {
		t.Errorf("the folder's count %d is not its parts' sum, or kin list's %d", b, a)
	}

	// --profile with a folder of other people's files: nothing forced.
	_, env2 := newVault(t)
	mustKin(t, env2, "profiles", "add", "Tester")
	r := kin(t, env2, "import", "--profile", "Tester", two)
	want := "kin: downloads: nothing was imported:\n" +
		"  Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json names Alberto Atencio (born 7 Jun 1993), not Tester.\n" +
		"  JeremyBates.xml names Jeremy V Bates (born 1 Aug 1980), not Tester.\n" +
		"Leave out --profile to import them for the people they name.\n"
	if r.code != exitUsage || r.stdout != "" || r.stderr != want {
		t.Errorf("a folder of others forced onto Tester: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	noUsageLine(t, r)
	if ps := people(t, env2); len(ps) != 1 || ps["Tester"].Entries != 0 {
		t.Errorf("people %+v", ps)
	}

	// A part that names no one, in a family vault.
	_, env3 := newVault(t)
	mustKin(t, env3, "profiles", "add", "Ann Lee", "--birth-date", "1980-01-01")
	mustKin(t, env3, "profiles", "add", "Sam Lee", "--birth-date", "2012-06-01")
	mixed := folder(t, "family", batesSuccess, noPatient)
	r = kin(t, env3, "import", "--json", mixed)
	reps = importReports(t, r)
	want = "kin: family: patient-1482713.fhir-bundle.json names no patient, so it was left out. Say who it belongs to with --profile NAME and import family again (people in this vault: Ann Lee, Jeremy V Bates, Sam Lee)\n"
	if r.code != exitFailed || r.stderr != want {
		t.Errorf("a part naming no one: exit %d\nstderr %q\nwant   %q", r.code, r.stderr, want)
	}
	if len(reps[0].Parts) != 1 || reps[0].Parts[0].Profile != "Jeremy V Bates" ||
		!hasSkip(reps[0], "patient-1482713.fhir-bundle.json") {
		t.Errorf("report %+v", reps[0])
	}
	reps = importReports(t, mustKin(t, env3, "import", "--json", "--profile", "Sam Lee", mixed))
	if pkg := reps[0]; pkg.AlreadyImported || len(pkg.Parts) != 2 || !pkg.Parts[0].AlreadyImported || pkg.Parts[1].Profile != "Sam Lee" || totalAdded(pkg.Parts[1]) == 0 {
		t.Errorf("completing the folder: %+v", pkg)
	}
	if ps := people(t, env3); ps["Sam Lee"].Entries == 0 || ps["Ann Lee"].Entries != 0 || ps["Sam Lee"].BirthDate != "2012-06-01" {
		t.Errorf("people %+v", ps)
	}
	_, env4 := newVault(t)
	mustKin(t, env4, "profiles", "add", "Ann Lee")
	mustKin(t, env4, "profiles", "add", "Sam Lee")
	kin(t, env4, "import", mixed)
	text := mustKin(t, env4, "import", "--profile", "Sam Lee", mixed).stdout
	if !strings.HasPrefix(text, "family (folder) → Sam Lee\n  added 32 (") || !strings.Contains(text, "conflicts 0, skipped 0\n  JeremyBates.xml (ccda, R2.1): already imported\n") {
		t.Errorf("completing the folder, text report:\n%s", text)
	}
	if r := mustKin(t, env3, "import", mixed); !strings.Contains(r.stdout, "already imported, nothing changed") {
		t.Errorf("a third time: %q", r.stdout)
	}
}

func hasSkip(r importJSON, path string) bool {
	for _, s := range r.Skipped {
		if s.Path == path {
			return true
		}
	}
	return false
}

// TestKinImport_NDJSONZip: a bulk export's NDJSON files in a zip, its
// Patient file among them, import without --profile: each record goes to
// the person its Patient reference names.
func TestKinImport_NDJSONZip(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Ann Lee")
	zipPath := filepath.Join(t.TempDir(), "bulk-export.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	// The Patient file last, as a listing in order would have it.
	for _, name := range []string{"AllergyIntolerance.000.ndjson", "Immunization.000.ndjson", "Practitioner.000.ndjson", "Patient.000.ndjson"} {
		data, err := os.ReadFile(bulkDir + name)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create("export/" + name)
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	// Counted independently: each patient's name, and their allergies and
	// immunizations by the reference each line makes.
	names := map[string]string{}
	for _, line := range ndjsonLines(t, bulkDir+"Patient.000.ndjson") {
		var p struct {
			ID   string `json:"id"`
			Name []struct {
				Family string   `json:"family"`
				Given  []string `json:"given"`
			} `json:"name"`
		}
		json.Unmarshal(line, &p)
		names["Patient/"+p.ID] = strings.Join(append(p.Name[0].Given, p.Name[0].Family), " ")
	}
	want := map[string]map[string]int{}
	for kind, file := range map[string]string{"allergy": "AllergyIntolerance.000.ndjson", "immunization": "Immunization.000.ndjson"} {
		for _, line := range ndjsonLines(t, bulkDir+file) {
			var r struct {
				Patient struct{ Reference string } `json:"patient"`
			}
			json.Unmarshal(line, &r)
			who := names[r.Patient.Reference]
			if want[who] == nil {
				want[who] = map[string]int{}
			}
			want[who][kind]++
		}
	}

	r := kin(t, env, "import", "--json", zipPath)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rep := importReports(t, r)[0]
	if len(rep.NewProfiles) != len(names) || len(rep.Parts) != 3 {
		t.Fatalf("%d new people (want %d), %d parts", len(rep.NewProfiles), len(names), len(rep.Parts))
	}
	if rep.Added["allergy"] != 11 || rep.Added["immunization"] != 161 {
		t.Errorf("added %v", rep.Added)
	}
	for who, kinds := range want {
		got := map[string]int{}
		for _, e := range listAll(t, env, "--profile", who) {
			got[e.Kind]++
		}
		if got["allergy"] != kinds["allergy"] || got["immunization"] != kinds["immunization"] {
			t.Errorf("%s: %v, want %v", who, got, kinds)
		}
	}
	if ps := people(t, env); ps["Ann Lee"].Entries != 0 {
		t.Error("Ann got records of the export")
	}
	// The practitioners are no one's record: passed over, and said so.
	var ignored []string
	var raw []struct {
		Ignored []struct{ Path, Reason string } `json:"ignored"`
	}
	json.Unmarshal([]byte(r.stdout), &raw)
	for _, ig := range raw[0].Ignored {
		ignored = append(ignored, ig.Path)
	}
	if !slices.Contains(ignored, "export/Practitioner.000.ndjson") {
		t.Errorf("ignored %v", ignored)
	}
}

func ndjsonLines(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if len(strings.TrimSpace(sc.Text())) > 0 {
			out = append(out, append([]byte(nil), sc.Bytes()...))
		}
	}
	return out
}

// TestKinImport_BlueButtonTogether: the Blue Button 2.0 Patient, claim and
// coverage given together (in any order) go to one person; a claims file
// alone later finds the Patient imported before.
func TestKinImport_BlueButtonTogether(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Ann Lee")
	mustKin(t, env, "profiles", "add", "Sam Lee")
	reps := importReports(t, mustKin(t, env, "import", "--json",
		bb2Dir+"coverage_read_v2.json", bb2Dir+"eob_read_carrier_v2.json", bb2Dir+"patient_read_v2.json"))
	for _, rep := range reps {
		if rep.Profile != "Jane X Doe" || rep.Error != "" {
			t.Errorf("%s went to %q (%s)", rep.File, rep.Profile, rep.Error)
		}
	}
	ps := people(t, env)
	if len(ps) != 3 || ps["Jane X Doe"].Entries != 2 || ps["Ann Lee"].Entries+ps["Sam Lee"].Entries != 0 {
		t.Errorf("people %+v", ps)
	}

	_, env2 := newVault(t)
	mustKin(t, env2, "profiles", "add", "Ann Lee")
	mustKin(t, env2, "import", bb2Dir+"patient_read_v2.json")
	if rep := importReports(t, mustKin(t, env2, "import", "--json", bb2Dir+"eob_read_carrier_v2.json"))[0]; rep.Profile != "Jane X Doe" {
		t.Errorf("a claim imported after its Patient went to %q", rep.Profile)
	}
}

// TestKinImport_ReportsAgree: a package's totals are its parts' sums, in
// the JSON and the text alike; a re-import says already imported at every
// level; what was passed over is in the text too, one line per kind.
func TestKinImport_ReportsAgree(t *testing.T) {
	_, env := newVault(t)
	r := mustKin(t, env, "import", "--json", xdmZip)
	rep := importReports(t, r)[0]
	sum := 0
	for _, p := range rep.Parts {
		sum += totalAdded(p)
	}
	// 53: the CCD's episode observation ("Clinical finding", a new episode)
	// qualifies its problem rather than adding one.
	if totalAdded(rep) != sum || sum != 53 {
		t.Errorf("the package says added %d, its parts %d (want 53)", totalAdded(rep), sum)
	}
	again := importReports(t, mustKin(t, env, "import", "--json", xdmZip))[0]
	if !again.AlreadyImported || len(again.Parts) != 1 || !again.Parts[0].AlreadyImported || again.Profile != "John Doe" {
		t.Errorf("re-import: %+v", again)
	}

	_, env = newVault(t)
	text := mustKin(t, env, "import", xdmZip).stdout
	for _, want := range []string{
		"xd-common_samplexdm.zip (xdm) → John Doe\n  new person: John Doe\n  added 53 (6 problems, ",
		"  left out samplexdm/IHE_XDM/SUBSET01/CCD.xsl: a stylesheet for displaying documents, not a health record\n",
		"  left out samplexdm/INDEX.htm: the package's index page, not a health record\n",
		"  samplexdm/IHE_XDM/SUBSET01/Document01.xml (c32, CCD R1)\n    added 53 (",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the XDM report does not say %q:\n%s", want, text)
		}
	}

	// A folder's header counts what its members skipped.
	_, env = newVault(t)
	dir := folder(t, "bates", batesSuccess, batesIntelli, batesNetsmart)
	var all []importJSON
	jsonOut(t, mustKin(t, env, "import", "--json", dir), &all)
	skipped := 0
	for _, p := range all[0].Parts {
		skipped += len(p.Skipped)
	}
	if skipped == 0 || len(all[0].Skipped) != skipped {
		t.Errorf("the folder lists %d skipped, its members %d", len(all[0].Skipped), skipped)
	}
	_, env = newVault(t)
	text = mustKin(t, env, "import", dir).stdout
	header := strings.SplitN(text, "\n", 4)[2]
	if !strings.HasSuffix(header, ", skipped "+strconv.Itoa(skipped)) {
		t.Errorf("the folder's header %q does not count its members' %d skipped", header, skipped)
	}

	// Apple Health: the workout, activity summaries and GPS route left out are told.
	_, env = newVault(t)
	mustKin(t, env, "profiles", "add", "Sam Park", "--birth-date", "1990-02-02")
	text = mustKin(t, env, "import", appleFolder).stdout
	for _, want := range []string{
		"left out apple_health_export/workout-routes/route_2019-06-11_3.00pm.gpx: a workout route (GPS track), not a health record",
		"left out ActivitySummary (2), Workout (1): activity and fitness data Kinfolio does not keep",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the Apple report does not say %q:\n%s", want, text)
		}
	}
}

// TestKinImport_Messages: a missing file, an unknown --profile and a file
// that names no one are each said in a sentence, once, with no usage line.
func TestKinImport_Messages(t *testing.T) {
	_, env := newVault(t)
	mustKin(t, env, "profiles", "add", "Ann Lee")
	mustKin(t, env, "profiles", "add", "Sam Lee")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing file", []string{"import", "missing.json"}, exitFailed,
			"kin: missing.json: there is no such file or folder\n"},
		{"unknown --profile", []string{"import", "--profile", "Isabella", noPatient}, exitUsage,
			"kin: --profile Isabella: no one of that name in this vault (people in this vault: Ann Lee, Sam Lee)\n"},
		{"names no patient", []string{"import", noPatient}, exitUsage,
			"kin: patient-1482713.fhir-bundle.json names no patient. Say who it belongs to with --profile NAME (people in this vault: Ann Lee, Sam Lee)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := kin(t, env, tc.args...)
			if r.code != tc.code || r.stderr != tc.want || r.stdout != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", r.code, r.stdout, r.stderr, tc.want)
			}
		})
	}
	// Nothing imported but one file: exit 1, not 2.
	r := kin(t, env, "import", noPatient, alberto)
	if r.code != exitFailed || !strings.Contains(r.stdout, "→ Alberto Atencio") || !strings.Contains(r.stderr, "names no patient") {
		t.Errorf("one of two imported: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestKinImport_AssignmentRule is the rule of `kin help import` as a
// table: a file that names its patient (Alberto Atencio, born 7 Jun 1993)
// or names no one, into vaults where he matches, is new, is ambiguous or
// is clearly not the person chosen, with and without --profile.
func TestKinImport_AssignmentRule(t *testing.T) {
	type who struct{ name, birth string }
	var (
		matching  = []who{{"Alberto Atencio", "1993-06-07"}, {"Ann Lee", "1980-01-01"}}
		family    = []who{{"Ann Lee", "1980-01-01"}, {"Sam Lee", "2012-06-01"}}
		ambiguous = []who{{"Atencio, Alberto", ""}, {"Atencio, Alberto J", ""}}
		other     = []who{{"John Doe", "1970-01-01"}, {"Ann Lee", "1980-01-01"}}
	)
	const named = "Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"
	for _, tc := range []struct {
		name    string
		file    string
		people  []who
		profile string
		code    int
		to      string // who holds the entries afterwards ("" none)
		stderr  string // the whole message, "" for none
		warning string // said in the report
	}{
		{"named, matching", alberto, matching, "", 0, "Alberto Atencio", "", ""},
		{"named, matching, --profile that person", alberto, matching, "Alberto Atencio", 0, "Alberto Atencio", "", ""},
		{"named, matching, --profile another", alberto, matching, "Ann Lee", exitUsage, "",
			named + " names Alberto Atencio (born 7 Jun 1993), not Ann Lee (born 1 Jan 1980), so it was not imported. Leave out --profile to import it for Alberto Atencio, who is already in this vault.", ""},
		{"named, new", alberto, family, "", 0, "Alberto Atencio", "", "added a new person"},
		{"named, new, --profile someone else", alberto, family, "Ann Lee", exitUsage, "",
			named + " names Alberto Atencio (born 7 Jun 1993), not Ann Lee (born 1 Jan 1980), so it was not imported. Leave out --profile to import it as a new person.", ""},
		{"named, ambiguous", alberto, ambiguous, "", exitUsage, "",
			named + " names Alberto Atencio (born 7 Jun 1993), who could be Atencio, Alberto or Atencio, Alberto J. Say which with --profile NAME (people in this vault: Atencio, Alberto, Atencio, Alberto J)", ""},
		{"named, ambiguous, --profile one of them", alberto, ambiguous, "Atencio, Alberto", 0, "Atencio, Alberto", "", ""},
		{"named, clearly other", alberto, other, "", 0, "Alberto Atencio", "", "added a new person"},
		{"named, clearly other, --profile", alberto, other, "John Doe", exitUsage, "",
			named + " names Alberto Atencio (born 7 Jun 1993), not John Doe (born 1 Jan 1970), so it was not imported. Leave out --profile to import it as a new person.", ""},
		{"named, a married name, --profile", alberto, []who{{"Alberto Smith", "1993-06-07"}}, "Alberto Smith", 0, "Alberto Smith", "",
			"the records were put under Alberto Smith as asked, although the file names Alberto Atencio"},
		{"named, a typo in the birth date, --profile", alberto, []who{{"Alberto Atencio", "1993-06-17"}, {"Ann Lee", ""}}, "Alberto Atencio", 0, "Alberto Atencio", "",
			"although its birth date is 7 Jun 1993 (Alberto Atencio's: 17 Jun 1993)"},

		{"unnamed, empty vault", noPatient, nil, "", exitUsage, "",
			"patient-1482713.fhir-bundle.json names no patient. Say who it belongs to with --profile NAME (the vault holds no people yet: add one with kin profiles add NAME)", ""},
		{"unnamed, the only person", noPatient, []who{{"Ann Lee", "1980-01-01"}}, "", 0, "Ann Lee", "", ""},
		{"unnamed, a family", noPatient, family, "", exitUsage, "",
			"patient-1482713.fhir-bundle.json names no patient. Say who it belongs to with --profile NAME (people in this vault: Ann Lee, Sam Lee)", ""},
		{"unnamed, a family, --profile", noPatient, family, "Sam Lee", 0, "Sam Lee", "", ""},
		{"unnamed, ambiguous names, --profile", noPatient, ambiguous, "Atencio, Alberto J", 0, "Atencio, Alberto J", "", ""},
		{"unnamed, --profile of no one", noPatient, family, "Isabella", exitUsage, "",
			"--profile Isabella: no one of that name in this vault (people in this vault: Ann Lee, Sam Lee)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, env := newVault(t)
			for _, p := range tc.people {
				args := []string{"profiles", "add", p.name}
				if p.birth != "" {
					args = append(args, "--birth-date", p.birth)
				}
				mustKin(t, env, args...)
			}
			args := []string{"import", tc.file}
			if tc.profile != "" {
				args = append(args, "--profile", tc.profile)
			}
			r := kin(t, env, args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", r.code, tc.code, r.stdout, r.stderr)
			}
			want := ""
			if tc.stderr != "" {
				want = "kin: " + tc.stderr + "\n"
			}
			if r.stderr != want {
				t.Errorf("stderr\n %q\nwant\n %q", r.stderr, want)
			}
			if !strings.Contains(r.stdout, tc.warning) {
				t.Errorf("the report does not say %q:\n%s", tc.warning, r.stdout)
			}
			for name, p := range people(t, env) {
				if (name == tc.to) != (p.Entries > 0) {
					t.Errorf("%s holds %d entries; the file's records should be %q's", name, p.Entries, tc.to)
				}
			}
			if tc.to == "" && len(people(t, env)) != len(tc.people) {
				t.Errorf("a refused import added a person")
			}
		})
	}
}
