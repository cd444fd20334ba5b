package vault

import (
	"bytes"
	"compress/flate"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
)

// keySize is the length of the vault key: 256 bits.
const keySize = chacha20poly1305.KeySize

// Plaintext flags, the first byte inside every sealed value.
const (
	flagRaw     = 0
	flagDeflate = 1 // deflate without a dictionary (read only: no longer written)
	// flagDeflateDict: deflate primed with [fhirDictionary].
	flagDeflateDict = 2
	// flagDeflateChunk: a chunk of an original file, CRC-32 then DEFLATE
	// laid out to be copied into a backup as it is (see chunk.go).
	flagDeflateChunk = 3
)

// compressMin is the size from which a value is worth trying to compress.
const compressMin = 256

// sealer seals and opens the vault's values with one vault key. A sealed
// value is nonce ‖ XChaCha20-Poly1305(flag ‖ payload) with associated data
// binding it to the vault, its bucket, its key and the format version.
type sealer struct {
	aead    cipher.AEAD
	vaultID []byte
	// resKey derives the storage keys of resources (see resourceKey).
	resKey []byte
	// keyMACs are HMACs keyed with resKey, ready for use again.
	keyMACs sync.Pool
}

func newSealer(key, vaultID []byte) (*sealer, error) {
	if len(key) != keySize {
		return nil, fmt.Errorf("%w: vault key of %d bytes", ErrDamaged, len(key))
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("kinfolio vault resource keys v1"))
	return &sealer{aead: aead, vaultID: vaultID, resKey: m.Sum(nil)}, nil
}

// aad is the associated data of a value: a label, the vault id, the bucket
// name, the key and the format version, each length-prefixed.
func (s *sealer) aad(bucket string, key []byte) []byte {
	return s.appendAAD(make([]byte, 0, 16+len(s.vaultID)+len(bucket)+len(key)+8), bucket, key)
}

// appendAAD appends [sealer.aad] to b.
func (s *sealer) appendAAD(b []byte, bucket string, key []byte) []byte {
	b = append(b, "kinfolio"...)
	b = binary.AppendUvarint(b, uint64(len(s.vaultID)))
	b = append(b, s.vaultID...)
	b = binary.AppendUvarint(b, uint64(len(bucket)))
	b = append(b, bucket...)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = binary.BigEndian.AppendUint16(b, formatVersion)
	return b
}

// fhirDict is [fhirDictionary] as bytes, shared read-only.
var fhirDict = []byte(fhirDictionary)

var flateReaders = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// seal returns a freshly allocated sealed value (bbolt keeps a reference to
// it until the transaction commits, so it is never reused). Values from
// compressMin bytes are deflated against the dictionary ([deflateDict])
// when that saves a sixteenth or more; chunks of original files (bucket
// blobs) are sealed by [sealer.sealChunk].
func (s *sealer) seal(bucket string, key, plain []byte) []byte {
	return s.sealParts(bucket, key, plain, nil)
}

// sealParts seals the plaintext head followed by tail, as [sealer.seal]
// seals their concatenation.
func (s *sealer) sealParts(bucket string, key, head, tail []byte) []byte {
	if bucket == bucketBlobs && len(tail) == 0 {
		return s.sealChunk(bucket, key, head) // laid out for backups
	}
	n := len(head) + len(tail)
	scratch := scratches.Get().(*[]byte)
	defer scratches.Put(scratch)
	inner := append((*scratch)[:0], flagDeflateDict)
	if n >= compressMin {
		inner = deflateDict(inner, head, tail)
	}
	if n < compressMin || len(inner)-1 >= n-n/16 {
		inner = append(append(append(inner[:0], flagRaw), head...), tail...)
	}
	if cap(inner) <= 1<<18 {
		*scratch = inner // kept for the next value; a large one's is let go
	}
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(inner)+s.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic("vault: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	return s.aead.Seal(out, out, inner, s.aad(bucket, key))
}

// scratches are buffers for the plaintext of values being sealed (the
// sealed value is allocated at its exact size).
var scratches = sync.Pool{New: func() any { return new([]byte) }}

// sealRaw seals a value without trying to compress it (for small values
// read often, such as entries).
func (s *sealer) sealRaw(bucket string, key, plain []byte) []byte {
	inner := make([]byte, 0, 1+len(plain))
	inner = append(inner, flagRaw)
	inner = append(inner, plain...)
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(inner)+s.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic("vault: no randomness: " + err.Error())
	}
	return s.aead.Seal(out, out, inner, s.aad(bucket, key))
}

