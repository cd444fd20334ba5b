package vault

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"errors"
	"hash/crc32"
	"io"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// chunkInputs are chunks of the kinds originals are made of.
func chunkInputs(t *testing.T) map[string][]byte {
	t.Helper()
	noise := make([]byte, 300_000)
	rand.Read(noise)
	var bundle []byte
	for _, v := range corpusValues(t) {
		bundle = append(bundle, v...)
		if len(bundle) >= chunkSize {
			break
		}
	}
	return map[string][]byte{
		"empty":        {},
		"small":        []byte(`{"resourceType":"Patient"}`),
		"json":         bundle[:min(len(bundle), chunkSize)],
		"noise":        noise,
		"repetitive":   bytes.Repeat([]byte("<component><section>"), chunkSize/20),
		"mostly noise": append(bytes.Repeat([]byte("a"), 5000), noise...),
	}
}

// TestSealChunk: chunks of originals read back byte for byte through every
// way the vault reads them, and the compressible ones are laid out as
// flagDeflateChunk: their blocks, one after another and then a final
// block, are a DEFLATE stream any inflater reads, with the CRC-32 stored.
func TestSealChunk(t *testing.T) {
	s, err := newSealer(bytes.Repeat([]byte{7}, keySize), []byte("vault-id"))
	if err != nil {
		t.Fatal(err)
	}
	o := &opener{s: s}
	var stream, want []byte
	for name, plain := range chunkInputs(t) {
		key := blobKey(make([]byte, 16), 3)
		sealed := s.seal(bucketBlobs, key, plain)
		got, err := s.open(bucketBlobs, key, sealed)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%s: open gave %d bytes, %v", name, len(got), err)
		}
		got, err = o.open(bucketBlobs, key, sealed)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%s: opener gave %d bytes, %v", name, len(got), err)
		}
		data, crc, n, deflated, err := o.openChunk(bucketBlobs, key, sealed)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		compressible := name == "json" || name == "repetitive"
		if deflated != compressible {
			t.Errorf("%s: deflated = %v", name, deflated)
		}
		if !deflated {
			if !bytes.Equal(data, plain) {
				t.Errorf("%s: openChunk gave other bytes", name)
			}
			continue
		}
		if n != len(plain) {
			t.Errorf("%s: length %d, want %d", name, n, len(plain))
		}
		if crc != crc32.ChecksumIEEE(plain) {
			t.Errorf("%s: CRC-32 %08x, want %08x", name, crc, crc32.ChecksumIEEE(plain))
		}
		if len(data) >= len(plain)/4 {
			t.Errorf("%s: %d bytes deflated to %d", name, len(plain), len(data))
		}
		stream = append(stream, data...)
		want = append(want, plain...)
	}
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(append(stream, finalBlock...))))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("the chunks' blocks in a row inflate to %d bytes (%v), want %d", len(got), err, len(want))
	}
}

// TestSealChunk_Damaged: a chunk whose DEFLATE blocks are not what its
// CRC-32 says fails to open with ErrDamaged, however it is read.
func TestSealChunk_Damaged(t *testing.T) {
	s, err := newSealer(bytes.Repeat([]byte{7}, keySize), []byte("vault-id"))
	if err != nil {
		t.Fatal(err)
	}
	key := blobKey(make([]byte, 16), 0)
	plain := bytes.Repeat([]byte("<entry><observation/></entry>"), 1000)
	sealed := s.seal(bucketBlobs, key, plain)
	ns := chacha20poly1305.NonceSizeX
	inner, err := s.aead.Open(nil, sealed[:ns], sealed[ns:], s.aad(bucketBlobs, key))
	if err != nil || inner[0] != flagDeflateChunk {
		t.Fatalf("not a deflated chunk: %v", err)
	}
	inner[1] ^= 1 // the stored CRC-32
	out := make([]byte, ns, ns+len(inner)+s.aead.Overhead())
	bad := s.sealInto(out, inner, bucketBlobs, key)
	if _, err := s.open(bucketBlobs, key, bad); !errors.Is(err, ErrDamaged) || !errors.Is(err, errChunkCRC) {
		t.Errorf("open: %v", err)
	}
	o := &opener{s: s}
	if _, err := o.open(bucketBlobs, key, bad); !errors.Is(err, ErrDamaged) || !errors.Is(err, errChunkCRC) {
		t.Errorf("opener: %v", err)
	}
	inner[1] ^= 1
	inner[8] ^= 1 // the stored length
	bad = s.sealInto(make([]byte, ns, ns+len(inner)+s.aead.Overhead()), inner, bucketBlobs, key)
	if _, err := o.open(bucketBlobs, key, bad); !errors.Is(err, ErrDamaged) || !errors.Is(err, errChunkCRC) {
		t.Errorf("opener of a wrong length: %v", err)
	}
	inner[8] ^= 1
	inner[chunkHeader:][0] ^= 0xff // the blocks themselves
	bad = s.sealInto(make([]byte, ns, ns+len(inner)+s.aead.Overhead()), inner, bucketBlobs, key)
	if _, err := s.open(bucketBlobs, key, bad); !errors.Is(err, ErrDamaged) {
		t.Errorf("open of broken blocks: %v", err)
	}
	if _, err := o.open(bucketBlobs, key, bad); !errors.Is(err, ErrDamaged) {
		t.Errorf("opener of broken blocks: %v", err)
	}
}
