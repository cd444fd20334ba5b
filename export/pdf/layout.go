package pdf

import (
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/kinfolio/kinfolio/assets"
	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/record"
)

// typeScale is a printout's type sizes in points.
type typeScale struct {
	body, small, head, name float64
}

var (
	normalType = typeScale{body: 10.5, small: 8.5, head: 12.5, name: 16}
	largeType  = typeScale{body: 13, small: 11, head: 15, name: 19}
)

// ptMM is one typographic point in millimetres.
const ptMM = 25.4 / 72

// Greys (0 black, 255 white): never the only carrier of meaning.
const (
	greyText = 70  // secondary text
	greyRule = 150 // table rules
	greyBand = 222 // reference bands, boxes
	greyFill = 242 // light fills
)

// doc is one printout being laid out: the PDF, the page box, the type, the
// source keys, and the state of the section being written.
type doc struct {
	f    *fpdf.Fpdf
	in   *export.Input
	opt  Options
	ts   typeScale
	keys *sourceKeys

	pageW, pageH float64
	left, right  float64 // x of the content box's edges
	top, bottom  float64 // y of the content box's edges

	// missing counts characters printed as U+FFFD.
	missing int
	// pageKeys are the source keys each page prints, for its legend.
	pageKeys map[int]map[string]bool

	// The font in force in the current page's stream.
	fontSet   bool
	fontStyle string
	fontSize  float64

	// pending are section headings not yet drawn (a section's and its
	// first subsection's): the first block of the section draws them, on
	// the page where that block fits.
	pending []*heading
	// cont is the title of the section being written, repeated as
	// "(continued)" after a page break ("7 Results · Creatinine" within a
	// subsection; top0 is the section's own); contHook redraws what a
	// block repeats there (a table's header).
	cont     string
	top0     string
	contHook func()

	// preHeading, when set, runs before pending headings are drawn (the
	// summary's line of sections with nothing to show).
	preHeading func()

	// frame is set while content is drawn inside a bordered band (the
	// alerts); frameTop is where the band began on this page.
	frame    bool
	frameTop float64
}

type heading struct {
	title, note string
	level       int
	// page, when set, receives the page the heading lands on; link, when
	// not 0, is pointed at it (the contents' links).
	page *int
	link int
}

// newDoc starts a document of the given page size with the embedded fonts,
// fixed metadata (so a fixed Input.Now gives the same bytes), and no
// automatic page breaks: the layout breaks pages itself.
func newDoc(in *export.Input, opt Options, w, h float64, title string) *doc {
	// "P" keeps the size as given (fpdf swaps width and height for "L").
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", Size: fpdf.SizeType{Wd: w, Ht: h}})
	f.AddUTF8FontFromBytes(family, "", assets.FontRegular())
	f.AddUTF8FontFromBytes(family, "B", assets.FontBold())
	f.SetCatalogSort(true)
	f.SetCreationDate(in.Now)
	f.SetModificationDate(in.Now)
	f.SetCompression(true)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(0)
	f.SetMargins(0, 0, 0)
	d := &doc{f: f, in: in, opt: opt, ts: normalType, pageW: w, pageH: h}
	if opt.LargePrint {
		d.ts = largeType
	}
	// The name prints on every page: count what the font lacks of it now,
	// so the closing note knows before the headers are drawn.
	name := clean(in.Person.Name, &d.missing)
	f.SetTitle(title+" — "+name, true)
	f.SetSubject(title+" of "+name+", printed "+humanDay(in.Now), true)
	f.SetCreator("Kinfolio", true)
	f.SetProducer("Kinfolio (fpdf)", true)
	f.SetLang("en")
	d.keys = newSourceKeys(in)
	return d
}

// output finishes the document and writes it.
func (d *doc) output(w io.Writer) error {
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("%w: %v", ErrRender, err)
	}
	if err := d.f.Output(w); err != nil {
		if d.f.Error() != nil {
			return fmt.Errorf("%w: %v", ErrRender, err)
		}
		return fmt.Errorf("writing the PDF: %w", err)
	}
	return nil
}

// font selects the face ("" or "B") and size in points. fpdf writes every
// selection into the page, so a selection already in force is skipped.
func (d *doc) font(style string, size float64) {
	if d.fontSet && d.fontStyle == style && d.fontSize == size {
		return
	}
	d.f.SetFont(family, style, size)
	d.fontSet, d.fontStyle, d.fontSize = true, style, size
}

