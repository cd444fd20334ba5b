package ui

import (
	"os"
	"path/filepath"

	"github.com/kinfolio/kinfolio/app"
)

// defaultVaultPath is the vault the window opens when none is named:
// $KINFOLIO_VAULT, else this computer's default (app.DefaultPaths, the
// same as kin's).
func defaultVaultPath() string {
	p, err := app.DefaultPaths()
	if err != nil {
		return "vault.kinfolio" // no home folder: the working folder, as kin would say
	}
	return p.Vault
}

// demoVaultPath is where "Open the demo" keeps the demo vault: beside the
// user's own vault, never in its place.
func demoVaultPath(vaultPath string) string {
	return filepath.Join(filepath.Dir(vaultPath), "demo.kinfolio")
}

// shortPath writes a path with the home folder as ~, for showing.
func shortPath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return p
	}
	if rel, err := filepath.Rel(home, p); err == nil && filepath.IsLocal(rel) {
		return filepath.Join("~", rel)
	}
	return p
}
