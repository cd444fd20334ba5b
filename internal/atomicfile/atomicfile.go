// Package atomicfile writes a file in place of another so that no one ever
// sees half of it: not a reader, not the next run after a crash or a power
// cut, not the user when the disk fills up. Exports (PDF, FHIR) and
// backups are written with it.
//
// The new content goes to a temporary file in the target's folder (so the
// final step is a rename within one file system, never a copy), is flushed
// to the disk, and is then renamed over the target: the target is the old
// file until the rename and the whole new one after it. A failure at any
// step removes the temporary file and leaves the target as it was.
//
// # Windows
//
// os.Rename replaces an existing file on Windows too (MoveFileEx with
// MOVEFILE_REPLACE_EXISTING), but only when no other program has it open
// without sharing deletion: a PDF open in a viewer, or a file a virus
// scanner or the search indexer is reading this instant. Commit retries
// for about a second, which outlasts the scanners, then fails with
// [ErrInUse] so the caller can tell the user to close the file. Windows
// has no way to make a rename durable by syncing the folder, and NTFS
// journals the rename itself; the folder is synced on other systems.
//
// Temporary files are named ".kinfolio-*.tmp", with nothing of the
// target's name or content in the name.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// ErrInUse: the target could not be replaced because another program has
// it open (or, on Windows, it is read-only). Nothing was changed.
var ErrInUse = errors.New("the file is open in another program, or read-only")

// File is a file being written in place of another. Write to it, then
// Commit; Close without Commit (safe to defer) throws the new content away.
type File struct {
	tmp  *os.File
	path string
	perm fs.FileMode
	done bool
}

// Create starts writing path, which need not exist. The folder must
// exist. perm is the mode the file gets on Unix (exactly, not masked by
// the umask); Windows ignores it but for the read-only bit.
//
// Errors: a target that is a folder; the temporary file's creation errors
// (the folder is missing or not writable), as they come.
func Create(path string, perm fs.FileMode) (*File, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kinfolio-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &File{tmp: tmp, path: path, perm: perm}, nil
}

// Name returns the path the file will be committed to.
func (f *File) Name() string { return f.path }

// Write writes to the new content.
func (f *File) Write(p []byte) (int, error) {
	if f.done {
		return 0, fs.ErrClosed
	}
	return f.tmp.Write(p)
}

// Commit flushes the new content to the disk and puts it in place of the
// target. After Commit (whether it succeeded or not) the File is done.
//
// Errors: [ErrInUse] (wrapped, with the path) when another program holds
// the target; I/O errors (a full disk) as they come. On any error the
// target is left as it was and the temporary file is removed.
func (f *File) Commit() error {
	if f.done {
		return fs.ErrClosed
	}
	f.done = true
	tmpName := f.tmp.Name()
	err := f.tmp.Sync()
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmpName, f.perm)
	}
	if err == nil {
		err = replace(tmpName, f.path)
	}
	if err != nil {
		os.Remove(tmpName)
		if isInUse(err) {
			return fmt.Errorf("writing %s: %w (close it and try again)", f.path, ErrInUse)
		}
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	syncDir(filepath.Dir(f.path))
	return nil
}

// Close throws the new content away unless Commit ran. It always returns
// nil, so `defer f.Close()` is right.
func (f *File) Close() error {
	if !f.done {
		f.done = true
		f.tmp.Close()
		os.Remove(f.tmp.Name())
	}
	return nil
}

// WriteFile writes path with what write writes, in place of what was
// there: entirely, or (on any error, write's included) not at all.
func WriteFile(path string, perm fs.FileMode, write func(w io.Writer) error) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}

// The rename and its retries, replaceable in tests.
var (
	rename     = os.Rename
	isInUse    = systemInUse
	retryFor   = defaultRetryFor
	firstPause = 10 * time.Millisecond
)

const defaultRetryFor = time.Second

// replace renames tmp over path, retrying while the target is held open
// (on Windows: a scanner or indexer reading it, a viewer showing it).
func replace(tmp, path string) error {
	deadline := time.Now().Add(retryFor)
	pause := firstPause
	for {
		err := rename(tmp, path)
		if err == nil || !isInUse(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(pause)
		pause = min(2*pause, 200*time.Millisecond)
	}
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return // a folder cannot be opened for syncing; NTFS journals renames
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
