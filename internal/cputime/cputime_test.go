package cputime

import (
	"runtime"
	"testing"
	"time"
)

// TestProcess: busy work shows as CPU time, and the count only grows. The
// work is a fixed amount of computation, not a stretch of wall time, so a
// busy machine (which hands this process less of each second) changes
// nothing.
func TestProcess(t *testing.T) {
	start := Process()
	x := uint64(1)
	var busy time.Duration
	for round := 0; busy < 20*time.Millisecond; round++ {
		if round == 5000 { // billions of steps: seconds of CPU on any machine
			t.Fatalf("busy work counted as %v of CPU time", busy)
		}
		for i := 0; i < 1_000_000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
		busy = Process() - start
		if busy < 0 {
			t.Fatalf("CPU time went backwards: %v", busy)
		}
	}
	if x == 0 {
		t.Log("unlikely")
	}
	// Sleeping uses next to no CPU: far less than the time slept.
	start = Process()
	time.Sleep(100 * time.Millisecond)
	if idle := Process() - start; idle > 90*time.Millisecond {
		t.Errorf("100 ms of sleep counted as %v of CPU time", idle)
	}
}

// TestThread: a goroutine locked to its thread counts its own busy work,
// not another goroutine's. As in TestProcess, the work is counted in CPU
// time, not wall time, so a busy machine changes nothing.
func TestThread(t *testing.T) {
	if Thread() == 0 {
		t.Skip("no per-thread CPU time on this system")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := Thread()
	done := make(chan time.Duration)
	go func() {
		runtime.LockOSThread() // another thread, busy until it has used 100 ms
		defer runtime.UnlockOSThread()
		begin := Thread()
		done <- busyFor(func() time.Duration { return Thread() - begin }, 100*time.Millisecond)
	}()
	if worked := <-done; worked < 100*time.Millisecond {
		t.Fatalf("the other goroutine's busy work counted as %v of its thread's CPU time", worked)
	}
	if other := Thread() - start; other > 40*time.Millisecond {
		t.Errorf("another goroutine's 100 ms of busy work counted as %v of this thread's", other)
	}
	start = Thread()
	if own := busyFor(func() time.Duration { return Thread() - start }, 20*time.Millisecond); own < 20*time.Millisecond {
		t.Errorf("busy work counted as %v of the thread's CPU time", own)
	}
}

// busyFor computes until used() reaches d, or for billions of steps
// (seconds of CPU on any machine), and returns used().
func busyFor(used func() time.Duration, d time.Duration) time.Duration {
	x := uint64(1)
	for round := 0; round < 5000 && used() < d; round++ {
		for i := 0; i < 1_000_000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	if x == 0 {
		return 0
	}
	return used()
}
