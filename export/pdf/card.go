package pdf

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// The emergency card: ID-1 size (a credit card), front and back side by
// side on one strip, folded in the middle.
const (
	cardW  = 85.6
	cardH  = 54
	stripW = 2 * cardW
	// calibration is the length of the bar that checks the print scale.
	calibration = 50.0
)

// Card type sizes, in points: fixed whatever Options.LargePrint says.
const (
	cardName    = 9.5
	cardLabel   = 6
	cardContent = 7
	cardPad     = 3.0
)

// EmergencyCard prints the emergency wallet card of in to w: front
// (MEDICAL INFORMATION, name and birth date, allergies, critical conditions
// and alerts, two emergency contacts) and back (medications, high-risk
// first; devices; advance directive and proxy; family doctor; language;
// blood type when a lab confirmed it; "Updated <date>") side by side on a
// 171.2 × 54 mm strip with a fold line.
//
// By default the strip prints twice on a Letter or A4 sheet (Options.Paper)
// with cut marks, "Print at 100% — do not fit to page" and a 50 mm
// calibration bar: home printers cannot feed a card-sized sheet, and print
// dialogs scale a small custom page to fit, so a standard sheet at actual
// size, checked with the bar, is what comes out the right size.
// Options.CardStrip prints the strip alone on a 171.2 × 54 mm page instead,
// for print shops and card printers. Errors are those of [VisitSummary].
func EmergencyCard(w io.Writer, in export.Input, o Options) error {
	if err := checkInput(&in); err != nil {
		return err
	}
	pw, ph := o.Paper.size()
	if o.CardStrip {
		pw, ph = stripW, cardH
	}
	d := newDoc(&in, o, pw, ph, "Emergency card")
	d.ts = normalType
	p := pick(&in, d.keys, record.Date{}, record.KindCondition, record.KindMedication, record.KindAllergy, record.KindOther)
	c := cardContents(p)
	d.left, d.right, d.top, d.bottom = 0, pw, 0, ph
	d.addPage()
	if o.CardStrip {
		d.drawStrip(0, 0, c, false)
		return d.output(w)
	}
	d.cardSheet(c)
	return d.output(w)
}

// cardSheet lays the sheet: title, instructions, calibration bar, two strips.
func (d *doc) cardSheet(c *card) {
	const margin = 18
	d.left, d.right = margin, d.pageW-margin
	y := 16.0
	d.font("B", 15)
	d.text(d.left, y, d.contentW(), d.fit("Emergency card — "+clean(d.in.Person.Name, &d.missing), d.contentW()), "L")
	y += lh(15) + 2
	d.font("B", 12)
	d.text(d.left, y, d.contentW(), "Print at 100% — do not fit to page", "L")
	y += lh(12) + 1
	steps := []string{
		"In the print dialog choose “Actual size” or “100%”, not “Fit to page” or “Shrink to fit”.",
		"Check the size: with a ruler, the bar below measures exactly 50 mm (about 2 inches). If it does not, print again at 100%.",
		"Cut out one card along the corner marks (outside the light border), fold it along the dashed line with the printing outside, and glue the halves together or laminate them.",
		"Keep it with your ID. Print a new one when your medicines, allergies or contacts change. The second copy is for a bag, a car or a caregiver.",
	}
	d.font("", 10.5)
	for i, s := range steps {
		num := strconv.Itoa(i+1) + "."
		for j, l := range d.wrap(s, d.contentW()-6) {
			if j == 0 {
				d.text(d.left, y, 6, num, "L")
			}
			d.text(d.left+6, y, d.contentW()-6, l, "L")
			y += lh(10.5)
		}
		y += 0.6
	}
	y += 3
	d.calibrationBar(d.left, y)
	y += 16
	x := (d.pageW - stripW) / 2
	for i := 0; i < 2; i++ {
		y += 9
		d.drawStrip(x, y, c, true)
		y += cardH + 9
	}
	d.font("", 8.5)
	d.grey(greyText)
	d.text(d.left, y+2, d.contentW(), "Front on the left, back on the right. Updated "+humanDay(d.in.Now)+" from the records in Kinfolio; it shows what they state.", "C")
	d.black()
}

