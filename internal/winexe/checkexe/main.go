// Command checkexe checks a Windows build of Kinfolio before it is shipped:
// a window program (no console beside it) for the expected CPU, with its
// icon, version information and manifest embedded.
//
//	go run ./internal/winexe/checkexe -version 0.1.0 -name Kinfolio Kinfolio.exe
//
// It prints what it found and exits 1 naming each problem.
package main

import (
	"debug/pe"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/kinfolio/kinfolio/internal/winexe"
)

func main() {
	version := flag.String("version", "", "the version the file and product versions must start with (0.1.0)")
	name := flag.String("name", "", "the product name the version information must give")
	arch := flag.String("arch", "amd64", "the CPU: amd64 or arm64")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: checkexe [-version V] [-name N] [-arch amd64|arm64] FILE.exe")
		os.Exit(2)
	}
	problems, err := check(flag.Arg(0), *version, *name, *arch)
	if err != nil {
		fmt.Fprintln(os.Stderr, "checkexe:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "checkexe: %s: %s\n", flag.Arg(0), p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
}

// check inspects the file and lists what is wrong with it; it prints what
// it found.
func check(path, version, name, arch string) ([]string, error) {
	info, err := winexe.Inspect(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	fmt.Printf("%s: %.1f MB, subsystem %d, machine %#x, %d icon(s) in %d group(s), file version %s, product version %s, manifest %d bytes\n",
		path, float64(fi.Size())/(1<<20), info.Subsystem, info.Machine, info.Icons, info.IconGroups,
		info.FileVersion, info.ProductVersion, len(info.Manifest))
	for _, k := range []string{"ProductName", "FileDescription", "ProductVersion", "CompanyName", "LegalCopyright"} {
		if v, ok := info.Strings[k]; ok {
			fmt.Printf("  %s: %s\n", k, v)
		}
	}
	var problems []string
	if info.Subsystem != winexe.SubsystemGUI {
		problems = append(problems, fmt.Sprintf("subsystem %d, want %d (GUI): Windows would open a console window beside the app (link with -H=windowsgui)", info.Subsystem, winexe.SubsystemGUI))
	}
	machines := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}
	if m, ok := machines[arch]; !ok {
		return nil, fmt.Errorf("unknown -arch %q", arch)
	} else if info.Machine != m {
		problems = append(problems, fmt.Sprintf("machine %#x, want %s (%#x)", info.Machine, arch, m))
	}
	if info.IconGroups == 0 || info.Icons == 0 {
		problems = append(problems, "no icon: Explorer and the taskbar would show a blank program")
	}
	if info.FileVersion == "" {
		problems = append(problems, "no version information")
	} else if version != "" && !strings.HasPrefix(info.FileVersion+".", version+".") {
		problems = append(problems, fmt.Sprintf("file version %s, want %s", info.FileVersion, version))
	}
	if name != "" && info.Strings["ProductName"] != name {
		problems = append(problems, fmt.Sprintf("product name %q, want %q", info.Strings["ProductName"], name))
	}
	if len(info.Manifest) == 0 {
		problems = append(problems, "no application manifest")
	}
	return problems, nil
}
