package cputime

import (
	"testing"
	"time"
)

// TestProcess: busy work shows as CPU time; sleeping does not.
func TestProcess(t *testing.T) {
	start := Process()
	deadline := time.Now().Add(50 * time.Millisecond)
	n := 0
	for time.Now().Before(deadline) {
		n++
	}
	busy := Process() - start
	if busy < 10*time.Millisecond {
		t.Errorf("50 ms of busy work counted as %v of CPU time", busy)
	}
	start = Process()
	time.Sleep(50 * time.Millisecond)
	if idle := Process() - start; idle > 40*time.Millisecond {
		t.Errorf("50 ms of sleep counted as %v of CPU time", idle)
	}
}
