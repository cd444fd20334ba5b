package pdf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Every page of the summary and the full record carries the person and
// "Page n of N"; every row its source key; the legend names the sources.
func TestPrintouts_EveryPageNamesThePerson(t *testing.T) {
	for _, k := range []Kind{KindSummary, KindFull} {
		for _, o := range []Options{{}, {LargePrint: true, Paper: A4}} {
			t.Run(fmt.Sprintf("%s large=%v", k, o.LargePrint), func(t *testing.T) {
				pages := pageTexts(t, render(t, k, threeSources(), o))
				if len(pages) < 2 {
					t.Fatalf("%d pages, want several", len(pages))
				}
				for i, p := range pages {
					p = collapse(p)
					want := fmt.Sprintf("Page %d of %d · Zoë Ñúñez-Øster · born 23 Jul 1958", i+1, len(pages))
					if !strings.Contains(p, want) {
						t.Errorf("page %d lacks %q:\n%s", i+1, want, p)
					}
					if !strings.Contains(p, "Born 23 Jul 1958 (age 66) · Female") {
						t.Errorf("page %d's header lacks the birth date and age", i+1)
					}
					if !strings.Contains(p, "Sources") {
						t.Errorf("page %d has no source legend", i+1)
					}
				}
			})
		}
	}
}

