package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

// openDemo starts the app on a demo vault and unlocks it.
func openDemo(t *testing.T) (*run, *app.Demo) {
	t.Helper()
	path, d := newDemo(t)
	r := start(t, path)
	r.unlock(d.Passphrase)
	r.wantScreen("frame")
	return r, d
}

func TestFrame_RailAndTopBar(t *testing.T) {
	stubPages(t, app.SectionSummary)
	r, _ := openDemo(t)
	r.wantText("DEMO", "Ann Lee", "45 years · born 12 Apr 1981",
		"Summary", "Timeline", "Problems", "Medications", "Allergies", "Results & vitals", "Immunizations",
		"Visits & procedures", "Documents", "Claims & billing", "Sources",
		"Import", "Print / Export", "Add entry", "Lock", "Page: summary")
	if got := r.k.win.Title(); got != "Kinfolio (demo) — Ann Lee" {
		t.Errorf("title %q", got)
	}
	// Each section with its count, as app counts it.
	rail, _ := r.k.Session().Rail(r.k.frame.person.ID)
	for _, it := range r.k.frame.rail.items {
		if it.Section == app.SectionMedications {
			if want := rail.Sections[3]; it != want {
				t.Errorf("rail row %+v, want %+v", it, want)
			}
		}
	}
	r.wantText("Medications", "6") // metformin twice (the sources differ), lisinopril, atorvastatin, azithromycin, vitamin D
	// The avatar's colour comes from the person's id, random per vault:
	// pin it for the golden.
	r.k.frame.rail.badge.set("A", 200)
	test.AssertRendersToMarkup(t, "frame.xml", r.k.win.Canvas())

	// A section without a page yet says so, plainly.
	r.k.Navigate(Route{Section: app.SectionTimeline})
	r.wantText("Timeline is not built yet.")
	// Tapping a rail row opens its section.
	r.k.frame.rail.sections.Select(3)
	if r.k.lastRoute.Section != app.SectionMedications {
		t.Errorf("tapping Medications went to %+v", r.k.lastRoute)
	}
}

func TestFrame_SwitchPerson(t *testing.T) {
	stubPages(t, app.SectionSummary, SectionSearch)
	r, d := openDemo(t)
	ann, sam := d.People[0], d.People[1]
	typeInto(r.k.frame.search, "metformin")
	if r.k.lastRoute.Section != SectionSearch || r.k.lastRoute.Query != "metformin" || r.k.lastRoute.Person != ann.ID {
		t.Fatalf("typing a search went to %+v", r.k.lastRoute)
	}
	// The switcher's menu lists the people; choosing Sam shows him.
	menu := r.k.frame.rail.menu()
	var labels []string
	for _, it := range menu.Items {
		labels = append(labels, it.Label)
	}
	if got := strings.Join(labels, "|"); got != "Ann Lee, 45|Sam Lee, 9||Add a person…|Rename Ann Lee…|Ann Lee's details and emergency contacts…|Remove Ann Lee…" {
		t.Errorf("switcher menu %q", got)
	}
	if !menu.Items[0].Checked || menu.Items[1].Checked {
		t.Error("the switcher does not tick the person on show")
	}
	menu.Items[1].Action()
	if got := r.k.win.Title(); got != "Kinfolio (demo) — Sam Lee" {
		t.Errorf("title after switching %q", got)
	}
	r.wantText("Sam Lee", "9 years · born 3 Jun 2017", "Page: summary")
	r.noText("Ann Lee")
	if r.k.frame.search.Text != "" {
		t.Errorf("switching person kept the search %q", r.k.frame.search.Text)
	}
	if r.k.lastRoute != (Route{Person: sam.ID, Section: app.SectionSummary}) {
		t.Errorf("route after switching %+v", r.k.lastRoute)
	}
	// The window remembers Sam for next time.
	r.k.lockNow()
	r.unlock(d.Passphrase)
	r.wantText("Sam Lee")
	if r.k.frame.person.ID != sam.ID {
		t.Errorf("after unlocking again the window shows %s, want Sam", r.k.frame.person.Name)
	}
}

