package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kinfolio/kinfolio/export"
)

// TestWriteForViewing writes every printout of the test people to the
// folder $KIN_PDF_OUT, for a person to look at (pdftoppm -png). It is
// skipped when the variable is not set.
func TestWriteForViewing(t *testing.T) {
	dir := os.Getenv("KIN_PDF_OUT")
	if dir == "" {
		t.Skip("set KIN_PDF_OUT to a folder to write the printouts there")
	}
	people := map[string]func() export.Input{"three": threeSources, "child": child, "big": func() export.Input { return bigPerson(10000) }}
	for name, mk := range people {
		for _, k := range Kinds {
			for _, o := range []struct {
				suffix string
				opt    Options
			}{{"", Options{}}, {"-large-a4", Options{LargePrint: true, Paper: A4}}} {
				var buf bytes.Buffer
				if err := Write(&buf, k, mk(), o.opt); err != nil {
					t.Fatalf("%s %s: %v", name, k, err)
				}
				if err := os.WriteFile(filepath.Join(dir, name+"-"+string(k)+o.suffix+".pdf"), buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
