package vault_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, to report the cost of an
// operation on a machine shared with other work, where wall time varies.
func cpuTime() time.Duration {
	h, _ := syscall.GetCurrentProcess()
	var creation, exit, kernel, user syscall.Filetime
	if err := syscall.GetProcessTimes(h, &creation, &exit, &kernel, &user); err != nil {
		return 0
	}
	// Filetime counts 100 ns ticks; Nanoseconds() would add the 1601 epoch.
	ticks := func(f syscall.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100)
}
