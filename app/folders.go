package app

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// Folders and files as the window's choosers show them: the window's own
// file chooser picks several files at once (Fyne's picks one), and saves
// go into a chosen folder under a new name, never over a file.

// FolderItem is one file or folder in a listing.
type FolderItem struct {
	Name, Path string
	Dir        bool
	// Size is the file's size in words ("2.4 MB"); Modified its last change
	// ("3 Mar 2025"; today's as "today 14:05").
	Size, Modified string
	// Record says the name looks like something Kinfolio reads (an XML,
	// JSON, NDJSON or zip file), for the chooser to mark it.
	Record bool
}

// ListFolder lists a folder for a chooser: folders first, then files, each
// by name (case ignored); hidden ones (a leading dot) left out. Errors are
// the file system's (fs.ErrNotExist, fs.ErrPermission).
func ListFolder(dir string, now time.Time) ([]FolderItem, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []FolderItem
	for _, e := range es {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		it := FolderItem{Name: name, Path: path, Dir: e.IsDir()}
		info, err := e.Info()
		if e.Type()&fs.ModeSymlink != 0 {
			// A link to a folder is a folder to open.
			if st, err := os.Stat(path); err == nil {
				it.Dir, info = st.IsDir(), st
			}
		}
		if err == nil && info != nil {
			if !it.Dir {
				it.Size = ByteSize(info.Size())
			}
			it.Modified = modifiedText(info.ModTime(), now)
		}
		if !it.Dir {
			switch strings.ToLower(filepath.Ext(name)) {
			case ".xml", ".json", ".ndjson", ".zip", ".txt":
				it.Record = true
			}
		}
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b FolderItem) int {
		if a.Dir != b.Dir {
			if a.Dir {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

func modifiedText(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return "today " + t.Format("15:04")
	}
	return record.DateOf(t).Human()
}

// ByteSize writes a size for people: "812 bytes", "14 KB", "2.4 MB", "1.1 GB".
func ByteSize(n int64) string {
	switch {
	case n < 1000:
		return Plural(int(n), "byte", "")
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// Place is a folder a chooser offers a shortcut to.
type Place struct {
	Name, Path string
}

// Places are the folders a chooser starts from: the home folder and its
// Downloads, Documents and Desktop, those that are there.
func Places() []Place {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return nil
	}
	out := []Place{{Name: "Home", Path: home}}
	for _, name := range []string{"Downloads", "Documents", "Desktop"} {
		p := filepath.Join(home, name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			out = append(out, Place{Name: name, Path: p})
		}
	}
	return out
}

// SaveOriginal writes a copy of a source's original file, byte for byte as
// imported, into dir under its own name (or "name 2.ext", never over a
// file: see [FreePath]), and returns the path written. The copy is readable
// by the user only; a failure leaves nothing behind. Errors wrap
// [vault.ErrNoSuchSource], [vault.ErrNoOriginal], [ErrOverVault], or the
// file system's.
func (s *Session) SaveOriginal(id, dir string) (string, error) {
	v, err := s.vault()
	if err != nil {
		return "", err
	}
	src, err := v.Source(id)
	if err != nil {
		return "", locked(err)
	}
	name := filepath.Base(filepath.FromSlash(src.File))
	if name == "." || name == string(filepath.Separator) || name == "" {
		name = "original"
	}
	if err := s.notOverVault(filepath.Join(dir, name)); err != nil {
		return "", err
	}
	rc, err := s.OpenOriginal(id)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return copyNewFile(dir, name, rc, true)
}

// copyNewFile streams r into a new file in dir named name, or "name 2"…
// when that is taken (see [FreePath]), synced and linked into place, mode
// 0600: a crash leaves no file or the whole one, and no file is ever
// replaced, even one made meanwhile under the same name.
//
// With free false, a file at dir/name is refused (errors wrap
// [vault.ErrExists]) instead of another name being chosen.
func copyNewFile(dir, name string, r io.Reader, free bool) (string, error) {
	f, err := os.CreateTemp(dir, ".kinfolio-save-*")
	if err != nil {
		return "", fmt.Errorf("saving %s: %w", filepath.Join(dir, name), err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("saving %s: %w", filepath.Join(dir, name), err)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	for range 100 {
		path := filepath.Join(dir, name)
		if free {
			path = FreePath(dir, name)
		}
		err := os.Link(tmp, path)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			// No hard links there (a FAT-formatted USB stick): create the
			// name exclusively and copy, removing a part-written file.
			err = copyExclusive(tmp, path)
		}
		switch {
		case errors.Is(err, fs.ErrExist) && free:
			continue // made meanwhile: the next free name
		case errors.Is(err, fs.ErrExist):
			return "", fmt.Errorf("%w: %s", vault.ErrExists, path)
		case err != nil:
			return fail(err)
		}
		syncDir(dir)
		return path, nil
	}
	return fail(fmt.Errorf("%w: %s", vault.ErrExists, filepath.Join(dir, name)))
}

// copyExclusive copies the file from to a new file at to, which must not
// be there yet; a failure leaves nothing at to.
func copyExclusive(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(to)
	}
	return err
}
