package goldentest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	path := filepath.Join(t.TempDir(), "golden", "doc.golden.json")
	err := compare(path, []byte("{}\n"), false)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "-update") {
		t.Errorf("missing file: %v, want an ErrNotExist that mentions -update", err)
	}
	want := "{\n  \"title\": \"CCD\",\n  \"entries\": 3\n}\n"
	if err := compare(path, []byte(want), true); err != nil {
		t.Fatalf("writing: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != want {
		t.Fatalf("written %q, want %q", data, want)
	}
	if err := compare(path, []byte(want), false); err != nil {
		t.Errorf("same content: %v", err)
	}
	err = compare(path, []byte(strings.Replace(want, "3", "4", 1)), false)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line 3:\n  want:   \"entries\": 3\n  got:    \"entries\": 4") {
		t.Errorf("different content: %v", err)
	}
}

func TestFirstDiff(t *testing.T) {
	tests := []struct{ want, got, diff string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\n", "a\nc\n", "line 2:\n  want: b\n  got:  c"},
		{"a\n", "a\nb\n", "line 2:\n  want: \n  got:  b"},
		{"a\nb", "a\n", "line 2:\n  want: b\n  got:  "},
		{"a\n", "a", "the lines are the same; the texts differ in newlines at the end"},
	}
	for _, tc := range tests {
		if got := firstDiff(tc.want, tc.got); got != tc.diff {
			t.Errorf("firstDiff(%q, %q) = %q, want %q", tc.want, tc.got, got, tc.diff)
		}
	}
}
