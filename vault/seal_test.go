package vault

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"testing"
)

// TestResourceKey_Stable: a resource's storage key is what vaults already
// on disk were written with: the source id's first 8 bytes (zeros for a
// source id that is not one of ours) and 12 bytes of the HMAC of the
// length-prefixed source, type and id.
func TestResourceKey_Stable(t *testing.T) {
	s, err := newSealer(bytes.Repeat([]byte{7}, 32), []byte("vault-id"))
	if err != nil {
		t.Fatal(err)
	}
	want := func(source, typ, id string) []byte {
		m := hmac.New(sha256.New, s.resKey)
		for _, p := range []string{source, typ, id} {
			m.Write(binary.AppendUvarint(nil, uint64(len(p))))
			m.Write([]byte(p))
		}
		k := make([]byte, 8)
		if b, err := hex.DecodeString(source); err == nil && len(b) == 16 {
			copy(k, b)
		}
		return append(k, m.Sum(nil)[:12]...)
	}
	id := fmtID(newID())
	for _, c := range [][3]string{
		{id, "Observation", "obs-1"},
		{strings.ToUpper(id), "Patient", ""},
		{id[:31] + "g", "Patient", "p"},
		{id + "00", "Patient", "p"},
		{"not-an-id", "Condition", "c"},
		{"", "", ""},
		{id, "Binary", strings.Repeat("long id ", 40)},
	} {
		got := s.resourceKey(c[0], c[1], c[2])
		if w := want(c[0], c[1], c[2]); !bytes.Equal(got, w) || len(got) != 20 || cap(got) != 20 {
			t.Errorf("%q: %x, want %x", c, got, w)
		}
	}
}
