package vault

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
	"golang.org/x/crypto/chacha20poly1305"
)

// A chunk of an original file is sealed as flagDeflateChunk when deflating
// saves a sixteenth or more, else as flagRaw:
//
//	flagDeflateChunk ‖ CRC-32 (IEEE) ‖ length ‖ DEFLATE
//
// with the CRC-32 and the length of the chunk as it is, each 4 bytes
// big-endian. The DEFLATE part is raw (RFC 1951) with no dictionary and refers to
// nothing before the chunk; it ends with a sync flush (an empty stored
// block, so on a byte boundary) instead of a final block. Such chunks laid
// one after another, then one empty final block ([finalBlock]), are one
// valid DEFLATE stream of the whole file, and the CRC-32s combine into the
// file's: a backup copies them into its zip as they are, without
// inflating or compressing anything (see [backup.DeflatedFile]). Read on its own, a chunk is inflated with
// finalBlock after it and checked against its CRC-32 and length.

// chunkLevel is how hard chunks are compressed: the fastest of
// github.com/klauspost/compress (plain DEFLATE out), about 2.5 times as
// fast as the dictionary deflater on a megabyte of JSON, and a little
// smaller, since the dictionary hardly helps so much text.
const chunkLevel = flate.BestSpeed

// chunkHeader is the flag, the CRC-32 and the length.
const chunkHeader = 1 + 4 + 4

// finalBlock is an empty final DEFLATE block with the fixed codes.
var finalBlock = []byte{0x03, 0x00}

// errChunkCRC is the cause of a chunk that inflates to other bytes than
// its CRC-32 and length say.
var errChunkCRC = errors.New("a part of an original file does not match its checksum")

// chunkDeflater compresses chunks into a buffer it keeps.
type chunkDeflater struct {
	fw  *flate.Writer
	out appendWriter
}

type appendWriter struct{ b []byte }

func (a *appendWriter) Write(p []byte) (int, error) { a.b = append(a.b, p...); return len(p), nil }

var chunkDeflaters = sync.Pool{New: func() any {
	d := new(chunkDeflater)
	d.fw, _ = flate.NewWriter(&d.out, chunkLevel)
	return d
}}

// sealChunk seals a chunk of an original file as described above.
func (s *sealer) sealChunk(bucket string, key, plain []byte) []byte {
	d := chunkDeflaters.Get().(*chunkDeflater)
	defer chunkDeflaters.Put(d)
	inner := append(d.out.b[:0], flagRaw)
	n := len(plain)
	if n >= compressMin {
		inner = append(inner[:0], flagDeflateChunk)
		inner = binary.BigEndian.AppendUint32(inner, crc32.ChecksumIEEE(plain))
		inner = binary.BigEndian.AppendUint32(inner, uint32(n))
		d.out.b = inner
		d.fw.Reset(&d.out)
		d.fw.Write(plain) // appendWriter never fails
		d.fw.Flush()
		inner = d.out.b
	}
	if n < compressMin || len(inner)-chunkHeader >= n-n/16 {
		inner = append(append(inner[:0], flagRaw), plain...)
	}
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(inner)+s.aead.Overhead())
	sealed := s.sealInto(out, inner, bucket, key)
	if cap(inner) <= 4*chunkSize {
		d.out.b = inner[:0] // kept for the next chunk
	} else {
		d.out.b = nil
	}
	return sealed
}

// chunkStream reads a flagDeflateChunk value's DEFLATE blocks, then
// [finalBlock], as one stream an inflater reads to its end.
type chunkStream struct{ p, tail []byte }

func (c *chunkStream) reset(p []byte) { c.p, c.tail = p, finalBlock }

func (c *chunkStream) Read(b []byte) (int, error) {
	if len(c.p) == 0 {
		c.p, c.tail = c.tail, nil
		if len(c.p) == 0 {
			return 0, io.EOF
		}
	}
	n := copy(b, c.p)
	c.p = c.p[n:]
	return n, nil
}

func (c *chunkStream) ReadByte() (byte, error) {
	if len(c.p) == 0 {
		c.p, c.tail = c.tail, nil
		if len(c.p) == 0 {
			return 0, io.EOF
		}
	}
	b := c.p[0]
	c.p = c.p[1:]
	return b, nil
}

// chunkParts splits a flagDeflateChunk value's plaintext (flag included)
// into its CRC-32, length and DEFLATE blocks; ok is false when it is too
// short.
func chunkParts(inner []byte) (crc uint32, n int, blocks []byte, ok bool) {
	if len(inner) < chunkHeader {
		return 0, 0, nil, false
	}
	return binary.BigEndian.Uint32(inner[1:]), int(binary.BigEndian.Uint32(inner[5:])), inner[chunkHeader:], true
}

// checkChunk checks an inflated chunk against its CRC-32 and length.
func checkChunk(plain []byte, crc uint32, n int) error {
	if len(plain) != n || crc32.ChecksumIEEE(plain) != crc {
		return fmt.Errorf("%w: %w", ErrDamaged, errChunkCRC)
	}
	return nil
}
