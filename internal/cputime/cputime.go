// Package cputime tells how much CPU time this process has used, for
// benchmarks on a machine shared with other work, where the cost of an
// operation shows better in CPU time than in wall time.
package cputime

import "time"

// Process returns the user and system CPU time this process has used so
// far; 0 where the system does not say.
func Process() time.Duration { return process() }

// Thread returns the CPU time the calling OS thread has used so far; 0
// where the system does not say (it does on Linux). Between
// runtime.LockOSThread and UnlockOSThread that is the CPU time of the
// calling goroutine alone, not of the goroutines it starts: what one
// goroutine's share of a parallel operation costs, which bounds the
// operation's wall time however many CPUs it is given.
func Thread() time.Duration { return thread() }
