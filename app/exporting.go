package app

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kinfolio/kinfolio/export/fhir"
	"github.com/kinfolio/kinfolio/internal/atomicfile"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/backup"
)

// ErrOverVault: an export or backup was asked to overwrite the vault itself.
var ErrOverVault = errors.New("that is the vault file itself")

// Written says what an export or a backup wrote.
type Written struct {
	// Path is the file written; Bytes its size.
	Path  string `json:"file"`
	Bytes int64  `json:"bytes"`
	// Person is whom it is about ("" for a backup of everyone).
	Person     string `json:"profile,omitempty"`
	PersonName string `json:"profile_name,omitempty"`
	// Resources and Entries count what it holds.
	Resources int `json:"resources"`
	Entries   int `json:"entries"`
}

// ExportFHIR writes a person's record to path as FHIR R4 JSON: the whole
// record as a collection Bundle, or with ips the International Patient
// Summary (a document Bundle). See package export/fhir. The file is
// written beside path, synced and renamed into place, so a crash leaves
// the old file or the new one; it is readable by the user only. The
// export is recorded in the audit log.
//
// Errors wrap [vault.ErrNoSuchProfile], [ErrLocked], [ErrOverVault], or
// the file system's.
func (s *Session) ExportFHIR(person string, ips bool, path string) (*Written, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	in, err := s.ExportInput(person)
	if err != nil {
		return nil, err
	}
	what := "FHIR record"
	n, err := s.writeFile(path, func(w io.Writer) error {
		if ips {
			what = "patient summary (IPS)"
			return fhir.WriteIPS(w, &in)
		}
		return fhir.WriteBundle(w, &in)
	})
	if err != nil {
		return nil, err
	}
	ev := vault.AuditEvent{Action: vault.ActionExport, Profile: in.Person.ID, Detail: what + " to " + filepath.Base(path)}
	if err := v.Record(ev); err != nil {
		return nil, locked(err)
	}
	s.changed(ChangeLog)
	return &Written{Path: path, Bytes: n, Person: in.Person.ID, PersonName: in.Person.Name,
		Resources: len(in.Resources), Entries: len(in.Entries)}, nil
}

// BackupOptions say what a backup holds and how it is locked.
type BackupOptions struct {
	// Person (an id or a name) makes a handover backup of that person
	// only; "" backs up everyone.
	Person string
	// Recipients are age public keys (age1…) to encrypt to; with none,
	// the backup is encrypted to Passphrase.
	Recipients []string
	// Passphrase locks the backup when there are no Recipients; "" means
	// the vault's own passphrase.
	Passphrase string
}

// BackupWritten is what a backup wrote: the file and its manifest.
type BackupWritten struct {
	Written
	Manifest *backup.Manifest `json:"manifest"`
}

// Backup writes a backup to path (see [vault.Vault.Backup] and package
// backup for what it holds): an age file the stock age tool opens. The
// file is written beside path, synced and renamed into place. The backup
// is recorded in the audit log.
//
// Errors wrap [vault.ErrNoSuchProfile], [vault.ErrBadRecipient],
// [vault.ErrNeedPassphrase] (unlocked with a key, and neither recipients
// nor a passphrase given), [ErrLocked], [ErrOverVault], or the file
// system's.
func (s *Session) Backup(path string, opts BackupOptions) (*BackupWritten, error) {
	v, err := s.vault()
	if err != nil {
		return nil, err
	}
	var m *backup.Manifest
	n, err := s.writeFile(path, func(w io.Writer) error {
		var err error
		m, err = v.Backup(w, vault.BackupOptions{Profile: opts.Person, Recipients: opts.Recipients,
			Passphrase: opts.Passphrase, Now: s.now()})
		return err
	})
	if err != nil {
		return nil, locked(err)
	}
	out := &BackupWritten{Written: Written{Path: path, Bytes: n, Resources: m.Counts.Resources, Entries: m.Counts.Entries}, Manifest: m}
	detail := fmt.Sprintf("everyone (%s) to %s", Plural(len(m.People), "person", "people"), filepath.Base(path))
	if m.Scope == "person" && len(m.People) == 1 {
		out.Person, out.PersonName = m.People[0].ID, m.People[0].Name
		detail = fmt.Sprintf("%s only (a handover) to %s", m.People[0].Name, filepath.Base(path))
	}
	if len(opts.Recipients) > 0 {
		detail += ", for " + Plural(len(opts.Recipients), "key", "keys")
	}
	if err := v.Record(vault.AuditEvent{Action: vault.ActionBackup, Profile: out.Person, Detail: detail}); err != nil {
		return nil, locked(err)
	}
	s.changed(ChangeLog)
	return out, nil
}

// Restore reads the backup at backupPath, opened with secret (the
// passphrase it was made with, or a key it was made for), into a new vault
// at target under newPassphrase (see [vault.Restore]: everything as it
// was, checked against the backup's hashes; nothing is created if any of
// it fails). The new vault is left closed; open it with [Open].
//
// Errors wrap [vault.ErrExists], [vault.ErrWrongPassphrase],
// [backup.ErrDamaged], [backup.ErrNotBackup], [backup.ErrNewerVersion],
// [ErrBadKeyFile], [vault.ErrBadPassphrase], or the file system's.
func Restore(backupPath string, secret Secret, target, newPassphrase string, opts *Options) (*vault.RestoreReport, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	vs, err := secret.vaultSecret()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(backupPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%w: %s is a folder", backup.ErrNotBackup, backupPath)
	}
	return vault.Restore(f, fi.Size(), vs, target, vault.RestoreOptions{Passphrase: newPassphrase,
		WorkFactor: o.WorkFactor, Now: o.Now, Name: filepath.Base(backupPath)})
}

// writeFile writes a file the safe way: into a temporary file in the
// target's folder (mode 0600: it holds health records), synced, then
// renamed over path, and the folder synced. On any error the temporary
// file is removed and path is left as it was. It refuses to write over
// the vault itself.
func (s *Session) writeFile(path string, write func(w io.Writer) error) (n int64, err error) {
	if vf, err := os.Stat(s.path); err == nil {
		if pf, err := os.Stat(path); err == nil && os.SameFile(vf, pf) {
			return 0, fmt.Errorf("%w: %s", ErrOverVault, path)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return 0, fmt.Errorf("%s is a folder: name a file to write", path)
	}
	err = atomicfile.WriteFile(path, 0o600, func(w io.Writer) error {
		cw := &countingWriter{w: w}
		bw := bufio.NewWriterSize(cw, 1<<20)
		if err := write(bw); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		n = cw.n
		return nil
	})
	return n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func init() {
	sentences = append(sentences, []struct {
		err  error
		text string
	}{
		{ErrOverVault, "That is the vault file itself. Choose another name for the file to write."},
		{backup.ErrWrongKey, "That passphrase or key does not open this backup. A backup opens with the passphrase the vault had when it was made, or with the key it was made for."},
		{backup.ErrDamaged, "This backup is damaged or incomplete (it may have been cut short while being copied), so nothing was restored. Try another copy of it."},
		{backup.ErrNewerVersion, "This backup was made by a newer version of Kinfolio. Install the newer version to restore it; nothing was changed."},
		{backup.ErrNotBackup, "This file is not a Kinfolio backup. Choose the backup file you made with Kinfolio."},
	}...)
}
