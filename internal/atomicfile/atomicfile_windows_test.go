package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCommit_WindowsViewerHoldsTarget: a program that opened the target
// without FILE_SHARE_DELETE (as PDF viewers do) keeps it from being
// replaced: Commit says so after its retries and changes nothing; once the
// program lets go, the same write succeeds.
func TestCommit_WindowsViewerHoldsTarget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.pdf")
	os.WriteFile(path, []byte("old"), 0o600)
	name, _ := syscall.UTF16PtrFromString(path)
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ, syscall.FILE_SHARE_READ, nil,
		syscall.OPEN_EXISTING, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	write := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	err = WriteFile(path, 0o600, write)
	syscall.CloseHandle(h)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("target held open: %v, want ErrInUse", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("held target now holds %q", got)
	}
	if extra := leftovers(t, dir, "summary.pdf"); len(extra) > 0 {
		t.Errorf("left behind: %v", extra)
	}
	if err := WriteFile(path, 0o600, write); err != nil {
		t.Fatalf("after the viewer closed: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file holds %q", got)
	}
}
