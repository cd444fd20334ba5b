package ui

import (
	"os"
	"path/filepath"
	"runtime"
)

// defaultVaultPath is the vault the window opens when none is named:
// $KINFOLIO_VAULT, else kinfolio/vault.kinfolio in the user data folder
// (the same rule as kin's). It stands in for app.DefaultPaths (branch win),
// which replaces it once on main.
func defaultVaultPath() string {
	if v := os.Getenv("KINFOLIO_VAULT"); v != "" {
		return v
	}
	return filepath.Join(dataDir(), "kinfolio", "vault.kinfolio")
}

func dataDir() string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("AppData"); d != "" {
			return d
		}
	case "darwin":
		return filepath.Join(home, "Library", "Application Support")
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
			return d
		}
	}
	return filepath.Join(home, ".local", "share")
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