func TestVisitSummary_Contents(t *testing.T) {
	text := allText(t, render(t, KindSummary, threeSources(), Options{Reason: "Short of breath when climbing stairs\nsince January.", ReferredBy: "Dr Mei Chen"}))
	for _, want := range []string{
		"Zoë Ñúñez-Øster",
		"Patient-held summary, from records dated 1979–2024", "Printed 14 Mar 2025",
		"Reason for visit", "Short of breath when climbing stairs", "Referred by: Dr Mei Chen",
		// Allergies, with reaction and severity, and the alerts.
		"Alerts and allergies", "Penicillin", "Hives, Anaphylaxis", "Peanut", "Swelling of the lips",
		"On a blood thinner: Apixaban 5 MG Oral Tablet · B", "Device: Cardiac pacemaker (Apr 2023) · B", "Communication: prefers Spanish",
		// Every current medication, the disagreeing one merged into one row.
		"Apixaban 5 MG Oral Tablet", "Lisinopril 10 MG Oral Tablet", "Metformin 500 MG Oral Tablet",
		"Atorvastatin 40 MG Oral Tablet", "Vitamin D3 1000 IU (over the counter)",
		"⚠ Differs: A 10 mg once daily (Mar 2024) · B 20 mg once daily (Mar 2024)",
		"last confirmed 2024", "(self-reported)",
		"Type 2 diabetes mellitus", "Past history: Fracture of left wrist (2008, P) · Appendicitis (1979, A)",
		// Results flagged with a symbol, not only bold.
		"Key results", "Hemoglobin A1c", "8.1% ▲ H", "11.2 g/dL ▼ L", "range varies by lab", "personal goal < 7 (dashed)",
		"personal goal < 140/90 (dashed)",
		"Vital signs", "129/82 mmHg",
		"Procedures and hospital stays", "Insertion of cardiac pacemaker", "Hospital stay: Symptomatic bradycardia",
		"Implanted devices", "Care team and contacts", "Emergency contact: Łukasz Øster (husband) +1 555 0100",
		"Ана Петрова (daughter)", "Family doctor: Dr Σοφία Παπαδοπούλου",
		"Immunizations", "Influenza vaccine, seasonal", "Pneumococcal conjugate vaccine (PCV20)",
		"A = Valley Clinic, imported 2 Mar 2024", "B = Riverside Hospital, imported 20 Jun 2024", "P = self-reported",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	for _, unwanted := range []string{"No data available", "Amoxicillin", "Lisinopril 20 MG", "Unknown / Unknown"} {
		if strings.Contains(text, unwanted) {
			t.Errorf("the summary prints %q", unwanted)
		}
	}
	// Sections in the order of VISIT-SUMMARY.md.
	order := []string{"Reason for visit", "Alerts and allergies", "Current medications", "Active problems", "Key results",
		"Vital signs", "Procedures and hospital stays", "Implanted devices", "Care team and contacts", "Immunizations", "Sources"}
	last := -1
	for _, s := range order {
		i := strings.Index(text, "\n"+s)
		if i < last {
			t.Errorf("section %q is out of order", s)
		}
		last = i
	}
}

// The three allergy states are kept apart, and none reads "No data".
func TestVisitSummary_AllergyStates(t *testing.T) {
	none := threeSources()
	none.Entries = withoutKind(none.Entries, record.KindAllergy)
	nka := child()
	for _, c := range []struct {
		name  string
		in    func() []byte
		want  string
		wrong []string
	}{
		{"recorded", func() []byte { return render(t, KindSummary, threeSources(), Options{}) }, "Penicillin", []string{"No known allergies", "No allergy information"}},
		{"none known", func() []byte { return render(t, KindSummary, nka, Options{}) }, "No known allergies (confirmed 1 Oct 2024)", []string{"No allergy information"}},
		{"no information", func() []byte { return render(t, KindSummary, none, Options{}) }, "No allergy information recorded", []string{"No known allergies"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := allText(t, c.in())
			if !strings.Contains(text, c.want) {
				t.Errorf("lacks %q", c.want)
			}
			for _, w := range c.wrong {
				if strings.Contains(text, w) {
					t.Errorf("prints %q", w)
				}
			}
		})
	}
}

func withoutKind(es []record.Entry, k record.Kind) []record.Entry {
	var out []record.Entry
	for _, e := range es {
		if e.Kind != k {
			out = append(out, e)
		}
	}
	return out
}

func TestVisitSummary_Options(t *testing.T) {
	t.Run("sections", func(t *testing.T) {
		text := allText(t, render(t, KindSummary, threeSources(), Options{Sections: []Section{SectionMedications}}))
		for _, want := range []string{"Alerts and allergies", "Penicillin", "Current medications", "Apixaban"} {
			if !strings.Contains(text, want) {
				t.Errorf("lacks %q", want)
			}
		}
		for _, unwanted := range []string{"Key results", "Active problems", "Immunizations", "Care team"} {
			if strings.Contains(text, unwanted) {
				t.Errorf("prints %q, which was not selected", unwanted)
			}
		}
	})
	t.Run("since", func(t *testing.T) {
		text := allText(t, render(t, KindSummary, threeSources(), Options{Since: day("2023-01-01")}))
		if !strings.Contains(text, "Showing history since 1 Jan 2023") {
			t.Error("the header does not say the history is cut")
		}
		if strings.Contains(text, "Colonoscopy") {
			t.Error("a procedure of 2020 prints with --since 2023")
		}
		for _, want := range []string{"Insertion of cardiac pacemaker", "Metformin 500 MG", "Penicillin", "Essential hypertension"} {
			if !strings.Contains(text, want) {
				t.Errorf("lacks %q (current facts print whatever their date)", want)
			}
		}
	})
	t.Run("paper", func(t *testing.T) {
		for _, c := range []struct {
			p    Paper
			w, h float64
		}{{Letter, 215.9, 279.4}, {A4, 210, 297}} {
			for i, s := range pageSizes(t, render(t, KindSummary, threeSources(), Options{Paper: c.p})) {
				if math.Abs(s[0]-c.w) > 0.2 || math.Abs(s[1]-c.h) > 0.2 {
					t.Errorf("%v page %d is %.1f × %.1f mm", c.p, i+1, s[0], s[1])
				}
			}
		}
	})
	t.Run("large print", func(t *testing.T) {
		normal := wordHeight(t, render(t, KindSummary, threeSources(), Options{}), "Penicillin")
		large := wordHeight(t, render(t, KindSummary, threeSources(), Options{LargePrint: true}), "Penicillin")
		if r := large / normal; r < 1.2 || r > 1.3 {
			t.Errorf("large print is %.2f× the normal size, want 13/10.5", r)
		}
	})
}

// wordHeight returns the height in points of the first box pdftotext -bbox
// finds for word.
func wordHeight(t *testing.T, pdf []byte, word string) float64 {
	t.Helper()
	b := wordBox(t, pdf, word)
	return b[3] - b[1]
}

// wordBox returns xMin, yMin, xMax, yMax in points of the first box
// pdftotext -bbox finds for word on page 1.
func wordBox(t *testing.T, pdf []byte, word string) [4]float64 {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", writeTemp(t, pdf), "-")
	m := regexp.MustCompile(`xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">` + regexp.QuoteMeta(word) + `<`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no word %q in the PDF", word)
	}
	var b [4]float64
	for i := range b {
		b[i], _ = strconv.ParseFloat(m[i+1], 64)
	}
	return b
}

// A child with five entries gets a short summary with the right states.
func TestVisitSummary_Child(t *testing.T) {
	pdf := render(t, KindSummary, child(), Options{})
	pages := pageTexts(t, pdf)
	if len(pages) > 2 {
		t.Errorf("a child with five entries gets %d pages", len(pages))
	}
	text := collapse(strings.Join(pages, "\n"))
	for _, want := range []string{"Mia Kowalski", "Born 30 Sep 2021 (age 3) · Female", "No known allergies (confirmed 1 Oct 2024)",
		"No current medications recorded", "No active problems recorded", "MMR vaccine", "DTaP vaccine", "Well-child visit", "15.2 kg",
		"Contacts: none entered"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q", want)
		}
	}
}

