package app

import (
	"crypto/rand"
	"fmt"
	"math"
	"math/big"
	"strings"
	"sync"
	"unicode"

	"github.com/kinfolio/kinfolio/assets"
)

// # How strong a passphrase is
//
// [PassphraseStrength] estimates how many guesses someone who took a copy
// of the vault would need to find the passphrase, the way zxcvbn does: the
// passphrase is split into the pieces a guesser would try (common
// passwords, English words, first names and surnames, each by how common it
// is; EFF's word list; the same with capitals, reversed or with l33t
// substitutions such as "p@ssw0rd"; repeats such as "aaaa" or "abcabc";
// sequences such as "abcd" or "9876"; keyboard runs such as "qwerty" or
// "1qaz"; years and dates), anything else counted as characters thought
// up one by one (at most 20 guesses each: people choose them far from
// randomly). The split that needs the fewest guesses is the
// estimate: the product of its pieces' guesses, times the number of orders
// the pieces could come in.
//
// The levels, for a vault whose key derivation (scrypt, about a second on
// the user's computer) lets a well-equipped attacker try roughly a thousand
// guesses a second:
//
//   - [Weak]: fewer than 10^10 guesses (about 33 bits): found within
//     months. A common password, a word or two, a name and a year.
//   - [Fair]: 10^10 to 10^14 guesses: years of work. Three random words.
//   - [Strong]: 10^14 guesses (about 47 bits) or more: thousands of years.
//     Four random words from EFF's list give 7776^4 ≈ 3.7 × 10^15.
//
// kin warns when a new passphrase is weak; the window's strength meter
// shows the same estimate.

// StrengthLevel is a passphrase's strength in three steps.
type StrengthLevel int

// The strength levels; see the thresholds above.
const (
	Weak StrengthLevel = iota
	Fair
	Strong
)

// String returns the level in words: "weak", "fair" or "strong".
func (l StrengthLevel) String() string {
	switch l {
	case Fair:
		return "fair"
	case Strong:
		return "strong"
	}
	return "weak"
}

// The thresholds of the levels, as log10 of the guesses needed.
const (
	fairLog10   = 10
	strongLog10 = 14
)

// Strength is the estimate [PassphraseStrength] makes.
type Strength struct {
	Level StrengthLevel
	// Log10Guesses is the decimal logarithm of the guesses needed; Bits the
	// same in bits (log2).
	Log10Guesses float64
	Bits         float64
	// Why names what makes it easy to guess ("it is one of the most common
	// passwords"); "" when nothing does.
	Why string
	// Advice is one sentence for the person choosing it.
	Advice string
}

// PassphraseStrength estimates how hard p is to guess (see the section
// above). It takes about a millisecond for a typical passphrase and at
// most a few tens of milliseconds for a long one, so a strength meter may
// call it at every keystroke.
func PassphraseStrength(p string) Strength {
	rs := []rune(p)
	// A long passphrase is estimated in parts of maxAnalysed characters
	// (the work grows with the cube of the length); the parts add up.
	var log10 float64
	var pieces []pieceGuess
	if len(rs) <= maxAnalysed {
		log10, pieces = newEstimator(rs).best()
	} else if u := repeatUnit(rs); u > 0 && u <= maxAnalysed {
		log10, _ = newEstimator(rs[:u]).best()
		log10 += math.Log10(float64(len(rs) / u))
		pieces = []pieceGuess{{log10, pieceRepeat}}
	} else {
		seen := map[string]bool{}
		for start := 0; start < len(rs); start += maxAnalysed {
			part := rs[start:min(start+maxAnalysed, len(rs))]
			if seen[string(part)] {
				log10 += math.Log10(2)
				continue
			}
			seen[string(part)] = true
			g, ps := newEstimator(part).best()
			log10 += g
			pieces = append(pieces, ps...)
		}
	}
	s := Strength{Log10Guesses: log10, Bits: log10 / math.Log10(2)}
	switch {
	case log10 >= strongLog10:
		s.Level = Strong
	case log10 >= fairLog10:
		s.Level = Fair
	}
	s.Why = why(rs, pieces)
	switch s.Level {
	case Weak:
		s.Advice = "This passphrase is easy to guess: use four or more random words, such as one Kinfolio suggests."
	case Fair:
		s.Advice = "This passphrase could be guessed by someone who copies the vault and tries for years: add a word or two."
	default:
		s.Advice = "This passphrase is hard to guess. Keep it safe, and make a recovery key too."
	}
	return s
}

