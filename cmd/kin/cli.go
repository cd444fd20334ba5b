package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/kinfolio/kinfolio/app"
)

// Exit codes of the command-line contract.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitWrongKey = 3
	exitDamaged  = 4
	exitInUse    = 5
	exitNotVault = 6
)

// command is one kin command. Commands register themselves in init
// functions with [register]; multi-word names ("profiles add") are looked up
// longest first.
type command struct {
	// Name is the command as typed: "verify", "profiles add".
	Name string
	// Args is the synopsis after the name: "[--profile NAME] FILE...".
	Args string
	// Summary is one line for "kin help".
	Summary string
	// Help is the longer text for "kin help COMMAND" (optional).
	Help string
	// Flags declares the command's own flags on fs (optional).
	Flags func(fs *flag.FlagSet)
	// MinArgs and MaxArgs bound the positional arguments (MaxArgs < 0: no limit).
	MinArgs, MaxArgs int
	// Run does the work. Errors become exit codes through [exitCode].
	Run func(c *ctx, args []string) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.Name]; dup {
		panic("kin: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// globals are the flags every command accepts.
type globals struct {
	vault          string
	passphraseFile string
	identity       string
	json           bool
	help           bool
}

// ctx is what a command runs with: the global options, the streams, the
// environment and the parsed flags of the command.
type ctx struct {
	globals
	cmd    *command
	flags  *flag.FlagSet
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// goos is the system whose conventions name the default vault;
	// runtime.GOOS when empty (tests set another).
	goos string
}

// usageError is a mistake in how kin was called (exit 2). synopsis is set
// for mistakes in the command line's shape (a missing argument, an unknown
// flag), after which the command's usage line helps; a sentence that says
// what to do stands alone.
type usageError struct {
	msg      string
	synopsis bool
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// shapef is a usage error in the command line's shape: the usage line
// follows it.
func shapef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), synopsis: true}
}

// exitError carries an explicit exit code with a message for people.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// wordedError shows a sentence for people in place of err's own text,
// keeping err for errors.Is (and so for the exit code).
type wordedError struct {
	text string
	err  error
}

func (e *wordedError) Error() string { return e.text }
func (e *wordedError) Unwrap() error { return e.err }

// withCode attaches an exit code to err.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// errorCodes maps sentinel errors of the packages kin uses to exit codes.
// Files that add commands append to it in init.
var errorCodes []struct {
	err  error
	code int
}

func mapError(err error, code int) {
	errorCodes = append(errorCodes, struct {
		err  error
		code int
	}{err, code})
}

// errSilent reports a failure whose details were already printed.
var errSilent = errors.New("failed")

// exitCode returns the exit code for an error a command returned.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	for _, m := range errorCodes {
		if errors.Is(err, m.err) {
			return m.code
		}
	}
	return exitFailed
}

// Main runs kin with the given arguments and streams and returns the exit
// code. The environment is read through os.Getenv.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(args, stdin, stdout, stderr, os.Getenv)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	c := &ctx{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	rest, err := c.parseGlobals(args)
	if err == nil {
		err = c.dispatch(rest)
	}
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if !errors.Is(err, errSilent) {
		fmt.Fprintf(stderr, "kin: %v\n", err)
	}
	var ue *usageError
	switch {
	case code != exitUsage || !errors.As(err, &ue) || !ue.synopsis:
	case c.cmd != nil:
		fmt.Fprintf(stderr, "usage: kin %s %s\n", c.cmd.Name, c.cmd.Args)
	default:
		fmt.Fprintln(stderr, "run 'kin help' for the commands")
	}
	return code
}

// globalFlags are the flags every command accepts, and whether each takes a value.
var globalFlags = map[string]bool{
	"vault": true, "passphrase-file": true, "identity": true, "json": false,
	"help": false, "h": false,
}

// parseGlobals removes the global flags from anywhere in args (before a
// "--") and returns what is left, in order.
func (c *ctx) parseGlobals(args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue, ok := splitFlag(a)
		takesValue, global := globalFlags[name]
		if !ok || !global {
			rest = append(rest, a)
			continue
		}
		if takesValue && !hasValue {
			if i+1 >= len(args) {
				return nil, shapef("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if !takesValue && hasValue {
			v, err := parseBool(value)
			if err != nil {
				return nil, shapef("flag --%s: %v", name, err)
			}
			value = fmt.Sprint(v)
		}
		if takesValue && value != "" {
			p, err := localPath("--"+name, value)
			if err != nil {
				return nil, err
			}
			value = p
		}
		switch name {
		case "vault":
			c.vault = value
		case "passphrase-file":
			c.passphraseFile = value
		case "identity":
			c.identity = value
		case "json":
			c.json = !hasValue || value == "true"
		case "help", "h":
			c.help = true
		}
	}
	return rest, nil
}

// splitFlag reads "-x", "--name" or "--name=value".
func splitFlag(a string) (name, value string, hasValue, ok bool) {
	if len(a) < 2 || a[0] != '-' || a == "-" {
		return "", "", false, false
	}
	s := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	if s == "" || s[0] == '-' || s[0] == '=' {
		return "", "", false, false
	}
	name, value, hasValue = strings.Cut(s, "=")
	return name, value, hasValue, true
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "t", "true", "yes":
		return true, nil
	case "0", "f", "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", s)
}