// Names in Latin with diacritics, Greek and Cyrillic print and read back
// as themselves; what the font cannot draw prints as U+FFFD with a note.
func TestPrintouts_Scripts(t *testing.T) {
	in := bigPerson(300)
	in.Person.Contacts = []record.Contact{{Name: "Zoë Ñúñez-Øster", Relation: "sister", Phone: "555"}}
	for _, k := range Kinds {
		text := allText(t, render(t, k, in, Options{}))
		for _, want := range []string{"Αλέξανδρος Ιωάννου-Смирнов", "Zoë Ñúñez-Øster"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %q does not read back", k, want)
			}
		}
	}
	in.Person.Name = "王小明 Wang"
	text := allText(t, render(t, KindSummary, in, Options{}))
	if !strings.Contains(text, "\uFFFD\uFFFD\uFFFD Wang") || !strings.Contains(text, "cannot be printed with this document's font") {
		t.Errorf("characters outside the font do not print as U+FFFD with a note:\n%.400s", text)
	}
}

// Hostile text (control characters, huge titles, emoji, right-to-left
// letters, empty fields) prints without error.
func TestPrintouts_HostileText(t *testing.T) {
	in := threeSources()
	long := strings.Repeat("Supercalifragilistic", 400)
	in.Entries = append(in.Entries,
		record.Entry{ID: "h1", Kind: record.KindMedication, Title: long, Status: "active", Dosage: "\x00\x07\x1b[31m", Sources: []string{"src-valley"}},
		record.Entry{ID: "h2", Kind: record.KindAllergy, Title: "😀 \U0001F600 \u202e\u0645\u0631\u062d\u0628\u0627 שלום", Status: "active", Sources: []string{"src-valley"}},
		record.Entry{ID: "h3", Kind: record.KindLab, Title: "", Value: "NaN", Unit: "\t", Sources: []string{"unknown-source"}},
		record.Entry{ID: "h4", Kind: record.KindLab, Title: "Inf", Value: "1e308", Date: day("2024-01-01"), Sources: []string{"src-valley"}},
		record.Entry{ID: "h5", Kind: record.KindLab, Title: "Inf", Value: "-1e308", Date: day("2024-02-01"), Sources: []string{"src-valley"}},
	)
	in.Person.Name = "\x01Zoë\u0301\u0301\u0301"
	for _, k := range Kinds {
		for _, o := range []Options{{}, {LargePrint: true}, {CardStrip: true}} {
			text := allText(t, render(t, k, in, o))
			if k == KindSummary && !strings.Contains(text, "right-to-left scripts") {
				t.Error("right-to-left text prints without the note that it is not reordered")
			}
		}
	}
}

