package app

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"runtime"
	"strings"
)

// ErrNotLocalFile: what was given to open is not a file on this computer
// (a web address, a file on another host, an empty name).
var ErrNotLocalFile = errors.New("not a file on this computer")

// LocalPath turns a file named by a user or by the system into a path this
// computer's file functions open: a path as typed or pasted, a path with a
// stray quote from a shell, a file: URI (as file managers and browsers
// hand them out, percent-encoded), or the path of a Fyne URI (fyne.URI's
// Path(), which is not percent-encoded: pass that, not its String()).
//
// On Windows, where paths are compared and resolved by their letters alone,
// the result is also cleaned: forward slashes become backslashes, a
// leading slash before a drive letter (/C:/Users, from a URI) goes, doubled
// separators and "." and ".." are resolved, surrounding double quotes and
// a trailing one (cmd.exe turns "C:\My Records\" into C:\My Records") are
// removed, as are surrounding spaces, which Windows names cannot have.
// Drive letters (C:\), network shares (\\server\share) and \\?\ paths
// are kept. On other systems a path is returned as given, since a name
// may hold any byte but NUL and ".." must follow symbolic links.
//
// Errors: [ErrNotLocalFile] for an empty name, a URI of another scheme
// (https:) or of another host, or a name holding NUL.
func LocalPath(name string) (string, error) {
	return localPathFor(runtime.GOOS, name)
}

func localPathFor(goos, name string) (string, error) {
	windows := goos == "windows"
	s := strings.Trim(name, "\r\n")
	if windows {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, `"`) {
			s = strings.TrimPrefix(s, `"`)
		}
		s = strings.TrimSpace(strings.TrimSuffix(s, `"`))
	}
	if s == "" {
		return "", fmt.Errorf("%w: the name is empty", ErrNotLocalFile)
	}
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("%w: the name holds a NUL character", ErrNotLocalFile)
	}
	if scheme, rest, ok := strings.Cut(s, ":"); ok && isURIScheme(scheme) &&
		(strings.EqualFold(scheme, "file") || strings.HasPrefix(rest, "//")) {
		if !strings.EqualFold(scheme, "file") {
			return "", fmt.Errorf("%w: %s: is a web or other address, not a file (download it first)", ErrNotLocalFile, strings.ToLower(scheme))
		}
		p, err := fileURIPath(windows, s)
		if err != nil {
			return "", err
		}
		s = p
	}
	if windows {
		return cleanWindows(s), nil
	}
	return s, nil
}

// isURIScheme reports whether s can be a URI scheme and not a drive letter
// (one letter before a colon). Only file: and names followed by "//"
// (https://) are read as URIs: a Unix file may be called "notes:2024".
func isURIScheme(s string) bool {
	if len(s) < 2 || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// fileURIPath returns the path of a file: URI (RFC 8089), percent-decoded:
// file:///home/a%20b, file://localhost/C:/x, file:/C:/x, file://server/share/x
// (Windows only), and Fyne's file://C:/x.
func fileURIPath(windows bool, s string) (string, error) {
	rest := s[len("file:"):]
	if !strings.HasPrefix(rest, "//") {
		return unescape(rest) // file:/path
	}
	rest = rest[2:]
	host, p, _ := strings.Cut(rest, "/")
	p = "/" + p
	switch {
	case windows && len(host) == 2 && host[1] == ':' && isLetter(host[0]):
		// file://C:/x, written by tools (Fyne among them) that put the
		// drive where the host goes.
		return unescape(host + p)
	case host == "" || strings.EqualFold(host, "localhost"):
		return unescape(p)
	case windows:
		// A network share: file://server/share/x is \\server\share\x.
		u, err := unescape(p)
		return `\\` + host + u, err
	}
	return "", fmt.Errorf("%w: the file is on another computer (%s)", ErrNotLocalFile, host)
}

func unescape(p string) (string, error) {
	u, err := url.PathUnescape(p)
	if err != nil {
		return "", fmt.Errorf("%w: a file: address with a broken %%-escape", ErrNotLocalFile)
	}
	if strings.ContainsRune(u, 0) {
		return "", fmt.Errorf("%w: the name holds a NUL character", ErrNotLocalFile)
	}
	return u, nil
}

// cleanWindows cleans a Windows path by its letters, as Windows itself
// does: backslashes, no doubled separators, no "." or "..", and the volume
// (C:, \\server\share) kept. \\?\ paths are passed to the system as they
// are, so they are left alone.
func cleanWindows(p string) string {
	if strings.HasPrefix(p, `\\?\`) || strings.HasPrefix(p, `\\.\`) {
		return p
	}
	s := strings.ReplaceAll(p, `\`, "/")
	// "/C:/x" (a URI's path) is C:\x.
	if len(s) >= 3 && s[0] == '/' && isLetter(s[1]) && s[2] == ':' && (len(s) == 3 || s[3] == '/') {
		s = s[1:]
	}
	var vol string
	switch {
	case len(s) >= 2 && isLetter(s[0]) && s[1] == ':':
		vol, s = s[:2], s[2:]
	case strings.HasPrefix(s, "//") && len(s) > 2 && s[2] != '/':
		// \\server\share: the first two names are the volume.
		parts := strings.SplitN(s[2:], "/", 3)
		if len(parts) < 2 || parts[1] == "" {
			return `\\` + strings.ReplaceAll(s[2:], "/", `\`)
		}
		vol = `\\` + parts[0] + `\` + parts[1]
		s = "/"
		if len(parts) == 3 {
			s += parts[2]
		}
	}
	// "C:" alone is the current folder of drive C, "C:." as filepath.Clean
	// writes it.
	return vol + strings.ReplaceAll(path.Clean(s), "/", `\`)
}
