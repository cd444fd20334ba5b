package vault_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
	bolt "go.etcd.io/bbolt"
)

// TestMain lets the test binary play a second process: with
// VAULTTEST_CHILD set it runs that child's part instead of the tests.
func TestMain(m *testing.M) {
	if role := os.Getenv("VAULTTEST_CHILD"); role != "" {
		os.Exit(runChild(role))
	}
	code := m.Run()
	if big100k.path != "" {
		os.RemoveAll(filepath.Dir(big100k.path))
	}
	os.Exit(code)
}

// child starts the test binary again as a child process in role.
func child(t *testing.T, role string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{"VAULTTEST_CHILD=" + role}, env...)...)
	return cmd
}

func TestCreate_FileModeAndFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kinfolio")
	path := filepath.Join(dir, "vault.kinfolio")
	v := vaulttest.Create(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Windows has no modes: the profile folder's permissions keep others
	// out (see the package's threat model).
	if fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("vault file mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(dir)
	if di.Mode().Perm() != 0o700 && runtime.GOOS != "windows" {
		t.Errorf("vault folder mode %v, want 0700", di.Mode().Perm())
	}
	if v.WorkFactor() != vaulttest.WorkFactor {
		t.Errorf("work factor %d, want %d", v.WorkFactor(), vaulttest.WorkFactor)
	}
	// Nothing else is left in the folder (the file is built beside and linked in).
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Errorf("folder holds %d files, want only the vault", len(names))
	}
	if _, err := vault.Create(path, "another", vaulttest.Options()); !errors.Is(err, vault.ErrExists) {
		t.Errorf("Create over an existing vault: %v, want ErrExists", err)
	}
}

func TestCreate_BadInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		pass string
		wf   int
	}{
		{"empty passphrase", "", 10},
		{"work factor too high", "pass", 21},
		{"negative work factor", "pass", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := vault.Create(filepath.Join(dir, tc.name), tc.pass, &vault.Options{WorkFactor: tc.wf})
			if !errors.Is(err, vault.ErrBadPassphrase) {
				t.Errorf("got %v, want ErrBadPassphrase", err)
			}
		})
	}
}

// TestNoHealthDataInPlaintext greps the raw file for words of the imported
// records: none may appear, since every value is sealed.
func TestNoHealthDataInPlaintext(t *testing.T) {
	v := vaulttest.New(t)
	b := bundle(t, alberto)
	if _, err := v.Import(context.Background(), b, vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	v.Close()
	raw, err := os.ReadFile(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"Atencio", "Alberto", "1993-06-07", "999-61-3984", "resourceType", "Observation",
		"fc712d1f", b.Source.SHA256[:16], "loinc", vaulttest.Passphrase} {
		if bytes.Contains(raw, []byte(word)) {
			t.Errorf("the vault file holds %q in plaintext", word)
		}
	}
}

func TestOpen_WrongPassphrase(t *testing.T) {
	v := vaulttest.New(t)
	if _, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	path := v.Path()
	v.Close()
	// An old mtime makes any write visible.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	start := time.Now()
	_, err := vault.Open(path, vault.Passphrase("wrong horse battery staple"), nil)
	took := time.Since(start)
	if !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	for _, other := range []error{vault.ErrDamaged, vault.ErrNotVault, vault.ErrInUse} {
		if errors.Is(err, other) {
			t.Errorf("wrong passphrase also reads as %v", other)
		}
	}
	// Within the key derivation's time: one scrypt at logN 10 is a few ms;
	// a second is generous for a slow machine and far from a hang.
	if took > time.Second {
		t.Errorf("wrong passphrase took %v", took)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a failed unlock changed the vault file")
	}
	// On Windows bbolt sets the file's length to its memory map's at every
	// read-write open (bolt_windows.go), which touches the mtime; the
	// content is unchanged, as checked above.
	if fi, _ := os.Stat(path); !fi.ModTime().Equal(old) && runtime.GOOS != "windows" {
		t.Errorf("a failed unlock changed the mtime: %v, want %v", fi.ModTime(), old)
	}
	// A wrong identity is the same error.
	id, _ := age.GenerateX25519Identity()
	if _, err := vault.Open(path, vault.Identities(id), nil); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Errorf("identity of a vault with no recipients: %v", err)
	}
	// The right one still works, and a successful read-only session does
	// not write either.
	v2, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
	if err != nil {
		t.Fatal(err)
	}
	v2.Entries(vault.Query{})
	v2.Close()
	if fi, _ := os.Stat(path); !fi.ModTime().Equal(old) && runtime.GOOS != "windows" {
		t.Error("reading the vault changed its mtime")
	}
}

