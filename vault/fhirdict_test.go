package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// TestFHIRDictionary_Pinned: the compression dictionary is part of the
// vault format (values written against it are read against it), so it
// must never change; a better dictionary needs a new flag and this one
// kept. This pins its bytes.
func TestFHIRDictionary_Pinned(t *testing.T) {
	const want = "f5fec850603a48fdf810ecc7e3642590cc93006fd6e9baeec70718b349a5b639"
	sum := sha256.Sum256([]byte(fhirDictionary))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("the compression dictionary changed (sha256 %s, %d bytes): every stored value written with it would no longer open", got, len(fhirDictionary))
	}
}