const maxAnalysed = 128

// SuggestPassphrase returns n words (at least 4; 6 when n is less than 1)
// drawn at random (crypto/rand) from EFF's Long Wordlist, separated by
// spaces: each word adds log2(7776) ≈ 12.9 bits, so four words are Strong.
func SuggestPassphrase(n int) string {
	if n < 1 {
		n = 6
	}
	n = max(n, 4)
	list := effWords()
	words := make([]string, n)
	limit := big.NewInt(int64(len(list)))
	// A draw of common words ("the ready spring house") can rate below
	// strong; it is drawn again, so a suggestion always meets the meter.
	for try := 0; ; try++ {
		for i := range words {
			k, err := rand.Int(rand.Reader, limit)
			if err != nil {
				panic(fmt.Sprintf("app: no randomness for a passphrase: %v", err))
			}
			words[i] = list[k.Int64()]
		}
		p := strings.Join(words, " ")
		if try >= 50 || PassphraseStrength(p).Level == Strong {
			return p
		}
	}
}

// The word lists, parsed once on first use.
var (
	listsOnce sync.Once
	effList   []string
	// ranks maps a lower-case word to how many guesses finding it takes
	// (its rank in the most telling list) and which kind of list it is in.
	ranks map[string]wordRank
)

type wordRank struct {
	rank int
	kind pieceKind
}

func effWords() []string { loadLists(); return effList }

func loadLists() {
	listsOnce.Do(func() {
		ranks = make(map[string]wordRank, 80000)
		add := func(text string, kind pieceKind) {
			for i, w := range strings.Split(text, "\n") {
				w = strings.ToLower(strings.TrimSpace(w))
				if w == "" {
					continue
				}
				if r, ok := ranks[w]; !ok || i+1 < r.rank {
					ranks[w] = wordRank{i + 1, kind}
				}
			}
		}
		add(assets.CommonPasswords, pieceCommon)
		add(assets.EnglishWords, pieceWord)
		add(assets.FirstNames, pieceName)
		add(assets.Surnames, pieceName)
		for _, line := range strings.Split(assets.EFFWordlist, "\n") {
			if _, w, ok := strings.Cut(line, "\t"); ok && w != "" {
				effList = append(effList, w)
				// Someone who guesses that the words came from EFF's list
				// needs at most 7776 tries a word.
				if r, ok := ranks[w]; !ok || r.rank > effListSizeN {
					ranks[w] = wordRank{effListSizeN, pieceWord}
				}
			}
		}
	})
}

// effListSizeN is the size of EFF's Long Wordlist.
const effListSizeN = 7776

// pieceKind is what a piece of a passphrase was taken for.
type pieceKind int

const (
	pieceRandom pieceKind = iota
	pieceCommon
	pieceWord
	pieceName
	pieceRepeat
	pieceSequence
	pieceKeyboard
	pieceDate
)

// estimator finds, for every part rs[i:j] of the passphrase, the fewest
// guesses it takes as one piece, and then the split of the whole with the
// fewest guesses.
type estimator struct {
	rs []rune
	// piece[i][j-i-1] is the best single piece for rs[i:j].
	piece [][]pieceGuess
	// units caches the estimates of repeated units by start and size.
	units map[[2]int]float64
}

type pieceGuess struct {
	log10 float64
	kind  pieceKind
}

func newEstimator(rs []rune) *estimator {
	loadLists()
	e := &estimator{rs: rs, piece: make([][]pieceGuess, len(rs))}
	// From the end backwards, so a repeat at i finds the pieces of its unit
	// (which start at i or later) already known.
	for i := len(rs) - 1; i >= 0; i-- {
		e.piece[i] = make([]pieceGuess, len(rs)-i)
		for j := i + 1; j <= len(rs); j++ {
			e.piece[i][j-i-1] = e.bestPiece(i, j)
		}
	}
	return e
}

