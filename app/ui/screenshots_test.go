package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// TestScreenshots draws every screen of the frame's and writes PNGs to
// $KINFOLIO_SCREENSHOTS, at 1280×800 and 1024×640, light and dark, for a
// person to look at (Fyne's software painter; the Xvfb test in the main
// package captures the real window). Without the variable it is skipped.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("KINFOLIO_SCREENSHOTS")
	if dir == "" {
		t.Skip("set KINFOLIO_SCREENSHOTS=DIR to draw the screens")
	}
	os.MkdirAll(dir, 0o755)
	type step struct {
		name string
		do   func(r *run, d *app.Demo)
	}
	steps := []step{
		{"welcome", func(r *run, d *app.Demo) { r.k.showWelcome() }},
		{"create", func(r *run, d *app.Demo) { r.k.showCreate(filepath.Join(r.dir, "new.kinfolio")) }},
		{"create-typed", func(r *run, d *app.Demo) {
			r.k.showCreate(filepath.Join(r.dir, "new.kinfolio"))
			c := r.k.current.(*createScreen)
			typeInto(&c.fields.pass.Entry, "maple otter lantern")
			typeInto(&c.fields.again.Entry, "maple otter lanter")
		}},
		{"recovery", func(r *run, d *app.Demo) {
			r.k.showRecoveryKey("AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSTC8ZD6")
		}},
		{"recovery-saved", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.showRecoveryKey("AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSTC8ZD6")
			rs := r.k.current.(*recoveryScreen)
			rs.saveTo(filepath.Join(r.dir, "kinfolio-recovery-key.txt"))
			test.Tap(rs.saved)
		}},
		{"recovery-folder", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.showRecoveryKey("AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSTC8ZD6")
			r.k.current.(*recoveryScreen).saveFile()
		}},
		{"unlock-demo", func(r *run, d *app.Demo) { r.k.showUnlock(r.k.path, "") }},
		{"unlock-key", func(r *run, d *app.Demo) {
			r.k.showUnlock(r.k.path, "")
			r.k.current.(*unlockScreen).askKey()
		}},
		{"opening-demo", func(r *run, d *app.Demo) {
			b := newBusy()
			r.k.show("opening-demo", centered(460, demoBadge(), container.NewCenter(container.NewGridWrap(fyne.NewSize(72, 72), widget.NewIcon(Icon))), b))
			b.start("Making the demo: a made-up family's records from three clinics…")
		}},
		{"unlock-wrong", func(r *run, d *app.Demo) {
			r.k.showUnlock(r.k.path, "")
			r.unlock("not it")
		}},
		{"unlock-autolocked", func(r *run, d *app.Demo) {
			r.k.showUnlock(r.k.path, "Kinfolio locked itself after 5 minutes without use. Unlock to go on.")
		}},
		{"frame", func(r *run, d *app.Demo) { r.unlock(d.Passphrase) }},
		{"frame-switcher", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.frame.rail.openMenu()
		}},
		{"frame-add-person", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.addPerson()
		}},
		{"frame-remove-person", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.Navigate(Route{Person: d.People[1].ID})
			r.k.removePerson(r.k.frame.person)
		}},
		{"frame-more-menu", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.tap("")
		}},
		{"import-chooser", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.tap("Import")
			c := r.k.work.chooser
			dir, _ := filepath.Abs("testdata/corpus/ccda/onc-meditech-magic")
			c.goTo(dir)
			if len(c.items) > 0 {
				c.list.Select(0)
			}
		}},
		{"import-progress", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			run := r.k.newImportRun([]string{"export.zip"})
			run.latest.Store(&app.Progress{Text: "Reading export.zip… 412 MB of 1.0 GB", Fraction: 0.37})
			run.started = time.Now().Add(-41 * time.Second)
			run.paint()
		}},
		{"import-report", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.Dropped(fyne.Position{}, uris(t, larsonMeditech, larsonMcKesson, xdmSample))
		}},
		{"import-whose", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.Dropped(fyne.Position{}, uris(t, appleMinimal))
			r.k.work.asking.choice.SetSelected("Someone new")
		}},
		{"import-cancelled", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.work.progressHook = func(p app.Progress) {
				if run := r.k.work.run; run != nil && !run.cancelled {
					run.cancelNow()
				}
			}
			r.k.Dropped(fyne.Position{}, uris(t, larsonMeditech))
		}},
		{"sources-remove", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			srcs, _ := r.k.session.Sources(r.k.frame.person.ID)
			if len(srcs) > 0 {
				r.k.Navigate(Route{Person: r.k.frame.person.ID, Section: app.SectionSources})
				r.k.removeSource(srcs[0])
			}
		}},
		{"export-summary", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.export()
		}},
		{"export-card", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.export()
			r.k.work.export.chooseLabel(t, "Emergency card")
		}},
		{"export-backup", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.export()
			r.k.work.export.chooseLabel(t, "Backup of everyone")
			r.k.work.export.lock.SetSelected(lockWithKey)
		}},
		{"export-saved", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.export()
			e := r.k.work.export
			e.dir = r.dir
			test.Tap(e.save)
		}},
		{"restore", func(r *run, d *app.Demo) {
			r.k.showWelcome()
			r.k.restoreBackup()
		}},
		{"frame-empty", func(r *run, d *app.Demo) {
			path := newVault(t)
			r.k.lockSession()
			r.k.showUnlock(path, "")
			r.unlock("correct horse battery staple")
		}},
		{"about", func(r *run, d *app.Demo) { r.k.showAbout() }},
		{"settings", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.settings()
		}},
		{"settings-bottom", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			shotKey(r)
			r.k.settings()
			p := r.settingsPage()
			p.keyText.SetText("age1notakey")
			p.addCaregiverKey()
			p.scroll.ScrollToBottom()
		}},
		{"settings-passphrase", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.settings()
			r.tap("Change the passphrase…")
			typeInto(r.entry("New passphrase"), "maple otter lantern")
			typeInto(r.entry("The same passphrase again"), "maple otter lanter")
		}},
		{"settings-passphrase-busy", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.settings()
			r.k.runner = func(func()) {} // the work never ends: the spinner stays
			r.tap("Change the passphrase…")
			r.tap("Suggest one")
			r.tap("Change the passphrase")
		}},
		{"settings-recovery-new", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.settings()
			r.tap("Make a new recovery key…")
		}},
		{"settings-key-remove", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			shotKey(r)
			r.k.settings()
			r.tap("Remove…")
		}},
		{"settings-larger-dark", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.settings()
			r.settingsPage().textSize.SetSelected("Largest")
			r.settingsPage().theme.SetSelected("Dark")
		}},
		{"auditlog", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			shotKey(r)
			r.k.auditLog()
		}},
		{"auditlog-filtered", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.auditLog()
			p := r.k.frame.page.(*auditPage)
			p.kind.SetSelected("Imports")
			typeInto(&p.word.Entry, "xml")
		}},
		{"entry-choose", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.addEntry()
		}},
		{"entry-blood-pressure-problem", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.addEntry()
			r.tap("Blood pressure")
			typeInto(r.entry("e.g. 128"), "82")
			typeInto(r.entry("e.g. 82"), "128")
			typeInto(r.entry("e.g. 2024-03-01, 2024-03 or 2024"), "2027-01-05")
			r.tap("Save")
		}},
		{"entry-medicine", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.addEntry()
			r.tap("Medicine")
			typeInto(r.entry("e.g. Lisinopril 10 mg tablets"), "Lisinopril")
			typeInto(r.entry("e.g. 10"), "10")
			findSelect(r, "Unit").SetSelected("mg")
			r.choice("e.g. by mouth").pick("by mouth")
		}},
		{"entry-allergy", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.addEntry()
			r.tap("Allergy")
			typeInto(r.entry("e.g. Penicillin, peanuts, cats"), "Penicillin")
			r.choice("e.g. hives, swelling").pick("Hives")
			r.choice("e.g. hives, swelling").showChoices()
		}},
		{"entry-saved-detail", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.addEntry()
			r.tap("Blood pressure")
			typeInto(r.entry("e.g. 128"), "128")
			typeInto(r.entry("e.g. 82"), "82")
			r.tap("Save")
		}},
		{"entry-edit", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			r.k.addEntry()
			r.tap("Blood pressure")
			typeInto(r.entry("e.g. 128"), "128")
			typeInto(r.entry("e.g. 82"), "82")
			r.tap("Save")
			r.tap("Edit")
		}},
		{"entry-imported", func(r *run, d *app.Demo) {
			r.unlock(d.Passphrase)
			rows, _ := r.k.Session().List(d.People[0].ID, app.SectionMedications)
			for _, row := range rows {
				if len(row.Badges) > 0 && row.Badges[0].Key != "P" {
					r.k.Navigate(Route{Person: d.People[0].ID, Section: app.SectionMedications, Entry: row.ID})
					break
				}
			}
		}},
	}
	master, d := newDemo(t)
	demoBytes, err := os.ReadFile(master)
	if err != nil {
		t.Fatal(err)
	}
	for _, variant := range []string{"light", "dark"} {
		for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 1024, Height: 640}} {
			for _, st := range steps {
				if only := os.Getenv("KINFOLIO_SCREENSHOTS_ONLY"); only != "" && !strings.Contains(st.name, only) {
					continue
				}
				path := filepath.Join(t.TempDir(), app.DemoFile)
				os.WriteFile(path, demoBytes, 0o600)
				r := start(t, path)
				choice := ThemeLight
				if variant == "dark" {
					choice = ThemeDark
				}
				r.k.fyne.Settings().SetTheme(newTheme(choice, 1))
				r.k.win.Resize(size)
				t.Logf("%s %s %v", st.name, variant, size)
				st.do(r, d)
				// The test canvas lays out only what is resized: a size a
				// pixel off and back lays out every container, as the real
				// window does each frame.
				r.k.win.Resize(size.AddWidthHeight(1, 1))
				r.k.win.Resize(size)
				img := r.k.win.Canvas().Capture()
				name := filepath.Join(dir, st.name+"-"+variant+"-"+sizeName(size)+".png")
				f, err := os.Create(name)
				if err != nil {
					t.Fatal(err)
				}
				png.Encode(f, img)
				f.Close()
			}
		}
	}
}

// shotKey adds a caregiver's key (a fixed one: the pictures stay the same).
func shotKey(r *run) {
	if err := r.k.Session().AddCaregiverKey("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", "Sam Lee"); err != nil {
		r.t.Fatal(err)
	}
}

func sizeName(s fyne.Size) string {
	if s.Width >= 1280 {
		return "1280"
	}
	return "1024"
}
