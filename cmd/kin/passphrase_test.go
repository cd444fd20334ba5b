package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf16File is s as Windows PowerShell 5 writes it with "echo s > file":
// UTF-16 with a byte order mark and CRLF.
func utf16File(s string, order binary.AppendByteOrder) []byte {
	b := []byte{0xFF, 0xFE}
	if order == binary.AppendByteOrder(binary.BigEndian) {
		b = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

// TestReadPassphraseFile_Windows: a passphrase file saved by Windows (and
// old macOS) tools reads as the passphrase typed at a prompt.
func TestReadPassphraseFile_Windows(t *testing.T) {
	const pass = "Grüße an Oma, 2024 🌷"
	long := strings.Repeat("x", maxPassphraseFile)
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
		problem string // the error names this; "" for none
	}{
		{"notepad CRLF", []byte(pass + "\r\nsecond\r\n"), pass, ""},
		{"notepad UTF-8 with BOM", []byte("\xEF\xBB\xBF" + pass + "\r\n"), pass, ""},
		{"UTF-8 BOM, no line end", []byte("\xEF\xBB\xBF" + pass), pass, ""},
		{"old Mac CR", []byte(pass + "\rsecond\r"), pass, ""},
		{"powershell UTF-16LE", utf16File(pass+"\r\n", binary.LittleEndian), pass, ""},
		{"UTF-16LE, no line end", utf16File(pass, binary.LittleEndian), pass, ""},
		{"UTF-16BE", utf16File(pass+"\nsecond", binary.BigEndian), pass, ""},
		{"trailing space kept (cmd.exe echo pw > file)", []byte(pass + " \r\n"), pass + " ", ""},
		{"CRLF only", []byte("\r\n"), "", "first line is empty"},
		{"BOM only", []byte("\xEF\xBB\xBF"), "", "empty"},
		{"UTF-16 BOM only", []byte{0xFF, 0xFE}, "", "empty"},
		{"UTF-16 empty first line", utf16File("\r\nsecond", binary.LittleEndian), "", "first line is empty"},
		{"UTF-16 without a BOM", utf16File(pass, binary.LittleEndian)[2:], "", "UTF-16 without a byte order mark"},
		{"ANSI code page", []byte("Gr\xFC\xDFe\r\n"), "", "not UTF-8"},
		{"UTF-16 odd length", append(utf16File("ab", binary.LittleEndian), 'c'), "", "odd number of bytes"},
		{"UTF-16 lone surrogate", append(utf16File("ab", binary.LittleEndian), 0x3D, 0xD8, 'c', 0), "", "surrogate"},
		{"long first line, ended in time", []byte(long[:maxPassphraseFile-2] + "\r\n" + long), long[:maxPassphraseFile-2], ""},
		{"no line end in 64 KiB", []byte(long + "x\n"), "", "64 KiB"},
		{"UTF-16 no line end in 64 KiB", utf16File(long, binary.LittleEndian), "", "64 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pass.txt")
			if err := os.WriteFile(path, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := readPassphraseFile(path)
			if tc.problem == "" {
				if err != nil || got != tc.want {
					t.Errorf("got %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.problem) {
				t.Fatalf("got %q, %v; want an error about %q", got, err, tc.problem)
			}
			if exitCode(err) != exitUsage || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v (exit %d) should be a usage error naming the file", err, exitCode(err))
			}
		})
	}
}

// TestPassphraseFile_WindowsOpensVault: a vault made with a passphrase
// typed on Linux opens with the same passphrase saved by PowerShell, and a
// file saved in the wrong encoding fails with a sentence, not exit 3.
func TestPassphraseFile_WindowsOpensVault(t *testing.T) {
	const pass = "Grüße an Oma"
	path := filepath.Join(t.TempDir(), "family.kinfolio")
	env := []string{"KINFOLIO_PASSPHRASE=" + pass, "KINFOLIO_VAULT=" + path}
	if r := kin(t, env, "init", "--work-factor", "10"); r.code != 0 {
		t.Fatalf("kin init: exit %d: %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	ps := filepath.Join(dir, "pass-utf16.txt")
	os.WriteFile(ps, utf16File(pass+"\r\n", binary.LittleEndian), 0o600)
	r := kin(t, []string{"KINFOLIO_VAULT=" + path}, "--passphrase-file", ps, "verify", "--json")
	if r.code != 0 || !bytes.Contains([]byte(r.stdout), []byte(`"damaged": 0`)) {
		t.Fatalf("verify with a UTF-16 passphrase file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	ansi := filepath.Join(dir, "pass-ansi.txt")
	os.WriteFile(ansi, []byte("Gr\xFC\xDFe an Oma\r\n"), 0o600)
	r = kin(t, []string{"KINFOLIO_VAULT=" + path}, "--passphrase-file", ansi, "verify")
	if r.code != exitUsage || !strings.Contains(r.stderr, "save the file as UTF-8") {
		t.Errorf("ANSI passphrase file: exit %d, %q; want 2 and how to fix it", r.code, r.stderr)
	}
}
