//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestCommit_UnixReaderKeepsOld: on Unix a reader that opened the old file
// goes on reading the old content, whole, while the new one takes its name.
func TestCommit_UnixReaderKeepsOld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bundle.json")
	os.WriteFile(path, []byte("old content"), 0o600)
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := WriteFile(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); string(got) != "old content" {
		t.Errorf("open reader sees %q", got)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file holds %q", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want the 0644 asked for", fi.Mode().Perm())
	}
}
