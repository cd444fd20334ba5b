package app

import (
	"sync"
	"time"
)

// DefaultAutoLock is how long the app waits, unused, before it locks.
const DefaultAutoLock = 5 * time.Minute

// Clock is the time an [IdleLock] reads and waits on. [SystemClock] is
// the computer's; tests pass one they move forward by hand.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f on its own goroutine once d has passed, unless
	// the returned stop is called first (stop reports whether it was).
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// SystemClock is the computer's clock.
var SystemClock Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
func (systemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// IdleLock locks an open vault after a stretch without use. A toolkit
// gives no "the user is idle" signal, so the window tells it of use
// ([IdleLock.Touch]: a key, a click, a page shown) and of the window
// going to the background and back ([IdleLock.Away], [IdleLock.Back]).
// It calls lock once, on its clock's goroutine, when nothing touched it
// for the whole wait, or at once when the window comes back after being
// away that long (a laptop asleep for an hour must not show the record
// for a moment on waking). After lock, or [IdleLock.Stop], it does nothing.
//
// An IdleLock is safe for concurrent use.
type IdleLock struct {
	mu    sync.Mutex
	clock Clock
	wait  time.Duration
	lock  func()
	last  time.Time
	stop  func() bool
	done  bool
	away  bool
}

// NewIdleLock starts waiting: lock is called after wait without a touch
// (wait ≤ 0 means [DefaultAutoLock]). A nil clock is [SystemClock].
func NewIdleLock(wait time.Duration, clock Clock, lock func()) *IdleLock {
	if clock == nil {
		clock = SystemClock
	}
	if wait <= 0 {
		wait = DefaultAutoLock
	}
	l := &IdleLock{clock: clock, wait: wait, lock: lock}
	l.mu.Lock()
	l.last = clock.Now()
	l.arm(wait)
	l.mu.Unlock()
	return l
}

// arm sets the timer for d from now; l.mu is held.
func (l *IdleLock) arm(d time.Duration) {
	if l.stop != nil {
		l.stop()
	}
	l.stop = l.clock.AfterFunc(d, l.check)
}

// check runs when the timer fires: lock if the wait is over, else wait
// for the rest of it.
func (l *IdleLock) check() {
	l.mu.Lock()
	if l.done {
		l.mu.Unlock()
		return
	}
	idle := since(l.clock.Now(), l.last)
	if idle < l.wait {
		l.arm(l.wait - idle)
		l.mu.Unlock()
		return
	}
	l.done = true
	l.mu.Unlock()
	l.lock()
}

// since measures by the wall clock, which goes on while a computer sleeps
// (Go's monotonic clock, on some systems, does not).
func since(now, then time.Time) time.Duration { return now.Round(0).Sub(then.Round(0)) }

// Touch says the vault is in use now: the wait starts again. Touches
// while the window is away (a pointer passing over a window in the
// background) do not count.
func (l *IdleLock) Touch() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done || l.away {
		return
	}
	l.last = l.clock.Now()
}

// Away says the window went to the background. The wait goes on from the
// last touch.
func (l *IdleLock) Away() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.away = true
}

// Back says the window is in front again: if it went untouched for the
// whole wait (in the background, or asleep), lock is called now, before
// anyone reads the screen; otherwise it counts as a touch.
func (l *IdleLock) Back() {
	l.mu.Lock()
	if l.done {
		l.mu.Unlock()
		return
	}
	now := l.clock.Now()
	l.away = false
	if since(now, l.last) >= l.wait {
		l.done = true
		if l.stop != nil {
			l.stop()
		}
		l.mu.Unlock()
		l.lock()
		return
	}
	l.last = now
	l.mu.Unlock()
}

// SetWait changes the wait (the auto-lock setting); it counts from the
// last touch.
func (l *IdleLock) SetWait(wait time.Duration) {
	if wait <= 0 {
		wait = DefaultAutoLock
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return
	}
	l.wait = wait
	l.arm(max(0, wait-since(l.clock.Now(), l.last)))
}

// Stop ends the wait without locking (the vault was locked by hand).
func (l *IdleLock) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	if l.stop != nil {
		l.stop()
	}
}