// lookup finds the command named by the leading words of args.
func lookup(args []string) (*command, []string) {
	for n := min(3, len(args)); n >= 1; n-- {
		if cmd, ok := commands[strings.Join(args[:n], " ")]; ok {
			return cmd, args[n:]
		}
	}
	return nil, args
}

func (c *ctx) dispatch(args []string) error {
	if len(args) == 0 {
		if c.help {
			return printHelp(c, nil)
		}
		return shapef("no command given")
	}
	cmd, rest := lookup(args)
	if cmd == nil {
		if group := groupOf(args[0]); len(group) > 0 {
			if len(args) == 1 {
				return shapef("%s needs a subcommand: %s", args[0], strings.Join(group, ", "))
			}
			return shapef("unknown subcommand %q of %s (want %s)", args[1], args[0], strings.Join(group, ", "))
		}
		return shapef("unknown command %q", args[0])
	}
	c.cmd = cmd
	if c.help {
		return printHelp(c, []string{cmd.Name})
	}
	fs := flag.NewFlagSet("kin "+cmd.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if cmd.Flags != nil {
		cmd.Flags(fs)
	}
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		return err
	}
	c.flags = fs
	if fileArgs[cmd.Name] {
		for i, a := range pos {
			if pos[i], err = localPath("file", a); err != nil {
				return err
			}
		}
	}
	if len(pos) < cmd.MinArgs {
		return shapef("%s: missing arguments", cmd.Name)
	}
	if cmd.MaxArgs >= 0 && len(pos) > cmd.MaxArgs {
		return shapef("%s: unexpected argument %q", cmd.Name, pos[cmd.MaxArgs])
	}
	return cmd.Run(c, pos)
}

// groupOf lists the subcommands of a command group ("profiles"), if it is one.
func groupOf(word string) []string {
	var subs []string
	for name := range commands {
		if head, sub, ok := strings.Cut(name, " "); ok && head == word {
			subs = append(subs, sub)
		}
	}
	sort.Strings(subs)
	return subs
}

// parseInterspersed parses flags wherever they appear among the positional
// arguments ("recipients add AGE1... --name Mum"). "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		name, _, hasValue, ok := splitFlag(a)
		if !ok {
			pos = append(pos, a)
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			return nil, shapef("unknown flag %s", a)
		}
		chunk := []string{a}
		if bf, isBool := f.Value.(interface{ IsBoolFlag() bool }); !(isBool && bf.IsBoolFlag()) && !hasValue {
			if i+1 >= len(args) {
				return nil, shapef("flag %s needs a value", a)
			}
			i++
			chunk = append(chunk, args[i])
		}
		if err := fs.Parse(chunk); err != nil {
			return nil, shapef("%v", err)
		}
	}
	return pos, nil
}

// infof writes a message for people to stderr.
func (c *ctx) infof(format string, args ...any) {
	fmt.Fprintf(c.stderr, format+"\n", args...)
}

// printJSON writes v as the one JSON document of the command's output.
func (c *ctx) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// vaultPath returns the vault file to use: --vault, else $KINFOLIO_VAULT,
// else vault.kinfolio in Kinfolio's folder in the user's profile
// ([app.PathsFor]: %APPDATA%\Kinfolio, ~/Library/Application
// Support/Kinfolio, $XDG_DATA_HOME/kinfolio), where the window looks too.
func (c *ctx) vaultPath() (string, error) {
	if c.vault != "" {
		return c.vault, nil
	}
	goos := c.goos
	if goos == "" {
		goos = runtime.GOOS
	}
	p, err := app.PathsFor(app.Env{GOOS: goos, Getenv: c.getenv, Exists: exists})
	if err != nil && p.Vault == "" {
		return "", usagef("no --vault given and %v", err)
	}
	return p.Vault, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// fileArgs are the commands whose arguments are files to read: each is
// made a path of this system with [app.LocalPath] (a file: URI, a stray
// quote from cmd.exe, forward slashes on Windows) before the command runs.
var fileArgs = map[string]bool{"import": true, "restore": true}

// localPath is [app.LocalPath] for a file named on the command line; what
// is not a file here (a web address) is a usage error naming what.
func localPath(what, name string) (string, error) {
	p, err := app.LocalPath(name)
	if err != nil {
		return "", usagef("%s %q: %v", what, name, err)
	}
	return p, nil
}

// sortedNames lists the registered commands in order.
func sortedNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (c *ctx) listFlag(name string) []string {
	if c.flags == nil {
		return nil
	}
	if f := c.flags.Lookup(name); f != nil {
		if l, ok := f.Value.(*stringList); ok {
			return *l
		}
	}
	return nil
}
