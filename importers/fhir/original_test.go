package fhir_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/fhir"
	"github.com/kinfolio/kinfolio/importers/fhir/fhirtest"
)

// A large file is not held twice: the batch streams its original from the
// file (byte order mark and all) and its resources are its own copies; a
// small one keeps the bytes it was read from.
func TestOriginal_LargeFileStreamed(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpus, "fhir-r4/synthea-smart-sandbox/Alberto_Atencio_fc712d1f-5a2e-4407-9c55-a2a2bad623c2.json"))
	if err != nil {
		t.Fatal(err)
	}
	big, err := fhirtest.LargeBundle([][]byte{src}, 6<<20)
	if err != nil {
		t.Fatal(err)
	}
	big = append([]byte("\xEF\xBB\xBF"), big...)
	path := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(path, big, 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := importers.PathInput(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fhir.New().Read(context.Background(), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Original != nil || b.OpenOriginal == nil {
		t.Fatalf("a %d MB file is held in the batch (%d bytes) rather than streamed", len(big)>>20, len(b.Original))
	}
	rc, err := b.OpenOriginal()
	if err != nil {
		t.Fatal(err)
	}
	kept, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(big)
	if string(kept) != string(big) || b.Source.SHA256 != hex.EncodeToString(sum[:]) || b.Source.Size != int64(len(big)) {
		t.Errorf("the original kept is not the file: %d bytes of %d, hash %s", len(kept), len(big), b.Source.SHA256)
	}
	n := 0
	for _, g := range b.Patients {
		n += len(g.Resources)
	}
	if n < 1000 {
		t.Errorf("only %d resources", n)
	}

	small, err := fhir.New().Read(context.Background(), importers.BytesInput("small.json", src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(small.Original) != string(src) {
		t.Error("a small file's original is not the bytes read")
	}
}
