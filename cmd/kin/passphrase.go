package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

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

// maxPassphraseFile bounds what is read of a passphrase file: its first
// line must end within it.
const maxPassphraseFile = 64 << 10

// readPassphraseFile returns the first line of the file, without its line
// ending. Files as Windows and macOS editors save them read the same as
// Unix ones: a UTF-8 byte order mark (Notepad's "UTF-8 with BOM") is
// dropped, UTF-16 with a byte order mark (PowerShell 5's "echo pw > file")
// is decoded, and a line ends at CRLF, LF or a lone CR. Nothing else is
// trimmed: spaces are part of the passphrase. An empty first line, a file
// that is not UTF-8 text (an "ANSI" code page, UTF-16 without a byte order
// mark) or a first line longer than 64 KiB is a usage error that says so:
// read differently, the passphrase would not match the one typed at a
// prompt.
func readPassphraseFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", usagef("passphrase file: %v", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPassphraseFile+1))
	if err != nil {
		return "", usagef("passphrase file %s: %v", path, err)
	}
	line, err := firstLine(b)
	if err != nil {
		return "", usagef("passphrase file %s: %v", path, err)
	}
	return line, nil
}

// firstLine decodes a passphrase file's content and returns its first line.
func firstLine(b []byte) (string, error) {
	truncated := len(b) > maxPassphraseFile
	var line string
	var ended bool
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		var order binary.ByteOrder = binary.LittleEndian
		if b[0] == 0xFE {
			order = binary.BigEndian
		}
		units := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u := order.Uint16(b[i:])
			if u == '\r' || u == '\n' {
				ended = true
				break
			}
			units = append(units, u)
		}
		if !ended && !truncated && len(b)%2 != 0 {
			return "", errors.New("the file is not UTF-16 text (an odd number of bytes)")
		}
		var sb strings.Builder
		for i := 0; i < len(units); i++ {
			r := rune(units[i])
			if utf16.IsSurrogate(r) {
				r = utf8.RuneError
				if i+1 < len(units) {
					r = utf16.DecodeRune(rune(units[i]), rune(units[i+1]))
				}
				if r == utf8.RuneError {
					return "", errors.New("the first line is not UTF-16 text (a broken surrogate pair)")
				}
				i++
			}
			sb.WriteRune(r)
		}
		line = sb.String()
	default:
		text := string(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}))
		end := strings.IndexAny(text, "\r\n")
		if ended = end >= 0; ended {
			line = text[:end]
		} else {
			line = text
		}
	}
	switch {
	case !ended && truncated:
		return "", errors.New("no line end in the first 64 KiB: is this the right file?")
	case line == "" && !ended:
		return "", errors.New("the file is empty")
	case line == "":
		return "", errors.New("the first line is empty")
	case strings.ContainsRune(line, 0):
		return "", errors.New("the first line holds NUL bytes (UTF-16 without a byte order mark?): save the file as UTF-8")
	case !utf8.ValidString(line):
		return "", errors.New("the first line is not UTF-8 text (saved in an \"ANSI\" code page?): save the file as UTF-8")
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
