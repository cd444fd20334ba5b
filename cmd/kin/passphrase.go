package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// errNoPassphrase: no passphrase source is available (no file, no
// environment variable, no terminal to ask on).
var errNoPassphrase = errors.New("no passphrase: use --passphrase-file FILE, set KINFOLIO_PASSPHRASE, or run kin in a terminal")

// passphrase returns the vault passphrase from, in order: --passphrase-file
// (its first line), $KINFOLIO_PASSPHRASE, or a prompt without echo when
// stdin is a terminal. It never reads argv. Callers check --identity first:
// an identity takes precedence over both.
func (c *ctx) passphrase(prompt string) (string, error) {
	if c.passphraseFile != "" {
		return readPassphraseFile(c.passphraseFile)
	}
	if p := c.getenv("KINFOLIO_PASSPHRASE"); p != "" {
		return p, nil
	}
	return c.prompt(prompt)
}

// newPassphrase asks for a passphrase to set: from the file named by
// fileFlag when given, else the usual sources; a prompt asks twice.
func (c *ctx) newPassphrase(fileFlag, prompt string) (string, error) {
	if fileFlag != "" {
		return readPassphraseFile(fileFlag)
	}
	if c.passphraseFile != "" || c.getenv("KINFOLIO_PASSPHRASE") != "" {
		return c.passphrase(prompt)
	}
	p, err := c.prompt(prompt)
	if err != nil {
		return "", err
	}
	again, err := c.prompt("Repeat the passphrase: ")
	if err != nil {
		return "", err
	}
	if p != again {
		return "", usagef("the two passphrases differ")
	}
	return p, nil
}

// readPassphraseFile returns the first line of the file, without its line
// ending. An empty first line is a usage error.
func readPassphraseFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", usagef("passphrase file: %v", err)
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return "", usagef("passphrase file %s is empty", path)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("passphrase file %s: the first line is empty", path)
	}
	return line, nil
}

// prompt asks on the terminal without echo.
func (c *ctx) prompt(prompt string) (string, error) {
	f, ok := c.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", withCode(exitUsage, errNoPassphrase)
	}
	fmt.Fprint(c.stderr, prompt)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", fmt.Errorf("reading the passphrase: %w", err)
	}
	p := strings.TrimRight(string(b), "\r\n")
	if p == "" {
		return "", usagef("the passphrase is empty")
	}
	return p, nil
}