// sealInto seals inner into out, which holds room for the nonce
// (its length) and capacity for the rest.
func (s *sealer) sealInto(out, inner []byte, bucket string, key []byte) []byte {
	if _, err := rand.Read(out); err != nil {
		panic("vault: no randomness: " + err.Error())
	}
	return s.aead.Seal(out, out, inner, s.aad(bucket, key))
}

// errUnsealed is the cause of a value that fails to open.
var errUnsealed = errors.New("a stored value fails its integrity check")

// open returns the plaintext of a sealed value, or an error wrapping
// [ErrDamaged] when it was altered, moved, swapped or truncated.
func (s *sealer) open(bucket string, key, sealed []byte) ([]byte, error) {
	return s.openInto(nil, bucket, key, sealed)
}

// openInto is open decrypting into dst's memory when it is large enough;
// the result may then alias dst.
func (s *sealer) openInto(dst []byte, bucket string, key, sealed []byte) ([]byte, error) {
	ns := chacha20poly1305.NonceSizeX
	if len(sealed) < ns+s.aead.Overhead()+1 {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
	}
	inner, err := s.aead.Open(dst[:0], sealed[:ns], sealed[ns:], s.aad(bucket, key))
	if err != nil || len(inner) == 0 {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
	}
	switch inner[0] {
	case flagRaw:
		return inner[1:], nil
	case flagDeflate, flagDeflateDict:
		var dict []byte
		if inner[0] == flagDeflateDict {
			dict = fhirDict
		}
		r := flateReaders.Get().(io.ReadCloser)
		defer flateReaders.Put(r)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(inner[1:]), dict); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		return out, nil
	case flagDeflateChunk:
		crc, size, blocks, ok := chunkParts(inner)
		if !ok {
			return nil, fmt.Errorf("%w: %w", ErrDamaged, errUnsealed)
		}
		var cs chunkStream
		cs.reset(blocks)
		r := flateReaders.Get().(io.ReadCloser)
		defer flateReaders.Put(r)
		if err := r.(flate.Resetter).Reset(&cs, nil); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if err := checkChunk(out, crc, size); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: unknown value encoding", ErrDamaged)
}

// resourceKey is the storage key of a resource: the first 8 bytes of its
// source's id, then 12 bytes of a keyed hash of source, type and id. A
// resource is found without an index; its key reveals nothing to anyone
// without the vault key but which source it belongs to; and one import's
// resources sit side by side in the tree, so its pages are filled densely.
func (s *sealer) resourceKey(source, typ, id string) []byte {
	m, _ := s.keyMACs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, s.resKey)
	}
	var buf [binary.MaxVarintLen64 + 64]byte
	for _, part := range [3]string{source, typ, id} {
		b := binary.AppendUvarint(buf[:0], uint64(len(part)))
		if len(part) <= len(buf)-len(b) {
			m.Write(append(b, part...))
		} else {
			m.Write(b)
			io.WriteString(m, part)
		}
	}
	// The source's first 8 bytes when it is one of ours ([idKey]), else
	// zeros; the MAC's sum is appended in place.
	k := make([]byte, 8, 8+sha256.Size)
	if len(source) == 32 && isHex(source) {
		hex.Decode(k, []byte(source[:16]))
	}
	k = m.Sum(k)[:20]
	m.Reset()
	s.keyMACs.Put(m)
	return k[:20:20]
}

// isHex reports whether s is all hex digits, as [hex.DecodeString] reads
// them.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// newID returns a random opaque identifier: 16 bytes, hex encoded as 32
// characters where it is shown.
func newID() []byte {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("vault: no randomness: " + err.Error())
	}
	return b
}

// newIDNear returns an identifier that starts like the id near (8 bytes)
// and ends randomly: the entries one import adds sit side by side in the
// tree, so they fill its pages densely.
func newIDNear(near string) string {
	b := newID()
	if k, ok := idKey(near); ok {
		copy(b, k[:8])
	}
	return fmtID(b)
}