// calibrationBar draws a 50 mm bar with millimetre ticks and its label.
func (d *doc) calibrationBar(x, y float64) {
	d.f.SetDrawColor(0, 0, 0)
	d.f.SetFillColor(0, 0, 0)
	d.f.SetLineWidth(0.2)
	d.f.Rect(x, y+4, calibration, 2.2, "F")
	for mm := 0; mm <= int(calibration); mm++ {
		h := 1.2
		switch {
		case mm%10 == 0:
			h = 3.5
		case mm%5 == 0:
			h = 2.2
		}
		xx := x + float64(mm)
		d.f.Line(xx, y+4-h, xx, y+4)
	}
	d.font("", 8.5)
	for mm := 0; mm <= int(calibration); mm += 10 {
		d.text(x+float64(mm)-5, y-3.6, 10, strconv.Itoa(mm), "C")
	}
	d.font("B", 10)
	d.text(x+calibration+4, y+1.8, 110, "This bar must measure 50 mm", "L")
}

// card is what the card prints, chosen and ordered.
type card struct {
	name, born string
	// front
	allergies    []string
	allergyState string // when there are none: the state in words
	critical     []string
	contacts     []string
	// back
	meds      []string
	devices   []string
	directive []string
	doctor    string
	language  string
	blood     string
	updated   string
}

func cardContents(p *picked) *card {
	in := p.in
	c := &card{name: in.Person.Name, updated: "Updated " + humanDay(in.Now)}
	c.born = "Born " + in.Person.BirthDate.Human()
	if in.Person.BirthDate.IsZero() {
		c.born = "Birth date not recorded"
	} else if age := record.Age(in.Person.BirthDate, in.Now); age >= 0 {
		c.born += " (age " + strconv.Itoa(age) + ")"
	}
	switch p.sum.Allergies.State {
	case record.AllergiesRecorded:
		for _, a := range p.allergies {
			s := a.e.Title
			if len(a.e.Reactions) > 0 {
				s += " – " + strings.Join(a.e.Reactions, ", ")
			}
			if sev := strings.ToLower(a.e.Severity); sev == "high" || sev == "severe" || sev == "fatal" {
				s += " (severe)"
			}
			c.allergies = append(c.allergies, s)
		}
	case record.NoKnownAllergies:
		c.allergyState = "No known allergies"
		if d := p.sum.Allergies.ConfirmedOn; !d.IsZero() {
			c.allergyState += " (confirmed " + d.Human() + ")"
		}
	default:
		c.allergyState = "No allergy information recorded"
	}
	// Critical conditions, then alerts from drugs and devices.
	probs := slices.Clone(p.sum.Problems)
	slices.SortStableFunc(probs, func(a, b record.Entry) int {
		ra, rb := criticalRank(&a), criticalRank(&b)
		if ra < 0 {
			ra = 1000
		}
		if rb < 0 {
			rb = 1000
		}
		return ra - rb
	})
	var insulin bool
	for _, m := range p.meds {
		if m.risk == "insulin" {
			insulin = true
		}
	}
	for _, e := range probs {
		if criticalRank(&e) < 0 {
			continue
		}
		s := e.Title
		if insulin && strings.Contains(record.NormalizeText(e.Title), "diabetes") {
			s += " – on insulin"
			insulin = false
		}
		c.critical = append(c.critical, s)
	}
	for _, m := range p.meds {
		switch m.risk {
		case "":
		case "insulin":
			if insulin {
				c.critical = append(c.critical, "On insulin")
				insulin = false
			}
		default:
			c.critical = append(c.critical, "On "+shortDrug(m.e.Title)+" ("+m.risk+")")
		}
	}
	for _, e := range p.sum.Devices {
		c.critical = append(c.critical, e.Title)
		c.devices = append(c.devices, e.Title+dateSuffix(e.Date))
	}
	// Other active problems after the critical ones, if room.
	for _, e := range probs {
		if criticalRank(&e) < 0 {
			c.critical = append(c.critical, e.Title)
		}
	}
	emergency, proxy, doctor := contacts(&in.Person)
	for i := range emergency {
		if len(c.contacts) == 2 {
			break
		}
		c.contacts = append(c.contacts, contactText(&emergency[i]))
	}
	for _, m := range p.meds {
		s := m.e.Title
		if m.e.Dosage != "" {
			s += " – " + m.e.Dosage
		}
		if len(m.differs) > 1 {
			var other []string
			for _, e := range m.differs {
				if e.ID != m.e.ID && e.Dosage != "" && e.Dosage != m.e.Dosage {
					other = append(other, e.Dosage)
				}
			}
			if len(other) > 0 {
				s += " (⚠ sources differ: " + strings.Join(other, "; ") + ")"
			} else {
				s += " (⚠ sources differ)"
			}
		}
		c.meds = append(c.meds, s)
	}
	if len(c.meds) == 0 {
		if _, ok := p.sum.NoneKnown[record.KindMedication]; ok {
			c.meds = []string{"No current medications"}
		} else {
			c.meds = []string{"None recorded"}
		}
	}
	for _, e := range advanceDirectives(in.Entries) {
		c.directive = append(c.directive, joinNonEmpty(": ", e.Title, e.Value))
	}
	if proxy != nil {
		c.directive = append(c.directive, "Proxy: "+contactText(proxy))
	}
	if doctor != nil {
		c.doctor = joinNonEmpty(" ", doctor.Name, doctor.Phone)
	}
	c.language = strings.TrimSpace(in.Person.Language)
	if bt, e := bloodType(in.Entries); bt != "" {
		c.blood = bt + " (lab, " + e.Date.Human() + ")"
	}
	return c
}

