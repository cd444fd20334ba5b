package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWindow_UnderXvfb runs the real app the way a person does, on the X
// display it is given (make test runs the tests under xvfb-run): a demo
// vault made by `kin demo`, the unlock screen, the passphrase typed into
// the window, the dashboard; Ctrl+O and a corpus file's path typed into
// the import chooser, the report; Ctrl+P and Enter, a visit summary that
// pdftotext reads with the person's name; then Ctrl+L. It keeps screenshots of each
// step in $KINFOLIO_ARTIFACTS (default test-artifacts/window, ignored by
// git) and fails when the window does not draw: a blank capture, or
// tesseract not reading what the screen must say. It also checks that
// Fyne logs no call from the wrong goroutine, and reports the time to
// the unlock screen and the resident memory.
func TestWindow_UnderXvfb(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no X display: run the tests under xvfb-run (make test does)")
		}
		t.Skip("no X display (make test runs this under xvfb-run)")
	}
	for _, tool := range []string{"xdotool", "xwininfo", "import", "convert", "tesseract"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is needed (make deps-test installs it)", tool)
			}
			t.Skipf("%s is not installed (make deps-test installs it)", tool)
		}
	}
	artifacts := os.Getenv("KINFOLIO_ARTIFACTS")
	if artifacts == "" {
		artifacts = filepath.Join("test-artifacts", "window")
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	artifacts, _ = filepath.Abs(artifacts)

	// Build both programs as a user does, into a folder without a
	// FyneApp.toml: Fyne then keeps its goroutine checks on.
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := func(out string, env []string, pkg string) {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Env = append(os.Environ(), env...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
	}
	t0 := time.Now()
	build(filepath.Join(bin, "kin"), []string{"CGO_ENABLED=0"}, "./cmd/kin")
	build(filepath.Join(bin, "kinfolio"), nil, ".")
	t.Logf("built kin and kinfolio: %v", time.Since(t0).Round(time.Millisecond))

	home := filepath.Join(dir, "home")
	vaultPath := filepath.Join(home, "demo.kinfolio")
	os.MkdirAll(home, 0o700)
	out, err := exec.Command(filepath.Join(bin, "kin"), "demo", "--to", vaultPath, "--work-factor", "12", "--json").Output()
	if err != nil {
		t.Fatalf("kin demo: %v", err)
	}
	t.Logf("kin demo: %v", time.Since(t0).Round(time.Millisecond))
	var demo struct {
		Passphrase string
		People     []struct{ Name string }
	}
	if err := json.Unmarshal(out, &demo); err != nil || demo.Passphrase == "" || len(demo.People) == 0 {
		t.Fatalf("kin demo --json: %v\n%s", err, out)
	}
	person := demo.People[0].Name

	// The window's size comes from its preferences: 1280×800.
	prefs := filepath.Join(home, ".config", "fyne", "io.kinfolio.app")
	os.MkdirAll(prefs, 0o700)
	os.WriteFile(filepath.Join(prefs, "preferences.json"), []byte(`{"window.width":1280,"window.height":800}`), 0o600)

	var stderr bytes.Buffer
	app := exec.Command(filepath.Join(bin, "kinfolio"))
	app.Dir = home
	app.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, "data"), "KINFOLIO_VAULT="+vaultPath, "LANG=C.UTF-8")
	app.Stdout, app.Stderr = &stderr, &stderr
	started := time.Now()
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		app.Process.Kill()
		app.Wait()
		os.WriteFile(filepath.Join(artifacts, "kinfolio.log"), stderr.Bytes(), 0o644)
	}()

	// The unlock screen: the window appears and draws.
	var win string
	waitFor(t, 15*time.Second, "the window to appear", func() bool {
		win = findWindow("Kinfolio")
		return win != ""
	})
	unlockShot := filepath.Join(artifacts, "1-unlock.png")
	waitFor(t, 15*time.Second, "the unlock screen to draw", func() bool {
		return !blank(t, capture(t, win, unlockShot))
	})
	t.Logf("start to the unlock screen drawn: %v", time.Since(started).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond) // the demo's header is read in the background
	readsAll(t, "the unlock screen", func() string { return capture(t, win, unlockShot) }, "", "Unlock Kinfolio", "DEMO", "passphrase")

	// Type the passphrase into the window, as a person does.
	xdotool(t, "windowfocus", "--sync", win)
	time.Sleep(300 * time.Millisecond)
	xdotool(t, "type", "--delay", "25", demo.Passphrase)
	xdotool(t, "key", "Return")
	waitFor(t, 30*time.Second, "the window to show "+person, func() bool {
		return strings.Contains(windowName(win), person)
	})
	time.Sleep(500 * time.Millisecond)
	dash := filepath.Join(artifacts, "2-dashboard.png")
	shoot := func() string {
		capture(t, win, dash)
		if blank(t, dash) {
			t.Fatal("the dashboard is blank")
		}
		return dash
	}
	// The rail: the person's name, the sections.
	readsAll(t, "the dashboard's rail", shoot, "240x800+0+0", person, "Timeline", "Medications", "Sources")
	rss := residentMB(t, app.Process.Pid)
	t.Logf("resident memory with %s's dashboard: %d MB", person, rss)
	if rss > 400 {
		t.Errorf("resident memory %d MB, want < 400", rss)
	}

	// Ctrl+O: the import chooser; a corpus file's path typed into its
	// path field, Enter ticks it, Enter again imports it. The file is
	// Rebecca Jones Larson's, not the demo person's: the report says so
	// and the window shows her.
	corpusFile, _ := filepath.Abs(filepath.Join("app", "ui", "testdata", "corpus", "ccda", "onc-meditech-magic", "Test1_LarsonDSSample1.xml"))
	const imported = "Rebecca Jones Larson"
	xdotool(t, "key", "--window", win, "ctrl+o")
	chooser := filepath.Join(artifacts, "3-import-chooser.png")
	readsAll(t, "the import chooser", func() string { return capture(t, win, chooser) }, "", "Import records", "Tick the files")
	xdotool(t, "key", "--window", win, "ctrl+a")
	xdotool(t, "type", "--delay", "10", corpusFile)
	xdotool(t, "key", "--window", win, "Return")
	readsAll(t, "the chooser with the file ticked", func() string { return capture(t, win, chooser) }, "", "1 chosen")
	importAsked := time.Now()
	xdotool(t, "key", "--window", win, "Return")
	waitFor(t, 30*time.Second, "the import to show "+imported, func() bool {
		return strings.Contains(windowName(win), imported)
	})
	t.Logf("Enter to the report: %v", time.Since(importAsked).Round(time.Millisecond))
	report := filepath.Join(artifacts, "4-import-report.png")
	readsAll(t, "the import report", func() string { return capture(t, win, report) }, "", "Added 71 things for "+imported, "Test1_LarsonDSSample1.xml", "not "+person)
	// Escape closes the report.
	xdotool(t, "key", "--window", win, "Escape")
	time.Sleep(300 * time.Millisecond)

	// Ctrl+P: Print / Export, the visit summary chosen, the file name
	// field focused; Enter saves it into the home folder.
	xdotool(t, "key", "--window", win, "ctrl+p")
	exportShot := filepath.Join(artifacts, "5-export-dialog.png")
	readsAll(t, "the Print / Export dialog", func() string { return capture(t, win, exportShot) }, "", "Print / Export", "Visit summary", "Reason for visit")
	xdotool(t, "key", "--window", win, "Return")
	saved := filepath.Join(artifacts, "5-saved.png")
	readsAll(t, "the export's Saved dialog", func() string { return capture(t, win, saved) }, "", "Saved the visit summary of "+imported, "Show in folder")
	pdfs, _ := filepath.Glob(filepath.Join(home, "visit-summary-*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("the visit summary is not in %s: %v", home, pdfs)
	}
	if text, err := exec.Command("pdftotext", pdfs[0], "-").Output(); err != nil || !strings.Contains(string(text), imported) {
		t.Errorf("pdftotext %s: %v; it reads:\n%.400s", pdfs[0], err, text)
	}
	xdotool(t, "key", "--window", win, "Return") // Enter closes the Saved dialog
	time.Sleep(300 * time.Millisecond)
	back := capture(t, win, filepath.Join(artifacts, "6-dashboard-"+strings.ReplaceAll(strings.ToLower(imported), " ", "-")+".png"))

	// Ctrl+L (a main-menu shortcut) locks: back to the unlock screen.
	xdotool(t, "key", "--window", win, "ctrl+l")
	waitFor(t, 10*time.Second, "Ctrl+L to lock the window", func() bool {
		name := windowName(win)
		return strings.HasPrefix(name, "Kinfolio") && !strings.Contains(name, person) && !strings.Contains(name, imported)
	})
	locked := filepath.Join(artifacts, "7-locked.png")
	waitFor(t, 10*time.Second, "the window to draw the unlock screen", func() bool {
		return differ(t, back, capture(t, win, locked))
	})
	text := readsAll(t, "the locked window", func() string { return capture(t, win, locked) }, "", "Unlock Kinfolio")
	if strings.Contains(text, person) || strings.Contains(text, imported) {
		t.Errorf("the locked window still shows %s:\n%s", person, text)
	}

	if strings.Contains(stderr.String(), "Error in Fyne call thread") {
		t.Errorf("Fyne logged a call from the wrong goroutine:\n%s", stderr.String())
	}
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	start := time.Now()
	end := start.Add(d)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("waited %v for %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond))
}

// findWindow returns the id of the top-level window whose name starts with name.
func findWindow(name string) string {
	out, err := exec.Command("xwininfo", "-root", "-tree").Output()
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && strings.HasPrefix(f[1], `"`+name) {
			return f[0]
		}
	}
	return ""
}

