package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// leftovers lists the files in dir other than the named ones.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
outer:
	for _, de := range des {
		for _, k := range keep {
			if de.Name() == k {
				continue outer
			}
		}
		extra = append(extra, de.Name())
	}
	return extra
}

func TestWriteFile_NewAndReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Summary for Dr Okafor.pdf")
	for _, content := range []string{"first version", "second, longer version", "3"} {
		err := WriteFile(path, 0o600, func(w io.Writer) error {
			_, err := io.WriteString(w, content)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("file holds %q, want %q", got, content)
		}
	}
	if extra := leftovers(t, dir, filepath.Base(path)); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
	}
}

// TestWriteFile_FailureKeepsOld: when writing fails half way, the old file
// is whole and the half-written one is gone.
func TestWriteFile_FailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.age")
	os.WriteFile(path, []byte("the old backup"), 0o600)
	boom := errors.New("disk full")
	err := WriteFile(path, 0o600, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the writer's error", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "the old backup" {
		t.Errorf("old file now holds %q", got)
	}
	if extra := leftovers(t, dir, "backup.age"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

// TestCreate_TempInTargetFolder: until Commit the new content is in a
// temporary file beside the target, named for nothing of the target's.
func TestCreate_TempInTargetFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Jane Doe - allergies.pdf")
	f, err := Create(path, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Name() != path {
		t.Errorf("Name() = %q", f.Name())
	}
	io.WriteString(f, "new")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("target exists before Commit: %v", err)
	}
	extra := leftovers(t, dir)
	if len(extra) != 1 || !strings.HasPrefix(extra[0], ".kinfolio-") || strings.Contains(extra[0], "Jane") {
		t.Fatalf("temporary files %v: want one .kinfolio-*.tmp", extra)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	if _, err := f.Write([]byte("late")); err == nil {
		t.Error("Write after Commit succeeded")
	}
	f.Close() // after Commit: keeps the file
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file holds %q", got)
	}
}

func TestCreate_CloseWithoutCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "export.json")
	f, err := Create(path, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "abandoned")
	f.Close()
	if extra := leftovers(t, dir); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
}

func TestCreate_Errors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(dir, 0o600); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("a folder as target: %v", err)
	}
	missing := filepath.Join(dir, "no such folder", "x.pdf")
	if _, err := Create(missing, 0o600); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing folder: %v", err)
	}
}

// TestCommit_RetriesWhileInUse: a target held for a moment (Windows: a
// virus scanner) is replaced once it is let go; one held for good fails
// with ErrInUse, leaving the old file and no temporary one.
func TestCommit_RetriesWhileInUse(t *testing.T) {
	held := errors.New("held by another program")
	var tries int
	var release int // the try that succeeds; 0: never
	rename = func(from, to string) error {
		tries++
		if release == 0 || tries < release {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: held}
		}
		return os.Rename(from, to)
	}
	isInUse = func(err error) bool { return errors.Is(err, held) }
	retryFor, firstPause = 300*time.Millisecond, time.Millisecond
	t.Cleanup(func() {
		rename, isInUse, retryFor, firstPause = os.Rename, systemInUse, defaultRetryFor, 10*time.Millisecond
	})

	dir := t.TempDir()
	path := filepath.Join(dir, "summary.pdf")
	os.WriteFile(path, []byte("old"), 0o600)
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}

	tries, release = 0, 3
	if err := WriteFile(path, 0o600, write("new")); err != nil {
		t.Fatalf("held for two tries: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" || tries != 3 {
		t.Errorf("file %q after %d tries", got, tries)
	}

	tries, release = 0, 0
	start := time.Now()
	err := WriteFile(path, 0o600, write("newer"))
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), path) {
		t.Fatalf("held for good: %v, want ErrInUse naming the file", err)
	}
	if took := time.Since(start); took < retryFor || took > retryFor+time.Second {
		t.Errorf("gave up after %v, want about %v", took, retryFor)
	}
	if tries < 3 {
		t.Errorf("only %d tries", tries)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, []byte("new")) {
		t.Errorf("file now %q", got)
	}
	if extra := leftovers(t, dir, "summary.pdf"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}

	// Other errors are not retried.
	tries = 0
	rename = func(string, string) error { tries++; return os.ErrPermission }
	if err := WriteFile(path, 0o600, write("x")); !errors.Is(err, os.ErrPermission) || errors.Is(err, ErrInUse) || tries != 1 {
		t.Errorf("permission error: %v after %d tries", err, tries)
	}
}
