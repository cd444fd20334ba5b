// Package goldentest keeps the importers' golden files: what a reader made
// of a sample file, written out as indented JSON under testdata/, so a test
// sees any change in the result and a reviewer sees it as a diff.
//
// A test calls [JSON] with the golden file's path and the value to
// compare. Normally the file is read and compared byte for byte; a
// difference fails the test with the first line that differs. Run with
// -update (go test -run Golden -update) to write the files instead, then
// review them with git diff before committing them.
//
// Importing this package registers the -update flag, so a test package
// that uses it must not define its own. Import it from tests only.
package goldentest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ instead of comparing with them")

// JSON compares v with the golden file at path, or writes v there when
// the test runs with -update. Golden files hold v as encoding/json writes
// it indented by two spaces, with a final newline. A difference fails the
// test (t.Error) naming the file and showing the first line that differs;
// so does a missing file, with a hint to run with -update. A value
// encoding/json cannot encode, or a file that cannot be written, stops the
// test (t.Fatal).
func JSON(t testing.TB, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := compare(path, append(got, '\n'), *update); err != nil {
		if *update {
			t.Fatal(err)
		}
		t.Error(err)
	}
}

// compare checks that the file at path holds exactly got, or with write
// set writes got there (creating its directory) and returns only a write
// error. A missing file gives an error wrapping [os.ErrNotExist].
func compare(path string, got []byte, write bool) error {
	if write {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w (run the test with -update to create it)", err)
	}
	if err != nil {
		return err
	}
	if bytes.Equal(got, want) {
		return nil
	}
	return fmt.Errorf("%s differs from what the test got (run it with -update and review the diff):\n%s", path, firstDiff(string(want), string(got)))
}

// firstDiff shows the first line where got differs from want, numbered
// from 1, or returns "" when they are the same.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	if want != got {
		return "the lines are the same; the texts differ in newlines at the end"
	}
	return ""
}
