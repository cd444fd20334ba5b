package archive

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/kinfolio/kinfolio/importers"
)

// BenchmarkAppleExport reads a generated 64 MiB export.xml held in memory
// through the registry, as `kin import export.xml` does: sniffing, the
// streaming parse, daily summaries and the content hash. MB/s is the
// figure to compare with the 50 MB/s target.
func BenchmarkAppleExport(b *testing.B) {
	data, err := io.ReadAll(newAppleGen(64 << 20))
	if err != nil {
		b.Fatal(err)
	}
	reg := importers.NewRegistry(New())
	in := &importers.Input{Name: "export.xml", Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := reg.Read(context.Background(), in, importers.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
