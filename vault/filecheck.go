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
	rootPage uint64 // the root bucket's page
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
		fm := fileMeta{pageSize: ne.Uint32(m[8:]), rootPage: ne.Uint64(m[16:]), freelist: ne.Uint64(m[32:]), pgid: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}
		if pg == 0 && fm.pageSize >= 512 && fm.pageSize <= 1<<20 {
			pageSize = int64(fm.pageSize) // the second copy sits one page on
		}
		if !ok || fm.txid > best.txid {
			best, ok = fm, true
		}
	}
	return best, ok, problems
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

// precheck refuses, before bbolt maps it, a file whose structure would
// make bbolt fault, panic where it cannot be caught, allocate without bound
// or loop: a file shorter than its meta page says, a broken freelist, a
// tree that points outside the file or back into itself. A file that is
// not a bbolt file at all (a text file, a picture) is [ErrNotVault]; one
// with no valid meta page is left to bbolt.
func precheck(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if !looksLikeBolt(f) {
		f.Close()
		return ErrNotVault
	}
	_, ok, _ := readMetas(f)
	f.Close()
	if !ok {
		return nil
	}
	if problems := walkFile(path, false); len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrDamaged, problems[0])
	}
	return nil
}

// looksLikeBolt reports whether the file has bbolt's meta page mark (the
// meta flag and magic number) where page 0 or page 1 would start, for any
// page size bbolt may have used. A file without it is some other file, not
// a damaged vault; one with it but with broken checksums is left to the
// damage checks.
func looksLikeBolt(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return true // let the open report it
	}
	ne := binary.NativeEndian
	buf := make([]byte, pageHeaderSize+4)
	offsets := []int64{0}
	for i := range 15 {
		offsets = append(offsets, int64(1024)<<i)
	}
	for _, off := range offsets {
		if off+int64(len(buf)) > fi.Size() {
			break
		}
		if _, err := f.ReadAt(buf, off); err != nil {
			return true
		}
		if ne.Uint16(buf[8:]) == metaPageFlag && ne.Uint32(buf[pageHeaderSize:]) == boltMagic {
			return true
		}
	}
	return false
}
