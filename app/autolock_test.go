package app_test

import (
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/app/apptest"
)

func TestIdleLock(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps func(c *apptest.Clock, l *app.IdleLock)
		locks bool
	}{
		{"idle for the whole wait", func(c *apptest.Clock, l *app.IdleLock) { c.Advance(5 * time.Minute) }, true},
		{"not yet", func(c *apptest.Clock, l *app.IdleLock) { c.Advance(4*time.Minute + 59*time.Second) }, false},
		{"a touch starts the wait again", func(c *apptest.Clock, l *app.IdleLock) {
			c.Advance(4 * time.Minute)
			l.Touch()
			c.Advance(4 * time.Minute)
		}, false},
		{"then idle again", func(c *apptest.Clock, l *app.IdleLock) {
			c.Advance(4 * time.Minute)
			l.Touch()
			c.Advance(5 * time.Minute)
		}, true},
		{"in the background that long", func(c *apptest.Clock, l *app.IdleLock) {
			l.Away()
			c.Advance(6 * time.Minute)
		}, true},
		{"pointer over a background window does not count", func(c *apptest.Clock, l *app.IdleLock) {
			l.Away()
			c.Advance(3 * time.Minute)
			l.Touch()
			c.Advance(2 * time.Minute)
		}, true},
		{"back in front soon enough", func(c *apptest.Clock, l *app.IdleLock) {
			l.Away()
			c.Advance(2 * time.Minute)
			l.Back()
			c.Advance(4 * time.Minute)
		}, false},
		{"stopped", func(c *apptest.Clock, l *app.IdleLock) {
			l.Stop()
			c.Advance(time.Hour)
		}, false},
		{"a shorter setting", func(c *apptest.Clock, l *app.IdleLock) {
			c.Advance(time.Minute)
			l.SetWait(90 * time.Second)
			c.Advance(31 * time.Second)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := apptest.NewClock(apptest.Now)
			locks := 0
			l := app.NewIdleLock(5*time.Minute, c, func() { locks++ })
			tc.steps(c, l)
			if want := map[bool]int{true: 1, false: 0}[tc.locks]; locks != want {
				t.Errorf("locked %d times, want %d", locks, want)
			}
			c.Advance(time.Hour)
			if tc.locks && locks != 1 {
				t.Errorf("locked %d times in all, want once", locks)
			}
		})
	}
}

// A computer asleep: its timers do not fire on time, so coming back to the
// front checks the wall clock and locks before the screen is read.
func TestIdleLock_BackAfterSleep(t *testing.T) {
	now := apptest.Now
	c := &sleepyClock{now: &now}
	locks := 0
	l := app.NewIdleLock(5*time.Minute, c, func() { locks++ })
	l.Away()
	now = now.Add(time.Hour) // the timer never got to fire
	l.Back()
	if locks != 1 {
		t.Errorf("locked %d times on waking, want once", locks)
	}
}

// sleepyClock's timers never fire.
type sleepyClock struct{ now *time.Time }

func (c *sleepyClock) Now() time.Time { return *c.now }
func (c *sleepyClock) AfterFunc(time.Duration, func()) func() bool {
	return func() bool { return true }
}
