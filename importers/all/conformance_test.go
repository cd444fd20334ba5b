package all_test

import (
	"path/filepath"
	"testing"

	"github.com/kinfolio/kinfolio/importers/all"
	"github.com/kinfolio/kinfolio/importers/importertest"
)

// Every registered reader keeps the readers' contract over its corpus
// (importers/<name>/testdata/corpus), as the registry hands it the files.
func TestConformance(t *testing.T) {
	reg := all.Registry()
	readers := reg.Readers()
	if len(readers) < 3 {
		t.Fatalf("%d readers registered", len(readers))
	}
	for _, r := range readers {
		t.Run(r.Name(), func(t *testing.T) {
			dir := filepath.Join("..", r.Name(), "testdata", "corpus")
			s := &importertest.Suite{Reader: r, Registry: reg, Corpus: importertest.Corpus(t, reg, r, dir)}
			if r.Name() == "archive" {
				// An Apple Health export unpacked: a folder read as a package.
				s.Corpus = append(s.Corpus, filepath.Join(dir, "apple-health/healthkit-to-sqlite-fixtures/apple_health_export"))
			}
			if len(s.Corpus) < 3 {
				t.Fatalf("only %d corpus inputs for %s: %q", len(s.Corpus), r.Name(), s.Corpus)
			}
			s.Run(t)
		})
	}
}