func TestOpen_NotAVault(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("things")); return err })
	db.Close()
	for _, tc := range []struct {
		name string
		path string
		want error
	}{
		{"text file", write("notes.txt", []byte("just some notes\n")), vault.ErrNotVault},
		{"empty file", write("empty", nil), vault.ErrNotVault},
		{"zeros", write("zeros", make([]byte, 64<<10)), vault.ErrNotVault},
		// Between one and two pages: bbolt itself would call it "too small".
		{"a README of 5 KB", write("README.md", []byte(strings.Repeat("# Kinfolio\nA family's records.\n", 180))), vault.ErrNotVault},
		{"a 100 KB text", write("big.txt", []byte(strings.Repeat("hello world\n", 9000))), vault.ErrNotVault},
		{"another bbolt database", other, vault.ErrNotVault},
		{"folder", dir, vault.ErrNotVault},
		{"missing", filepath.Join(dir, "missing"), fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := vault.Open(tc.path, vault.Passphrase("x"), nil)
			if !errors.Is(err, tc.want) || errors.Is(err, vault.ErrDamaged) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	if fi, _ := os.Stat(filepath.Join(dir, "empty")); fi.Size() != 0 {
		t.Error("opening an empty file wrote to it")
	}
}

// TestOpen_NewerVersion rewrites the header as a future version would.
func TestOpen_NewerVersion(t *testing.T) {
	v := vaulttest.New(t)
	path := v.Path()
	v.Close()
	if err := vault.SetFormatForTest(path, 2); err != nil {
		t.Fatal(err)
	}
	_, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
	if !errors.Is(err, vault.ErrNewerVersion) {
		t.Fatalf("got %v, want ErrNewerVersion", err)
	}
	if err := vault.SetFormatForTest(path, 1); err != nil {
		t.Fatal(err)
	}
	vaulttest.Open(t, path)
}

// TestOpen_InUse holds the vault in a second process: this one must get
// ErrInUse within two seconds, never hang.
func TestOpen_InUse(t *testing.T) {
	v := vaulttest.New(t)
	path := v.Path()
	v.Close()
	cmd := child(t, "hold", "VAULTTEST_PATH="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "ready" {
		t.Fatalf("child did not open the vault: %q %v", buf, err)
	}
	start := time.Now()
	_, err = vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
	took := time.Since(start)
	if !errors.Is(err, vault.ErrInUse) {
		t.Fatalf("got %v, want ErrInUse", err)
	}
	if took > 2*time.Second {
		t.Errorf("in use answered after %v, want under 2 s", took)
	}
	cmd.Process.Kill()
	cmd.Wait()
	// Once the other process is gone, the vault opens.
	vaulttest.Open(t, path)
}

func TestRecoveryAndCaregiverKeys(t *testing.T) {
	v := vaulttest.New(t)
	if _, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	want, _ := v.Entries(vault.Query{})
	recovery, err := v.RecoveryKey()
	if err != nil || !strings.HasPrefix(recovery, "AGE-SECRET-KEY-1") {
		t.Fatalf("recovery key %q: %v", recovery, err)
	}
	carer, _ := age.GenerateX25519Identity()
	if err := v.AddRecipient(carer.Recipient().String(), "Sam's laptop"); err != nil {
		t.Fatal(err)
	}
	if err := v.AddRecipient("age1notakey", ""); !errors.Is(err, vault.ErrBadRecipient) {
		t.Errorf("bad recipient: %v", err)
	}
	if rs := mustRecipients(t, v); len(rs) != 2 || rs[0].Name != "recovery key" || rs[1].Name != "Sam's laptop" {
		t.Errorf("recipients %+v", rs)
	}
	// Adding a key again: without a name it keeps its name; with one it is renamed.
	log, _ := v.Log()
	if err := v.AddRecipient(carer.Recipient().String(), ""); err != nil {
		t.Fatal(err)
	}
	if rs := mustRecipients(t, v); len(rs) != 2 || rs[1].Name != "Sam's laptop" {
		t.Errorf("adding a key again without a name: %+v", rs)
	}
	if log2, _ := v.Log(); len(log2) != len(log) {
		t.Errorf("adding a key again without a name was logged: %+v", log2[len(log):])
	}
	if err := v.AddRecipient(carer.Recipient().String(), "Sam's new laptop"); err != nil {
		t.Fatal(err)
	}
	if rs := mustRecipients(t, v); len(rs) != 2 || rs[1].Name != "Sam's new laptop" {
		t.Errorf("renaming a key: %+v", rs)
	}
	path := v.Path()
	v.Close()

	recID, err := age.ParseX25519Identity(recovery)
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]age.Identity{"recovery key": recID, "caregiver key": carer} {
		t.Run(name, func(t *testing.T) {
			v, err := vault.Open(path, vault.Identities(id), nil)
			if err != nil {
				t.Fatalf("unlocking with the %s: %v", name, err)
			}
			defer v.Close()
			got, _ := v.Entries(vault.Query{})
			if len(got) != len(want) {
				t.Errorf("%d entries, want %d", len(got), len(want))
			}
			// Rotating needs the passphrase, which an identity does not give.
			if err := v.RemoveRecipient(carer.Recipient().String()); !errors.Is(err, vault.ErrNeedPassphrase) {
				t.Errorf("remove with an identity unlock: %v, want ErrNeedPassphrase", err)
			}
		})
	}

	// Removing the caregiver rotates the vault key: the caregiver's key
	// fails, the recovery key and the passphrase still open.
	v = vaulttest.Open(t, path)
	oldKey := vault.KeyForTest(v)
	if err := v.RemoveRecipient(carer.Recipient().String()); err != nil {
		t.Fatal(err)
	}
	if err := v.RemoveRecipient(carer.Recipient().String()); !errors.Is(err, vault.ErrNoSuchRecipient) {
		t.Errorf("second removal: %v", err)
	}
	if bytes.Equal(oldKey, vault.KeyForTest(v)) {
		t.Error("the vault key did not change")
	}
	got, _ := v.Entries(vault.Query{})
	if len(got) != len(want) {
		t.Errorf("after rotation %d entries, want %d", len(got), len(want))
	}
	if _, err := v.Verify(); err != nil {
		t.Errorf("verify after rotation: %v", err)
	}
	v.Close()
	if _, err := vault.Open(path, vault.Identities(carer), nil); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Errorf("removed caregiver key: %v, want ErrWrongPassphrase", err)
	}
	// Even holding the old vault key opens nothing now.
	if n := vault.OpenableWithKeyForTest(path, oldKey); n != 0 {
		t.Errorf("the old vault key still opens %d values", n)
	}
	rv, err := vault.Open(path, vault.Identities(recID), nil)
	if err != nil {
		t.Fatalf("recovery key after rotation: %v", err)
	}
	// The recovery key resets a forgotten passphrase.
	if err := rv.ChangePassphrase("new passphrase"); err != nil {
		t.Fatal(err)
	}
	rv.Close()
	if _, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Errorf("old passphrase after change: %v", err)
	}
	nv, err := vault.Open(path, vault.Passphrase("new passphrase"), nil)
	if err != nil {
		t.Fatal(err)
	}
	nv.Close()
}

