package archive

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/kinfolio/kinfolio/importers/archive/archivetest"

	"github.com/kinfolio/kinfolio/importers"
)

// BenchmarkAppleExport reads a generated 64 MiB export.xml held in memory
// through the registry, as `kin import export.xml` does: sniffing, the
// streaming parse, daily summaries and the content hash. MB/s is the
// figure to compare with the 50 MB/s target.
func BenchmarkAppleExport(b *testing.B) {
	data, err := io.ReadAll(archivetest.NewAppleExport(64 << 20))
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

// BenchmarkAppleExportZip reads the same 64 MiB export.xml inside an
// export.zip, as the Health app hands it over: inflating is part of the
// cost. MB/s counts uncompressed bytes.
func BenchmarkAppleExportZip(b *testing.B) {
	data, err := io.ReadAll(archivetest.NewAppleExport(64 << 20))
	if err != nil {
		b.Fatal(err)
	}
	zipped := buildZip(b, zipPart{name: "apple_health_export/export.xml", data: data})
	reg := importers.NewRegistry(New())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := reg.Read(context.Background(), importers.BytesInput("export.zip", zipped), importers.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkXDM reads the conformant corpus XDM package with the real
// C-CDA reader.
func BenchmarkXDM(b *testing.B) {
	data := corpusFile(b, "xdm/direct-project/xd-common_samplexdm.zip")
	reg := registry()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Read(context.Background(), importers.BytesInput("xdm.zip", data), importers.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
