package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func init() {
	register(&command{
		Name: "help", Args: "[COMMAND]", Summary: "show the commands, or one command's usage",
		MaxArgs: 3,
		Run:     func(c *ctx, args []string) error { return printHelp(c, args) },
	})
	register(&command{
		Name: "version", Summary: "print the version and build information",
		Run: runVersion,
	})
}

const helpIntro = `kin keeps a family's health records in one encrypted file on this computer.

usage: kin [global flags] COMMAND [flags] [args]

global flags (before or after the command):
  --vault FILE            the vault (default $KINFOLIO_VAULT, else vault.kinfolio in
                          Kinfolio's folder, where the window looks too:
                          Windows  %APPDATA%\Kinfolio
                          macOS    ~/Library/Application Support/Kinfolio
                          Linux    $XDG_DATA_HOME/kinfolio, else ~/.local/share/kinfolio)
  --passphrase-file FILE  read the passphrase from the first line of FILE
  --identity FILE         unlock with an age identity file (recovery or caregiver key)
  --json                  print one JSON document on stdout

The passphrase may also come from $KINFOLIO_PASSPHRASE; otherwise kin asks for it.
A passphrase file may be saved by any editor: UTF-8 with or without a byte order
mark, UTF-16 (PowerShell's '>'), with Windows (CRLF), Unix or old Mac line ends.
`

const helpOutro = `
exit codes: 0 ok, 1 failed, 2 usage, 3 wrong passphrase or identity, 4 vault damaged,
5 vault in use, 6 not a vault or a newer format.
Run 'kin help COMMAND' for a command's flags.
`

// helpJSON is `kin --json help`: the commands, their flags, the global
// flags and the exit codes, for programs.
type helpJSON struct {
	Usage       string        `json:"usage"`
	GlobalFlags []flagJSON    `json:"global_flags"`
	Commands    []commandJSON `json:"commands"`
	ExitCodes   []exitJSON    `json:"exit_codes"`
}

type commandJSON struct {
	Name    string     `json:"name"`
	Args    string     `json:"args"`
	Usage   string     `json:"usage"`
	Summary string     `json:"summary"`
	Help    string     `json:"help,omitempty"`
	Flags   []flagJSON `json:"flags"`
}

type flagJSON struct {
	Name    string `json:"name"`
	Value   string `json:"value,omitempty"`
	Usage   string `json:"usage"`
	Default string `json:"default,omitempty"`
}

type exitJSON struct {
	Code    int    `json:"code"`
	Meaning string `json:"meaning"`
}

var globalFlagsHelp = []flagJSON{
	{Name: "vault", Value: "FILE", Usage: "the vault (default $KINFOLIO_VAULT, else the user data directory)"},
	{Name: "passphrase-file", Value: "FILE", Usage: "read the passphrase from the first line of FILE"},
	{Name: "identity", Value: "FILE", Usage: "unlock with an age identity file (recovery or caregiver key)"},
	{Name: "json", Usage: "print one JSON document on stdout"},
}

var exitCodesHelp = []exitJSON{
	{exitOK, "ok"}, {exitFailed, "the work failed"}, {exitUsage, "usage error"},
	{exitWrongKey, "wrong passphrase or identity"}, {exitDamaged, "vault damaged"},
	{exitInUse, "vault in use by another process"}, {exitNotVault, "not a vault, or a newer format"},
}

func describeCommand(cmd *command) commandJSON {
	out := commandJSON{Name: cmd.Name, Args: cmd.Args, Usage: strings.TrimSpace("kin " + cmd.Name + " " + cmd.Args),
		Summary: cmd.Summary, Help: strings.TrimSpace(cmd.Help), Flags: []flagJSON{}}
	if cmd.Flags != nil {
		fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
		cmd.Flags(fs)
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			fj := flagJSON{Name: f.Name, Value: name, Usage: usage}
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
				fj.Default = f.DefValue
			}
			out.Flags = append(out.Flags, fj)
		})
	}
	return out
}