func TestFrame_Search(t *testing.T) {
	made := stubPages(t, app.SectionSummary, app.SectionMedications, SectionSearch)
	r, _ := openDemo(t)
	r.k.Navigate(Route{Section: app.SectionMedications})
	// Ctrl+F (a main-menu item) puts the cursor in the search field.
	item := r.menuItem("Search")
	if sc, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyF || sc.Modifier != fyne.KeyModifierShortcutDefault {
		t.Errorf("Search's shortcut %#v, want Ctrl+F", item.Shortcut)
	}
	item.Action()
	if r.k.win.Canvas().Focused() != r.k.frame.search {
		t.Error("Ctrl+F did not focus the search field")
	}
	// Results as you type: one search page, told each new query.
	test.Type(r.k.frame.search, "met")
	test.Type(r.k.frame.search, "f")
	search := (*made)[len(*made)-1]
	if n := len(*made); n != 3 { // summary, medications, search
		t.Errorf("%d pages made, want 3", n)
	}
	if len(search.routes) != 3 || search.routes[2].Query != "metf" {
		t.Errorf("the search page was shown %+v", search.routes)
	}
	// Clearing the field goes back to where the person was.
	r.k.frame.search.SetText("")
	if r.k.lastRoute.Section != app.SectionMedications {
		t.Errorf("clearing the search went to %+v", r.k.lastRoute)
	}
}

// A page is refreshed once per change to the vault, and the rail's counts follow.
func TestFrame_RefreshOncePerChange(t *testing.T) {
	made := stubPages(t, app.SectionSummary)
	r, d := openDemo(t)
	page := (*made)[0]
	s := r.k.Session()
	ann := d.People[0]
	if _, err := s.AddEntry(ann.ID, app.NewEntry{Kind: record.KindMedication, Title: "Magnesium 250 mg"}); err != nil {
		t.Fatal(err)
	}
	if page.refreshes != 1 {
		t.Errorf("after one change the page was refreshed %d times", page.refreshes)
	}
	r.wantText("7") // medications
	if err := s.RenamePerson(ann.ID, "Ann Lee-Park"); err != nil {
		t.Fatal(err)
	}
	if page.refreshes != 2 {
		t.Errorf("after two changes the page was refreshed %d times", page.refreshes)
	}
	if got := r.k.win.Title(); got != "Kinfolio (demo) — Ann Lee-Park" {
		t.Errorf("title after renaming %q", got)
	}
	if len(*made) != 1 {
		t.Errorf("changes rebuilt the page (%d made)", len(*made))
	}
	// A stale notification (a later change already drawn) does nothing.
	r.k.frame.changed(app.Change{Revision: 1, Kind: app.ChangeRecords})
	if page.refreshes != 2 {
		t.Error("an old notification refreshed the page")
	}
}

func TestFrame_AddRenameRemovePeople(t *testing.T) {
	stubPages(t, app.SectionSummary)
	r, d := openDemo(t)
	r.k.addPerson()
	typeInto(r.entry("Name, as on their records"), "Ruth Lee")
	typeInto(r.entry("1981-04-12, or just the year (optional)"), "1948")
	r.tap("Add")
	if got := r.k.win.Title(); got != "Kinfolio (demo) — Ruth Lee" {
		t.Errorf("after adding Ruth the title is %q", got)
	}
	ruth := r.k.frame.person
	r.wantText("Ruth Lee", "born 1948")

	r.k.renamePerson(ruth)
	typeInto(r.entry(""), "")
	r.tap("Rename")
	r.wantText("A person needs a name.")
	typeInto(r.entry(""), "Ruth Lee Park")
	r.tap("Rename")
	r.wantText("Ruth Lee Park")

	// Removing says what goes, names the person, and needs a yes.
	r.k.frame.rail.menu() // the menu offers it for the person on show
	sam := d.People[1]
	r.k.Navigate(Route{Person: sam.ID})
	r.k.removePerson(r.k.frame.person)
	plan, _ := r.k.Session().PlanRemoval(sam.ID)
	r.wantText("Remove Sam Lee?", "Remove Sam Lee and their", "entries", "cannot be undone")
	if !strings.Contains(plan.Question, "Sam Lee") {
		t.Errorf("removal question %q", plan.Question)
	}
	r.tap("Keep")
	if _, err := r.k.Session().Person(sam.ID); err != nil {
		t.Fatal("Keep removed Sam")
	}
	r.k.removePerson(r.k.frame.person)
	r.tap("Remove")
	if _, err := r.k.Session().Person(sam.ID); err == nil {
		t.Fatal("Sam is still in the vault")
	}
	// The window moved to someone still there.
	if r.k.frame.person.ID == sam.ID || r.k.frame.person.ID == "" {
		t.Errorf("after removing Sam the window shows %+v", r.k.frame.person)
	}
	r.noText("Sam Lee")
}

