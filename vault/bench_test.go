package vault_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/internal/cputime"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// labCodes are the tests the generated records use.
var labCodes = []struct{ code, name, unit string }{
	{"2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL"},
	{"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%"},
	{"2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL"},
	{"8867-4", "Heart rate", "/min"},
	{"29463-7", "Body Weight", "kg"},
	{"8302-2", "Body Height", "cm"},
	{"718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL"},
	{"2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL"},
}

// generatedBatch is a FHIR R4 file of n observations of one patient, each
// a distinct fact (no two merge), about the size of real ones.
func generatedBatch(n int, seed uint64) (*record.Batch, int) {
	rng := mrand.New(mrand.NewPCG(seed, 9))
	patient, _ := record.ParseResource([]byte(`{"resourceType":"Patient","id":"p","name":[{"family":"Testperson","given":["Generated"]}],"birthDate":"1970-01-01","identifier":[{"system":"urn:test","value":"bench"}]}`))
	p, _ := record.Decode[record.Patient](patient)
	var all bytes.Buffer
	rs := make([]record.Resource, n)
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rs {
		c := labCodes[rng.IntN(len(labCodes))]
		cat := "laboratory"
		if c.code == "8867-4" || c.code == "29463-7" || c.code == "8302-2" {
			cat = "vital-signs"
		}
		when := start.Add(time.Duration(i)*37*time.Minute + time.Duration(seed)*time.Second).Format(time.RFC3339)
		js := fmt.Sprintf(`{"resourceType":"Observation","id":"obs-%d-%d","meta":{"lastUpdated":"2024-01-02T03:04:05Z"},"status":"final",`+
			`"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"%s","display":"%s"}]}],`+
			`"code":{"coding":[{"system":"http://loinc.org","code":"%s","display":"%s"}],"text":"%s"},`+
			`"subject":{"reference":"Patient/p"},"effectiveDateTime":"%s","issued":"%s",`+
			`"valueQuantity":{"value":%.2f,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"},`+
			`"referenceRange":[{"low":{"value":%d,"unit":"%s"},"high":{"value":%d,"unit":"%s"}}]}`,
			seed, i, cat, cat, c.code, c.name, c.name, when, when, 10+rng.Float64()*150, c.unit, c.unit, 10+rng.IntN(20), c.unit, 100+rng.IntN(50), c.unit)
		rs[i], _ = record.ParseResource([]byte(js))
		all.WriteString(js)
		all.WriteByte('\n')
	}
	size := all.Len()
	return &record.Batch{
		Source:   record.Source{File: fmt.Sprintf("generated-%d.ndjson", seed), Format: "fhir-ndjson"},
		Original: all.Bytes(),
		Patients: []record.PatientRecords{{Patient: &patient, Person: record.PersonFromPatient(p), Resources: rs}},
	}, size
}

// reportCPU adds the CPU time per operation since start to b's results.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cputime.Process()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// big100k is a closed vault of 100,000 resources, built once per run.
var big100k struct {
	once sync.Once
	path string
	json int
	err  error
}

func bigVault(b *testing.B) string {
	big100k.once.Do(func() {
		dir, err := os.MkdirTemp("", "kinfolio-bench")
		if err != nil {
			big100k.err = err
			return
		}
		big100k.path = filepath.Join(dir, "vault.kinfolio")
		v, err := vault.Create(big100k.path, vaulttest.Passphrase, vaulttest.Options())
		if err != nil {
			big100k.err = err
			return
		}
		for i := range 10 {
			batch, size := generatedBatch(10_000, uint64(i))
			big100k.json += size
			if _, err := v.Import(context.Background(), batch, vault.ImportOptions{}); err != nil {
				big100k.err = err
				return
			}
		}
		big100k.err = v.Close()
	})
	if big100k.err != nil {
		b.Fatal(big100k.err)
	}
	return big100k.path
}

