package app

import (
	"context"
	"io"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// How an import's progress bar is shared out within one file: reading
// (parsing) the file, keeping its sealed copy, then adding its records.
// Reading and sealing a large file each take seconds (a 1 GB Apple Health
// export: about 7 and 11 s here); the records of a big file a second.
const (
	shareReading = 0.4
	shareStoring = 0.4
	shareMerging = 0.2
)

// readTick is how often the reading stage reports the bytes read: often
// enough for a progress bar to move at least once a second.
const readTick = 250 * time.Millisecond

// readPathWatched is readPath, telling report (done, total bytes) every
// readTick while the file or folder is read, from a goroutine of its own
// (never two calls at once, and none after it returns). Files read in
// place by random access (a large zip) are not seen moving: their reading
// reports 0 until it ends.
func readPathWatched(ctx context.Context, reg *importers.Registry, lim importers.Limits, path string, report func(done, total int64)) (*record.Batch, error) {
	st, err := os.Stat(path)
	if report == nil || err != nil {
		return readPath(ctx, reg, lim, path) // it words what is wrong
	}
	in, err := importers.PathInput(path)
	if err != nil {
		return readPath(ctx, reg, lim, path)
	}
	w := &readWatch{}
	if st.IsDir() {
		w.total = folderSize(in.Dir)
		in.Dir = &watchedFS{inner: in.Dir, w: w}
	} else {
		w.total = st.Size()
		open := in.Open
		in.Open = func() (io.ReadCloser, error) {
			rc, err := open()
			if f, ok := rc.(*os.File); ok && err == nil {
				// Kept as it is: a zip is read in place only from an *os.File.
				w.watch(f)
			}
			return rc, err
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(readTick)
		defer t.Stop()
		last := int64(-1)
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if d := w.done(); d != last {
					last = d
					report(d, w.total)
				}
			}
		}
	}()
	b, err := reg.Read(ctx, in, lim)
	close(stop)
	wg.Wait()
	return b, err
}

// readWatch follows how far a file (its opened copies: sniffing, reading,
// hashing) or a folder's files have been read.
type readWatch struct {
	total int64
	mu    sync.Mutex
	files []*os.File
	best  int64
	// read counts a folder's bytes as its files are read.
	read atomic.Int64
}

func (w *readWatch) watch(f *os.File) {
	w.mu.Lock()
	w.files = append(w.files, f)
	w.mu.Unlock()
}

// done is how many bytes are read, never going back and at most total.
func (w *readWatch) done() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	d := w.read.Load()
	for _, f := range w.files {
		// The position of a file read from start to end; a closed file
		// answers with an error and is passed over.
		if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
			d = max(d, pos)
		}
	}
	w.best = min(max(w.best, d), max(w.total, 0))
	return w.best
}

// folderSize adds up the sizes of a folder's regular files (what reading
// it reads at most once).
func folderSize(dir fs.FS) int64 {
	var n int64
	fs.WalkDir(dir, ".", func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// watchedFS is a folder whose regular files count the bytes read from them.
type watchedFS struct {
	inner fs.FS
	w     *readWatch
}

func (f *watchedFS) Open(name string) (fs.File, error) {
	file, err := f.inner.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
		return &watchedFile{File: file, w: f.w}, nil
	}
	return file, nil
}

func (f *watchedFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(f.inner, name) }
func (f *watchedFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(f.inner, name) }

type watchedFile struct {
	fs.File
	w *readWatch
}

func (f *watchedFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.w.read.Add(int64(n))
	return n, err
}