func TestLock_ButtonAndCtrlL(t *testing.T) {
	stubPages(t, app.SectionSummary)
	for _, how := range []string{"button", "Ctrl+L"} {
		t.Run(how, func(t *testing.T) {
			r, d := openDemo(t)
			s := r.k.Session()
			switch how {
			case "button":
				r.tap("Lock")
			default:
				item := r.menuItem("Lock")
				if sc, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyL || sc.Modifier != fyne.KeyModifierShortcutDefault {
					t.Fatalf("Lock's shortcut %#v, want Ctrl+L", item.Shortcut)
				}
				item.Action()
			}
			r.wantScreen("unlock")
			if !s.Locked() || r.k.Session() != nil || r.k.frame != nil {
				t.Errorf("after locking: session locked %v, app session %v, frame %v", s.Locked(), r.k.Session(), r.k.frame)
			}
			r.noText("Ann Lee", "Medications", "Page: summary")
			if r.k.win.Title() != "Kinfolio (demo)" {
				t.Errorf("title after locking %q", r.k.win.Title())
			}
			// The locked menu offers only vaults.
			if mm := r.k.win.MainMenu(); len(mm.Items) != 2 {
				t.Errorf("locked main menu has %d menus", len(mm.Items))
			}
			r.unlock(d.Passphrase)
			r.wantScreen("frame")
		})
	}
}

func TestLock_AutoLockAfterIdleMinutes(t *testing.T) {
	stubPages(t, app.SectionSummary, app.SectionTimeline)
	r, d := openDemo(t)
	r.clock.Advance(4 * time.Minute)
	r.k.Navigate(Route{Section: app.SectionTimeline}) // use: the wait starts again
	r.clock.Advance(4 * time.Minute)
	r.wantScreen("frame")
	r.clock.Advance(time.Minute)
	r.wantScreen("unlock")
	r.wantText("Kinfolio locked itself after 5 minutes without use.")
	r.noText("Ann Lee")

	// In the background that long: locked too.
	r.unlock(d.Passphrase)
	r.wantScreen("frame")
	lc := r.k.fyne.Lifecycle().(interface {
		OnExitedForeground() func()
		OnEnteredForeground() func()
	})
	lc.OnExitedForeground()()
	r.clock.Advance(2 * time.Minute)
	r.k.touch() // a pointer over the window in the background does not count
	r.clock.Advance(3 * time.Minute)
	r.wantScreen("unlock")
	lc.OnEnteredForeground()()
	r.wantScreen("unlock")

	// Back in front soon enough: still open.
	r.unlock(d.Passphrase)
	lc.OnExitedForeground()()
	r.clock.Advance(time.Minute)
	lc.OnEnteredForeground()()
	r.clock.Advance(4 * time.Minute)
	r.wantScreen("frame")
}

// The main menu's actions have their shortcuts.
func TestFrame_Shortcuts(t *testing.T) {
	stubPages(t, app.SectionSummary)
	r, _ := openDemo(t)
	for label, key := range map[string]fyne.KeyName{"Import…": fyne.KeyO, "Print / Export…": fyne.KeyP, "Add entry…": fyne.KeyN} {
		sc, ok := r.menuItem(label).Shortcut.(*desktop.CustomShortcut)
		if !ok || sc.KeyName != key {
			t.Errorf("%s has shortcut %v, want Ctrl+%s", label, r.menuItem(label).Shortcut, key)
		}
	}
	r.k.showAbout()
	r.wantText("About Kinfolio", "Nothing leaves this computer")
	var _ = widget.NewLabel
}

// TestFrame_EditDetailsAndContacts: a person's emergency contacts are
// typed in their details dialog and kept for the card.
func TestFrame_EditDetailsAndContacts(t *testing.T) {
	stubPages(t, app.SectionSummary)
	r, d := openDemo(t)
	ann := d.People[0]
	r.k.Navigate(Route{Person: ann.ID})
	r.k.editPerson(r.k.frame.person)
	r.wantText("Ann Lee's details", "Emergency contacts", "The emergency card prints these two")
	typeInto(r.entry("1981-04-12, or just the year"), "last year")
	r.tap("Save")
	r.wantText("Ann Lee's details") // still open: the date is not one
	typeInto(r.entry("1981-04-12, or just the year"), "1981-04-12")
	byHolder := func(ph string) []*widget.Entry {
		var out []*widget.Entry
		for _, e := range r.entries() {
			if e.PlaceHolder == ph {
				out = append(out, e)
			}
		}
		return out
	}
	typeInto(byHolder("Name")[0], "Jo Lee")
	typeInto(byHolder("Relation (mother, neighbour…)")[0], "mother")
	typeInto(byHolder("Phone")[0], "555 0100")
	typeInto(r.entry(`Only when it matters for care ("Spanish")`), "Spanish")
	r.tap("Save")
	p, err := r.k.Session().Person(ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The demo gives Ann two contacts: the first was typed over, the
	// second kept as it was.
	if len(p.Contacts) != 2 || p.Contacts[0].Name != "Jo Lee" || p.Contacts[0].Phone != "555 0100" ||
		p.Contacts[1].Name != "Grace Park" || p.Language != "Spanish" {
		t.Errorf("details kept: %+v %q", p.Contacts, p.Language)
	}
}