// setPage makes page p current. The page's stream was left in whatever
// state its content ended in, so the next font selection is written again.
func (d *doc) setPage(p int) {
	d.f.SetPage(p)
	d.fontSet = false
}

// width is the width of clean text in the current font, in mm.
func (d *doc) width(s string) float64 { return d.f.GetStringWidth(s) }

// lh is the line height of text at size points, in mm.
func lh(size float64) float64 { return size * ptMM * 1.28 }

func (d *doc) grey(g int) { d.f.SetTextColor(g, g, g) }
func (d *doc) black()     { d.f.SetTextColor(0, 0, 0) }

// text writes one line of clean text in the box (x, y, w, line height at
// the current size), aligned "L", "R" or "C".
func (d *doc) text(x, y, w float64, s, align string) {
	if s == "" {
		return
	}
	d.f.SetXY(x, y)
	_, size := d.f.GetFontSize()
	d.f.CellFormat(w, lh(size), s, "", 0, align, false, 0, "")
}

func (d *doc) y() float64     { return d.f.GetY() }
func (d *doc) setY(y float64) { d.f.SetXY(d.left, y) }
func (d *doc) contentW() float64 {
	return d.right - d.left
}

// addPage starts a page with the cursor at the top of the content box.
// A band being drawn is closed on the old page and goes on on the new one.
func (d *doc) addPage() {
	if d.frame {
		d.closeFrame(d.y() + 1.5)
	}
	d.f.AddPage()
	d.setY(d.top)
	if d.frame {
		d.frameTop = d.top
		d.setY(d.top + 2)
	}
}

const frameInset = 3

// beginFrame starts a bordered band at the cursor: what is drawn until
// endFrame is inset and framed, across pages if it must.
func (d *doc) beginFrame() {
	d.frame = true
	d.frameTop = d.y()
	d.left += frameInset
	d.right -= frameInset
	d.setY(d.y() + 1.5)
}

func (d *doc) closeFrame(y float64) {
	if y-d.frameTop < 1 {
		return
	}
	d.f.SetDrawColor(0, 0, 0)
	d.f.SetLineWidth(0.7)
	d.f.Rect(d.left-frameInset, d.frameTop, d.contentW()+2*frameInset, y-d.frameTop, "D")
}

func (d *doc) endFrame() {
	y := d.y() + 1.5
	d.closeFrame(y)
	d.frame = false
	d.left -= frameInset
	d.right += frameInset
	d.setY(y)
}

// breakPage starts a new page inside a section: the section's title
// follows as "(continued)", then whatever the block in progress repeats.
func (d *doc) breakPage() {
	d.addPage()
	if d.cont != "" && len(d.pending) == 0 {
		d.font("B", d.ts.small)
		d.grey(greyText)
		d.text(d.left, d.y(), d.contentW(), d.cont+" (continued)", "L")
		d.black()
		d.setY(d.y() + lh(d.ts.small) + 1)
	}
	if d.contHook != nil {
		d.contHook()
	}
}

// useKeys notes that the current page prints the source keys in ks
// ("A C", "A–D P").
func (d *doc) useKeys(ks string) {
	if ks == "" || d.pageKeys == nil {
		return
	}
	p := d.f.PageNo()
	m := d.pageKeys[p]
	if m == nil {
		m = map[string]bool{}
		d.pageKeys[p] = m
	}
	for _, k := range d.keys.expand(ks) {
		m[k] = true
	}
}

// room is the height left on the page.
func (d *doc) room() float64 { return d.bottom - d.y() }

// flow makes room for a block of height h: it draws the pending section
// headings with the block (a heading never ends a page) and breaks the page
// when the block does not fit. It reports whether the page was broken.
func (d *doc) flow(h float64) bool {
	broke := false
	if len(d.pending) > 0 && d.preHeading != nil {
		d.preHeading()
	}
	if len(d.pending) > 0 {
		if d.headingH()+h > d.room() && d.y() > d.top+0.5 {
			d.addPage()
			broke = true
		}
		for len(d.pending) > 0 {
			d.drawHeading()
		}
		if h > d.room() && d.y() > d.top+0.5 {
			d.breakPage()
			broke = true
		}
		return broke
	}
	if h > d.room() && d.y() > d.top+0.5 {
		d.breakPage()
		broke = true
	}
	return broke
}