// BenchmarkImport10k imports a 10,000-resource file into an empty vault and
// reports the file size against the resources' JSON.
func BenchmarkImport10k(b *testing.B) {
	dir := b.TempDir()
	var ratio float64
	var cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		batch, size := generatedBatch(10_000, 1)
		path := filepath.Join(dir, fmt.Sprintf("v%d.kinfolio", i))
		v, err := vault.Create(path, vaulttest.Passphrase, vaulttest.Options())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c := cputime.Process()
		if _, err := v.Import(context.Background(), batch, vault.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Process() - c
		b.StopTimer()
		v.Close()
		ratio = float64(vault.UsedBytesForTest(path)) / float64(size)
		os.Remove(path)
		b.StartTimer()
	}
	b.ReportMetric(ratio, "file/json")
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkUnlock100k opens a vault of 100,000 resources: everything but
// the key derivation (the test work factor makes that negligible), that
// is, reading and decrypting the index and building the search index.
func BenchmarkUnlock100k(b *testing.B) {
	path := bigVault(b)
	fi, _ := os.Stat(path)
	b.ReportMetric(float64(vault.UsedBytesForTest(path))/float64(big100k.json), "file/json")
	b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
	start := cputime.Process()
	for b.Loop() {
		v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
		if err != nil {
			b.Fatal(err)
		}
		v.Close()
	}
	reportCPU(b, start)
}

func BenchmarkSearch100k(b *testing.B) {
	v, err := vault.Open(bigVault(b), vault.Passphrase(vaulttest.Passphrase), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	for _, q := range []string{"4548-4", "glucose serum", "chol", "heart rate 2000"} {
		b.Run(q, func(b *testing.B) {
			runtime.GC() // the garbage of building the vault is not the search's
			n := 0
			start := cputime.Process()
			for b.Loop() {
				hits, err := v.Search("", q)
				if err != nil {
					b.Fatal(err)
				}
				n = len(hits)
			}
			reportCPU(b, start)
			b.ReportMetric(float64(n), "hits")
		})
	}
}

func BenchmarkVerify100k(b *testing.B) {
	v, err := vault.Open(bigVault(b), vault.Passphrase(vaulttest.Passphrase), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	start := cputime.Process()
	for b.Loop() {
		if _, err := v.Verify(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkKDF measures unwrapping the vault key from the passphrase at the
// work factors Create calibrates between: the cost of one unlock.
func BenchmarkKDF(b *testing.B) {
	key := make([]byte, 32)
	rand.Read(key)
	for _, logN := range []int{17, 18, 19} {
		b.Run(fmt.Sprintf("logN=%d", logN), func(b *testing.B) {
			r, _ := age.NewScryptRecipient("passphrase")
			r.SetWorkFactor(logN)
			var buf bytes.Buffer
			w, _ := age.Encrypt(&buf, r)
			w.Write(key)
			w.Close()
			for b.Loop() {
				id, _ := age.NewScryptIdentity("passphrase")
				id.SetMaxWorkFactor(vault.MaxWorkFactor)
				rd, err := age.Decrypt(bytes.NewReader(buf.Bytes()), id)
				if err != nil {
					b.Fatal(err)
				}
				io.ReadAll(rd)
			}
		})
	}
}

// backupVault is what the vault of [BenchmarkBackup100k] holds: 100,000
// resources in 100 sources, with 200 MB of original files.
var backupVault struct{ json, originals int64 }

// realisticOriginal is size bytes of FHIR JSON like the corpus files,
// its digits scrambled per seed so no two originals are alike and they
// compress as real exports do.
func realisticOriginal(b *testing.B, size int, seed uint64) []byte {
	var base []byte
	for _, p := range []string{alberto, chauncey} {
		d, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		base = append(base, d...)
	}
	rng := mrand.New(mrand.NewPCG(seed, 7))
	out := make([]byte, 0, size)
	for len(out) < size {
		for _, c := range base {
			if c >= '0' && c <= '9' {
				c = byte('0' + rng.IntN(10))
			}
			out = append(out, c)
			if len(out) == size {
				break
			}
		}
	}
	return out
}

// backupBench builds the vault of [BenchmarkBackup100k] in a temporary
// folder removed when the benchmark ends.
func backupBench(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "vault.kinfolio")
	v, err := vault.Create(path, vaulttest.Passphrase, vaulttest.Options())
	if err != nil {
		b.Fatal(err)
	}
	backupVault.json, backupVault.originals = 0, 0
	for i := range 100 {
		batch, size := generatedBatch(1000, uint64(100+i))
		batch.Original = realisticOriginal(b, 2_000_000, uint64(i))
		batch.Source.File = fmt.Sprintf("clinic-export-%03d.json", i)
		backupVault.json += int64(size)
		backupVault.originals += int64(len(batch.Original))
		if _, err := v.Import(context.Background(), batch, vault.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := v.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkBackup100k writes a backup of a vault of 100,000 resources and
// 200 MB of originals to a file (fsynced), as kin backup does. MB/s counts
// the originals and the resources' JSON. See [benchBackups] for the other
// numbers it reports.
func BenchmarkBackup100k(b *testing.B) {
	path := backupBench(b) // b.Loop runs this function once
	v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	benchBackups(b, v, backupVault.json+backupVault.originals)
}

// benchBackups writes backups of v to files (fsynced) in b's loop, and
// reports, besides wall time per backup and MB/s of content (counted as
// the caller says):
//
//   - cpu-ms/op, the process's CPU time per backup, and MB/cpu-s, the
//     content per second of it: what other work on a shared machine does
//     not inflate;
//   - main-cpu-ms/op, the CPU time of the goroutine that calls Backup,
//     without the goroutines it starts: the part of the work that is done
//     one step after another;
//   - idle2-MB/s, the content over max(cpu/2, main-cpu): the wall time the
//     backup would take on two idle CPUs if the work the other goroutines
//     do overlapped perfectly with the calling goroutine's (a bound, not a
//     measurement);
//   - peak-heap-MB, the most the heap held while backups were written
//     (sampled every few milliseconds), and rest-heap-MB, what it held
//     before, with the vault open: the vault's own state.
func benchBackups(b *testing.B, v *vault.Vault, content int64) {
	b.SetBytes(content)
	dir := b.TempDir()
	runtime.GC()
	rest := heapObjects()
	stop, peak := sampleHeap()
	cpu := cputime.Process()
	var main time.Duration
	var size int64
	b.ResetTimer()
	for b.Loop() {
		f, err := os.CreateTemp(dir, "backup-*")
		if err != nil {
			b.Fatal(err)
		}
		// Labelled, so a CPU profile of the benchmark can be narrowed to
		// the backup (-tagfocus op=backup), goroutines it starts included.
		runtime.LockOSThread()
		t := cputime.Thread()
		pprof.Do(context.Background(), pprof.Labels("op", "backup"), func(context.Context) {
			_, err = v.Backup(f, vault.BackupOptions{})
		})
		main += cputime.Thread() - t
		runtime.UnlockOSThread()
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			b.Fatal(err)
		}
		fi, _ := f.Stat()
		size = fi.Size()
		f.Close()
		os.Remove(f.Name())
	}
	b.StopTimer()
	cpuPer := (cputime.Process() - cpu) / time.Duration(b.N)
	mainPer := main / time.Duration(b.N)
	stop()
	mb := float64(content) / 1e6
	b.ReportMetric(float64(cpuPer)/1e6, "cpu-ms/op")
	b.ReportMetric(mb/cpuPer.Seconds(), "MB/cpu-s")
	b.ReportMetric(float64(mainPer)/1e6, "main-cpu-ms/op")
	b.ReportMetric(mb/max(cpuPer/2, mainPer).Seconds(), "idle2-MB/s")
	b.ReportMetric(float64(*peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(rest)/1e6, "rest-heap-MB")
	b.ReportMetric(float64(size)/1e6, "file-MB")
}

// heapObjects is the memory the heap's objects take, garbage not yet
// collected included.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap records the largest [heapObjects] every 2 ms until stop is
// called (stop returns once the sampling has ended).
func sampleHeap() (stop func(), peak *uint64) {
	peak = new(uint64)
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			*peak = max(*peak, heapObjects())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-ended }, peak
}
