package app

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeEnv is a system with the given variables and files.
func fakeEnv(goos string, vars map[string]string, files ...string) Env {
	return Env{
		GOOS:   goos,
		Getenv: func(k string) string { return vars[k] },
		Exists: func(p string) bool {
			for _, f := range files {
				if f == p {
					return true
				}
			}
			return false
		},
	}
}

func TestPathsFor(t *testing.T) {
	tests := []struct {
		name  string
		goos  string
		vars  map[string]string
		files []string
		want  Paths
	}{
		{
			name: "windows", goos: "windows",
			vars: map[string]string{"APPDATA": `C:\Users\Ada\AppData\Roaming`, "HOME": "/ignored"},
			want: Paths{
				Dir:      `C:\Users\Ada\AppData\Roaming\Kinfolio`,
				Vault:    `C:\Users\Ada\AppData\Roaming\Kinfolio\vault.kinfolio`,
				Settings: `C:\Users\Ada\AppData\Roaming\Kinfolio\settings.json`,
			},
		},
		{
			name: "windows APPDATA with a trailing backslash", goos: "windows",
			vars: map[string]string{"APPDATA": `D:\Profiles\Ada\`},
			want: Paths{
				Dir:      `D:\Profiles\Ada\Kinfolio`,
				Vault:    `D:\Profiles\Ada\Kinfolio\vault.kinfolio`,
				Settings: `D:\Profiles\Ada\Kinfolio\settings.json`,
			},
		},
		{
			name: "windows profile on a network share", goos: "windows",
			vars: map[string]string{"APPDATA": `\\fileserver\profiles\ada\AppData\Roaming`},
			want: Paths{
				Dir:      `\\fileserver\profiles\ada\AppData\Roaming\Kinfolio`,
				Vault:    `\\fileserver\profiles\ada\AppData\Roaming\Kinfolio\vault.kinfolio`,
				Settings: `\\fileserver\profiles\ada\AppData\Roaming\Kinfolio\settings.json`,
			},
		},
		{
			name: "macOS", goos: "darwin",
			vars: map[string]string{"HOME": "/Users/ada", "XDG_DATA_HOME": "/Users/ada/.xdg"},
			want: Paths{
				Dir:      "/Users/ada/Library/Application Support/Kinfolio",
				Vault:    "/Users/ada/Library/Application Support/Kinfolio/vault.kinfolio",
				Settings: "/Users/ada/Library/Application Support/Kinfolio/settings.json",
			},
		},
		{
			name: "macOS keeps a vault kin made in the lower-case folder", goos: "darwin",
			vars:  map[string]string{"HOME": "/Users/ada"},
			files: []string{"/Users/ada/Library/Application Support/kinfolio/vault.kinfolio"},
			want: Paths{
				Dir:      "/Users/ada/Library/Application Support/kinfolio",
				Vault:    "/Users/ada/Library/Application Support/kinfolio/vault.kinfolio",
				Settings: "/Users/ada/Library/Application Support/kinfolio/settings.json",
			},
		},
		{
			name: "macOS prefers the current folder when both hold a vault", goos: "darwin",
			vars: map[string]string{"HOME": "/Users/ada"},
			files: []string{
				"/Users/ada/Library/Application Support/kinfolio/vault.kinfolio",
				"/Users/ada/Library/Application Support/Kinfolio/vault.kinfolio",
			},
			want: Paths{
				Dir:      "/Users/ada/Library/Application Support/Kinfolio",
				Vault:    "/Users/ada/Library/Application Support/Kinfolio/vault.kinfolio",
				Settings: "/Users/ada/Library/Application Support/Kinfolio/settings.json",
			},
		},
		{
			name: "linux without XDG_DATA_HOME: today's path", goos: "linux",
			vars: map[string]string{"HOME": "/home/ada"},
			want: Paths{
				Dir:      "/home/ada/.local/share/kinfolio",
				Vault:    "/home/ada/.local/share/kinfolio/vault.kinfolio",
				Settings: "/home/ada/.local/share/kinfolio/settings.json",
			},
		},
		{
			name: "linux with XDG_DATA_HOME", goos: "linux",
			vars: map[string]string{"HOME": "/home/ada", "XDG_DATA_HOME": "/data/ada/"},
			want: Paths{
				Dir:      "/data/ada/kinfolio",
				Vault:    "/data/ada/kinfolio/vault.kinfolio",
				Settings: "/data/ada/kinfolio/settings.json",
			},
		},
		{
			name: "linux ignores a relative XDG_DATA_HOME, as the spec says", goos: "linux",
			vars: map[string]string{"HOME": "/home/ada", "XDG_DATA_HOME": "data"},
			want: Paths{
				Dir:      "/home/ada/.local/share/kinfolio",
				Vault:    "/home/ada/.local/share/kinfolio/vault.kinfolio",
				Settings: "/home/ada/.local/share/kinfolio/settings.json",
			},
		},
		{
			name: "freebsd is XDG too", goos: "freebsd",
			vars: map[string]string{"HOME": "/home/ada"},
			want: Paths{
				Dir:      "/home/ada/.local/share/kinfolio",
				Vault:    "/home/ada/.local/share/kinfolio/vault.kinfolio",
				Settings: "/home/ada/.local/share/kinfolio/settings.json",
			},
		},
		{
			name: "KINFOLIO_VAULT names the vault; settings stay in the profile", goos: "windows",
			vars: map[string]string{"APPDATA": `C:\Users\Ada\AppData\Roaming`, "KINFOLIO_VAULT": `E:\family.kinfolio`},
			want: Paths{
				Dir:      `C:\Users\Ada\AppData\Roaming\Kinfolio`,
				Vault:    `E:\family.kinfolio`,
				Settings: `C:\Users\Ada\AppData\Roaming\Kinfolio\settings.json`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PathsFor(fakeEnv(tt.goos, tt.vars, tt.files...))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n  %+v\nwant\n  %+v", got, tt.want)
			}
		})
	}
}

func TestPathsFor_NoProfile(t *testing.T) {
	tests := []struct {
		name, goos string
		vars       map[string]string
		mention    string
	}{
		{"windows without APPDATA", "windows", map[string]string{"HOME": `C:\Users\Ada`}, "%APPDATA%"},
		{"windows with a relative APPDATA", "windows", map[string]string{"APPDATA": `Roaming`}, "%APPDATA%"},
		{"windows with a drive-relative APPDATA", "windows", map[string]string{"APPDATA": `C:Roaming`}, "%APPDATA%"},
		{"macOS without HOME", "darwin", nil, "$HOME"},
		{"linux without HOME", "linux", map[string]string{"XDG_DATA_HOME": "rel"}, "$HOME"},
		{"linux with a relative HOME", "linux", map[string]string{"HOME": "ada"}, "$HOME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PathsFor(fakeEnv(tt.goos, tt.vars))
			if !errors.Is(err, ErrNoProfileDir) {
				t.Fatalf("got %+v, %v; want ErrNoProfileDir", got, err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not name %s", err, tt.mention)
			}
			if got != (Paths{}) {
				t.Errorf("paths %+v with the error", got)
			}
			// $KINFOLIO_VAULT still names the vault.
			vars := map[string]string{"KINFOLIO_VAULT": "/x/v.kinfolio"}
			for k, v := range tt.vars {
				vars[k] = v
			}
			got, err = PathsFor(fakeEnv(tt.goos, vars))
			if !errors.Is(err, ErrNoProfileDir) || got != (Paths{Vault: "/x/v.kinfolio"}) {
				t.Errorf("with KINFOLIO_VAULT: %+v, %v", got, err)
			}
		})
	}
}

// TestDefaultPaths reads this computer's real environment: the vault is
// in the profile, under the home folder here.
func TestDefaultPaths(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("APPDATA", filepath.Join(home, "AppData", "Roaming"))
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("KINFOLIO_VAULT", "")
	p, err := DefaultPaths()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Vault, home+string(filepath.Separator)) {
		t.Errorf("vault %s is not in the home folder %s", p.Vault, home)
	}
	if filepath.Dir(p.Vault) != p.Dir || filepath.Dir(p.Settings) != p.Dir {
		t.Errorf("vault and settings are not side by side in %s: %+v", p.Dir, p)
	}
	if runtime.GOOS == "linux" {
		if want := filepath.Join(home, ".local", "share", "kinfolio", "vault.kinfolio"); p.Vault != want {
			t.Errorf("vault %s, want %s", p.Vault, want)
		}
	}
	// An existing vault in the older macOS folder is found on disk.
	if runtime.GOOS == "darwin" {
		old := filepath.Join(home, "Library", "Application Support", "kinfolio")
		if err := os.MkdirAll(old, 0o700); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(old, VaultFile), nil, 0o600)
		if p, _ := DefaultPaths(); !strings.EqualFold(p.Dir, old) {
			t.Errorf("dir %s, want %s", p.Dir, old)
		}
	}
}
