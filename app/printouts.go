package app

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/kinfolio/kinfolio/export"
	"github.com/kinfolio/kinfolio/export/pdf"
	"github.com/kinfolio/kinfolio/internal/atomicfile"
	"github.com/kinfolio/kinfolio/vault"
)

// ExportInput returns what the exporters are given about one person (id
// or name): the profile, every entry, every stored resource with its
// source, the sources with their names and the keys the screens show
// ([Session.Legend]), and now. Errors wrap [vault.ErrNoSuchProfile] or
// [ErrLocked].
func (s *Session) ExportInput(person string) (export.Input, error) {
	v, err := s.vault()
	if err != nil {
		return export.Input{}, err
	}
	in, err := v.ExportInput(person, s.now())
	if err != nil {
		return export.Input{}, locked(err)
	}
	keys := s.keysFor(v, in.Person.ID)
	for i := range in.Sources {
		in.Sources[i].Key = keys.bySource[in.Sources[i].ID].Key
	}
	return *in, nil
}

// PaperForEnvironment returns the paper of the user's locale, read from
// LC_ALL, LC_PAPER and LANG as the C library does (see
// [pdf.PaperForLocale]): Letter in the United States and Canada, A4 in
// most of the world. getenv is os.Getenv in the app.
func PaperForEnvironment(getenv func(string) string) pdf.Paper {
	for _, v := range []string{"LC_ALL", "LC_PAPER", "LANG"} {
		if l := getenv(v); l != "" {
			return pdf.PaperForLocale(l)
		}
	}
	return pdf.PaperForLocale("")
}

// ExportPDF prints the printout kind (visit summary, emergency card, full
// record) of a person to the file path with the options o, and records
// the export in the audit log. The PDF is written to a temporary file in
// path's folder, synced and renamed over path, so path is either the whole
// new PDF or untouched; no partial file is left behind. It returns the
// size written. It refuses to write over the vault itself
// ([ErrOverVault]). Errors wrap [vault.ErrNoSuchProfile], [ErrLocked],
// [pdf.ErrNoPerson] and the file system's errors (fs.ErrPermission,
// fs.ErrNotExist for a folder that is not there).
func (s *Session) ExportPDF(person string, kind pdf.Kind, o pdf.Options, path string) (int64, error) {
	if err := s.notOverVault(path); err != nil {
		return 0, err
	}
	in, err := s.ExportInput(person)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	if err := pdf.Write(&buf, kind, in, o); err != nil {
		return 0, err
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return 0, err
	}
	v, err := s.vault()
	if err != nil {
		return 0, err
	}
	what := strings.ToLower(kind.Label()) + " (PDF) to " + filepath.Base(path)
	if err := v.Record(vault.AuditEvent{Time: s.now(), Action: vault.ActionExport, Profile: in.Person.ID, Detail: what}); err != nil {
		return 0, locked(err)
	}
	s.changed(ChangeLog)
	return int64(buf.Len()), nil
}

func writeFileAtomic(path string, data []byte) error {
	err := atomicfile.WriteFile(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
