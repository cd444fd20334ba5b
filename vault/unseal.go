package vault

import (
	"bytes"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/klauspost/compress/flate"
)

// opener opens sealed values into buffers it keeps, for reading many
// values in a row (a backup, an export) without allocating for each: the
// plaintext it returns is valid until its next call.
type opener struct {
	s       *sealer
	cipher  []byte // the decrypted value
	plain   bytes.Buffer
	inflate io.ReadCloser
	src     bytes.Reader
	chunk   chunkStream
	ad      []byte // the additional data of the value being opened
}

// open is [sealer.open] into the opener's buffers.
func (o *opener) open(bucket string, key, sealed []byte) ([]byte, error) {
	ns := chacha20poly1305.NonceSizeX
	if len(sealed) < ns+o.s.aead.Overhead()+1 {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
	}
	o.ad = o.s.appendAAD(o.ad[:0], bucket, key)
	inner, err := o.s.aead.Open(o.cipher[:0], sealed[:ns], sealed[ns:], o.ad)
	if err != nil || len(inner) == 0 {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
	}
	o.cipher = inner
	return o.decode(inner)
}

// decode returns the plaintext of a value's decrypted content.
func (o *opener) decode(inner []byte) ([]byte, error) {
	switch inner[0] {
	case flagRaw:
		return inner[1:], nil
	case flagDeflate, flagDeflateDict:
		var dict []byte
		if inner[0] == flagDeflateDict {
			dict = fhirDict
		}
		o.src.Reset(inner[1:])
		if o.inflate == nil {
			o.inflate = flate.NewReaderDict(&o.src, dict)
		} else if err := o.inflate.(flate.Resetter).Reset(&o.src, dict); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		o.plain.Reset()
		if _, err := o.plain.ReadFrom(o.inflate); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		return o.plain.Bytes(), nil
	case flagDeflateChunk:
		crc, size, blocks, ok := chunkParts(inner)
		if !ok {
			return nil, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
		}
		o.chunk.reset(blocks)
		if o.inflate == nil {
			o.inflate = flate.NewReader(&o.chunk)
		} else if err := o.inflate.(flate.Resetter).Reset(&o.chunk, nil); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		o.plain.Reset()
		if _, err := o.plain.ReadFrom(o.inflate); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if err := checkChunk(o.plain.Bytes(), crc, size); err != nil {
			return nil, err
		}
		return o.plain.Bytes(), nil
	}
	return nil, fmt.Errorf("%w: unknown value encoding", ErrDamaged)
}

// openChunk opens a chunk of an original file for a backup, which copies
// a flagDeflateChunk value's DEFLATE blocks as they are: for such a value
// it returns the blocks, and the CRC-32 and length of the chunk they
// inflate to, with deflated true, without inflating them; for any other
// value, its plaintext as [opener.open] does (n its length). The result is
// valid until the opener's next call.
func (o *opener) openChunk(bucket string, key, sealed []byte) (data []byte, crc uint32, n int, deflated bool, err error) {
	ns := chacha20poly1305.NonceSizeX
	if len(sealed) < ns+o.s.aead.Overhead()+1 {
		return nil, 0, 0, false, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
	}
	o.ad = o.s.appendAAD(o.ad[:0], bucket, key)
	inner, err := o.s.aead.Open(o.cipher[:0], sealed[:ns], sealed[ns:], o.ad)
	if err != nil || len(inner) == 0 {
		return nil, 0, 0, false, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
	}
	o.cipher = inner
	if inner[0] != flagDeflateChunk {
		data, err := o.decode(inner)
		return data, 0, len(data), false, err
	}
	crc, n, blocks, ok := chunkParts(inner)
	if !ok {
		return nil, 0, 0, false, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
	}
	return blocks, crc, n, true, nil
}
