package app

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// RecoveryKeyAdvice is what the recovery-key screen says first.
const RecoveryKeyAdvice = "If you forget your passphrase, this key is the only other way in. Save it somewhere safe that is not this computer: print it, or save it to a USB stick."

// recoveryLines are the sheet's and the key file's instructions.
var recoveryLines = []string{
	"If you forget your passphrase, this key is the only other way in to your Kinfolio vault.",
	"Anyone who has this key can open every record in the vault: keep it as safe as a passport.",
	"Keep it somewhere that is not the computer the vault is on: printed in a drawer, or on a USB stick.",
	"To use it: on Kinfolio's unlock screen choose \"Use your recovery key\", then type the key exactly, or open the key file if you saved one.",
	"Then set a new passphrase in Settings.",
}

// RecoveryKeyFile is the recovery key as a key file to keep: comment lines
// (#) saying what it is and how to use it, then the key on a line of its
// own. Kinfolio's unlock screen, kin --identity and the age tool read it
// as an identity file.
func (s *Session) RecoveryKeyFile(key string) ([]byte, error) {
	id, err := s.VaultID()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Kinfolio recovery key, made %s for the vault %s\n", s.now().Format("2 Jan 2006"), id)
	for _, l := range recoveryLines {
		fmt.Fprintf(&b, "# %s\n", l)
	}
	fmt.Fprintf(&b, "%s\n", strings.TrimSpace(key))
	return b.Bytes(), nil
}

// SaveRecoveryKey writes [Session.RecoveryKeyFile] to path, readable by
// the user only (0600). It never replaces a file: errors wrap
// [vault.ErrExists] when one is there (see [FreePath]), else they are the
// file system's, with the path.
func (s *Session) SaveRecoveryKey(path, key string) error {
	b, err := s.RecoveryKeyFile(key)
	if err != nil {
		return err
	}
	return writeNewFile(path, b)
}

// RecoverySheet is the recovery key as a one-page PDF to print: the key in
// large type, which vault it opens, and what to do with it. The system's
// PDF viewer prints it.
func (s *Session) RecoverySheet(key string) ([]byte, error) {
	id, err := s.VaultID()
	if err != nil {
		return nil, err
	}
	made := s.now()
	key = strings.TrimSpace(key)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made)
	pdf.SetCatalogSort(true)
	pdf.SetTitle("Kinfolio recovery key", false)
	pdf.SetAuthor("Kinfolio", false)
	pdf.SetMargins(20, 22, 20)
	pdf.SetAutoPageBreak(false, 20)
	pdf.AddPage()
	width, _ := pdf.GetPageSize()
	text := width - 40

	pdf.SetFont("Helvetica", "B", 22)
	pdf.CellFormat(text, 12, "Kinfolio recovery key", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.SetTextColor(80, 80, 80)
	pdf.CellFormat(text, 6, fmt.Sprintf("Made %s for the vault %s", made.Format("2 January 2006"), id), "", 1, "L", false, 0, "")
	pdf.Ln(8)

	// The key, in a box, large enough to type from.
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(60, 60, 60)
	pdf.SetLineWidth(0.5)
	y := pdf.GetY()
	pdf.Rect(20, y, text, 22, "D")
	pdf.SetXY(20, y+4)
	pdf.SetFont("Courier", "B", 10.5)
	pdf.CellFormat(text, 7, key, "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.SetTextColor(80, 80, 80)
	pdf.SetX(20)
	pdf.CellFormat(text, 6, "Type it exactly as printed: capital letters, digits and dashes, no spaces.", "", 1, "C", false, 0, "")
	pdf.SetY(y + 30)

	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Helvetica", "", 12)
	for _, l := range recoveryLines {
		pdf.MultiCell(text, 6.5, l, "", "L", false)
		pdf.Ln(2)
	}
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "I", 10)
	pdf.SetTextColor(80, 80, 80)
	pdf.MultiCell(text, 5.5, "Printed from Kinfolio. Delete the PDF file once it is printed, unless you keep it on a USB stick.", "", "L", false)

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("making the recovery sheet: %w", err)
	}
	return out.Bytes(), nil
}

// SaveRecoverySheet writes [Session.RecoverySheet] to path (0600), never
// over a file (errors as [Session.SaveRecoveryKey]'s).
func (s *Session) SaveRecoverySheet(path, key string) error {
	b, err := s.RecoverySheet(key)
	if err != nil {
		return err
	}
	return writeNewFile(path, b)
}

// FreePath is dir/name, or when a file of that name is there already
// dir/"name 2.ext", "name 3.ext"…: where to save without replacing anything.
func FreePath(dir, name string) string {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	p := filepath.Join(dir, name)
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s %d%s", stem, i, ext))
	}
}

// writeNewFile writes data beside path, syncs it and links it into place
// (or copies it, where the disk has no links: a USB stick), mode 0600: a
// crash leaves no file or the whole one, and a file already at path is
// never replaced (errors wrap [vault.ErrExists]).
func writeNewFile(path string, data []byte) error {
	_, err := copyNewFile(filepath.Dir(path), filepath.Base(path), bytes.NewReader(data), false)
	return err
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// recoveryDate is the day a recovery key was made, for its file name.
func recoveryDate(t time.Time) string { return t.Format("2006-01-02") }

// RecoveryKeyFileName is the name the save dialogs suggest: no health
// data, the day it was made.
func (s *Session) RecoveryKeyFileName(ext string) string {
	return "kinfolio-recovery-key-" + recoveryDate(s.now()) + ext
}
