package app

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestReadWatch_FilePosition: the bytes read of a file are its position,
// never going back when a second pass (the hash) starts from the top, and
// never more than its size.
func TestReadWatch_FilePosition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.xml")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &readWatch{total: 1 << 20}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	w.watch(f)
	if _, err := io.CopyN(io.Discard, f, 300_000); err != nil {
		t.Fatal(err)
	}
	if d := w.done(); d != 300_000 {
		t.Errorf("done %d after reading 300000 bytes", d)
	}
	f.Close()
	again, _ := os.Open(path)
	defer again.Close()
	w.watch(again)
	io.CopyN(io.Discard, again, 1000)
	if d := w.done(); d != 300_000 {
		t.Errorf("done %d after a second pass began: want it to stay at 300000", d)
	}
	io.Copy(io.Discard, again)
	w.total = 1000 // a file that grew while read: never past the size known
	if d := w.done(); d != 1000 {
		t.Errorf("done %d, want the total 1000", d)
	}
}

// TestReadWatch_Folder: a folder's progress counts the bytes read from its
// files, of the sum of their sizes.
func TestReadWatch_Folder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.xml"), bytes.Repeat([]byte("a"), 5000), 0o600)
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	os.WriteFile(filepath.Join(dir, "sub", "b.json"), bytes.Repeat([]byte("b"), 3000), 0o600)
	w := &readWatch{total: folderSize(os.DirFS(dir))}
	if w.total != 8000 {
		t.Fatalf("folder size %d, want 8000", w.total)
	}
	fsys := &watchedFS{inner: os.DirFS(dir), w: w}
	f, err := fsys.Open("sub/b.json")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, f)
	f.Close()
	if d := w.done(); d != 3000 {
		t.Errorf("done %d after reading b.json, want 3000", d)
	}
	if es, err := fsys.ReadDir("."); err != nil || len(es) != 2 {
		t.Errorf("ReadDir: %v %v", es, err)
	}
}
