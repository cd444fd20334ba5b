//go:build unix

package archive

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS returns a finished child's peak resident memory in bytes.
func peakRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss), true // bytes on macOS
	}
	return int64(ru.Maxrss) << 10, true // kilobytes on Linux and the BSDs
}
