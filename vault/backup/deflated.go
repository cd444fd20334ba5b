package backup

import (
	"archive/zip"
	"encoding/binary"
	"hash/crc32"
	"io"
	"time"
	"unicode/utf8"
)

// DeflatedFile is a file of a backup whose content the caller hands over
// compressed already: pieces of DEFLATE it copies into the zip as they are
// ([DeflatedFile.WriteBlocks]), and plain bytes it stores uncompressed
// ([DeflatedFile.Write]). A vault keeps its original files deflated in
// pieces laid out for this, so a backup neither inflates nor compresses
// them again. Get one from [Writer.CreateDeflated]; it is written until
// the next Create, CreateDeflated, Finish or Close.
type DeflatedFile struct {
	zw   io.Writer // the zip entry's raw content
	fh   *zip.FileHeader
	path string
	sum  string
	crc  uint32
	size int64 // the content's
	comp int64 // the DEFLATE stream's
	err  error
}

// CreateDeflated adds a file at path (as [Writer.Create] does) whose
// content the caller writes compressed. sha256 is the content's SHA-256
// (hex), as the manifest is to list it: since the content does not pass
// through the Writer as it is, the caller vouches for it (a vault knows
// each original's checksum from its import), and [Reader.Open] checks it
// when the backup is read.
func (w *Writer) CreateDeflated(name string, modified time.Time, sha256 string) (*DeflatedFile, error) {
	if err := w.finish(); err != nil {
		return nil, err
	}
	if err := w.claim(name); err != nil {
		return nil, err
	}
	fh := rawHeader(name, modified)
	zf, err := w.zip.CreateRaw(fh)
	if err != nil {
		return nil, err
	}
	w.raw = &DeflatedFile{zw: zf, fh: fh, path: name, sum: sha256}
	return w.raw, nil
}

// WriteBlocks appends a piece of DEFLATE (RFC 1951, raw): blocks with no
// final block among them, the last ending on a byte boundary (as a sync
// flush ends them), that refer to nothing before the piece. crc and n are
// the CRC-32 (IEEE) and length of the bytes it inflates to.
func (f *DeflatedFile) WriteBlocks(blocks []byte, crc uint32, n int64) error {
	if f.err != nil {
		return f.err
	}
	if _, err := f.zw.Write(blocks); err != nil {
		f.err = err
		return err
	}
	f.comp += int64(len(blocks))
	f.crc = crc32Combine(f.crc, crc, n)
	f.size += n
	return nil
}

// Write appends plain bytes, as stored (uncompressed) DEFLATE blocks.
func (f *DeflatedFile) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	written := 0
	for len(p) > 0 {
		k := min(len(p), 0xffff)
		var head [5]byte // BFINAL 0, BTYPE 00, padding; LEN, NLEN
		binary.LittleEndian.PutUint16(head[1:], uint16(k))
		binary.LittleEndian.PutUint16(head[3:], ^uint16(k))
		if _, err := f.zw.Write(head[:]); err != nil {
			f.err = err
			return written, err
		}
		if _, err := f.zw.Write(p[:k]); err != nil {
			f.err = err
			return written, err
		}
		f.crc = crc32.Update(f.crc, crc32.IEEETable, p[:k])
		f.size += int64(k)
		f.comp += int64(len(head) + k)
		written += k
		p = p[k:]
	}
	return written, nil
}

// Size is how many bytes of content have been written so far.
func (f *DeflatedFile) Size() int64 { return f.size }

// finish ends the DEFLATE stream and completes the zip entry's header,
// which archive/zip writes (in the data descriptor and the central
// directory) when the next file is created or the archive is closed.
func (f *DeflatedFile) finish() (File, error) {
	if f.err != nil {
		return File{}, f.err
	}
	if _, err := f.zw.Write(finalBlock); err != nil {
		return File{}, err
	}
	f.comp += int64(len(finalBlock))
	fh := f.fh
	fh.CRC32 = f.crc
	fh.CompressedSize64, fh.UncompressedSize64 = uint64(f.comp), uint64(f.size)
	fh.CompressedSize = uint32(min(fh.CompressedSize64, uint32max))
	fh.UncompressedSize = uint32(min(fh.UncompressedSize64, uint32max))
	if fh.CompressedSize64 >= uint32max || fh.UncompressedSize64 >= uint32max {
		fh.ReaderVersion = 45 // ZIP64
	}
	return File{Path: f.path, SHA256: f.sum, Size: f.size}, nil
}

const uint32max = 1<<32 - 1

// finalBlock is an empty final DEFLATE block with the fixed codes.
var finalBlock = []byte{0x03, 0x00}

// rawHeader is the header archive/zip's CreateHeader would make for a
// deflated file at name modified then, for CreateRaw, which leaves the
// header as it is given: a data descriptor (the sizes and CRC-32 are
// known only at the end), the UTF-8 flag for a name that needs it, the
// MS-DOS time and the extended timestamp.
func rawHeader(name string, modified time.Time) *zip.FileHeader {
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, Flags: 0x8, CreatorVersion: 20, ReaderVersion: 20}
	if needsUTF8(name) {
		fh.Flags |= 0x800
	}
	if !modified.IsZero() {
		t := modified.UTC()
		fh.Modified = t
		fh.ModifiedDate = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
		fh.ModifiedTime = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
		var ext [9]byte
		binary.LittleEndian.PutUint16(ext[0:], 0x5455) // extended timestamp
		binary.LittleEndian.PutUint16(ext[2:], 5)
		ext[4] = 1 // the modification time
		binary.LittleEndian.PutUint32(ext[5:], uint32(t.Unix()))
		fh.Extra = ext[:]
	}
	return fh
}

// needsUTF8 reports a valid UTF-8 name with characters outside what
// CP-437 and ASCII share (archive/zip's rule).
func needsUTF8(s string) bool {
	need := false
	for _, r := range s {
		if r == utf8.RuneError {
			return false
		}
		if r < 0x20 || r > 0x7d || r == 0x5c {
			need = true
		}
	}
	return need
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from the
// CRC-32s of A and of B and B's length: A's CRC run on through len2
// zero bytes, by the linear operator of one zero bit squared up to the
// powers of two len2 is made of, then B's CRC added (the pre- and
// post-conditioning of both cancel out).
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1 ^ crc2
	}
	// odd: one zero bit, as a 32×32 matrix over GF(2) (column i is the
	// image of bit i).
	var odd, even gf2Matrix
	odd[0] = crc32.IEEE
	for i := 1; i < 32; i++ {
		odd[i] = 1 << (i - 1)
	}
	even.square(&odd) // two zero bits
	odd.square(&even) // four
	for {
		even.square(&odd) // eight, sixteen, ... zero bits: one byte, two, ...
		if len2&1 != 0 {
			crc1 = even.times(crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
		odd.square(&even)
		if len2&1 != 0 {
			crc1 = odd.times(crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

type gf2Matrix [32]uint32

func (m *gf2Matrix) times(v uint32) uint32 {
	var sum uint32
	for i := 0; v != 0; i, v = i+1, v>>1 {
		if v&1 != 0 {
			sum ^= m[i]
		}
	}
	return sum
}

// square sets m to a·a.
func (m *gf2Matrix) square(a *gf2Matrix) {
	for i := range m {
		m[i] = a.times(a[i])
	}
}