// section starts a section: its heading is drawn with its first block.
// note is printed small at the right of the heading ("as of 3 Mar 2024").
// level is the outline level of its bookmark (0 top). A subsection started
// before its section's heading was drawn is drawn with it.
func (d *doc) section(title, note string, level int) {
	h := &heading{title: clean(title, &d.missing), note: note, level: level}
	if level == 0 {
		d.pending = d.pending[:0]
		d.cont = h.title
		d.top0 = h.title
	} else if len(d.pending) > 0 && d.pending[len(d.pending)-1].level >= level {
		d.pending = d.pending[:len(d.pending)-1]
	}
	d.pending = append(d.pending, h)
	d.contHook = nil
}

// last returns the heading most recently started and not yet drawn.
func (d *doc) lastPending() *heading {
	if len(d.pending) == 0 {
		return nil
	}
	return d.pending[len(d.pending)-1]
}

func headingSize(ts typeScale, level int) float64 {
	if level > 0 {
		return ts.body + 0.5
	}
	return ts.head
}

// headingH is the height the pending headings take.
func (d *doc) headingH() float64 {
	h := 0.0
	for _, p := range d.pending {
		h += 3 + lh(headingSize(d.ts, p.level)) + 1.5
	}
	return h
}

func (d *doc) drawHeading() {
	h := d.pending[0]
	d.pending = d.pending[1:]
	size := headingSize(d.ts, h.level)
	if d.y() > d.top+0.5 {
		d.setY(d.y() + 3)
	}
	y := d.y()
	d.font("B", size)
	d.f.Bookmark(h.title, h.level, y)
	if h.page != nil {
		*h.page = d.f.PageNo()
	}
	if h.link != 0 {
		d.f.SetLink(h.link, y, d.f.PageNo())
	}
	noteW := 0.0
	if h.note != "" {
		d.font("", d.ts.small)
		noteW = d.width(h.note) + 2
		d.grey(greyText)
		d.text(d.right-noteW, y+lh(size)-lh(d.ts.small), noteW, h.note, "R")
		d.black()
		d.font("B", size)
	}
	d.text(d.left, y, d.contentW()-noteW, d.fit(h.title, d.contentW()-noteW), "L")
	if h.level > 0 && d.top0 != "" {
		d.cont = d.top0 + " · " + h.title
	}
	y += lh(size) + 0.4
	if h.level == 0 {
		d.f.SetDrawColor(0, 0, 0)
		d.f.SetLineWidth(0.35)
		d.f.Line(d.left, y, d.right, y)
	}
	d.setY(y + 1.1)
}

// para writes wrapped text across the content width (indented by indent mm),
// breaking pages between lines.
func (d *doc) para(s string, style string, size float64, indent float64) {
	d.paraKeep(s, style, size, indent, 0)
}

// paraKeep is para that keeps keep mm of what follows (a table's header
// and first rows) on the page with its first lines.
func (d *doc) paraKeep(s string, style string, size float64, indent, keep float64) {
	d.font(style, size)
	lines := d.wrap(clean(s, &d.missing), d.contentW()-indent)
	for i, l := range lines {
		if i == 0 {
			first := lh(size) * float64(min(len(lines), 2))
			if len(lines) <= 2 {
				first += keep
			}
			d.flow(first)
		} else {
			d.flow(lh(size))
		}
		d.font(style, size)
		d.text(d.left+indent, d.y(), d.contentW()-indent, l, "L")
		d.setY(d.y() + lh(size))
	}
}

// gap adds vertical space, unless at the top of a page.
func (d *doc) gap(h float64) {
	if d.y() > d.top+0.5 {
		d.setY(min(d.y()+h, d.bottom))
	}
}

// A table is columns and rows of cells; rows never split across pages and
// the header repeats after a page break.
type table struct {
	cols []col
	rows []row
	// header is false for tables that print no column titles.
	noHeader bool
}

type col struct {
	title string
	// w is the width in mm at 10.5 pt body type; a column with w 0 takes
	// what the others leave.
	w     float64
	align string // "L" (default), "R", "C"
	// fixed keeps w whatever the type size (a chart's column).
	fixed bool
	// min is the least width the column may shrink to.
	min float64
}

