package vault

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
)

// bbolt's on-disk layout, as far as this file needs it: every page starts
// with a 16-byte header (id, flags, count, overflow); pages 0 and 1 hold the
// two copies of the meta record, checksummed with FNV-64a.
const (
	pageHeaderSize   = 16
	metaSize         = 64
	metaPageFlag     = 0x04
	freelistPageFlag = 0x10
	boltMagic        = 0xED0CDAED
	noFreelist       = 0xffffffffffffffff
)

// fileMeta is the meta record bbolt uses: the valid copy with the highest
// transaction id.
type fileMeta struct {
	pageSize uint32
	freelist uint64
	pgid     uint64 // high-water mark: pages the file must hold
	txid     uint64
}

// readMetas reads both meta pages straight from the file (not through a
// memory map). It returns the meta bbolt will use (ok false when neither
// copy is valid) and what is wrong with the copies.
func readMetas(f *os.File) (best fileMeta, ok bool, problems []string) {
	ne := binary.NativeEndian
	pageSize := int64(4096)
	for pg := range int64(2) {
		buf := make([]byte, pageHeaderSize+metaSize)
		if _, err := f.ReadAt(buf, pg*pageSize); err != nil {
			problems = append(problems, fmt.Sprintf("meta page %d cannot be read", pg))
			continue
		}
		id, flags := ne.Uint64(buf[0:]), ne.Uint16(buf[8:])
		m := buf[pageHeaderSize:]
		h := fnv.New64a()
		h.Write(m[:56])
		if id != uint64(pg) || flags != metaPageFlag || ne.Uint32(m[0:]) != boltMagic || ne.Uint64(m[56:]) != h.Sum64() {
			problems = append(problems, fmt.Sprintf("meta page %d is damaged", pg))
			continue
		}
		fm := fileMeta{pageSize: ne.Uint32(m[8:]), freelist: ne.Uint64(m[32:]), pgid: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}
		if pg == 0 && fm.pageSize >= 512 && fm.pageSize <= 1<<20 {
			pageSize = int64(fm.pageSize) // the second copy sits one page on
		}
		if !ok || fm.txid > best.txid {
			best, ok = fm, true
		}
	}
	return best, ok, problems
}

// checkPages returns what is wrong with the meta pages, the freelist page
// header and the file's length. bbolt silently falls back to the other meta
// copy when one is bad, and its consistency check asserts (panics, in a
// goroutine no one can recover) on a bad meta or freelist page header, so
// Verify runs this first.
func checkPages(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	m, ok, problems := readMetas(f)
	if !ok {
		return problems
	}
	if p := cutShort(f, m); p != "" {
		return append(problems, p)
	}
	if m.freelist == noFreelist {
		return problems
	}
	buf := make([]byte, pageHeaderSize)
	if _, err := f.ReadAt(buf, int64(m.freelist)*int64(m.pageSize)); err != nil {
		return append(problems, "the freelist page cannot be read")
	}
	if binary.NativeEndian.Uint64(buf) != m.freelist || binary.NativeEndian.Uint16(buf[8:]) != freelistPageFlag {
		problems = append(problems, "the freelist page is damaged")
	}
	return problems
}

// cutShort says whether the file is shorter than its meta says it is.
func cutShort(f *os.File, m fileMeta) string {
	fi, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	if need := int64(m.pgid) * int64(m.pageSize); fi.Size() < need {
		return fmt.Sprintf("the file is %d bytes but holds %d: it was cut short", fi.Size(), need)
	}
	return ""
}

// precheck refuses, before bbolt maps it, a file whose current meta page
// says it is longer than it is: reading its missing pages would fault.
func precheck(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	m, ok, _ := readMetas(f)
	if !ok {
		return nil // bbolt decides: not a vault, or damaged
	}
	if p := cutShort(f, m); p != "" {
		return fmt.Errorf("%w: %s", ErrDamaged, p)
	}
	return nil
}
