package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestKin_Demo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.kinfolio")
	r := kin(t, nil, "demo", "--to", path, "--work-factor", "10", "--json")
	if r.code != 0 {
		t.Fatalf("kin demo: exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Vault, Passphrase string
		People            []struct {
			ID, Name string
			Entries  int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("kin demo --json: %v\n%s", err, r.stdout)
	}
	if out.Vault != path || !strings.HasPrefix(out.Passphrase, "demo-") || len(out.People) != 2 ||
		out.People[0].Name != "Ann Lee" || out.People[1].Name != "Sam Lee" || out.People[0].Entries < 200 {
		t.Errorf("kin demo --json = %+v", out)
	}
	// The passphrase it printed opens the vault, and kin sees the family.
	env := []string{"KINFOLIO_VAULT=" + path, "KINFOLIO_PASSPHRASE=" + out.Passphrase}
	r = kin(t, env, "profiles", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "Ann Lee") || !strings.Contains(r.stdout, "Sam Lee") {
		t.Errorf("kin profiles list on the demo: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = kin(t, env, "search", "--profile", "Ann Lee", "metformin")
	if r.code != 0 || !strings.Contains(strings.ToLower(r.stdout), "metformin") {
		t.Errorf("kin search metformin on the demo: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Plain output: the passphrase alone on stdout; never over a file.
	path2 := filepath.Join(dir, "demo2.kinfolio")
	r = kin(t, nil, "demo", "--to", path2, "--work-factor", "10")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "demo-") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("kin demo: exit %d, stdout %q", r.code, r.stdout)
	}
	if r = kin(t, nil, "demo", "--to", path2, "--work-factor", "10"); r.code == 0 || !strings.Contains(r.stderr, "never overwrites") {
		t.Errorf("kin demo over a file: exit %d, %s", r.code, r.stderr)
	}
	if r = kin(t, nil, "demo"); r.code != exitUsage {
		t.Errorf("kin demo without --to: exit %d, want 2", r.code)
	}
}