type row struct {
	cells []cell
	// shade fills the row's background lightly (a conflict, a flag).
	shade bool
}

// cell is one table cell: lines of text, each wrapped to the column, and
// optionally a drawing (a trend chart) of a given size. keys are the
// source keys the cell prints (the legend of its page lists them).
type cell struct {
	lines []line
	keys  string
	draw  func(x, y, w, h float64)
	drawH float64
	// below puts the drawing under the cell's text instead of beside it.
	below bool
}

// line is one paragraph of a cell.
type line struct {
	text  string
	bold  bool
	small bool
	grey  bool
}

func txt(s string) cell               { return cell{lines: []line{{text: s}}} }
func bold(s string) cell              { return cell{lines: []line{{text: s, bold: true}}} }
func keysCell(k string) cell          { return cell{lines: []line{{text: k, small: true}}, keys: k} }
func (c cell) add(l line) cell        { c.lines = append(c.lines, l); return c }
func (c cell) addSmall(s string) cell { return c.add(line{text: s, small: true, grey: true}) }

const (
	cellPadX = 1.2
	cellPadY = 0.9
)

// widths resolves the columns' widths to the content width. Fixed widths
// are for 10.5 pt type and grow with it (scale); if the flexible columns
// would then get less than a third of the width, the fixed ones shrink.
func (t *table) widths(total, scale float64) []float64 {
	ws := make([]float64, len(t.cols))
	fixed, shrinkable, flex := 0.0, 0.0, 0
	for i, c := range t.cols {
		ws[i] = c.w * scale
		if c.fixed {
			ws[i] = c.w
		} else {
			shrinkable += ws[i]
		}
		fixed += ws[i]
		if c.w == 0 {
			flex++
		}
	}
	minFlex := 0.0
	if flex > 0 {
		minFlex = total / 3
	}
	if over := fixed - (total - minFlex); over > 0 && shrinkable > 0 {
		f := max(0.3, (shrinkable-over)/shrinkable)
		fixed = 0
		for i, c := range t.cols {
			if !c.fixed {
				ws[i] = max(ws[i]*f, min(c.min, c.w*scale))
			}
			fixed += ws[i]
		}
	}
	if flex > 0 {
		rest := max(10, total-fixed) / float64(flex)
		for i := range ws {
			if t.cols[i].w == 0 {
				ws[i] = rest
			}
		}
	}
	return ws
}

// laidRow is a row measured: each cell's wrapped lines and the row height.
type laidRow struct {
	cells [][]laidLine
	h     float64
}

type laidLine struct {
	text string
	line line
}

func (d *doc) lineSize(l line) float64 {
	if l.small {
		return d.ts.small
	}
	return d.ts.body
}

func (d *doc) lineFont(l line) {
	style := ""
	if l.bold {
		style = "B"
	}
	d.font(style, d.lineSize(l))
}

func (d *doc) layRow(r row, ws []float64) laidRow {
	lr := laidRow{cells: make([][]laidLine, len(r.cells))}
	for i, c := range r.cells {
		if i >= len(ws) {
			break
		}
		inner := ws[i] - 2*cellPadX
		h := 0.0
		for _, l := range c.lines {
			d.lineFont(l)
			for _, s := range d.wrap(clean(l.text, &d.missing), inner) {
				lr.cells[i] = append(lr.cells[i], laidLine{text: s, line: l})
				h += lh(d.lineSize(l))
			}
		}
		if c.below {
			h += c.drawH
		}
		lr.h = max(lr.h, h, c.drawH)
	}
	lr.h += 2 * cellPadY
	return lr
}