// shortDrug is a drug's first word or two ("Apixaban 5 MG Oral Tablet" → "apixaban").
func shortDrug(title string) string {
	f := strings.Fields(title)
	if len(f) == 0 {
		return title
	}
	return strings.ToLower(f[0])
}

// cardBlock is one labelled part of a card side.
type cardBlock struct {
	label string
	items []string
	// inline runs the items on together ("a · b · c"); else one a line.
	inline bool
	bold   bool
	// keep is how many items must print before lower blocks get room.
	keep int
}

// drawStrip draws the two sides at (x, y): front left, back right, the
// fold line between, and (marks) cut marks and a light border.
func (d *doc) drawStrip(x, y float64, c *card, marks bool) {
	if marks {
		d.f.SetDrawColor(205, 205, 205)
		d.f.SetLineWidth(0.1)
		d.f.Rect(x, y, stripW, cardH, "D")
		d.f.SetDrawColor(0, 0, 0)
		d.f.SetLineWidth(0.2)
		for _, cx := range []float64{x, x + stripW} {
			for _, cy := range []float64{y, y + cardH} {
				dx := 1.0
				if cx == x {
					dx = -1
				}
				dy := 1.0
				if cy == y {
					dy = -1
				}
				d.f.Line(cx+dx*2, cy, cx+dx*8, cy)
				d.f.Line(cx, cy+dy*2, cx, cy+dy*8)
			}
		}
		// The fold's marks outside the card, above and below.
		d.f.Line(x+cardW, y-8, x+cardW, y-2)
		d.f.Line(x+cardW, y+cardH+2, x+cardW, y+cardH+8)
	}
	d.f.SetDrawColor(120, 120, 120)
	d.f.SetLineWidth(0.2)
	d.f.SetDashPattern([]float64{1.2, 1}, 0)
	d.f.Line(x+cardW, y, x+cardW, y+cardH)
	d.f.SetDashPattern(nil, 0)
	d.f.SetDrawColor(0, 0, 0)
	d.cardFront(x, y, c)
	d.cardBack(x+cardW, y, c)
}

func (d *doc) cardFront(x, y float64, c *card) {
	// The banner.
	d.f.SetFillColor(0, 0, 0)
	bh := 6.0
	d.f.Rect(x+cardPad-1, y+cardPad-1, cardW-2*cardPad+2, bh, "F")
	d.font("B", 8.5)
	d.f.SetTextColor(255, 255, 255)
	d.text(x+cardPad, y+cardPad-1+(bh-lh(8.5))/2, cardW-2*cardPad, "✚ MEDICAL INFORMATION", "C")
	d.black()
	d.f.SetFillColor(255, 255, 255)
	cy := y + cardPad + bh + 0.6
	w := cardW - 2*cardPad
	d.font("B", cardName)
	d.text(x+cardPad, cy, w, d.fit(clean(c.name, &d.missing), w), "L")
	cy += lh(cardName)
	d.font("", cardContent)
	d.text(x+cardPad, cy, w, c.born, "L")
	cy += lh(cardContent) + 0.4
	allergies := cardBlock{label: "ALLERGIES", items: c.allergies, inline: true, bold: true, keep: 100}
	if len(c.allergies) == 0 {
		allergies.items = []string{c.allergyState}
	}
	blocks := []cardBlock{
		allergies,
		{label: "CONDITIONS AND ALERTS", items: c.critical, inline: true, keep: 3},
		{label: "EMERGENCY CONTACTS", items: orNone(c.contacts, "None entered"), keep: 2},
	}
	d.cardBlocks(x+cardPad, cy, w, y+cardH-cardPad, blocks)
}

