package pdf

import (
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kinfolio/kinfolio/assets"
	"github.com/kinfolio/kinfolio/export"
	"golang.org/x/image/font/sfnt"
)

// family is the name the embedded fonts are registered under.
const family = "kin"

// replacement is what a character the font cannot draw prints as.
const replacement = '\uFFFD'

// coverage is the set of runes both embedded faces can draw, below U+10000
// (the font library cannot measure runes above it).
var coverage = sync.OnceValue(func() *[1 << 16]bool {
	var cov [1 << 16]bool
	faces := [][]byte{assets.FontRegular(), assets.FontBold()}
	fonts := make([]*sfnt.Font, len(faces))
	for i, b := range faces {
		f, err := sfnt.Parse(b)
		if err != nil {
			panic("export/pdf: an embedded font does not parse: " + err.Error())
		}
		fonts[i] = f
	}
	var buf sfnt.Buffer
	for r := rune(0x20); r < 1<<16; r++ {
		ok := true
		for _, f := range fonts {
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				ok = false
				break
			}
		}
		cov[r] = ok
	}
	return &cov
})

// printable reports whether the embedded fonts draw r.
func printable(r rune) bool {
	return r >= 0 && r < 1<<16 && coverage()[r]
}

// clean returns s as the PDF can print it on one line: control characters
// and runs of white space become one space, characters the font cannot
// draw become U+FFFD (counted in *missing when missing is not nil), and the
// ends are trimmed. Text is printed in stored (logical) order, left to
// right, without shaping: right-to-left scripts and Arabic joining are not
// supported.
func clean(s string, missing *int) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c < 0x20 || c == 0x7f {
			ascii = false
			break
		}
	}
	if ascii && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r != '\u00a0' && (unicode.IsSpace(r) || unicode.IsControl(r)) || r == '\u200b' || r == '\ufeff':
			space = true
			continue
		case unicode.Is(unicode.Mn, r) && !printable(r):
			// a combining mark the font lacks: drop it, keep the letter
			if missing != nil {
				*missing++
			}
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if !printable(r) {
			if missing != nil {
				*missing++
			}
			r = replacement
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cleanLines is [clean] for text that keeps its line breaks (a reason for
// visit, a note): each line is cleaned, blank lines are dropped.
func cleanLines(s string, missing *int) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = clean(l, missing); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// wrap breaks text into lines no wider than w at the current font, at
// spaces where it can and inside a word only when the word alone is wider
// than w. Text must be [clean]. An empty text gives no lines.
func (d *doc) wrap(text string, w float64) []string {
	if text == "" {
		return nil
	}
	if d.width(text) <= w {
		return []string{text}
	}
	var lines []string
	var line strings.Builder
	lineW := 0.0
	spaceW := d.width(" ")
	for _, word := range strings.Split(text, " ") {
		ww := d.width(word)
		if line.Len() > 0 && lineW+spaceW+ww <= w {
			line.WriteByte(' ')
			line.WriteString(word)
			lineW += spaceW + ww
			continue
		}
		if line.Len() > 0 {
			lines = append(lines, line.String())
			line.Reset()
			lineW = 0
		}
		for ww > w {
			// a word wider than the column: cut it where it fills the line
			cut, cw := 0, 0.0
			for i, r := range word {
				rw := d.width(string(r))
				if cw+rw > w && i > 0 {
					break
				}
				cut, cw = i+utf8.RuneLen(r), cw+rw
			}
			lines = append(lines, word[:cut])
			word = word[cut:]
			ww = d.width(word)
		}
		line.WriteString(word)
		lineW = ww
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// fit shortens text with "…" until it is no wider than w at the current font.
func (d *doc) fit(text string, w float64) string {
	if d.width(text) <= w {
		return text
	}
	rs := []rune(text)
	for len(rs) > 0 {
		rs = rs[:len(rs)-1]
		s := strings.TrimRight(string(rs), " ,;·") + "…"
		if d.width(s) <= w {
			return s
		}
	}
	return ""
}

// plural returns "1 result", "3 results".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands writes n with thousands separators: "10,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// rtlNote is what a printout says when the record holds right-to-left text.
const rtlNote = "Text prints left to right as stored: right-to-left scripts (Hebrew, Arabic) are not reordered and Arabic letters are not joined."

// hasRTL reports whether the person's name or an entry's title holds
// right-to-left letters, which the printouts cannot lay out properly.
func hasRTL(in *export.Input) bool {
	isRTL := func(s string) bool {
		for _, r := range s {
			if r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF {
				return true
			}
		}
		return false
	}
	if isRTL(in.Person.Name) {
		return true
	}
	for i := range in.Entries {
		if isRTL(in.Entries[i].Title) {
			return true
		}
	}
	return false
}
