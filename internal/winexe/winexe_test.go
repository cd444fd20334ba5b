package winexe

import (
	"debug/pe"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// built holds the sample programs built so far, by their build settings,
// in a folder TestMain removes.
var (
	built    = map[string]string{}
	builtDir string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "winexe-")
	if err != nil {
		panic(err)
	}
	builtDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildExe builds a small Windows program, with the test resources linked
// in when withResources, and returns the executable's path. Do not change
// the file: other tests share it.
func buildExe(t *testing.T, goarch string, withResources bool, ldflags string) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command here to build a sample program (under Wine)")
	}
	key := fmt.Sprint(goarch, withResources, ldflags)
	if exe, ok := built[key]; ok {
		return exe
	}
	dir, err := os.MkdirTemp(builtDir, "sample-")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module sample\n\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { println(\"hello\") }\n"), 0o644)
	if withResources {
		syso, err := os.ReadFile("testdata/rsrc_windows_amd64.syso")
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "rsrc_windows_amd64.syso"), syso, 0o644)
	}
	exe := filepath.Join(dir, "sample.exe")
	cmd := exec.Command("go", "build", "-o", exe, "-ldflags", ldflags, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+goarch, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	built[key] = exe
	return exe
}

func TestInspect_Subsystem(t *testing.T) {
	gui, err := Inspect(buildExe(t, "amd64", false, "-H=windowsgui"))
	if err != nil {
		t.Fatal(err)
	}
	if gui.Subsystem != SubsystemGUI || gui.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("-H=windowsgui: subsystem %d, machine %#x; want GUI (2), amd64", gui.Subsystem, gui.Machine)
	}
	console, err := Inspect(buildExe(t, "arm64", false, ""))
	if err != nil {
		t.Fatal(err)
	}
	if console.Subsystem != SubsystemConsole || console.Machine != pe.IMAGE_FILE_MACHINE_ARM64 {
		t.Errorf("plain build: subsystem %d, machine %#x; want console (3), arm64", console.Subsystem, console.Machine)
	}
	if console.IconGroups != 0 || console.FileVersion != "" || console.Manifest != nil {
		t.Errorf("a program without resources reads as having some: %+v", console)
	}
}

func TestInspect_Resources(t *testing.T) {
	info, err := Inspect(buildExe(t, "amd64", true, "-H=windowsgui"))
	if err != nil {
		t.Fatal(err)
	}
	if info.IconGroups != 1 || info.Icons != 2 {
		t.Errorf("icons: %d groups, %d images; want 1 group of 2 sizes", info.IconGroups, info.Icons)
	}
	if info.FileVersion != "1.2.3.4" || info.ProductVersion != "1.2.3.4" {
		t.Errorf("versions %q, %q; want 1.2.3.4", info.FileVersion, info.ProductVersion)
	}
	want := map[string]string{
		"ProductName": "Sample", "FileDescription": "A sample with résumé in it",
		"ProductVersion": "1.2.3.4", "LegalCopyright": "none",
	}
	for k, v := range want {
		if info.Strings[k] != v {
			t.Errorf("%s = %q, want %q", k, info.Strings[k], v)
		}
	}
	if !strings.Contains(string(info.Manifest), `name="Sample"`) {
		t.Errorf("manifest %q", info.Manifest)
	}
}

func TestInspect_NotAnExe(t *testing.T) {
	for name, content := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("MZ but then nothing"),
		"an object": mustRead(t, "testdata/rsrc_windows_amd64.syso"),
	} {
		path := filepath.Join(t.TempDir(), "x.exe")
		os.WriteFile(path, content, 0o644)
		if _, err := Inspect(path); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}

// TestInspect_TruncatedResources: a resource section cut anywhere gives
// ErrMalformed or fewer resources, never a panic.
func TestInspect_TruncatedResources(t *testing.T) {
	exe := buildExe(t, "amd64", true, "-H=windowsgui")
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	rs := f.Section(".rsrc")
	if rs == nil {
		t.Fatal("no .rsrc section")
	}
	data, _ := rs.Data()
	start, size := int(rs.Offset), len(data)
	f.Close()
	orig := mustRead(t, exe)
	for cut := 0; cut < size; cut += 7 {
		b := append([]byte(nil), orig...)
		for i := start + cut; i < start+size; i++ {
			b[i] = 0xFF
		}
		path := filepath.Join(t.TempDir(), "cut.exe")
		os.WriteFile(path, b, 0o644)
		if _, err := Inspect(path); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("cut at %d: %v", cut, err)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
