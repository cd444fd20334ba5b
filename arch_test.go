package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/kinfolio/kinfolio"

// deps returns the packages pkg depends on (itself excluded), using go list
// as the build does.
func deps(t *testing.T, pkg string, env ...string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	var list []string
	for _, l := range strings.Fields(string(out)) {
		if l != pkg {
			list = append(list, l)
		}
	}
	return list
}

// directImports returns the packages pkg imports itself (not theirs).
func directImports(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{join .Imports \" \"}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list -f .Imports %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// packagesUnder lists the module's packages below dir ("./importers/...").
func packagesUnder(t *testing.T, pattern string) []string {
	t.Helper()
	if dir, ok := strings.CutSuffix(pattern, "/..."); ok {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil // a layer not written yet has nothing to check
		}
	}
	cmd := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}} {{if .Error}}{{.Error}}{{end}}", pattern)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pattern, err, stderr.String())
	}
	var pkgs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, problem, _ := strings.Cut(line, " ")
		if problem != "" {
			t.Fatalf("go list %s: %s: %s", pattern, path, problem)
		}
		if path != "" {
			pkgs = append(pkgs, path)
		}
	}
	return pkgs
}

// TestArchitecture keeps the dependency rules of DESIGN.md: dependencies
// point down, only the GUI imports Fyne, record is standard library only.
func TestArchitecture(t *testing.T) {
	rules := []struct {
		pattern   string
		forbidden []string // import path prefixes
		why       string
	}{
		{"./record/...", []string{""}, "record uses the standard library only"},
		{"./importers/...", []string{module + "/vault", module + "/app", module + "/cmd", module + "/export", "fyne.io/"}, "importers never import vault, export, app or Fyne"},
		{"./export/...", []string{module + "/vault", module + "/app", module + "/cmd", module + "/importers", "fyne.io/"}, "export never imports vault, importers, app or Fyne"},
		{"./vault/...", []string{module + "/app", module + "/cmd", "fyne.io/"}, "vault never imports app, cmd or Fyne"},
		{"./cmd/...", []string{module + "/app/ui", "fyne.io/"}, "cmd/kin never imports Fyne or app/ui"},
		{"./app", []string{module + "/app/ui", module + "/cmd", "fyne.io/"}, "app imports no GUI toolkit (no Fyne, no app/ui)"},
		{"./assets/...", []string{"fyne.io/", module + "/app"}, "assets stay GUI-free so the CLI and exporters can embed them"},
		{"./internal/...", []string{module + "/app", module + "/cmd", module + "/vault", module + "/importers", module + "/export", module + "/record", module + "/assets",
			"fyne.io/", "go.etcd.io/", "filippo.io/", "golang.org/", "codeberg.org/"}, "internal helpers (atomicfile, cputime) use the standard library and each other only, so every layer may use them"},
	}
	for _, r := range rules {
		for _, pkg := range packagesUnder(t, r.pattern) {
			for _, d := range deps(t, pkg) {
				for _, f := range r.forbidden {
					bad := f == "" && !strings.HasPrefix(d, module+"/record") // record: nothing outside stdlib
					if f != "" {
						bad = strings.HasPrefix(d, f)
					}
					if bad {
						t.Errorf("%s imports %s: %s", pkg, d, r.why)
					}
				}
			}
		}
	}
	// The screens reach data only through app and record: app/ui's own
	// imports (not app's, which app/ui uses) name no store, reader or exporter.
	for _, pkg := range packagesUnder(t, "./app/ui/...") {
		for _, d := range directImports(t, pkg) {
			for _, f := range []string{module + "/vault", module + "/importers", module + "/export", module + "/cmd", "go.etcd.io/bbolt", "filippo.io/age"} {
				if strings.HasPrefix(d, f) {
					t.Errorf("%s imports %s: the screens reach data only through app and record", pkg, d)
				}
			}
		}
	}
	// The exporters' own tests work on entries made in code; tests that go
	// through the readers and a real vault live in a test-only package
	// (export/pdf/corpustest) whose name says so.
	for _, pkg := range packagesUnder(t, "./export/...") {
		if strings.HasSuffix(pkg, "/corpustest") {
			continue
		}
		out, err := exec.Command("go", "list", "-f", `{{join .TestImports "\n"}}{{"\n"}}{{join .XTestImports "\n"}}`, pkg).Output()
		if err != nil {
			t.Fatalf("go list -f .TestImports %s: %v", pkg, err)
		}
		for _, d := range strings.Fields(string(out)) {
			if strings.HasPrefix(d, module+"/vault") || strings.HasPrefix(d, module+"/importers") || strings.HasPrefix(d, module+"/app") {
				t.Errorf("%s's tests import %s: put tests that need the readers or a vault in a corpustest package", pkg, d)
			}
		}
	}
	// Nor through app.Session.Vault, which is kin's alone.
	files, _ := filepath.Glob("app/ui/*.go")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), ".Vault()") {
			t.Errorf("%s calls Session.Vault: the screens get views from app, never the vault", f)
		}
	}
	// Nothing imports app/ui or cmd except main.go; only the front ends import app.
	for _, pkg := range packagesUnder(t, "./...") {
		if pkg == module || strings.HasPrefix(pkg, module+"/app/") {
			continue
		}
		frontEnd := strings.HasPrefix(pkg, module+"/cmd/")
		for _, d := range deps(t, pkg) {
			switch {
			case strings.HasPrefix(d, module+"/app/ui"), strings.HasPrefix(d, module+"/cmd"):
				t.Errorf("%s imports %s: nothing imports app/ui or cmd", pkg, d)
			case d == module+"/app" && !frontEnd && pkg != module+"/app":
				t.Errorf("%s imports %s: only the front ends (main.go, app/ui, cmd/kin) import app", pkg, d)
			}
		}
	}
}

// TestKinBuildsWithoutCgo: the command-line tool is pure Go.
func TestKinBuildsWithoutCgo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "kin")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/kin")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build ./cmd/kin: %v\n%s", err, b)
	}
	for _, d := range deps(t, module+"/cmd/kin", "CGO_ENABLED=0") {
		if strings.HasPrefix(d, "fyne.io/") || strings.HasPrefix(d, "github.com/go-gl/") {
			t.Errorf("cmd/kin depends on %s", d)
		}
	}
}