func TestChangePassphrase(t *testing.T) {
	v := vaulttest.New(t)
	if err := v.ChangePassphrase(""); !errors.Is(err, vault.ErrBadPassphrase) {
		t.Errorf("empty: %v", err)
	}
	if err := v.ChangePassphrase("a new passphrase"); err != nil {
		t.Fatal(err)
	}
	if v.WorkFactor() != vaulttest.WorkFactor {
		t.Errorf("work factor changed to %d", v.WorkFactor())
	}
	path := v.Path()
	v.Close()
	if _, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil); !errors.Is(err, vault.ErrWrongPassphrase) {
		t.Errorf("old passphrase: %v", err)
	}
	v2, err := vault.Open(path, vault.Passphrase("a new passphrase"), nil)
	if err != nil {
		t.Fatal(err)
	}
	log, _ := v2.Log()
	if len(log) == 0 || log[len(log)-1].Action != vault.ActionPassphrase {
		t.Errorf("log does not end with the passphrase change: %+v", log)
	}
	v2.Close()
}

func TestClosedVault(t *testing.T) {
	v := vaulttest.New(t)
	v.Close()
	if err := v.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if _, err := v.Entries(vault.Query{}); !errors.Is(err, vault.ErrClosed) {
		t.Errorf("Entries: %v", err)
	}
	if _, err := v.Search("", "x"); !errors.Is(err, vault.ErrClosed) {
		t.Errorf("Search: %v", err)
	}
	if _, err := v.Import(context.Background(), &record.Batch{}, vault.ImportOptions{}); !errors.Is(err, vault.ErrClosed) {
		t.Errorf("Import: %v", err)
	}
	if _, err := v.Verify(); !errors.Is(err, vault.ErrClosed) {
		t.Errorf("Verify: %v", err)
	}
}

func TestCalibrateWorkFactor(t *testing.T) {
	if testing.Short() {
		t.Skip("measures scrypt")
	}
	n := vault.CalibrateWorkFactor()
	if n < 17 || n > 19 {
		t.Errorf("calibrated logN %d, want 17..19", n)
	}
}

// runChild is the second process's part of a test.
func runChild(role string) int {
	path := os.Getenv("VAULTTEST_PATH")
	switch role {
	case "hold":
		v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer v.Close()
		os.Stdout.WriteString("ready")
		time.Sleep(time.Minute)
		return 0
	}
	if fn := crashChildren[role]; fn != nil {
		return fn(path)
	}
	fmt.Fprintln(os.Stderr, "unknown child role", role)
	return 2
}
