package ui

// The create screen's strength meter and "Suggest one" button need
// app.PassphraseStrength and app.SuggestPassphrase, written on branch
// views. Until they are on main, these are nil and the screen shows
// neither (it still works: two matching passphrases create the vault).
// Wiring them is this file's whole job:
//
//	ratePassphrase = func(p string) strength {
//		s := app.PassphraseStrength(p)
//		return strength{Level: int(s.Level), Word: s.Level.String(), Advice: s.Advice}
//	}
//	suggestPassphrase = func() string { return app.SuggestPassphrase(5) }
var (
	ratePassphrase    func(passphrase string) strength
	suggestPassphrase func() string
)

// strength is a passphrase's strength as the meter shows it.
type strength struct {
	// Level is 0 (weak), 1 (fair) or 2 (strong).
	Level int
	// Word says the level: "weak", "fair" or "strong".
	Word string
	// Advice is one sentence for the person choosing.
	Advice string
}
