package app

import (
	"path/filepath"
	"testing"
)

// TestCleanWindows_AsFilepath: on Windows, cleaning a path by its letters
// gives what the standard library's filepath.Clean gives.
func TestCleanWindows_AsFilepath(t *testing.T) {
	for _, p := range []string{
		`C:\Users\Ada\Downloads\record.xml`, `C:/Users/Ada//x/./../record.xml`, `c:\`, `C:`, `C:x\..\y`,
		`\\server\share\a\..\..\b`, `//server/share/x`, `\Users\Ada`, `records\..\..\x`, `.\x`, `.`,
		`\\?\C:\long\path`,
	} {
		if got, want := cleanWindows(p), filepath.Clean(p); got != want {
			t.Errorf("cleanWindows(%q) = %q, filepath.Clean = %q", p, got, want)
		}
	}
}
