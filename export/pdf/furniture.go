package pdf

import (
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/record"
)

// furniture is what every page of a summary or full record carries: the
// header (name, birth date with age, sex; what the document is, when it
// was printed) and the footer ("Page n of N · Name · Birth date" and the
// source legend). Both are drawn when the document is complete, so the
// page count and the page the source list is on are known.
type furniture struct {
	title string // "Patient-held summary" or "Full record"
	// span is the right header's first line ("from records dated 2011–2024").
	span string
	// sourcesPage is the page of the source list, which the footers point
	// to when a page's legend does not fit.
	sourcesPage int
	// right is the header's right block: what, from when, printed when.
	right   []string
	rightW  float64
	headerH float64
	footerH float64
}

// legendLines is how many lines a footer's source legend may take.
const legendLines = 2

// personLine is "Born 22 Oct 1962 (age 62) · Male".
func personLine(p *record.Profile, now record.Date) string {
	var parts []string
	if p.BirthDate.IsZero() {
		parts = append(parts, "Birth date not recorded")
	} else {
		b := "Born " + p.BirthDate.Human()
		if age := record.Age(p.BirthDate, now.T); age >= 0 {
			b += " (age " + strconv.Itoa(age) + ")"
		}
		parts = append(parts, b)
	}
	switch strings.ToLower(p.Sex) {
	case "male":
		parts = append(parts, "Male")
	case "female":
		parts = append(parts, "Female")
	case "other":
		parts = append(parts, "Sex: other")
	}
	return strings.Join(parts, " · ")
}

// birthShort is "born 22 Oct 1962", or "" when unknown.
func birthShort(p *record.Profile) string {
	if p.BirthDate.IsZero() {
		return "birth date not recorded"
	}
	return "born " + p.BirthDate.Human()
}

// span is "from records dated 2011–2024" (years, or days when one year).
func spanText(from, to record.Date) string {
	switch {
	case from.IsZero():
		return "no dated records"
	case from.T.Year() == to.T.Year():
		if from.SameDay(to) {
			return "from records dated " + from.Human()
		}
		return "from records dated " + monthYear(from) + "–" + monthYear(to)
	}
	return "from records dated " + from.T.Format("2006") + "–" + to.T.Format("2006")
}

// setupFurniture measures the header and footer and sets the content box.
func (d *doc) setupFurniture(fu *furniture) {
	const margin = 15
	d.left, d.right = margin, d.pageW-margin
	d.font("", d.ts.small)
	printed := "Printed " + humanDay(d.in.Now)
	fu.rightW = d.contentW() * 0.45
	if one := fu.title + ", " + fu.span; d.width(one) <= fu.rightW {
		fu.right = []string{one, printed}
		fu.rightW = max(d.width(one), d.width(printed)) + 1
	} else {
		fu.right = []string{fu.title + ",", d.fit(fu.span, fu.rightW), printed}
		fu.rightW = min(fu.rightW, max(d.width(fu.title+","), d.width(fu.span), d.width(printed))+1)
	}
	if !d.opt.Since.IsZero() {
		since := "Showing history since " + d.opt.Since.Human()
		fu.right = append(fu.right[:len(fu.right)-1], since, printed)
		fu.rightW = max(fu.rightW, d.width(since)+1)
	}
	left := lh(d.ts.name) + lh(d.ts.body)
	right := float64(len(fu.right))*lh(d.ts.small) + 0.6
	fu.headerH = 9 + max(left, right) + 3.2
	fu.footerH = 3 + lh(d.ts.small)*float64(1+legendLines) + 6
	d.top = fu.headerH + 4
	d.bottom = d.pageH - fu.footerH - 2
	d.pageKeys = map[int]map[string]bool{}
}