func windowName(win string) string {
	out, _ := exec.Command("xdotool", "getwindowname", win).Output()
	return strings.TrimSpace(string(out))
}

func xdotool(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
}

// capture takes a picture of the window itself (a capture of the whole
// screen is mostly black, which tesseract reads poorly).
func capture(t *testing.T, win, path string) string {
	t.Helper()
	if out, err := exec.Command("import", "-window", win, path).CombinedOutput(); err != nil {
		t.Logf("import -window %s: %v %s", win, err, out)
	}
	return path
}

// blank reports whether a capture is one colour (or unreadable): the
// window did not draw.
func blank(t *testing.T, path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return true
	}
	colours := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r, g, bl, a}] = true
			if len(colours) > 16 {
				return false
			}
		}
	}
	return true
}

// readsAll reads a capture shoot takes (cropped to crop, an ImageMagick
// geometry, when given) with tesseract, and fails the test unless it reads
// every one of want; a misread gets two more tries. It returns the text.
func readsAll(t *testing.T, what string, shoot func() string, crop string, want ...string) string {
	t.Helper()
	var text, path string
	var missing []string
	for try := 0; try < 3; try++ {
		path = shoot()
		text = ocr(t, path, crop)
		missing = missing[:0]
		for _, w := range want {
			if !strings.Contains(text, w) {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 {
			return text
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Errorf("tesseract does not read %q on %s (%s); it reads:\n%s", missing, what, path, text)
	return text
}

// ocr reads a capture with tesseract, scaled 2x (it reads Fyne's text
// reliably at that size); one thread, which is faster on a busy machine.
func ocr(t *testing.T, path, crop string) string {
	t.Helper()
	big := strings.TrimSuffix(path, ".png") + "-2x.png"
	args := []string{path}
	if crop != "" {
		args = append(args, "-crop", crop, "+repage")
	}
	args = append(args, "-resize", "200%", big)
	if out, err := exec.Command("convert", args...).CombinedOutput(); err != nil {
		t.Logf("convert: %v %s", err, out)
		return ""
	}
	defer os.Remove(big)
	cmd := exec.Command("tesseract", big, "-")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		t.Logf("tesseract: %v", err)
	}
	return string(out)
}

// differ reports whether two captures differ in more than a few pixels.
func differ(t *testing.T, a, b string) bool {
	ia, errA := decode(a)
	ib, errB := decode(b)
	if errA != nil || errB != nil || ia.Bounds() != ib.Bounds() {
		return errA == nil && errB == nil
	}
	n := 0
	bd := ia.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 2 {
		for x := bd.Min.X; x < bd.Max.X; x += 2 {
			if ia.At(x, y) != ib.At(x, y) {
				n++
			}
		}
	}
	return n > 500
}

func decode(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// residentMB is the process's resident memory (VmRSS) in MB.
func residentMB(t *testing.T, pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Logf("reading the memory: %v", err)
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb / 1024
		}
	}
	return 0
}
