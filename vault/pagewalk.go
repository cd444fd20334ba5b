package vault

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
)

// pageWalker checks the structure of a vault file the way bbolt's own
// consistency check does (every page of the tree in bounds, of the right
// type, referenced once, keys in order, not also free; every page either
// used or free), but reading the file itself with bounds checks on every
// field. bbolt's check runs in a goroutine of its own and asserts (panics)
// on some damage, which would crash the program; this never panics.
//
// With leaves false it only checks what a cursor relies on to terminate:
// the branch pages and the headers of the pages they point to.
type pageWalker struct {
	f        *os.File
	meta     fileMeta
	leaves   bool
	seen     map[uint64]bool // pages reached (with their overflow)
	problems []string
	maxDepth int
}

const (
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	bucketLeafFlag   = 0x01
	elemSize         = 16
	bucketHeaderSize = 16
	maxProblems      = 50
)

func (w *pageWalker) problem(format string, args ...any) {
	if len(w.problems) < maxProblems {
		w.problems = append(w.problems, fmt.Sprintf(format, args...))
	}
}

// page reads page id with its overflow pages; nil after reporting a problem.
func (w *pageWalker) page(id uint64) []byte {
	ps := int64(w.meta.pageSize)
	if id < 2 || id >= w.meta.pgid {
		w.problem("page %d: out of bounds (the file has %d pages)", id, w.meta.pgid)
		return nil
	}
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(hdr, int64(id)*ps); err != nil {
		w.problem("page %d: cannot be read", id)
		return nil
	}
	ne := binary.NativeEndian
	overflow := uint64(ne.Uint32(hdr[12:]))
	if ne.Uint64(hdr) != id {
		w.problem("page %d: its header names page %d", id, ne.Uint64(hdr))
		return nil
	}
	if id+overflow >= w.meta.pgid {
		w.problem("page %d: overflows past the end of the file", id)
		return nil
	}
	buf := make([]byte, int64(overflow+1)*ps)
	if _, err := w.f.ReadAt(buf, int64(id)*ps); err != nil {
		w.problem("page %d: cannot be read", id)
		return nil
	}
	return buf
}

// header reads only a page's type flags.
func (w *pageWalker) header(id uint64) (flags uint16, ok bool) {
	if id < 2 || id >= w.meta.pgid {
		w.problem("page %d: out of bounds (the file has %d pages)", id, w.meta.pgid)
		return 0, false
	}
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(hdr, int64(id)*int64(w.meta.pageSize)); err != nil {
		w.problem("page %d: cannot be read", id)
		return 0, false
	}
	if binary.NativeEndian.Uint64(hdr) != id {
		w.problem("page %d: its header names page %d", id, binary.NativeEndian.Uint64(hdr))
		return 0, false
	}
	return binary.NativeEndian.Uint16(hdr[8:]), true
}

func (w *pageWalker) mark(id uint64, overflow uint64) bool {
	for i := uint64(0); i <= overflow; i++ {
		if w.seen[id+i] {
			w.problem("page %d: referenced more than once", id+i)
			return false
		}
		w.seen[id+i] = true
	}
	return true
}

// elements returns the element table bounds of a page held in p, checking
// that count elements fit.
func (w *pageWalker) elements(id uint64, p []byte) (int, bool) {
	count := int(binary.NativeEndian.Uint16(p[10:]))
	if pageHeaderSize+count*elemSize > len(p) {
		w.problem("page %d: %d elements do not fit", id, count)
		return 0, false
	}
	return count, true
}

// tree walks the B+tree rooted at page id; lo is the smallest key the
// subtree may hold (from its parent). Leaves are read whole when full (the
// root bucket's, or everything when w.leaves), else only their headers.
func (w *pageWalker) tree(id uint64, depth int, lo []byte, full bool) {
	if depth > w.maxDepth {
		w.problem("page %d: the tree is deeper than possible", id)
		return
	}
	ne := binary.NativeEndian
	if !full {
		flags, ok := w.header(id)
		if !ok {
			return
		}
		switch flags {
		case leafPageFlag:
			w.mark(id, 0)
			return
		case branchPageFlag:
		default:
			w.problem("page %d: not a tree page (flags %#x)", id, flags)
			return
		}
	}
	p := w.page(id)
	if p == nil || !w.mark(id, uint64(ne.Uint32(p[12:]))) {
		return
	}
	switch ne.Uint16(p[8:]) {
	case branchPageFlag:
		count, ok := w.elements(id, p)
		if !ok {
			return
		}
		if count == 0 {
			w.problem("page %d: an empty branch", id)
			return
		}
		prev := lo
		for i := range count {
			e := pageHeaderSize + i*elemSize
			pos, ksize, child := int(ne.Uint32(p[e:])), int(ne.Uint32(p[e+4:])), ne.Uint64(p[e+8:])
			if pos < 0 || ksize < 0 || e+pos+ksize > len(p) || e+pos+ksize < e {
				w.problem("page %d: element %d's key lies outside the page", id, i)
				return
			}
			key := p[e+pos : e+pos+ksize]
			if prev != nil && bytes.Compare(prev, key) > 0 {
				w.problem("page %d: keys out of order", id)
				return
			}
			prev = key
			w.tree(child, depth+1, key, full)
		}
	case leafPageFlag:
		w.leaf(id, p, lo)
	default:
		w.problem("page %d: not a tree page (flags %#x)", id, ne.Uint16(p[8:]))
	}
}

