package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/assets"
)

func TestPassphraseStrength(t *testing.T) {
	for _, tc := range []struct {
		pass string
		want app.StrengthLevel
		why  string // a part of Why; "" for any
	}{
		{"a", app.Weak, "short"},
		{"password", app.Weak, "most common passwords"},
		{"P@ssw0rd", app.Weak, "most common passwords"},
		{"iloveyou", app.Weak, "most common passwords"},
		{"qwerty123", app.Weak, ""},
		{"aaaaaaaaaaaaaaaaaaaaaaaa", app.Weak, "repeats"},
		{"abcabcabcabc", app.Weak, "repeats"},
		{"abcdefghijk", app.Weak, "sequence"},
		{"qwertyuiop", app.Weak, ""},
		{"1qaz2wsx3edc", app.Weak, ""},
		{"jennifer1987", app.Weak, ""},
		{"Sunshine2024!", app.Weak, ""},
		{"12/31/1987", app.Weak, "date"},
		{"Monkey", app.Weak, "most common passwords"},
		// Random words from EFF's list: two are weak, three fair, four strong.
		{"abacus zoom", app.Weak, ""},
		{"abacus zoom mutable", app.Fair, ""},
		{"abacus zoom mutable flagstone", app.Strong, ""},
		{"abacus-zoom-mutable-flagstone", app.Strong, ""},
		{"correct horse battery staple", app.Strong, ""},
		// Random characters.
		{"kx7#Qm2!vL9p", app.Strong, ""},
		{"kx7#Qm", app.Weak, "short"},
	} {
		s := app.PassphraseStrength(tc.pass)
		if s.Level != tc.want || !strings.Contains(s.Why, tc.why) {
			t.Errorf("%q: %s (%.1f bits, %q), want %s (%q)", tc.pass, s.Level, s.Bits, s.Why, tc.want, tc.why)
		}
		if s.Advice == "" || s.Level.String() == "" {
			t.Errorf("%q: no advice", tc.pass)
		}
	}
	// More never makes it weaker.
	short, long := app.PassphraseStrength("abacus zoom mutable"), app.PassphraseStrength("abacus zoom mutable flagstone")
	if long.Log10Guesses <= short.Log10Guesses {
		t.Errorf("a word more: %.1f ≤ %.1f", long.Log10Guesses, short.Log10Guesses)
	}
	// A very long passphrase is estimated without running away.
	if s := app.PassphraseStrength(strings.Repeat("a", 1000)); s.Level != app.Weak {
		t.Errorf("1000 times a: %s", s.Level)
	}
	if s := app.PassphraseStrength(app.SuggestPassphrase(40)); s.Level != app.Strong {
		t.Errorf("40 words: %s", s.Level)
	}
}

func TestSuggestPassphrase(t *testing.T) {
	words := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(assets.EFFWordlist), "\n") {
		_, w, _ := strings.Cut(line, "\t")
		words[w] = true
	}
	seen := map[string]bool{}
	for _, n := range []int{4, 5, 6, 0, 1} {
		p := app.SuggestPassphrase(n)
		got := strings.Split(p, " ")
		want := n
		if n == 0 {
			want = 6
		} else if n < 4 {
			want = 4
		}
		if len(got) != want {
			t.Errorf("SuggestPassphrase(%d) = %q: %d words, want %d", n, p, len(got), want)
		}
		for _, w := range got {
			if !words[w] {
				t.Errorf("%q is not from EFF's list", w)
			}
		}
		if s := app.PassphraseStrength(p); s.Level != app.Strong {
			t.Errorf("a suggestion is %s: %q", s.Level, p)
		}
		if seen[p] {
			t.Errorf("the same suggestion twice: %q", p)
		}
		seen[p] = true
	}
}

// TestWordlists pins the embedded lists: EFF's list is the published one
// (7,776 distinct words), the others are what the strength estimate was
// measured with.
func TestWordlists(t *testing.T) {
	sum := sha256.Sum256([]byte(assets.EFFWordlist))
	if got := hex.EncodeToString(sum[:]); got != "addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e" {
		t.Errorf("EFF's list changed: sha256 %s", got)
	}
	words := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(assets.EFFWordlist), "\n") {
		dice, w, ok := strings.Cut(line, "\t")
		if !ok || len(dice) != 5 || strings.Trim(dice, "123456") != "" || w == "" {
			t.Fatalf("bad line %q", line)
		}
		words[w] = true
	}
	if len(words) != 7776 {
		t.Errorf("%d words, want 7776", len(words))
	}
	for name, list := range map[string]string{"passwords": assets.CommonPasswords, "english": assets.EnglishWords,
		"names": assets.FirstNames, "surnames": assets.Surnames} {
		if n := strings.Count(list, "\n"); n < 900 {
			t.Errorf("%s: %d lines", name, n)
		}
	}
}

func BenchmarkPassphraseStrength(b *testing.B) {
	for _, p := range []string{"correct horse battery staple", app.SuggestPassphrase(12), strings.Repeat("ab", 64)} {
		b.Run("", func(b *testing.B) {
			app.PassphraseStrength(p)
			for b.Loop() {
				app.PassphraseStrength(p)
			}
		})
	}
}
