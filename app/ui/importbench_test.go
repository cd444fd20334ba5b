package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
	"github.com/kinfolio/kinfolio/importers/archive/archivetest"
)

// BenchmarkImportWindow_AppleExport imports a generated Apple Health
// export ($KINFOLIO_BENCH_APPLE_MB megabytes, default 1024; kept in the
// temp folder for the next run) from the window, the way an answered
// "Whose is it?" does, with the work really in the background. While it
// runs, a probe asks the window for something every 20 ms: a no-op (how
// long a call onto the window waits while the import keeps both cores
// busy) and the rail's read of the people (what a click on the window
// reads from the vault while the import writes). Fyne's test driver runs
// window calls on the caller's goroutine, not on one event loop, so the
// probe cannot build pages while the import draws; it also times each
// drawing of the progress (the window's own work per update). It reports
// the worst and the 99th percentile, the longest gap between drawings of
// the progress and between moves of its bar, and how long the report took
// to appear once the import had returned. Run it once:
//
//	go test -run x -bench ImportWindow -benchtime 1x ./app/ui
func BenchmarkImportWindow_AppleExport(b *testing.B) {
	mb := 1024
	if v, err := strconv.Atoi(os.Getenv("KINFOLIO_BENCH_APPLE_MB")); err == nil && v > 0 {
		mb = v
	}
	export := filepath.Join(os.TempDir(), fmt.Sprintf("kinfolio-ui-bench-apple-%dmb.xml", mb))
	if _, err := os.Stat(export); err != nil {
		f, err := os.Create(export)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(f, archivetest.NewAppleExport(int64(mb)<<20)); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	for range b.N {
		b.StopTimer()
		dir := b.TempDir()
		path := filepath.Join(dir, "vault.kinfolio")
		opts := apptest.Options()
		opts.Run = nil // the work goes to goroutines, as in the app
		s, err := app.Create(path, "correct horse battery staple", opts)
		if err != nil {
			b.Fatal(err)
		}
		ann, err := s.AddPerson(app.PersonDetails{Name: "Ann Lee"})
		if err != nil {
			b.Fatal(err)
		}
		a := test.NewTempApp(b)
		k := New(a, &Options{VaultPath: path, Session: opts, Clock: apptest.NewClock(apptest.Now)})
		k.win.Resize(testWindowSize)
		fyne.DoAndWait(func() { k.opened(s) })

		var mu sync.Mutex
		var paints, moves []time.Time
		lastFraction := -1.0
		var paintCost time.Duration
		k.work.paintHook = func(took time.Duration) {
			mu.Lock()
			paints = append(paints, time.Now())
			paintCost = max(paintCost, took)
			mu.Unlock()
		}
		k.work.progressHook = func(p app.Progress) {
			mu.Lock()
			if p.Fraction != lastFraction {
				lastFraction = p.Fraction
				moves = append(moves, time.Now())
			}
			mu.Unlock()
		}
		var noop, input []time.Duration
		stop := make(chan struct{})
		probed := make(chan struct{})
		go func() {
			defer close(probed)
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				t0 := time.Now()
				fyne.DoAndWait(func() {})
				noop = append(noop, time.Since(t0))
				t0 = time.Now()
				fyne.DoAndWait(func() { _, _ = k.session.People() })
				input = append(input, time.Since(t0))
			}
		}()

		b.StartTimer()
		began := time.Now()
		fyne.DoAndWait(func() {
			r := k.newImportRun([]string{export})
			r.step([]string{export}, ann.ID)
		})
		for {
			var done bool
			fyne.DoAndWait(func() { done = k.work.report != nil && k.work.reportAfter > 0 })
			if done {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		took := time.Since(began)
		b.StopTimer()
		close(stop)
		<-probed
		var rep *app.ImportReport
		fyne.DoAndWait(func() { rep = k.work.report })
		if rep.Failed > 0 || rep.Added == 0 {
			b.Fatalf("the import failed: %s", rep.Headline)
		}
		b.ReportMetric(took.Seconds(), "import-s")
		b.ReportMetric(ms(k.work.reportAfter), "report-after-ms")
		b.ReportMetric(ms(worstGap(paints)), "max-draw-gap-ms")
		b.ReportMetric(ms(worstGap(moves)), "max-bar-still-ms")
		b.ReportMetric(ms(paintCost), "max-draw-ms")
		b.ReportMetric(ms(percentile(noop, 1)), "max-call-wait-ms")
		b.ReportMetric(ms(percentile(noop, 0.99)), "p99-call-wait-ms")
		b.ReportMetric(ms(percentile(input, 1)), "max-read-ms")
		b.ReportMetric(ms(percentile(input, 0.99)), "p99-read-ms")
		b.ReportMetric(float64(len(input)), "probes")
		fyne.DoAndWait(func() {
			k.lockSession()
			k.win.Close()
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func worstGap(ts []time.Time) time.Duration {
	var worst time.Duration
	for i := 1; i < len(ts); i++ {
		worst = max(worst, ts[i].Sub(ts[i-1]))
	}
	return worst
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s)-1)+0.5))]
}
