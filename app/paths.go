package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"strings"
)

// Paths is where Kinfolio keeps one user's files on this computer. Both
// front ends use the same [DefaultPaths], so the window and kin open the
// same vault unless told otherwise.
type Paths struct {
	// Dir is Kinfolio's folder in the user's profile. It holds the
	// vault and the settings; creating the vault makes it, mode 0700.
	Dir string
	// Vault is the vault file to open when none is named: Dir's
	// vault.kinfolio, or $KINFOLIO_VAULT when that is set.
	Vault string
	// Settings is the settings file, beside the vault in Dir. It
	// stays there when $KINFOLIO_VAULT names a vault elsewhere: settings
	// belong to the computer's user, not to one vault file.
	Settings string
}

// File names inside [Paths.Dir].
const (
	VaultFile    = "vault.kinfolio"
	SettingsFile = "settings.json"
)

// ErrNoProfileDir: the environment does not say where the user's profile
// is ($HOME, or %APPDATA% on Windows, is unset or not an absolute path),
// so there is no default place for the vault; name one (kin --vault).
var ErrNoProfileDir = errors.New("the user's profile folder is not known")

// Env is what [PathsFor] reads of the system. [DefaultPaths] fills it from
// the running program; tests pass another operating system's.
type Env struct {
	// GOOS is the operating system, as runtime.GOOS spells it.
	GOOS string
	// Getenv reads an environment variable ("" when unset). On Windows
	// names are looked up in upper case (APPDATA), as the system
	// matches them regardless of case.
	Getenv func(string) string
	// Exists reports whether a file is there. It lets an older default
	// location that already holds a vault keep being used.
	Exists func(path string) bool
}

// DefaultPaths returns where Kinfolio keeps its files for the user running
// it; see [PathsFor].
func DefaultPaths() (Paths, error) {
	return PathsFor(Env{GOOS: runtime.GOOS, Getenv: os.Getenv, Exists: exists})
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return !errors.Is(err, fs.ErrNotExist)
}

// PathsFor returns where Kinfolio keeps its files on the system env
// describes. The folder is the platform's place for an application's own
// data, inside the user's profile:
//
//   - Windows: %APPDATA%\Kinfolio (C:\Users\NAME\AppData\Roaming\Kinfolio).
//     The profile's permissions, not file modes, keep other users out, so
//     the vault belongs there (see the vault package's threat model).
//   - macOS: ~/Library/Application Support/Kinfolio.
//   - Linux and other Unix systems: the XDG data directory,
//     $XDG_DATA_HOME/kinfolio, or ~/.local/share/kinfolio when it is unset
//     or relative (as the XDG specification says to treat it).
//
// The vault is vault.kinfolio and the settings settings.json in that folder;
// $KINFOLIO_VAULT, when set, names another vault file (settings stay put).
//
// A default never moves under a user: where an earlier Kinfolio used
// another spelling of the folder (macOS and Windows: "kinfolio", which only
// a case-sensitive disk tells apart) and a vault is there while none is at
// the new place, the old folder is the one returned.
//
// Errors: [ErrNoProfileDir] when the variables the platform needs are unset
// or not absolute paths; Vault is still $KINFOLIO_VAULT then, when set.
func PathsFor(env Env) (Paths, error) {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Exists == nil {
		env.Exists = func(string) bool { return false }
	}
	dirs, err := appDirs(env)
	if err != nil {
		return Paths{Vault: env.Getenv("KINFOLIO_VAULT")}, err
	}
	p := env.join
	dir := dirs[0]
	for _, old := range dirs[1:] {
		if !env.Exists(p(dir, VaultFile)) && env.Exists(p(old, VaultFile)) {
			dir = old
			break
		}
	}
	ps := Paths{Dir: dir, Vault: p(dir, VaultFile), Settings: p(dir, SettingsFile)}
	if v := env.Getenv("KINFOLIO_VAULT"); v != "" {
		ps.Vault = v
	}
	return ps, nil
}

// appDirs lists the folders Kinfolio's files may be in, the current default
// first, then older defaults that are still honoured.
func appDirs(env Env) ([]string, error) {
	p := env.join
	switch env.GOOS {
	case "windows":
		d := env.Getenv("APPDATA")
		if d == "" {
			return nil, fmt.Errorf("%w: %%APPDATA%% is not set", ErrNoProfileDir)
		}
		if !windowsAbs(d) {
			return nil, fmt.Errorf("%w: %%APPDATA%% (%s) is not an absolute path", ErrNoProfileDir, d)
		}
		// NTFS ignores case, so "kinfolio" (kin before 0.1) is the same folder.
		return []string{p(d, "Kinfolio")}, nil
	case "darwin", "ios":
		h, err := home(env)
		if err != nil {
			return nil, err
		}
		support := p(h, "Library", "Application Support")
		return []string{p(support, "Kinfolio"), p(support, "kinfolio")}, nil
	default:
		if d := env.Getenv("XDG_DATA_HOME"); strings.HasPrefix(d, "/") {
			return []string{p(d, "kinfolio")}, nil
		}
		h, err := home(env)
		if err != nil {
			return nil, err
		}
		return []string{p(h, ".local", "share", "kinfolio")}, nil
	}
}

func home(env Env) (string, error) {
	h := env.Getenv("HOME")
	if h == "" {
		return "", fmt.Errorf("%w: $HOME is not set", ErrNoProfileDir)
	}
	if !strings.HasPrefix(h, "/") {
		return "", fmt.Errorf("%w: $HOME (%s) is not an absolute path", ErrNoProfileDir, h)
	}
	return h, nil
}

// join joins path elements with the separator of env's system.
func (env Env) join(elem ...string) string {
	if env.GOOS != "windows" {
		return path.Join(elem...)
	}
	s := strings.TrimRight(elem[0], `\/`)
	for _, e := range elem[1:] {
		s += `\` + e
	}
	return s
}

// windowsAbs reports whether p is an absolute Windows path: a drive letter
// and a separator (C:\...), or a network share (\\server\share).
func windowsAbs(p string) bool {
	if len(p) >= 3 && isLetter(p[0]) && p[1] == ':' && isSlash(p[2]) {
		return true
	}
	return len(p) >= 3 && isSlash(p[0]) && isSlash(p[1]) && !isSlash(p[2])
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isSlash(c byte) bool { return c == '\\' || c == '/' }
