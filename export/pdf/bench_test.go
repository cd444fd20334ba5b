package pdf

import (
	"io"
	"testing"
)

// The speed targets: a visit summary of a person with 10,000 entries under
// 0.5 s, their full record under 3 s.

func benchmarkPrintout(b *testing.B, k Kind) {
	in := bigPerson(10_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, k, in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVisitSummary10k(b *testing.B)  { benchmarkPrintout(b, KindSummary) }
func BenchmarkFullRecord10k(b *testing.B)    { benchmarkPrintout(b, KindFull) }
func BenchmarkEmergencyCard10k(b *testing.B) { benchmarkPrintout(b, KindCard) }
