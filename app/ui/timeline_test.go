package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

// visibleLines are the timeline's lines on screen, top first.
func visibleLines(p *timelinePage) []*timelineLine {
	var out []*timelineLine
	for _, o := range test.LaidOutObjects(p.list) {
		if l, ok := o.(*timelineLine); ok && l.Visible() && !l.stuck {
			out = append(out, l)
		}
	}
	// LaidOutObjects walks in layout order, not screen order: sort by position.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Position().Y < out[j-1].Position().Y; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func lineText(l *timelineLine) string {
	if l.header {
		return l.heading.text
	}
	return l.title.text
}

func itemText(it app.TimelineItem) string {
	if it.Header {
		return it.Heading
	}
	return it.Row.Title
}

func TestTimeline_DaysKindsAndSources(t *testing.T) {
	s := pagesSession(t, larsonMeditech, larsonMcKesson)
	k := pagesApp(t, s)
	person := personID(t, s, "Rebecca Jones Larson")
	p := newTimelinePage(k, Route{Person: person, Section: app.SectionTimeline})
	show(k, p, contentWide)

	// Newest first, grouped by day under a header naming the day and the source.
	lines := visibleLines(p)
	if len(lines) < 5 {
		t.Fatalf("only %d lines on screen", len(lines))
	}
	if !lines[0].header || lines[0].heading.text != "Tue 16 May 2017 · Marketing ARRA 5.6.7" {
		t.Errorf("the first line is %q, want the day header of 16 May 2017", lineText(lines[0]))
	}
	if lines[1].header || lines[1].kind.text != "document" {
		t.Errorf("the second line is not that day's first entry: %q (%s)", lineText(lines[1]), lines[1].kind.text)
	}
	wantText(t, p.Content(), "128 entries", "Lab results 26", "A · Paragon Hospital - D", "B · Marketing ARRA 5.6.7")

	// One height for every line: a list of thousands stays smooth.
	h := lines[0].Size().Height
	for _, l := range lines {
		if l.Size().Height != h {
			t.Fatalf("lines of different heights: %v and %v", h, l.Size().Height)
		}
	}

	// The kind chip narrows to lab results; the chip says it is on in words.
	tapChip(t, p, "Lab results 26")
	wantText(t, p.Content(), "✓ Lab results 26", "26 entries shown")
	for i := 0; i < p.tl.Len(); i++ {
		if it := p.tl.Item(i); !it.Header && it.Row.Kind != record.KindLab {
			t.Fatalf("with Lab results on, item %d is a %s", i, it.Row.Kind)
		}
	}
	// A source chip narrows further; off again, all comes back.
	tapChip(t, p, "A · Paragon Hospital - D")
	for i := 0; i < p.tl.Len(); i++ {
		if it := p.tl.Item(i); !it.Header && (it.Row.Kind != record.KindLab || it.Row.Badges[0].Key != "A") {
			t.Fatalf("with labs from A, item %d is %+v", i, it.Row)
		}
	}
	tapChip(t, p, "✓ Lab results 26")
	tapChip(t, p, "✓ A · Paragon Hospital - D")
	wantText(t, p.Content(), "128 entries")

	// A row opens its detail beside the timeline.
	p.list.Select(1)
	wantText(t, p.split.detail, lineText(lines[1]), "From Marketing ARRA 5.6.7")

	// (The golden shows the problems: entries of one day, kind and title
	// stand in an order that differs from vault to vault.)
	tapChip(t, p, "Problems 10")
	p.list.Select(1)
	test.AssertRendersToMarkup(t, "timeline_larson_problems.xml", k.win.Canvas())
}

func tapChip(t *testing.T, p *timelinePage, label string) {
	t.Helper()
	c := find(p.Content(), func(c *chip) bool { return c.text() == label })
	if c == nil {
		t.Fatalf("no chip %q", label)
	}
	test.Tap(c)
}

