package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/export"
)

// Helpers that read PDFs back the way a person would: poppler's pdftotext,
// pdfinfo and pdftoppm (Debian's poppler-utils, which `make test` installs).

// tool returns the path of a poppler tool; without it the test is skipped,
// or fails under CI where the tools must be there.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (poppler-utils): %v", name, err)
		}
		t.Skipf("%s is not installed (poppler-utils)", name)
	}
	return p
}

// render prints k of in and returns the PDF.
func render(t testing.TB, k Kind, in export.Input, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, k, in, o); err != nil {
		t.Fatalf("printing the %s: %v", k, err)
	}
	return buf.Bytes()
}

// writeTemp writes a PDF to a temporary file and returns its path.
func writeTemp(t testing.TB, pdf []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	if s := stderr.String(); strings.Contains(s, "Syntax Error") || strings.Contains(s, "Syntax Warning") {
		t.Errorf("%s finds the PDF malformed:\n%s", name, s)
	}
	return string(out)
}

// pageTexts returns the text of each page (pdftotext, reading order).
func pageTexts(t testing.TB, pdf []byte) []string {
	t.Helper()
	path := writeTemp(t, pdf)
	n := pageCount(t, path)
	texts := make([]string, n)
	for i := 1; i <= n; i++ {
		texts[i-1] = run(t, "pdftotext", "-raw", "-enc", "UTF-8", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), path, "-")
	}
	return texts
}

// allText returns the text of the whole document in the order it was
// drawn (a table cell's lines follow each other), lines joined by spaces
// so phrases that wrap can be searched for.
func allText(t testing.TB, pdf []byte) string {
	t.Helper()
	return flat(run(t, "pdftotext", "-raw", "-enc", "UTF-8", writeTemp(t, pdf), "-"))
}

var spaces = regexp.MustCompile(`[ \t\x{00a0}]+`)

// collapse folds runs of spaces (and no-break spaces) into one space.
func collapse(s string) string { return spaces.ReplaceAllString(s, " ") }

// flat is collapse with line breaks as spaces too.
func flat(s string) string {
	return collapse(strings.NewReplacer("\n", " ", "\f", " ").Replace(s))
}

func pageCount(t testing.TB, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatalf("pdfinfo gives no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pageSizes returns each page's size in millimetres, as pdfinfo reads it.
func pageSizes(t testing.TB, pdf []byte) [][2]float64 {
	t.Helper()
	path := writeTemp(t, pdf)
	n := pageCount(t, path)
	out := run(t, "pdfinfo", "-f", "1", "-l", strconv.Itoa(n), path)
	re := regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`)
	var sizes [][2]float64
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		sizes = append(sizes, [2]float64{w * 25.4 / 72, h * 25.4 / 72})
	}
	if len(sizes) != n {
		t.Fatalf("pdfinfo lists %d page sizes for %d pages:\n%s", len(sizes), n, out)
	}
	return sizes
}
