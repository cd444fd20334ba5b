package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// kinBinary is the kin executable built once for the end-to-end tests, the
// way a user builds it: CGO_ENABLED=0 go build ./cmd/kin.
var kinBinary string

func TestMain(m *testing.M) {
	// make test-windows runs these tests under Wine, which has no go
	// command: it builds kin.exe first and names it here.
	if prebuilt := os.Getenv("KIN_TEST_BINARY"); prebuilt != "" {
		kinBinary = prebuilt
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "kin-e2e-")
	if err != nil {
		panic(err)
	}
	kinBinary = filepath.Join(dir, "kin")
	build := exec.Command("go", "build", "-o", kinBinary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic("building kin: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one kin run printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// kin runs the built binary with args and extra environment ("K=V"), in a
// clean environment that has no KINFOLIO_* variables of the caller's, and
// stdin from /dev/null.
func kin(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(kinBinary, args...)
	home := t.TempDir()
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "XDG_DATA_HOME=" + filepath.Join(home, "data")}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running kin %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

func TestKin_UsageErrorsExit2(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"version", "--frob"}, "unknown flag --frob"},
		{"global flag without value", []string{"version", "--vault"}, "flag --vault needs a value"},
		{"too many arguments", []string{"version", "extra"}, `unexpected argument "extra"`},
		{"help for unknown command", []string{"help", "frob"}, `no command "frob"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := kin(t, nil, tc.args...)
			if r.code != exitUsage {
				t.Errorf("exit code %d, want 2; stderr: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q does not say %q", r.stderr, tc.stderr)
			}
			if r.stdout != "" {
				t.Errorf("a usage error printed to stdout: %q", r.stdout)
			}
		})
	}
}

func TestKin_Help(t *testing.T) {
	env := []string{"KINFOLIO_VAULT=/x/family.kinfolio"} // help names the vault it would open
	r := kin(t, env, "help")
	if r.code != 0 {
		t.Fatalf("kin help: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"usage: kin [global flags] COMMAND", "--passphrase-file FILE", "version", "exit codes",
		`%APPDATA%\Kinfolio`, "~/Library/Application Support/Kinfolio", "opens here: /x/family.kinfolio"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("kin help does not mention %q:\n%s", want, r.stdout)
		}
	}
	// Every registered command is listed.
	for name := range commands {
		if !strings.Contains(r.stdout, "  "+name+" ") {
			t.Errorf("kin help does not list %q", name)
		}
	}
	// The list fits a terminal: no line of the commands is wider than 80.
	_, list, _ := strings.Cut(r.stdout, "commands:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	for _, line := range strings.Split(list, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a line of kin help is %d wide: %q", n, line)
		}
	}
	if h := kin(t, env, "--help"); h.code != 0 || h.stdout != r.stdout {
		t.Errorf("kin --help differs from kin help (exit %d)", h.code)
	}
	one := kin(t, nil, "help", "version")
	if one.code != 0 || !strings.Contains(one.stdout, "usage: kin version") {
		t.Errorf("kin help version: exit %d, %q", one.code, one.stdout)
	}
	if two := kin(t, nil, "version", "--help"); two.stdout != one.stdout {
		t.Errorf("kin version --help = %q, want %q", two.stdout, one.stdout)
	}
}

func TestKin_Version(t *testing.T) {
	r := kin(t, nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "kin ") || !strings.Contains(r.stdout, "go1.") {
		t.Fatalf("kin version: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// --json is accepted before and after the command, and stdout holds
	// exactly one JSON document.
	for _, args := range [][]string{{"--json", "version"}, {"version", "--json"}} {
		j := kin(t, nil, args...)
		var v struct {
			Version   string `json:"version"`
			GoVersion string `json:"go_version"`
		}
		dec := json.NewDecoder(strings.NewReader(j.stdout))
		if err := dec.Decode(&v); err != nil || v.Version == "" || !strings.HasPrefix(v.GoVersion, "go") {
			t.Errorf("kin %v: %q is not the version JSON: %v", args, j.stdout, err)
		}
		if dec.More() {
			t.Errorf("kin %v printed more than one JSON document", args)
		}
	}
}

func TestReadPassphraseFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, content, want string
		wantErr             bool
	}{
		{"first line only", "correct horse\nsecond line\n", "correct horse", false},
		{"crlf", "battery staple\r\n", "battery staple", false},
		{"no newline", "no newline at end", "no newline at end", false},
		{"spaces kept", "  spaced  \n", "  spaced  ", false},
		{"empty file", "", "", true},
		{"empty first line", "\nsecond\n", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readPassphraseFile(write(tc.name, tc.content))
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("got %q, %v; want %q (error %v)", got, err, tc.want, tc.wantErr)
			}
			if err != nil && exitCode(err) != exitUsage {
				t.Errorf("exit code %d for %v, want 2", exitCode(err), err)
			}
		})
	}
	if _, err := readPassphraseFile(filepath.Join(dir, "missing")); exitCode(err) != exitUsage {
		t.Errorf("missing file: %v, exit %d", err, exitCode(err))
	}
}

func TestPassphraseSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pass")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(vals map[string]string) func(string) string {
		return func(k string) string { return vals[k] }
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	for _, tc := range []struct {
		name     string
		file     string
		env      map[string]string
		want     string
		wantCode int
	}{
		{"file wins over environment", file, map[string]string{"KINFOLIO_PASSPHRASE": "from-env"}, "from-file", 0},
		{"environment", "", map[string]string{"KINFOLIO_PASSPHRASE": "from-env"}, "from-env", 0},
		{"no terminal, no source", "", nil, "", exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &ctx{stdin: devnull, stderr: &bytes.Buffer{}, getenv: env(tc.env)}
			c.passphraseFile = tc.file
			got, err := c.passphrase("Passphrase: ")
			if got != tc.want || exitCode(err) != tc.wantCode {
				t.Errorf("got %q, %v (exit %d); want %q, exit %d", got, err, exitCode(err), tc.want, tc.wantCode)
			}
		})
	}
}

func TestVaultPath(t *testing.T) {
	for _, tc := range []struct {
		name string
		flag string
		env  map[string]string
		want string
		goos string
	}{
		{"flag", "/x/v.kinfolio", map[string]string{"KINFOLIO_VAULT": "/env/v"}, "/x/v.kinfolio", "linux"},
		{"environment", "", map[string]string{"KINFOLIO_VAULT": "/env/v"}, "/env/v", "linux"},
		{"xdg data home", "", map[string]string{"XDG_DATA_HOME": "/data", "HOME": "/home/a"}, "/data/kinfolio/vault.kinfolio", "linux"},
		{"home", "", map[string]string{"HOME": "/home/a"}, "/home/a/.local/share/kinfolio/vault.kinfolio", "linux"},
		{"macOS", "", map[string]string{"HOME": "/Users/a"}, "/Users/a/Library/Application Support/Kinfolio/vault.kinfolio", "darwin"},
		{"windows", "", map[string]string{"APPDATA": `C:\Users\a\AppData\Roaming`}, `C:\Users\a\AppData\Roaming\Kinfolio\vault.kinfolio`, "windows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &ctx{getenv: func(k string) string { return tc.env[k] }, goos: tc.goos}
			c.vault = tc.flag
			got, err := c.vaultPath()
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestParseGlobals_Anywhere(t *testing.T) {
	c := &ctx{}
	rest, err := c.parseGlobals([]string{"--vault", "a.kinfolio", "list", "--kind", "lab", "--json", "--identity=key.txt", "--", "--json"})
	if err != nil {
		t.Fatal(err)
	}
	if c.vault != "a.kinfolio" || !c.json || c.identity != "key.txt" {
		t.Errorf("globals not read: %+v", c.globals)
	}
	want := []string{"list", "--kind", "lab", "--", "--json"}
	if strings.Join(rest, " ") != strings.Join(want, " ") {
		t.Errorf("rest = %q, want %q", rest, want)
	}
}