// table draws t under the pending heading (if any). The header and the
// first row stay with the heading; a row never splits; after a page break
// the section's title ("continued") and the header repeat.
func (d *doc) table(t table) {
	d.font("B", d.ts.small)
	for i, c := range t.cols {
		// A column never gets narrower than the longest word of its title.
		for _, w := range strings.Fields(c.title) {
			t.cols[i].min = max(t.cols[i].min, d.width(w)+2*cellPadX+0.2)
		}
	}
	ws := t.widths(d.contentW(), d.ts.body/normalType.body)
	// Column titles wrap (at most two lines) rather than being cut.
	var titles [][]string
	headerLines := 1
	d.font("B", d.ts.small)
	for i, c := range t.cols {
		ls := d.wrap(c.title, ws[i]-2*cellPadX)
		if len(ls) > 2 {
			ls = []string{ls[0], d.fit(strings.Join(ls[1:], " "), ws[i]-2*cellPadX)}
		}
		titles = append(titles, ls)
		headerLines = max(headerLines, len(ls))
	}
	header := func() {
		if t.noHeader {
			return
		}
		d.font("B", d.ts.small)
		d.grey(greyText)
		x := d.left
		y := d.y()
		for i, c := range t.cols {
			for j, l := range titles[i] {
				// bottom-aligned: one-line titles sit on the last line
				yy := y + float64(headerLines-len(titles[i])+j)*lh(d.ts.small)
				d.text(x+cellPadX, yy, ws[i]-2*cellPadX, l, align(c.align))
			}
			x += ws[i]
		}
		d.black()
		y += float64(headerLines)*lh(d.ts.small) + 0.5
		d.f.SetDrawColor(0, 0, 0)
		d.f.SetLineWidth(0.25)
		d.f.Line(d.left, y, d.right, y)
		d.setY(y + 0.2)
	}
	headerH := 0.0
	if !t.noHeader {
		headerH = float64(headerLines)*lh(d.ts.small) + 0.7
	}
	d.contHook = nil
	var next *laidRow
	for i, r := range t.rows {
		var lr laidRow
		if next != nil {
			lr, next = *next, nil
		} else {
			lr = d.layRow(r, ws)
		}
		if i == 0 {
			// The heading, the header and the first two rows stay together.
			keep := headerH + lr.h
			if len(t.rows) > 1 {
				second := d.layRow(t.rows[1], ws)
				next = &second
				keep += second.h
			}
			d.flow(keep)
			header()
			d.contHook = header
		} else {
			d.flow(lr.h) // a page break redraws the header through contHook
		}
		d.drawRow(t, r, lr, ws)
	}
	d.contHook = nil
}

func align(a string) string {
	if a == "" {
		return "L"
	}
	return a
}

func (d *doc) drawRow(t table, r row, lr laidRow, ws []float64) {
	y0 := d.y()
	if r.shade {
		d.f.SetFillColor(greyFill, greyFill, greyFill)
		d.f.Rect(d.left, y0, d.contentW(), lr.h, "F")
	}
	x := d.left
	for i, c := range r.cells {
		if i >= len(ws) {
			break
		}
		y := y0 + cellPadY
		for _, ll := range lr.cells[i] {
			d.lineFont(ll.line)
			if ll.line.grey {
				d.grey(greyText)
			}
			d.text(x+cellPadX, y, ws[i]-2*cellPadX, ll.text, align(t.cols[i].align))
			d.black()
			y += lh(d.lineSize(ll.line))
		}
		if c.draw != nil {
			if c.below {
				c.draw(x+cellPadX, y, ws[i]-2*cellPadX, c.drawH)
			} else {
				c.draw(x+cellPadX, y0+cellPadY, ws[i]-2*cellPadX, lr.h-2*cellPadY)
			}
		}
		d.useKeys(c.keys)
		x += ws[i]
	}
	y := y0 + lr.h
	d.f.SetDrawColor(greyRule, greyRule, greyRule)
	d.f.SetLineWidth(0.1)
	d.f.Line(d.left, y, d.right, y)
	d.f.SetDrawColor(0, 0, 0)
	d.setY(y)
}

// humanDay formats a day as "2 Mar 2025".
func humanDay(t interface{ Format(string) string }) string { return t.Format("2 Jan 2006") }

// dateOrUnknown is [record.Date.Human] ("12 Mar 2024", "Mar 2024", "2024",
// "date unknown").
func dateOrUnknown(d record.Date) string { return d.Human() }

// year returns the date's year, or "date unknown".
func year(d record.Date) string {
	if d.IsZero() {
		return "date unknown"
	}
	return d.T.Format("2006")
}

// monthYear returns "Mar 2024" (or the year alone when that is all that is known).
func monthYear(d record.Date) string {
	switch {
	case d.IsZero():
		return "date unknown"
	case d.Precision == record.PrecisionYear:
		return d.T.Format("2006")
	}
	return d.T.Format("Jan 2006")
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
