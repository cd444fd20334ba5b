package pdf

import (
	"io"
	"testing"

	"github.com/kinfolio/kinfolio/internal/cputime"
)

// The speed targets: a visit summary of a person with 10,000 entries under
// 0.5 s, their full record under 3 s. Besides wall time the benchmarks
// report the CPU time per printout (cpu-ms/op), which other work on a
// shared machine does not inflate.

func benchmarkPrintout(b *testing.B, k Kind) {
	in := bigPerson(10_000)
	b.ReportAllocs()
	start := cputime.Process()
	n := 0
	for b.Loop() {
		if err := Write(io.Discard, k, in, Options{}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cputime.Process()-start)/float64(n)/1e6, "cpu-ms/op")
}

func BenchmarkVisitSummary10k(b *testing.B)  { benchmarkPrintout(b, KindSummary) }
func BenchmarkFullRecord10k(b *testing.B)    { benchmarkPrintout(b, KindFull) }
func BenchmarkEmergencyCard10k(b *testing.B) { benchmarkPrintout(b, KindCard) }