func FuzzVisitSummary(f *testing.F) {
	f.Add("Zoë Ñúñez-Øster", "Lisinopril 10 MG", "7.2", "%")
	f.Add("", "", "", "")
	f.Add("\x00\xff", "😀\u202e", "120/80", "mm[Hg]")
	f.Fuzz(func(t *testing.T, name, title, value, unit string) {
		in := child()
		in.Person.Name = name + "x"
		in.Entries = append(in.Entries,
			record.Entry{ID: "f1", Kind: record.KindMedication, Title: title, Dosage: value, Status: "active", Sources: []string{"src-peds"}},
			record.Entry{ID: "f2", Kind: record.KindLab, Title: title, Value: value, Unit: unit, Date: day("2024-01-01"), Sources: []string{"src-peds"}},
			record.Entry{ID: "f3", Kind: record.KindLab, Title: title, Value: value, Unit: unit, Date: day("2024-02-01"), Sources: []string{"src-peds"}},
		)
		for _, k := range Kinds {
			var buf bytes.Buffer
			if err := Write(&buf, k, in, Options{}); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
				t.Fatalf("%s: not a PDF", k)
			}
		}
	})
}

// The same Input and Now give the same bytes; another Now, other bytes.
func TestPrintouts_Reproducible(t *testing.T) {
	for _, k := range Kinds {
		a := render(t, k, threeSources(), Options{})
		b := render(t, k, threeSources(), Options{})
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two printouts of the same Input differ", k)
		}
		later := threeSources()
		later.Now = later.Now.Add(24 * time.Hour)
		if bytes.Equal(a, render(t, k, later, Options{})) {
			t.Errorf("%s: a printout of another day is byte-identical", k)
		}
	}
}

