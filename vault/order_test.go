package vault

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// TestReorder: the order kept across changes is the order a full sort
// gives, over random vaults and random changes (additions, edits that
// move an entry in time, deletions, entries of one date and undated ones).
func TestReorder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	entry := func(id int) *record.Entry {
		e := &record.Entry{ID: fmt.Sprintf("%06d", id), Kind: record.Kinds[r.IntN(len(record.Kinds))], Title: fmt.Sprint("t", r.IntN(5))}
		if r.IntN(10) > 0 { // a tenth undated
			e.Date = record.Date{T: day.AddDate(0, 0, r.IntN(30)), Precision: record.PrecisionDay}
		}
		return e
	}
	for round := range 200 {
		all := map[string]*record.Entry{}
		for i := range r.IntN(50) {
			e := entry(i)
			all[e.ID] = e
		}
		old := sortedOf(all)
		changed, deleted := map[string]*record.Entry{}, map[string]bool{}
		for range r.IntN(10) {
			id := fmt.Sprintf("%06d", r.IntN(60))
			switch r.IntN(3) {
			case 0:
				deleted[id] = true
			default:
				e := entry(0)
				e.ID = id
				changed[id] = e
			}
		}
		got := reorder(old, changed, deleted)
		for id := range deleted {
			delete(all, id)
		}
		for id, e := range changed {
			if !deleted[id] {
				all[id] = e
			}
		}
		if want := sortedOf(all); !slices.Equal(got, want) {
			t.Fatalf("round %d: reorder gives %v, a sort %v", round, ids(got), ids(want))
		}
	}
}

func sortedOf(m map[string]*record.Entry) []*record.Entry {
	var out []*record.Entry
	for _, e := range m {
		out = append(out, e)
	}
	slices.SortFunc(out, newestFirst)
	return out
}

func ids(es []*record.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