func printHelp(c *ctx, args []string) error {
	if c.json {
		if len(args) > 0 {
			cmd, rest := lookup(args)
			if cmd == nil || len(rest) > 0 {
				if group := groupOf(args[0]); len(group) > 0 && len(args) == 1 {
					var out []commandJSON
					for _, sub := range group {
						out = append(out, describeCommand(commands[args[0]+" "+sub]))
					}
					return c.printJSON(out)
				}
				return usagef("no command %q", strings.Join(args, " "))
			}
			return c.printJSON(describeCommand(cmd))
		}
		out := helpJSON{Usage: "kin [global flags] COMMAND [flags] [args]", GlobalFlags: globalFlagsHelp, ExitCodes: exitCodesHelp}
		for _, name := range sortedNames() {
			out.Commands = append(out.Commands, describeCommand(commands[name]))
		}
		return c.printJSON(out)
	}
	if len(args) > 0 {
		cmd, rest := lookup(args)
		if cmd == nil || len(rest) > 0 {
			if group := groupOf(args[0]); len(group) > 0 && len(args) == 1 {
				fmt.Fprintf(c.stdout, "kin %s: one of %s\n", args[0], strings.Join(group, ", "))
				return nil
			}
			return usagef("no command %q", strings.Join(args, " "))
		}
		fmt.Fprintf(c.stdout, "usage: kin %s %s\n\n%s.\n", cmd.Name, cmd.Args, upperFirst(cmd.Summary))
		if cmd.Help != "" {
			fmt.Fprintf(c.stdout, "\n%s\n", strings.TrimSpace(cmd.Help))
		}
		if cmd.Flags != nil {
			fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
			cmd.Flags(fs)
			fmt.Fprintln(c.stdout, "\nflags:")
			fs.VisitAll(func(f *flag.Flag) {
				name, usage := flag.UnquoteUsage(f)
				fmt.Fprintf(c.stdout, "  --%s %s\n      %s\n", f.Name, name, usage)
			})
		}
		return nil
	}
	fmt.Fprint(c.stdout, helpIntro)
	if path, err := c.vaultPath(); err == nil {
		fmt.Fprintf(c.stdout, "\nThe vault kin opens here: %s\n", path)
	}
	fmt.Fprint(c.stdout, "\ncommands:\n")
	// Names and summaries only, so the list fits a terminal; a command's
	// arguments are in its own help.
	width := 0
	for name := range commands {
		width = max(width, len(name))
	}
	for _, name := range sortedNames() {
		fmt.Fprint(c.stdout, wrapIndented("  "+name+strings.Repeat(" ", width-len(name)+2), commands[name].Summary, helpColumns))
	}
	fmt.Fprint(c.stdout, helpOutro)
	return nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

type versionInfo struct {
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
	Revision  string `json:"revision,omitempty"`
	Time      string `json:"time,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
}

func buildVersion() versionInfo {
	v := versionInfo{Version: version, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	return v
}

func runVersion(c *ctx, _ []string) error {
	v := buildVersion()
	if c.json {
		return c.printJSON(v)
	}
	fmt.Fprintf(c.stdout, "kin %s (%s, %s)\n", v.Version, v.GoVersion, v.Platform)
	if v.Revision != "" {
		mod := ""
		if v.Modified {
			mod = ", modified"
		}
		fmt.Fprintf(c.stdout, "revision %s%s %s\n", v.Revision, mod, v.Time)
	}
	return nil
}

// helpColumns is the width the command list is wrapped to.
const helpColumns = 80

// wrapIndented writes text after lead, wrapped at columns, continuation
// lines indented to lead's width; a word longer than a line stays whole.
func wrapIndented(lead, text string, columns int) string {
	var b strings.Builder
	pad := strings.Repeat(" ", len(lead))
	b.WriteString(lead)
	at := len(lead)
	for i, w := range strings.Fields(text) {
		if i > 0 && at+1+len([]rune(w)) > columns {
			b.WriteString("\n" + pad)
			at = len(pad)
		} else if i > 0 {
			b.WriteByte(' ')
			at++
		}
		b.WriteString(w)
		at += len([]rune(w))
	}
	b.WriteByte('\n')
	return b.String()
}