// The card: front and back side by side, 171.2 × 54 mm, with a 50 mm bar.
func TestEmergencyCard(t *testing.T) {
	strip := render(t, KindCard, threeSources(), Options{CardStrip: true})
	sizes := pageSizes(t, strip)
	if len(sizes) != 1 || math.Abs(sizes[0][0]-171.2) > 0.1 || math.Abs(sizes[0][1]-54) > 0.1 {
		t.Errorf("the strip's pages are %v mm, want one of 171.2 × 54", sizes)
	}
	sheet := render(t, KindCard, threeSources(), Options{Paper: A4})
	if s := pageSizes(t, sheet); len(s) != 1 || math.Abs(s[0][0]-210) > 0.2 {
		t.Errorf("the sheet is %v mm, want one A4 page", s)
	}
	for _, pdf := range [][]byte{strip, sheet} {
		text := allText(t, pdf)
		for _, want := range []string{"MEDICAL INFORMATION", "Zoë Ñúñez-Øster", "Born 23 Jul 1958 (age 66)",
			"ALLERGIES", "Penicillin – Hives, Anaphylaxis (severe)", "Peanut – Swelling of the lips",
			"CONDITIONS AND ALERTS", "Atrial fibrillation", "On apixaban (blood thinner)", "Cardiac pacemaker",
			"EMERGENCY CONTACTS", "Łukasz Øster (husband) +1 555 0100", "Ана Петрова (daughter) +1 555 0101",
			"MEDICATIONS", "Apixaban 5 MG Oral Tablet – 5 mg twice daily", "Metformin", "Atorvastatin", "Vitamin D3", "Lisinopril",
			"sources differ: 20 mg once daily", "DEVICES", "FAMILY DOCTOR", "Language: Spanish", "Blood type: A Rh+ (lab, 10 Apr 2023)",
			"Updated 14 Mar 2025"} {
			if !strings.Contains(text, want) {
				t.Errorf("the card lacks %q", want)
			}
		}
	}
	text := allText(t, sheet)
	for _, want := range []string{"Print at 100% — do not fit to page", "This bar must measure 50 mm", "Cut out one card along the corner marks"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
	// Measure the calibration bar and the card on the sheet as printed at
	// 254 dpi (10 pixels a millimetre).
	img := rasterize(t, sheet, 254)
	y := wordBox(t, sheet, "must")[1] * 254 / 72 // the bar is beside its label, "This bar must measure 50 mm"
	if w := longestDarkRun(img, int(y)-40, int(y)+40); math.Abs(float64(w)-500) > 3 {
		t.Errorf("the calibration bar is %d px at 10 px/mm, want 500", w)
	}
	// The front's banner spans the card less 2 mm a side: 81.6 mm.
	y = wordBox(t, sheet, "INFORMATION")[1] * 254 / 72
	if w := longestDarkRun(img, int(y)-10, int(y)+40); math.Abs(float64(w)-816) > 3 {
		t.Errorf("the card's banner is %d px at 10 px/mm, want 816", w)
	}
}

// The card's front shows the three allergy states apart.
func TestEmergencyCard_AllergyStates(t *testing.T) {
	none := child()
	none.Entries = withoutKind(none.Entries, record.KindAllergy)
	if text := allText(t, render(t, KindCard, child(), Options{})); !strings.Contains(text, "No known allergies (confirmed 1 Oct 2024)") {
		t.Error("the card does not say no known allergies")
	}
	if text := allText(t, render(t, KindCard, none, Options{})); !strings.Contains(text, "No allergy information recorded") {
		t.Error("the card does not say no allergy information")
	}
}

func TestFullRecord(t *testing.T) {
	pdf := render(t, KindFull, threeSources(), Options{})
	pages := pageTexts(t, pdf)
	// The contents on page 1 give each section's page; the section starts there.
	cover := collapse(pages[0])
	for _, sec := range []string{"Medications", "Allergies and intolerances", "Problems", "Immunizations", "Results", "Vital signs",
		"Visits and hospital stays", "Claims and coverage", "Appendix: sources", "Appendix: conflicts", "Appendix: glossary"} {
		m := regexp.MustCompile(`(?m)^(\w+) ` + regexp.QuoteMeta(sec) + `(?: \d+)? (\d+)$`).FindStringSubmatch(cover)
		if m == nil {
			t.Errorf("the contents lack %q:\n%s", sec, cover)
			continue
		}
		p, _ := strconv.Atoi(m[2])
		if p < 2 || p > len(pages) || !strings.Contains(collapse(pages[p-1]), m[1]+" "+sec) {
			t.Errorf("the contents put %q on page %d, which does not have it", sec, p)
		}
	}
	text := allText(t, pdf)
	for _, want := range []string{"Full health record", "62 entries from 3 sources", "Dashed: the personal goal < 7",
		"Amoxicillin 500 MG Oral Capsule", "Past and stopped", "Pharmacy fills", "Appendectomy",
		"Creatinine · mg/dL (4 results)", "1.3 mg/dL", "The normal range varies by lab",
		"Medications: Lisinopril", "differs in dose", "10 mg once daily", "20 mg once daily",
		"Tobacco smoking status", "Former smoker", "Continuity of care document",
		"valley-ccd.xml · C-CDA document", "Source key"} {
		if !strings.Contains(text, want) {
			t.Errorf("the full record lacks %q", want)
		}
	}
	// The outline: a bookmark per section, appendix and test.
	if n := bytes.Count(pdf, []byte("/Parent ")); n < 25 {
		t.Errorf("the outline has %d entries, want a bookmark per section", n)
	}
	if !bytes.Contains(pdf, []byte("/Outlines")) {
		t.Error("the PDF has no outline")
	}
}

// A rendered-page golden of the summary's first page, compared with a
// tolerance (rasterizers differ by a few grey levels at the edges).
func TestVisitSummary_FirstPageGolden(t *testing.T) {
	got := rasterize(t, render(t, KindSummary, threeSources(), Options{}), 60)
	golden := filepath.Join("testdata", "summary-page1.png")
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it, then look at it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("page 1 renders %v, the golden is %v", got.Bounds(), want.Bounds())
	}
	differ, total := 0, 0
	sum := 0.0
	b := got.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := math.Abs(float64(grey(got, x, y)) - float64(grey(want, x, y)))
			sum += d
			if d > 64 {
				differ++
			}
			total++
		}
	}
	if frac, mean := float64(differ)/float64(total), sum/float64(total); frac > 0.004 || mean > 1.5 {
		failed := filepath.Join("testdata", "failed", "summary-page1.png")
		os.MkdirAll(filepath.Dir(failed), 0o755)
		var buf bytes.Buffer
		png.Encode(&buf, got)
		os.WriteFile(failed, buf.Bytes(), 0o644)
		t.Errorf("page 1 differs from the golden: %.2f%% of pixels, mean %.2f grey levels (see %s)", 100*frac, mean, failed)
	}
}