// best returns the fewest guesses (log10) over all splits, and the pieces
// of that split.
func (e *estimator) best() (float64, []pieceGuess) {
	n := len(e.rs)
	if n == 0 {
		return 0, nil
	}
	// cost[k][j]: fewest guesses (log10) for rs[:j] in k pieces.
	inf := math.Inf(1)
	cost := make([][]float64, n+1)
	from := make([][]int, n+1)
	for k := range cost {
		cost[k] = make([]float64, n+1)
		from[k] = make([]int, n+1)
		for j := range cost[k] {
			cost[k][j] = inf
		}
	}
	cost[0][0] = 0
	for k := 1; k <= n; k++ {
		for j := k; j <= n; j++ {
			for i := k - 1; i < j; i++ {
				if cost[k-1][i] == inf {
					continue
				}
				if c := cost[k-1][i] + e.piece[i][j-i-1].log10; c < cost[k][j] {
					cost[k][j], from[k][j] = c, i
				}
			}
		}
	}
	bestK, bestCost := 1, inf
	for k := 1; k <= n; k++ {
		// The pieces may come in any order: k! more guesses.
		if c := cost[k][n] + logFactorial(k); c < bestCost {
			bestK, bestCost = k, c
		}
	}
	var pieces []pieceGuess
	for k, j := bestK, n; k > 0; k-- {
		i := from[k][j]
		pieces = append(pieces, e.piece[i][j-i-1])
		j = i
	}
	return bestCost, pieces
}

func logFactorial(k int) float64 {
	lg, _ := math.Lgamma(float64(k + 1))
	return lg / math.Ln10
}

// bestPiece is the fewest guesses for rs[i:j] taken as one piece.
func (e *estimator) bestPiece(i, j int) pieceGuess {
	s := e.rs[i:j]
	best := pieceGuess{bruteForce(s), pieceRandom}
	try := func(log10 float64, kind pieceKind) {
		// A piece is never cheaper than a handful of guesses.
		floor := math.Log10(50)
		if len(s) == 1 {
			floor = 1
		}
		log10 = max(log10, floor)
		if log10 < best.log10 {
			best = pieceGuess{log10, kind}
		}
	}
	if len(s) <= 24 {
		if g, kind, ok := dictionary(s); ok {
			try(g, kind)
		}
	}
	if len(s) >= 2 {
		if g, ok := e.repeat(i, j); ok {
			try(g, pieceRepeat)
		}
	}
	if len(s) >= 3 {
		if g, ok := sequence(s); ok {
			try(g, pieceSequence)
		}
		if g, ok := keyboard(s); ok {
			try(g, pieceKeyboard)
		}
	}
	if g, ok := date(s); ok {
		try(g, pieceDate)
	}
	// A piece followed by a separator ("correct " in "correct horse"): the
	// separator is one choice, not a piece of its own.
	if n := len(s); n >= 2 && isSeparator(s[n-1]) && !isSeparator(s[n-2]) {
		rest := e.piece[i][n-2]
		sep := 0.0
		if s[n-1] != ' ' {
			sep = math.Log10(4)
		}
		try(rest.log10+sep, rest.kind)
	}
	return best
}

func isSeparator(r rune) bool {
	return r == ' ' || r == '-' || r == '_' || r == '.' || r == ','
}

// bruteForce is guessing s character by character: each character is
// one of the kinds it uses (26 lower-case letters, 26 capitals, 10 digits,
// 33 symbols, more beyond ASCII), but counted as at most 20 guesses, since
// the characters people think up are far from random.
func bruteForce(s []rune) float64 {
	var lower, upper, digit, symbol, other bool
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case r < 128:
			symbol = true
		default:
			other = true
		}
	}
	n := 0
	for _, c := range []struct {
		used bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {symbol, 33}, {other, 100}} {
		if c.used {
			n += c.size
		}
	}
	return float64(len(s)) * math.Log10(float64(min(n, 20)))
}

// l33t lists the letters a substituted character may stand for.
var l33t = map[rune][]rune{
	'4': {'a'}, '@': {'a'}, '8': {'b'}, '(': {'c'}, '{': {'c'}, '[': {'c'}, '<': {'c'},
	'3': {'e'}, '6': {'g'}, '9': {'g'}, '1': {'i', 'l'}, '!': {'i'}, '|': {'i', 'l'},
	'0': {'o'}, '$': {'s'}, '5': {'s'}, '7': {'t'}, '+': {'t'}, '2': {'z'}, '%': {'x'},
}

