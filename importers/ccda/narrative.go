package ccda

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Narrative rendering: a section's <text> is a small HTML-like language
// (paragraphs, lists, tables, inline content). Kinfolio never shows it as
// HTML; it becomes plain text that keeps the structure a reader needs:
// paragraphs separated by blank lines, list items on their own lines with
// "- " or "1. ", and tables as aligned columns (or, when too wide, one
// "Header: value" block per row). Links keep their words, never their
// targets; images are left out; styles are ignored.

// maxTableWidth is the widest table laid out in columns.
const maxTableWidth = 100

// plainText renders a narrative element as plain text.
func plainText(n *node) string {
	if strings.EqualFold(n.name, "tr") {
		// A table row referenced on its own: its cells, in order.
		var cells []string
		for _, c := range rowCells(n) {
			if c != "" {
				cells = append(cells, c)
			}
		}
		return strings.Join(cells, " | ")
	}
	var w textWriter
	w.block(n)
	return w.String()
}

// inlineText renders an element as one line (for originalText references).
func inlineText(n *node) string {
	return strings.Join(strings.Fields(plainText(n)), " ")
}

type textWriter struct {
	lines []string
	cur   strings.Builder
	space bool
}

// String returns the rendered lines, without leading, trailing or doubled
// blank lines.
func (w *textWriter) String() string {
	w.flush()
	var out []string
	for _, l := range w.lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// text adds inline words, folding white space.
func (w *textWriter) text(s string) {
	for _, r := range s {
		if unicode.IsSpace(r) {
			w.space = true
			continue
		}
		if w.space && w.cur.Len() > 0 {
			w.cur.WriteByte(' ')
		}
		w.space = false
		w.cur.WriteRune(r)
	}
}

// flush ends the current line if it has words.
func (w *textWriter) flush() {
	if w.cur.Len() > 0 {
		w.lines = append(w.lines, w.cur.String())
		w.cur.Reset()
	}
	w.space = false
}

// breakLine ends the current line even when empty (a <br/>).
func (w *textWriter) breakLine() {
	w.lines = append(w.lines, w.cur.String())
	w.cur.Reset()
	w.space = false
}

// blank flushes and leaves an empty line before what follows.
func (w *textWriter) blank() {
	w.flush()
	if n := len(w.lines); n > 0 && w.lines[n-1] != "" {
		w.lines = append(w.lines, "")
	}
}

// block renders the children of n.
func (w *textWriter) block(n *node) {
	for _, k := range n.kids {
		if k.name == "" {
			w.text(k.text)
			continue
		}
		switch strings.ToLower(k.name) {
		case "br":
			w.breakLine()
		case "paragraph", "p", "div", "section", "pre", "h1", "h2", "h3", "h4", "h5", "h6":
			w.blank()
			w.block(k)
			w.blank()
		case "list", "ul", "ol":
			w.blank()
			w.list(k)
			w.blank()
		case "table":
			w.blank()
			w.table(k)
			w.blank()
		case "caption":
			w.blank()
			w.block(k)
			w.flush()
		case "footnoteref", "col", "colgroup", "rendermultimedia", "img", "script", "style":
			// references, layout and media carry no words for a reader
		case "footnote":
			w.text(" [")
			w.block(k)
			w.text("]")
		case "item", "li":
			// an item outside a list: its own line
			w.flush()
			w.block(k)
			w.flush()
		case "tr":
			w.flush()
			w.text(strings.Join(rowCells(k), " | "))
			w.flush()
		default:
			// content, linkHtml, sub, sup, span, b, i and anything unknown:
			// their words, inline.
			w.block(k)
		}
	}
}

// list renders items as "- item" or "1. item", nested content indented.
func (w *textWriter) list(n *node) {
	ordered := strings.EqualFold(n.attr("listType"), "ordered") || strings.EqualFold(n.name, "ol")
	i := 0
	for _, k := range n.kids {
		if k.name == "" {
			continue
		}
		switch strings.ToLower(k.name) {
		case "caption":
			w.flush()
			w.block(k)
			w.flush()
			continue
		case "item", "li":
		default:
			var sub textWriter
			sub.block(k)
			if s := sub.String(); s != "" {
				w.flush()
				w.lines = append(w.lines, strings.Split(s, "\n")...)
			}
			continue
		}
		i++
		var sub textWriter
		sub.block(k)
		body := sub.String()
		if body == "" {
			continue
		}
		marker := "- "
		if ordered {
			marker = strconv.Itoa(i) + ". "
		}
		w.flush()
		first := true
		for _, l := range strings.Split(body, "\n") {
			switch {
			case l == "":
				// Items stay compact: paragraphs and nested lists inside an
				// item continue on the next line.
			case first:
				w.lines = append(w.lines, marker+l)
				first = false
			default:
				w.lines = append(w.lines, strings.Repeat(" ", len(marker))+l)
			}
		}
	}
}

// tableRows collects a table's rows (header rows first), each row's cells
// rendered to single lines, and whether the first row is a header.
func tableRows(n *node) (rows [][]string, header bool) {
	var head, body [][]string
	var walk func(*node, bool)
	walk = func(p *node, inHead bool) {
		for _, k := range p.kids {
			switch strings.ToLower(k.name) {
			case "thead":
				walk(k, true)
			case "tbody", "tfoot":
				walk(k, false)
			case "tr":
				cells := rowCells(k)
				allTH := len(cells) > 0
				for _, c := range k.kids {
					if strings.EqualFold(c.name, "td") {
						allTH = false
					}
				}
				if inHead || (allTH && len(head) == 0 && len(body) == 0) {
					head = append(head, cells)
				} else {
					body = append(body, cells)
				}
			}
		}
	}
	walk(n, false)
	if len(head) > 0 {
		// Several header rows: keep the last, most specific one.
		return append([][]string{head[len(head)-1]}, body...), true
	}
	return body, false
}

func rowCells(tr *node) []string {
	var cells []string
	for _, c := range tr.kids {
		switch strings.ToLower(c.name) {
		case "td", "th":
			var sub textWriter
			sub.block(c)
			cells = append(cells, strings.Join(strings.Fields(strings.ReplaceAll(sub.String(), "\n", " ; ")), " "))
		}
	}
	// Tidy the " ; " left by line breaks: "a ; ; b" reads "a; b".
	for i, c := range cells {
		c = strings.ReplaceAll(c, " ;", ";")
		for strings.Contains(c, ";;") {
			c = strings.ReplaceAll(c, ";;", ";")
		}
		cells[i] = strings.Trim(c, "; ")
	}
	return cells
}

// table renders rows as aligned columns when they fit, else as one block
// of "Header: value" lines per row.
func (w *textWriter) table(n *node) {
	if c := n.child("caption"); c != nil {
		w.block(c)
		w.flush()
	}
	rows, header := tableRows(n)
	if len(rows) == 0 {
		return
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	widths := make([]int, cols)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := 3 * (cols - 1)
	for _, wd := range widths {
		total += wd
	}
	w.flush()
	if total <= maxTableWidth || !header || cols < 2 {
		for ri, r := range rows {
			if isEmptyRow(r) {
				continue
			}
			var b strings.Builder
			for i := 0; i < cols; i++ {
				c := ""
				if i < len(r) {
					c = r[i]
				}
				if i > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(c)
				if i < cols-1 {
					b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)))
				}
			}
			w.lines = append(w.lines, strings.TrimRight(b.String(), " "))
			if ri == 0 && header {
				line := make([]string, cols)
				for i := range line {
					line[i] = strings.Repeat("-", max(widths[i], 1))
				}
				w.lines = append(w.lines, strings.Join(line, "-+-"))
			}
		}
		return
	}
	head := rows[0]
	for _, r := range rows[1:] {
		if isEmptyRow(r) {
			continue
		}
		w.blank()
		for i, c := range r {
			if c == "" {
				continue
			}
			h := ""
			if i < len(head) {
				h = head[i]
			}
			if h != "" {
				w.lines = append(w.lines, h+": "+c)
			} else {
				w.lines = append(w.lines, c)
			}
		}
	}
}

func isEmptyRow(r []string) bool {
	for _, c := range r {
		if c != "" {
			return false
		}
	}
	return true
}

// indexIDs maps every ID attribute in the document to its element, for
// originalText and text references ("#problem1").
func indexIDs(root *node) map[string]*node {
	ids := make(map[string]*node, 64)
	var walk func(*node)
	walk = func(n *node) {
		for _, a := range n.attrs {
			if (a.Name.Local == "ID" || a.Name.Local == "id") && a.Name.Space == "" {
				if _, dup := ids[a.Value]; !dup {
					ids[a.Value] = n
				}
			}
		}
		for _, k := range n.kids {
			if k.name != "" {
				walk(k)
			}
		}
	}
	walk(root)
	return ids
}
