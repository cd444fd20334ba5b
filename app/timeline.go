package app

import (
	"slices"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// TimelineFilter narrows a timeline. The zero filter shows everything.
type TimelineFilter struct {
	// Kinds shows only these kinds (all when empty).
	Kinds []record.Kind
	// Sources shows only entries with one of these badge keys ("A", "P";
	// all when empty).
	Sources []string
}

// Timeline is everything of a person by date, grouped by day, newest
// first: a day header, then that day's entries. It is built once from the
// entries in memory; [Timeline.Item] words one item on demand, so a list
// of 50,000 rows asks only for the rows on screen and never reads the
// vault while scrolling. A Timeline is a snapshot: get a new one after a
// change.
type Timeline struct {
	entries []*record.Entry
	items   []timelineItem
	keys    *sourceKeys
	person  string
	// Chips are the filters that apply: the kinds and the sources present,
	// with counts.
	KindChips   []Chip
	SourceChips []Chip
	// Years marks where each year starts, for a scrubber.
	Years []YearMark
	// Total is the number of entries shown (headers not counted).
	Total int
}

// Chip is one filter toggle: a kind or a source with its count.
type Chip struct {
	// Value is the record.Kind or the badge key it filters by.
	Value string
	Label string
	Count int
}

// YearMark is where a year's first item is in the timeline.
type YearMark struct {
	Year  int
	Index int
}

type timelineItem struct {
	header bool
	entry  int // index into entries (the first of the day for a header)
	count  int // entries of the day, for a header
	day    int // index of the item's day header
}

// TimelineItem is one line of the timeline: a day header or an entry.
type TimelineItem struct {
	Header bool
	// Heading is the day header's text: "Tue 12 Mar 2024 · Valley Clinic".
	Heading string
	Row     Row
}

// Timeline returns a person's timeline with filter f applied.
func (s *Session) Timeline(person string, f TimelineFilter) (*Timeline, error) {
	v, p, es, err := s.loadPerson(person)
	if err != nil {
		return nil, err
	}
	t := &Timeline{entries: es, keys: s.keysFor(v, p.ID), person: p.Name}
	kindCount := map[record.Kind]int{}
	srcCount := map[string]int{}
	lastDay := "\x00"
	lastYear := -1
	header := 0
	for i, e := range es {
		badges := t.keys.badges(e.Sources)
		kindCount[e.Kind]++
		for _, b := range badges {
			srcCount[b.Key]++
		}
		if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, e.Kind) {
			continue
		}
		if len(f.Sources) > 0 && !slices.ContainsFunc(badges, func(b Badge) bool { return slices.Contains(f.Sources, b.Key) }) {
			continue
		}
		day := e.Date.Day()
		if day != lastDay {
			lastDay = day
			if y := yearOf(e.Date); y != lastYear {
				lastYear = y
				t.Years = append(t.Years, YearMark{Year: y, Index: len(t.items)})
			}
			header = len(t.items)
			t.items = append(t.items, timelineItem{header: true, entry: i, day: header})
		}
		t.items = append(t.items, timelineItem{entry: i, day: header})
		t.Total++
		t.items[header].count++
	}
	for _, k := range record.Kinds {
		if n := kindCount[k]; n > 0 {
			t.KindChips = append(t.KindChips, Chip{Value: string(k), Label: k.Label(), Count: n})
		}
	}
	for _, b := range t.keys.legend {
		if n := srcCount[b.Key]; n > 0 {
			t.SourceChips = append(t.SourceChips, Chip{Value: b.Key, Label: b.Key + " · " + b.Name, Count: n})
		}
	}
	return t, nil
}

func yearOf(d record.Date) int {
	if d.IsZero() {
		return 0
	}
	return d.T.Year()
}

// Len is the number of items (headers and entries).
func (t *Timeline) Len() int { return len(t.items) }

// Item words item i (0 ≤ i < Len()).
func (t *Timeline) Item(i int) TimelineItem {
	it := t.items[i]
	e := t.entries[it.entry]
	if !it.header {
		return TimelineItem{Row: rowOf(e, t.keys, t.person)}
	}
	heading := DayHeading(e.Date)
	var names []string
	for j := it.entry; j < len(t.entries) && t.entries[j].Date.Day() == e.Date.Day() && len(names) < 3; j++ {
		for _, b := range t.keys.badges(t.entries[j].Sources) {
			if !slices.Contains(names, b.Name) {
				names = append(names, b.Name)
			}
		}
	}
	switch {
	case len(names) > 2:
		heading += " · " + names[0] + " and others"
	case len(names) > 0:
		heading += " · " + strings.Join(names, ", ")
	}
	return TimelineItem{Header: true, Heading: heading}
}

// HeaderIndex returns the index of the day header item i falls under
// (i itself for a header): what a sticky day header shows while item i is
// at the top of the list. 0 ≤ i < Len().
func (t *Timeline) HeaderIndex(i int) int { return t.items[i].day }

// YearAt returns the year of item i (0 for undated entries), for the
// year scrubber to mark where the list is. 0 ≤ i < Len().
func (t *Timeline) YearAt(i int) int {
	j, found := slices.BinarySearchFunc(t.Years, i, func(m YearMark, i int) int { return m.Index - i })
	if !found {
		j--
	}
	if j < 0 {
		return 0
	}
	return t.Years[j].Year
}

// Page words items from..from+n-1 (fewer at the end).
func (t *Timeline) Page(from, n int) []TimelineItem {
	from = max(0, min(from, len(t.items)))
	to := min(len(t.items), from+max(n, 0))
	out := make([]TimelineItem, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, t.Item(i))
	}
	return out
}