// dictionary looks s up in the word lists as written, in lower case,
// reversed and with l33t substitutions undone, and returns the guesses
// for the best of them.
func dictionary(s []rune) (float64, pieceKind, bool) {
	lower := []rune(strings.ToLower(string(s)))
	caps := math.Log10(capitalVariants(s))
	best, kind, found := math.Inf(1), pieceRandom, false
	look := func(word []rune, factor float64) {
		if r, ok := ranks[string(word)]; ok {
			if g := math.Log10(float64(r.rank)) + caps + factor; g < best {
				best, kind, found = g, r.kind, true
			}
		}
	}
	look(lower, 0)
	rev := make([]rune, len(lower))
	for k, r := range lower {
		rev[len(lower)-1-k] = r
	}
	look(rev, math.Log10(2))
	// Undo substitutions: each substituted character doubles the guesses
	// (it could have been written either way); a few ambiguous ones are
	// tried each way.
	subs, ambiguous := 0, 0
	for _, r := range lower {
		if alt, ok := l33t[r]; ok {
			subs++
			if len(alt) > 1 {
				ambiguous++
			}
		}
	}
	if subs > 0 && subs < len(lower) && ambiguous <= 4 {
		var walk func(k int, cur []rune)
		walk = func(k int, cur []rune) {
			if k == len(lower) {
				look(cur, float64(subs)*math.Log10(2))
				return
			}
			if alt, ok := l33t[lower[k]]; ok {
				for _, a := range alt {
					walk(k+1, append(cur, a))
				}
				return
			}
			walk(k+1, append(cur, lower[k]))
		}
		walk(0, make([]rune, 0, len(lower)))
	}
	return best, kind, found
}

// capitalVariants is how many ways of capitalising a word of this shape
// a guesser tries before reaching s: 1 for all lower case, 2 for a capital
// first or last letter or all capitals, else the ways to place its
// capitals among its letters.
func capitalVariants(s []rune) float64 {
	var up, low int
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			up++
		case unicode.IsLower(r):
			low++
		}
	}
	if up == 0 {
		return 1
	}
	if low == 0 || (up == 1 && (unicode.IsUpper(s[0]) || unicode.IsUpper(s[len(s)-1]))) {
		return 2
	}
	total := 0.0
	for k := 1; k <= min(up, low); k++ {
		total += binomial(up+low, k)
	}
	return max(total, 2)
}

func binomial(n, k int) float64 {
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
}

// repeatUnit returns the length of the shortest unit rs is made of
// ("abab": 2), or 0 when it is no repeat.
func repeatUnit(rs []rune) int {
	for size := 1; size <= len(rs)/2; size++ {
		if len(rs)%size != 0 {
			continue
		}
		same := true
		for k := size; k < len(rs) && same; k++ {
			same = rs[k] == rs[k-size]
		}
		if same {
			return size
		}
	}
	return 0
}

// repeat: rs[i:j] is one shorter unit written over and over ("aaaa",
// "abcabc"): the guesses for the unit, times the number of repeats.
func (e *estimator) repeat(i, j int) (float64, bool) {
	s := e.rs[i:j]
	if size := repeatUnit(s); size > 0 {
		return e.unit(i, size) + math.Log10(float64(len(s)/size)), true
	}
	return 0, false
}

// unit is the guesses for rs[i:i+size] as the unit of a repeat: its own
// best split when short, else its best single piece.
func (e *estimator) unit(i, size int) float64 {
	if size > 12 {
		return e.piece[i][size-1].log10
	}
	k := [2]int{i, size}
	if g, ok := e.units[k]; ok {
		return g
	}
	g, _ := (&estimator{rs: e.rs[i : i+size], piece: e.unitPieces(i, size)}).best()
	if e.units == nil {
		e.units = map[[2]int]float64{}
	}
	e.units[k] = g
	return g
}

// unitPieces are the best pieces of rs[i:i+size], all known by the time
// the pieces starting at i that are longer than size are estimated.
func (e *estimator) unitPieces(i, size int) [][]pieceGuess {
	out := make([][]pieceGuess, size)
	for a := range size {
		out[a] = e.piece[i+a][:size-a]
	}
	return out
}

// sequence: letters or digits in steps of one, up or down ("abcd",
// "9876", "ACEG" is not one).
func sequence(s []rune) (float64, bool) {
	step := s[1] - s[0]
	if step != 1 && step != -1 {
		return 0, false
	}
	class := func(r rune) int {
		switch {
		case r >= 'a' && r <= 'z':
			return 1
		case r >= 'A' && r <= 'Z':
			return 2
		case r >= '0' && r <= '9':
			return 3
		}
		return 0
	}
	c := class(s[0])
	if c == 0 {
		return 0, false
	}
	for k := 1; k < len(s); k++ {
		if s[k]-s[k-1] != step || class(s[k]) != c {
			return 0, false
		}
	}
	starts := 26.0
	if c == 3 {
		starts = 10
	}
	if s[0] == 'a' || s[0] == 'A' || s[0] == '1' || s[0] == '0' || s[0] == 'z' || s[0] == '9' {
		starts = 4 // the obvious starting points
	}
	g := math.Log10(starts * float64(len(s)))
	if step < 0 {
		g += math.Log10(2)
	}
	return g, true
}