func (d *doc) cardBack(x, y float64, c *card) {
	w := cardW - 2*cardPad
	top := y + cardPad - 0.5
	bottom := y + cardH - cardPad - lh(cardLabel)
	blocks := []cardBlock{{label: "MEDICATIONS", items: c.meds, keep: 4}}
	if len(c.devices) > 0 {
		blocks = append(blocks, cardBlock{label: "DEVICES", items: c.devices, inline: true, keep: 1})
	}
	if len(c.directive) > 0 {
		blocks = append(blocks, cardBlock{label: "ADVANCE DIRECTIVE AND PROXY", items: c.directive, keep: 1})
	}
	if c.doctor != "" {
		blocks = append(blocks, cardBlock{label: "FAMILY DOCTOR", items: []string{c.doctor}, keep: 1})
	}
	var misc []string
	if c.language != "" {
		misc = append(misc, "Language: "+c.language)
	}
	if c.blood != "" {
		misc = append(misc, "Blood type: "+c.blood)
	}
	if len(misc) > 0 {
		blocks = append(blocks, cardBlock{items: misc, inline: true, keep: 2})
	}
	d.cardBlocks(x+cardPad, top, w, bottom, blocks)
	d.font("", cardLabel)
	d.grey(greyText)
	d.text(x+cardPad, y+cardH-cardPad-lh(cardLabel)+0.8, w, c.updated+" · Kinfolio · "+clean(c.name, &d.missing), "L")
	d.black()
}

func orNone(items []string, none string) []string {
	if len(items) == 0 {
		return []string{none}
	}
	return items
}

// cardBlocks fits labelled blocks between top and bottom: each block keeps
// its first keep items if it can, later blocks their labels and a line,
// and what does not fit ends in "+N more".
func (d *doc) cardBlocks(x, top, w, bottom float64, blocks []cardBlock) {
	contentLH := lh(cardContent) * 0.92
	labelLH := lh(cardLabel) * 0.95
	lay := func(b cardBlock, n int) []string {
		d.font(map[bool]string{true: "B", false: ""}[b.bold], cardContent)
		items := b.items[:n]
		var cleaned []string
		for _, it := range items {
			cleaned = append(cleaned, clean(it, &d.missing))
		}
		if n < len(b.items) {
			cleaned = append(cleaned, "+"+strconv.Itoa(len(b.items)-n)+" more: see the visit summary")
		}
		if b.inline {
			return d.wrap(strings.Join(cleaned, " · "), w)
		}
		var out []string
		for _, it := range cleaned {
			ls := d.wrap(it, w)
			if len(ls) > 2 {
				ls = ls[:2]
				ls[1] = d.fit(ls[1]+"…", w)
			}
			out = append(out, ls...)
		}
		return out
	}
	height := func(b cardBlock, n int) float64 {
		h := float64(len(lay(b, n))) * contentLH
		if b.label != "" {
			h += labelLH
		}
		return h + 0.8
	}
	// Choose how many items each block prints: first the kept items of
	// every block, then as many more as fit, in block order.
	counts := make([]int, len(blocks))
	for i, b := range blocks {
		counts[i] = min(max(1, min(b.keep, len(b.items))), len(b.items))
	}
	total := func() float64 {
		h := 0.0
		for i, b := range blocks {
			h += height(b, counts[i])
		}
		return h
	}
	avail := bottom - top
	// Shrink from the last block while too tall (never below one item).
	for i := len(blocks) - 1; i >= 0 && total() > avail; i-- {
		for counts[i] > 1 && total() > avail {
			counts[i]--
		}
	}
	for i := range blocks {
		for counts[i] < len(blocks[i].items) {
			counts[i]++
			if total() > avail {
				counts[i]--
				break
			}
		}
	}
	y := top
	for i, b := range blocks {
		if y >= bottom {
			break
		}
		if b.label != "" {
			d.font("B", cardLabel)
			d.grey(greyText)
			d.text(x, y, w, b.label, "L")
			d.black()
			y += labelLH
		}
		d.font(map[bool]string{true: "B", false: ""}[b.bold], cardContent)
		for _, l := range lay(b, counts[i]) {
			if y+contentLH > bottom+0.5 {
				break
			}
			d.text(x, y, w, l, "L")
			y += contentLH
		}
		y += 0.8
	}
}
