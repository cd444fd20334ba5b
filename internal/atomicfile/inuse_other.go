//go:build !windows

package atomicfile

// systemInUse reports whether err says another program holds the target:
// never on Unix, which renames over open files.
func systemInUse(error) bool { return false }