// The timeline of a long record scrolls from its snapshot alone: the
// session is locked before scrolling, so a row that needed the vault
// could not be drawn.
func TestTimeline_LongRecordScrollsWithoutVaultReads(t *testing.T) {
	n := longSize()
	s, person := newLongSession(t, n)
	k := pagesApp(t, s)
	p := newTimelinePage(k, Route{Person: person, Section: app.SectionTimeline})
	show(k, p, contentWide)
	tl := p.tl
	if tl.Total < n*99/100 || tl.Len() <= tl.Total {
		t.Fatalf("the timeline holds %d entries in %d lines, want %d", tl.Total, tl.Len(), n-1)
	}
	if err := s.Lock(); err != nil {
		t.Fatal(err)
	}

	for _, at := range []int{tl.Len() / 2, tl.Len() - 40, 17, tl.Len() / 3} {
		p.list.ScrollToOffset(float32(at) * p.stride)
		lines := visibleLines(p)
		first := p.firstVisible()
		if len(lines) == 0 || first < 0 {
			t.Fatalf("nothing drawn at item %d", at)
		}
		// The lines on screen are the snapshot's items from the top one on.
		for i, l := range lines {
			if want := itemText(tl.Item(first + i)); lineText(l) != want {
				t.Fatalf("at item %d, line %d says %q, want %q", at, i, lineText(l), want)
			}
		}
		// The sticky header names the day at the top; the scrubber its year.
		if want := tl.Item(tl.HeaderIndex(first)).Heading; p.sticky.heading.text != want {
			t.Errorf("at item %d the sticky header says %q, want %q", first, p.sticky.heading.text, want)
		}
		if want := tl.YearAt(first); p.scrubber.current != want {
			t.Errorf("at item %d the scrubber marks %d, want %d", first, p.scrubber.current, want)
		}
	}

	// Wheel steps, as a person scrolls.
	c := k.win.Canvas()
	pos := fyne.NewPos(200, 300)
	for i := 0; i < 50; i++ {
		test.Scroll(c, pos, 0, -120)
	}
	if lines := visibleLines(p); len(lines) == 0 {
		t.Fatal("nothing drawn after scrolling")
	}

	// The year scrubber jumps to the first day of the year tapped.
	mark := tl.Years[len(tl.Years)/2]
	p.jumpToYear(mark)
	if got := p.firstVisible(); got != mark.Index {
		t.Errorf("after picking %d the top item is %d, want %d", mark.Year, got, mark.Index)
	}
	if !strings.Contains(p.sticky.heading.text, strconv.Itoa(mark.Year)) {
		t.Errorf("after picking %d the sticky header says %q", mark.Year, p.sticky.heading.text)
	}
	// A tap on the scrubber picks the year under it.
	sz := p.scrubber.Size()
	test.TapAt(p.scrubber, fyne.NewPos(sz.Width/2, sz.Height-2))
	last := tl.Years[len(tl.Years)-1]
	if p.scrubber.current != last.Year {
		t.Errorf("a tap at the scrubber's foot marks %d, want %d", p.scrubber.current, last.Year)
	}
}

// BenchmarkTimelineScroll: one wheel step through the timeline of a
// person with 50,000 entries (the rows that come into view are worded
// from the snapshot; target: far under a 16 ms frame).
func BenchmarkTimelineScroll(b *testing.B) {
	s, person := newLongSession(b, 50000)
	k := pagesApp(b, s)
	p := newTimelinePage(k, Route{Person: person, Section: app.SectionTimeline})
	show(k, p, contentWide)
	c := k.win.Canvas()
	pos := fyne.NewPos(200, 300)
	b.ReportAllocs()
	defer measureCPU(b)()
	i := 0
	for b.Loop() {
		dy := float32(-120)
		if (i/2000)%2 == 1 {
			dy = 120
		}
		test.Scroll(c, pos, 0, dy)
		i++
	}
}

// BenchmarkTimelineJump: a jump of the year scrubber, which brings a
// whole screen of new rows.
func BenchmarkTimelineJump(b *testing.B) {
	s, person := newLongSession(b, 50000)
	k := pagesApp(b, s)
	p := newTimelinePage(k, Route{Person: person, Section: app.SectionTimeline})
	show(k, p, contentWide)
	b.ReportAllocs()
	defer measureCPU(b)()
	i := 0
	for b.Loop() {
		p.jumpToYear(p.tl.Years[i%len(p.tl.Years)])
		i++
	}
}
