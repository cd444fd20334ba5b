package assets

import _ "embed"

// Word lists for the passphrase strength estimate and suggestions; their
// sources and licences are in words/README.md. Each is text, one entry a
// line.
var (
	// EFFWordlist is EFF's Long Wordlist: 7,776 lines of a five-dice
	// number, a tab and a word (CC BY 3.0 US).
	//
	//go:embed words/eff_large_wordlist.txt
	EFFWordlist string
	// CommonPasswords are the 30,000 most common passwords, most common
	// first (zxcvbn's list, MIT).
	//
	//go:embed words/passwords.txt
	CommonPasswords string
	// EnglishWords are the 20,000 most frequent English words, most
	// frequent first (zxcvbn's list, MIT).
	//
	//go:embed words/english.txt
	EnglishWords string
	// FirstNames are common first names, most common first (zxcvbn's
	// lists, MIT).
	//
	//go:embed words/names.txt
	FirstNames string
	// Surnames are the 10,000 most common surnames, most common first
	// (zxcvbn's list, MIT).
	//
	//go:embed words/surnames.txt
	Surnames string
)