// legendFor returns the footer legend of page p: the sources whose keys
// the page prints, as many whole items as fit on two lines, then a
// pointer to the source list for the rest.
func (d *doc) legendFor(p int, fu *furniture) []string {
	used := d.pageKeys[p]
	var items []string
	for i := range d.keys.list {
		ks := &d.keys.list[i]
		if used[ks.key] && (i == 0 || d.keys.list[i-1].key != ks.key) {
			n := ks.name()
			if ks.key == selfKey {
				n = "self-reported"
			}
			items = append(items, ks.key+" = "+n)
		}
	}
	where := "the source list"
	if fu.sourcesPage > 0 {
		where += ", page " + strconv.Itoa(fu.sourcesPage)
	}
	if len(items) == 0 {
		if len(d.keys.list) == 0 {
			return []string{"Sources: none (no entries)"}
		}
		return []string{"Sources: see " + where}
	}
	d.font("", d.ts.small)
	w := d.contentW()
	var lines []string
	cur := "Sources on this page: "
	first := true
	for i, it := range items {
		sep := " · "
		if first {
			sep = ""
		}
		if d.width(cur+sep+it) <= w {
			cur += sep + it
			first = false
			continue
		}
		if first {
			// A name too long for a line: shortened, on the first line.
			cur = d.fit(cur+it, w)
			first = false
			continue
		}
		if d.width(it) > w {
			it = d.fit(it, w)
		}
		if len(lines) == legendLines-1 {
			// No room for the rest: point to the list.
			rest := len(items) - i
			more := func(n int) string { return " · +" + strconv.Itoa(n) + " more: see " + where }
			for d.width(cur+more(rest)) > w && strings.Contains(cur, " · ") {
				cur = cur[:strings.LastIndex(cur, " · ")]
				rest++
			}
			lines = append(lines, cur+more(rest))
			return lines
		}
		lines = append(lines, cur)
		cur = it
	}
	return append(lines, cur)
}

// drawFurniture draws every page's header and footer.
func (d *doc) drawFurniture(fu *furniture) {
	total := d.f.PageCount()
	name := clean(d.in.Person.Name, &d.missing)
	person := personLine(&d.in.Person, record.DateOf(d.in.Now))
	for p := 1; p <= total; p++ {
		d.setPage(p)
		// The page's content left its own state: set everything again.
		d.f.SetFillColor(255, 255, 255)
		d.f.SetDrawColor(0, 0, 0)
		d.f.SetLineWidth(0.3)
		// Header.
		y := 9.0
		d.font("", d.ts.small)
		rw := fu.rightW
		d.grey(greyText)
		for i, l := range fu.right {
			d.text(d.right-rw, y+0.6+float64(i)*lh(d.ts.small), rw, l, "R")
		}
		d.black()
		d.font("B", d.ts.name)
		d.text(d.left, y, d.contentW()-rw-3, d.fit(name, d.contentW()-rw-3), "L")
		y += lh(d.ts.name)
		d.font("", d.ts.body)
		d.text(d.left, y, d.contentW()-rw-3, d.fit(person, d.contentW()-rw-3), "L")
		y = fu.headerH - 3.2 + 1.2
		d.f.Line(d.left, y, d.right, y)
		// Footer.
		fy := d.pageH - fu.footerH + 2
		d.f.SetLineWidth(0.2)
		d.f.Line(d.left, fy, d.right, fy)
		fy += 1
		d.font("B", d.ts.small)
		pageText := "Page " + strconv.Itoa(p) + " of " + strconv.Itoa(total)
		d.text(d.left, fy, 40, pageText, "L")
		pw := d.width(pageText + "  ")
		d.font("", d.ts.small)
		who := " · " + name + " · " + birthShort(&d.in.Person)
		kin := "Kinfolio · " + fu.title
		kw := d.width(kin) + 1
		d.text(d.left+pw-d.width("  "), fy, d.contentW()-pw-kw, d.fit(who, d.contentW()-pw-kw), "L")
		d.grey(greyText)
		d.text(d.right-kw, fy, kw, kin, "R")
		fy += lh(d.ts.small)
		d.font("", d.ts.small)
		d.grey(greyText)
		for _, l := range d.legendFor(p, fu) {
			d.text(d.left, fy, d.contentW(), d.fit(l, d.contentW()), "L")
			fy += lh(d.ts.small)
		}
		d.black()
	}
	d.setPage(total)
}