func grey(img image.Image, x, y int) uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return uint8((r + g + b) / 3 >> 8)
}

// rasterize renders page 1 at dpi as a grey PNG with pdftoppm.
func rasterize(t *testing.T, pdf []byte, dpi int) image.Image {
	t.Helper()
	path := writeTemp(t, pdf)
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-f", "1", "-l", "1", "-singlefile", "-png", path, prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// longestDarkRun returns the longest horizontal run of dark pixels in rows
// y0 to y1.
func longestDarkRun(img image.Image, y0, y1 int) int {
	best := 0
	b := img.Bounds()
	for y := max(y0, b.Min.Y); y < min(y1, b.Max.Y); y++ {
		run := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if grey(img, x, y) < 100 {
				run++
				best = max(best, run)
			} else {
				run = 0
			}
		}
	}
	return best
}

func TestErrorsAndNames(t *testing.T) {
	var buf bytes.Buffer
	for _, k := range Kinds {
		noOne := child()
		noOne.Person.Name = " "
		if err := Write(&buf, k, noOne, Options{}); !errors.Is(err, ErrNoPerson) {
			t.Errorf("%s of no one: %v, want ErrNoPerson", k, err)
		}
	}
	if buf.Len() != 0 {
		t.Error("a refused printout wrote bytes")
	}
	if err := Write(&buf, "poster", child(), Options{}); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("Write(poster): %v", err)
	}
	for in, want := range map[string]Kind{"": KindSummary, " Card ": KindCard, "full": KindFull} {
		if k, err := ParseKind(in); err != nil || k != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, k, err)
		}
	}
	if _, err := ParseKind("poster"); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("ParseKind(poster): %v", err)
	}
	if s, err := ParseSection(" Results "); err != nil || s != SectionResults {
		t.Errorf("ParseSection: %q %v", s, err)
	}
	if _, err := ParseSection("gossip"); !errors.Is(err, ErrUnknownSection) {
		t.Errorf("ParseSection(gossip): %v", err)
	}
}

func TestPaperForLocale(t *testing.T) {
	for locale, want := range map[string]Paper{
		"en_US.UTF-8": Letter, "en-US": Letter, "fr_CA": Letter, "es_MX.utf8": Letter, "en_PH": Letter,
		"en_GB.UTF-8": A4, "de_DE": A4, "fr-FR": A4, "ja_JP.eucJP": A4, "pt_BR": A4, "en_AU": A4,
		"": Letter, "C": Letter, "POSIX": Letter, "C.UTF-8": Letter, "en": Letter, "de": A4,
		"sr_RS@latin": A4, "zh-Hant-TW": A4, "es-419": A4,
	} {
		if got := PaperForLocale(locale); got != want {
			t.Errorf("PaperForLocale(%q) = %v, want %v", locale, got, want)
		}
	}
}

