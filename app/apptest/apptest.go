// Package apptest helps tests drive package app and the windows over it:
// [Options] for real vaults that are cheap to make, and a [Clock] a test
// moves forward by hand so that timers (the auto-lock) fire without sleeping.
package apptest

import (
	"slices"
	"sync"
	"time"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// Now is the tests' fixed day: ages and "2 days ago" hold whenever the
// tests run.
var Now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// Options returns session options for tests: a low scrypt work factor
// (never the app's), the clock fixed at [Now], and background work run
// inline so no test waits or sleeps.
func Options() *app.Options {
	return &app.Options{WorkFactor: vaulttest.WorkFactor, Now: func() time.Time { return Now },
		Run: func(work func()) { work() }}
}

// Clock is an [app.Clock] that stands still until [Clock.Advance] moves it.
// Timers due by then fire inside Advance, in order, on the caller's
// goroutine.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
}

type timer struct {
	at      time.Time
	f       func()
	stopped bool
}

var _ app.Clock = (*Clock)(nil)

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc calls f when the clock has been advanced past d from now.
func (c *Clock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped && slices.Contains(c.timers, t)
		t.stopped = true
		return was
	}
}

// Advance moves the clock forward by d, firing each timer that falls due
// on the way at its time.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	for {
		i := -1
		for j, t := range c.timers {
			if !t.stopped && !t.at.After(end) && (i < 0 || t.at.Before(c.timers[i].at)) {
				i = j
			}
		}
		if i < 0 {
			break
		}
		t := c.timers[i]
		c.timers = slices.Delete(c.timers, i, i+1)
		if t.at.After(c.now) {
			c.now = t.at
		}
		c.mu.Unlock()
		t.f()
		c.mu.Lock()
	}
	c.now = end
	c.mu.Unlock()
}

// Pending is how many timers are waiting.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}