// leaf checks a leaf page's elements (p may be an inline bucket's page)
// and walks the buckets it holds.
func (w *pageWalker) leaf(id uint64, p []byte, lo []byte) {
	if len(p) < pageHeaderSize {
		w.problem("page %d: an inline bucket is cut short", id)
		return
	}
	ne := binary.NativeEndian
	count, ok := w.elements(id, p)
	if !ok {
		return
	}
	prev := lo
	for i := range count {
		e := pageHeaderSize + i*elemSize
		flags, pos, ksize, vsize := ne.Uint32(p[e:]), int(ne.Uint32(p[e+4:])), int(ne.Uint32(p[e+8:])), int(ne.Uint32(p[e+12:]))
		end := e + pos + ksize + vsize
		if pos < 0 || ksize < 0 || vsize < 0 || end > len(p) || end < e {
			w.problem("page %d: element %d lies outside the page", id, i)
			return
		}
		key := p[e+pos : e+pos+ksize]
		if prev != nil && bytes.Compare(prev, key) > 0 {
			w.problem("page %d: keys out of order", id)
			return
		}
		prev = key
		if flags&bucketLeafFlag == 0 {
			continue
		}
		val := p[e+pos+ksize : end]
		if len(val) < bucketHeaderSize {
			w.problem("page %d: a bucket header is cut short", id)
			return
		}
		if root := ne.Uint64(val); root != 0 {
			w.tree(root, 1, nil, w.leaves)
		} else {
			w.leaf(id, val[bucketHeaderSize:], nil)
		}
	}
}

// freelist reads the free page ids and checks them.
func (w *pageWalker) freelist() map[uint64]bool {
	free := map[uint64]bool{}
	if w.meta.freelist == noFreelist {
		return free
	}
	p := w.page(w.meta.freelist)
	if p == nil {
		return free
	}
	ne := binary.NativeEndian
	if ne.Uint16(p[8:]) != freelistPageFlag {
		w.problem("the freelist page is not a freelist")
		return free
	}
	w.mark(w.meta.freelist, uint64(ne.Uint32(p[12:])))
	count, start := uint64(ne.Uint16(p[10:])), pageHeaderSize
	if count == 0xFFFF {
		count, start = ne.Uint64(p[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > w.meta.pgid || uint64(start)+count*8 > uint64(len(p)) {
		w.problem("the freelist lists %d pages, more than it can hold", count)
		return free
	}
	for i := range count {
		id := ne.Uint64(p[uint64(start)+i*8:])
		if id < 2 || id >= w.meta.pgid {
			w.problem("the freelist names page %d, out of bounds", id)
			continue
		}
		if free[id] {
			w.problem("page %d: freed twice", id)
		}
		free[id] = true
	}
	return free
}

// walkFile checks the structure of the vault file at path; with leaves it
// is a full consistency check (Verify), without it the quick check Open
// runs before bbolt reads the freelist and its cursors walk the tree (a
// broken freelist can make bbolt allocate without bound, a branch page
// pointing back up the tree can make a cursor descend for ever). Problems
// with the meta copy bbolt does not use are reported only with leaves.
func walkFile(path string, leaves bool) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	m, ok, problems := readMetas(f)
	if !ok {
		return append(problems, "no valid meta page")
	}
	if !leaves {
		problems = nil
	}
	if m.pageSize < 512 || m.pageSize > 1<<20 || m.pgid < 2 {
		return append(problems, "the meta page is implausible")
	}
	if p := cutShort(f, m); p != "" {
		return append(problems, p)
	}
	w := &pageWalker{f: f, meta: m, leaves: leaves, seen: map[uint64]bool{0: true, 1: true}, maxDepth: 64}
	free := w.freelist()
	w.tree(m.rootPage, 0, nil, true)
	if leaves && len(w.problems) == 0 {
		for id := uint64(2); id < m.pgid; id++ {
			switch {
			case w.seen[id] && free[id]:
				w.problem("page %d: both used and free", id)
			case !w.seen[id] && !free[id]:
				w.problem("page %d: neither used nor free", id)
			}
		}
	}
	return append(problems, w.problems...)
}