// The symbols the printouts use are in both embedded faces.
func TestFontCoversSymbols(t *testing.T) {
	for _, r := range "▲▼◆⚠✚→·–—…“”’×³⁶⁹¹²µ°²\u00a0\uFFFDÑØŁΣπЖж" {
		if !printable(r) {
			t.Errorf("the embedded fonts cannot draw %q (U+%04X)", r, r)
		}
	}
}

// Keys the Input gives (the app's, as its screens show them) are the keys
// printed; sources of one provider may share one.
func TestPrintouts_GivenKeys(t *testing.T) {
	in := threeSources()
	for i := range in.Sources {
		switch in.Sources[i].ID {
		case "src-valley":
			in.Sources[i].Key = "B"
		case "src-river":
			in.Sources[i].Key = "A"
		case "src-self":
			in.Sources[i].Key = "P"
		}
	}
	text := allText(t, render(t, KindSummary, in, Options{}))
	for _, want := range []string{"A = Riverside Hospital", "B = Valley Clinic", "On a blood thinner: Apixaban 5 MG Oral Tablet · A",
		"⚠ Differs: A 20 mg once daily (Mar 2024) · B 10 mg once daily (Mar 2024)"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q", want)
		}
	}
}

func TestSourceKeys_Ranges(t *testing.T) {
	in := bigPerson(50)
	sk := newSourceKeys(&in)
	var ids []string
	for _, s := range in.Sources {
		ids = append(ids, s.ID)
	}
	got := sk.ofAll(ids[:5])
	if got != "A–E" {
		t.Errorf("five sources in a row: %q, want A–E", got)
	}
	if exp := sk.expand("A–C F P"); strings.Join(exp, " ") != "A B C F P" {
		t.Errorf("expand: %v", exp)
	}
	n := 0
	var keys []string
	for i := 0; i < 30; i++ {
		keys = append(keys, letterKey(&n))
	}
	if strings.Contains(strings.Join(keys[:25], ""), "P") || keys[25] != "AA" {
		t.Errorf("keys %v: P is the person's own, never a file's", keys)
	}
}

// FuzzTextLayout feeds arbitrary text to what lays it out (cleaning,
// wrapping, fitting, number tidying, chart values, goals): no panic, lines
// no wider than asked, nothing the font cannot draw. It is cheap per run;
// FuzzVisitSummary prints whole documents.
func FuzzTextLayout(f *testing.F) {
	in := child()
	d := newDoc(&in, Options{}, 215.9, 279.4, "test")
	d.addPage()
	for _, s := range []string{"Zoë Ñúñez-Øster", "60.718698926166006", "124.68842328/82.5415318", "Maintain blood pressure below 140/90 mmHg",
		"\x00\u202e\U0001F600", strings.Repeat("W", 300), "a  b\tc\n", "-1e308", "NaN/Inf"} {
		f.Add(s, 30.0)
	}
	f.Fuzz(func(t *testing.T, s string, w float64) {
		if math.IsNaN(w) || w < 5 || w > 400 {
			return
		}
		c := clean(s, nil)
		for _, r := range c {
			if !printable(r) {
				t.Fatalf("clean left %q, which the font cannot draw", r)
			}
		}
		d.font("", 10.5)
		for _, l := range d.wrap(c, w) {
			if d.width(l) > w+0.01 && len([]rune(l)) > 1 {
				t.Fatalf("wrap gave a line %.1f mm wide for %.1f: %q", d.width(l), w, l)
			}
		}
		if f := d.fit(c, w); d.width(f) > w+0.01 {
			t.Fatalf("fit gave %.1f mm for %.1f", d.width(f), w)
		}
		tidyNumber(s)
		e := record.Entry{Kind: record.KindLab, Value: s, Unit: s, Date: day("2024-01-01"), Title: s, Category: "goal"}
		valueText(&e)
		if vs, _ := pointValues(&e); len(vs) > 0 {
			for _, v := range vs {
				if !chartable(v) {
					t.Fatalf("pointValues gave %v from %q", v, s)
				}
			}
		}
		personalGoals([]record.Entry{{Kind: record.KindOther, Category: "goal", Title: s}})
	})
}
