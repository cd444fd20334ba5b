package vault_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

func TestPeek_DemoVaultShowsItsPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.kinfolio")
	v, err := vault.Create(path, "demo-pass", &vault.Options{WorkFactor: vaulttest.WorkFactor, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID()
	if !v.Demo() {
		t.Error("a vault made with Options.Demo says it is not a demo")
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := vault.Peek(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := vault.Info{ID: id, Format: 1, WorkFactor: vaulttest.WorkFactor, Demo: true, DemoPassphrase: "demo-pass"}
	if info != want {
		t.Errorf("Peek = %+v, want %+v", info, want)
	}
	// The passphrase Peek gives opens the vault.
	v, err = vault.Open(path, vault.Passphrase(info.DemoPassphrase), nil)
	if err != nil {
		t.Fatalf("the demo passphrase does not open the demo vault: %v", err)
	}
	// A changed passphrase is not written in the clear; the mark stays.
	if err := v.ChangePassphrase("my own secret"); err != nil {
		t.Fatal(err)
	}
	v.Close()
	info, err = vault.Peek(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Demo || info.DemoPassphrase != "" {
		t.Errorf("after a passphrase change Peek = %+v, want the demo mark and no passphrase", info)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "my own secret") {
		t.Error("the new passphrase of a demo vault is in the file")
	}
}

func TestPeek_OrdinaryVaultHasNoMark(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.kinfolio")
	v := vaulttest.Create(t, path)
	if v.Demo() {
		t.Error("an ordinary vault says it is a demo")
	}
	v.Close()
	info, err := vault.Peek(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if info.Demo || info.DemoPassphrase != "" || info.ID == "" {
		t.Errorf("Peek of an ordinary vault = %+v", info)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), vaulttest.Passphrase) || strings.Contains(string(b), `"demo`) {
		t.Error("an ordinary vault's file holds its passphrase or a demo mark")
	}
}

func TestPeek_Errors(t *testing.T) {
	dir := t.TempDir()
	notVault := filepath.Join(dir, "notes.txt")
	os.WriteFile(notVault, []byte(strings.Repeat("not a vault\n", 1000)), 0o600)
	if _, err := vault.Peek(notVault, nil); !errors.Is(err, vault.ErrNotVault) {
		t.Errorf("Peek of a text file: %v, want ErrNotVault", err)
	}
	if _, err := vault.Peek(filepath.Join(dir, "missing.kinfolio"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Peek of no file: %v, want fs.ErrNotExist", err)
	}
	// A vault open elsewhere is in use (bbolt's lock is per open file, so
	// this process's open vault stands in for another program).
	path := filepath.Join(dir, "vault.kinfolio")
	v := vaulttest.Create(t, path)
	if _, err := vault.Peek(path, &vault.Options{LockTimeout: 50 * time.Millisecond}); !errors.Is(err, vault.ErrInUse) {
		t.Errorf("Peek of an open vault: %v, want ErrInUse", err)
	}
	v.Close()
	if _, err := vault.Peek(path, nil); err != nil {
		t.Errorf("Peek after closing: %v", err)
	}
}