// keyboardLines are runs of neighbouring keys on a US keyboard and keypad.
var keyboardLines = []string{
	"`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./",
	"1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",
	"qaz", "wsx", "edc", "rfv", "tgb", "yhn", "ujm",
	"789", "456", "123", "741", "852", "963", "147", "258", "369", "159", "357",
	"qwertzuiop", "asdfghjkl", "yxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn",
}

// shifted maps the shifted symbols of the number row to their keys.
var shifted = map[rune]rune{'!': '1', '@': '2', '#': '3', '$': '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9', ')': '0', '_': '-', '+': '='}

// keyboard: a run along a row or column of keys ("qwerty", "asdf",
// "1qaz", "!@#$"), forwards or backwards.
func keyboard(s []rune) (float64, bool) {
	if len(s) > 13 { // longer than any line
		return 0, false
	}
	var b strings.Builder
	shift := false
	for _, r := range s {
		if k, ok := shifted[r]; ok {
			r, shift = k, true
		} else if unicode.IsUpper(r) {
			r, shift = unicode.ToLower(r), true
		}
		b.WriteRune(r)
	}
	run := b.String()
	rev := []rune(run)
	for a, z := 0, len(rev)-1; a < z; a, z = a+1, z-1 {
		rev[a], rev[z] = rev[z], rev[a]
	}
	back := string(rev)
	for _, line := range keyboardLines {
		if strings.Contains(line, run) || strings.Contains(line, back) {
			g := math.Log10(100 * float64(len(s)))
			if shift {
				g += math.Log10(2)
			}
			return g, true
		}
	}
	return 0, false
}

// date: a year (1900-2049) or a day written as digits, with or without
// separators ("1987", "311287", "12/31/1987", "1987-12-31").
func date(s []rune) (float64, bool) {
	var digits []rune
	seps := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits = append(digits, r)
		case r == '/' || r == '-' || r == '.' || r == ' ' || r == '_':
			seps++
		default:
			return 0, false
		}
	}
	d := string(digits)
	if seps == 0 && len(d) == 4 {
		if y := atoi(d); y >= 1900 && y <= 2049 {
			return math.Log10(150), true
		}
		return 0, false
	}
	if seps != 0 && seps != 2 {
		return 0, false
	}
	if len(d) != 6 && len(d) != 8 {
		return 0, false
	}
	if !plausibleDate(d) {
		return 0, false
	}
	g := math.Log10(365 * 150)
	if seps > 0 {
		g += math.Log10(4)
	}
	return g, true
}

// plausibleDate reports whether six or eight digits read as a day in one
// of the common orders (day month year, month day year, year month day).
func plausibleDate(d string) bool {
	ok := func(day, month int) bool { return month >= 1 && month <= 12 && day >= 1 && day <= 31 }
	if len(d) == 8 {
		a, b, y := atoi(d[:2]), atoi(d[2:4]), atoi(d[4:])
		y2, m2, d2 := atoi(d[:4]), atoi(d[4:6]), atoi(d[6:])
		return (y >= 1900 && y <= 2049 && (ok(a, b) || ok(b, a))) || (y2 >= 1900 && y2 <= 2049 && ok(d2, m2))
	}
	a, b, c := atoi(d[:2]), atoi(d[2:4]), atoi(d[4:])
	return ok(a, b) || ok(b, a) || ok(c, b)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// why names what makes a passphrase easy to guess, from its pieces.
func why(rs []rune, pieces []pieceGuess) string {
	if len(rs) == 0 {
		return "it is empty"
	}
	has := map[pieceKind]bool{}
	for _, p := range pieces {
		has[p.kind] = true
	}
	switch {
	case len(pieces) == 1 && has[pieceCommon]:
		return "it is one of the most common passwords"
	case has[pieceRepeat]:
		return "it repeats itself"
	case has[pieceSequence]:
		return "it has a sequence such as abc or 123"
	case has[pieceKeyboard]:
		return "it has a row of keys such as qwerty"
	case has[pieceDate]:
		return "it has a year or a date"
	case has[pieceName] && len(pieces) <= 2:
		return "it is mostly a name"
	case (has[pieceWord] || has[pieceCommon]) && len(pieces) <= 2:
		return "it is one or two common words"
	case len(rs) < 12:
		return "it is short"
	}
	return ""
}
