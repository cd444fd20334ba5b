//go:build unix

package vault_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, to report the cost of an
// operation on a machine shared with other work, where wall time varies.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
