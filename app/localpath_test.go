package app

import (
	"errors"
	"runtime"
	"testing"
)

func TestLocalPath(t *testing.T) {
	tests := []struct {
		goos, in, want string
	}{
		// What Windows users and Windows itself hand over.
		{"windows", `C:\Users\Ada\Downloads\record.xml`, `C:\Users\Ada\Downloads\record.xml`},
		{"windows", `C:/Users/Ada/Downloads/record.xml`, `C:\Users\Ada\Downloads\record.xml`},
		{"windows", `c:\users\ada\\Downloads\.\..\Downloads\record.xml`, `c:\users\ada\Downloads\record.xml`},
		{"windows", `"C:\Users\Ada\My Records\record.xml"`, `C:\Users\Ada\My Records\record.xml`},
		{"windows", `C:\Users\Ada\My Records"`, `C:\Users\Ada\My Records`}, // cmd.exe's reading of "C:\Users\Ada\My Records\"
		{"windows", "  C:\\Users\\Ada\\record.xml \r\n", `C:\Users\Ada\record.xml`},
		{"windows", `D:\`, `D:\`},
		{"windows", `D:`, `D:.`},
		{"windows", `D:records\..\x.xml`, `D:x.xml`},
		{"windows", `\\fileserver\scans\2024\record.xml`, `\\fileserver\scans\2024\record.xml`},
		{"windows", `//fileserver/scans/../record.xml`, `\\fileserver\scans\record.xml`},
		{"windows", `\\fileserver\scans\..\..\record.xml`, `\\fileserver\scans\record.xml`},
		{"windows", `\\?\C:\a very long\path\record.xml`, `\\?\C:\a very long\path\record.xml`},
		{"windows", `\Users\Ada\record.xml`, `\Users\Ada\record.xml`},
		{"windows", `records\..\record.xml`, `record.xml`},
		{"windows", `.\record.xml`, `record.xml`},
		// Fyne's file URIs on Windows: Path() is C:/..., String() is file://C:/...
		{"windows", `C:/Users/Ada/Desktop/export.zip`, `C:\Users\Ada\Desktop\export.zip`},
		{"windows", `file://C:/Users/Ada/Desktop/export.zip`, `C:\Users\Ada\Desktop\export.zip`},
		{"windows", `//fileserver/scans/record.xml`, `\\fileserver\scans\record.xml`},
		// Standard file URIs (RFC 8089), percent-encoded.
		{"windows", `file:///C:/Users/Ada/My%20Records/r%C3%A9sum%C3%A9.xml`, `C:\Users\Ada\My Records\résumé.xml`},
		{"windows", `file://localhost/C:/Users/Ada/record.xml`, `C:\Users\Ada\record.xml`},
		{"windows", `FILE:/C:/Users/Ada/record.xml`, `C:\Users\Ada\record.xml`},
		{"windows", `file://fileserver/scans/record.xml`, `\\fileserver\scans\record.xml`},
		{"windows", `/C:/Users/Ada/record.xml`, `C:\Users\Ada\record.xml`},

		// Unix names are kept as given: any byte but NUL, and ".." follows links.
		{"linux", `/home/ada/Downloads/record.xml`, `/home/ada/Downloads/record.xml`},
		{"linux", `/home/ada/link/../record.xml`, `/home/ada/link/../record.xml`},
		{"linux", `records\2024\record.xml`, `records\2024\record.xml`},
		{"linux", `"quoted".xml`, `"quoted".xml`},
		{"linux", ` leading space.xml`, ` leading space.xml`},
		{"linux", "/home/ada/record.xml\n", `/home/ada/record.xml`},
		{"linux", `notes:2024.xml`, `notes:2024.xml`},
		{"linux", `C:\Users\Ada\record.xml`, `C:\Users\Ada\record.xml`},
		{"linux", `file:///home/ada/My%20Records/record.xml`, `/home/ada/My Records/record.xml`},
		{"linux", `file://localhost/home/ada/record.xml`, `/home/ada/record.xml`},
		{"linux", `file:/home/ada/record.xml`, `/home/ada/record.xml`},
		{"darwin", `file:///Users/ada/Library/Mobile%20Documents/record.xml`, `/Users/ada/Library/Mobile Documents/record.xml`},
		{"darwin", `/Users/ada/Desktop/export.zip`, `/Users/ada/Desktop/export.zip`},
	}
	for _, tt := range tests {
		t.Run(tt.goos+" "+tt.in, func(t *testing.T) {
			got, err := localPathFor(tt.goos, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLocalPath_NotLocal(t *testing.T) {
	tests := []struct{ goos, in string }{
		{"windows", ``},
		{"windows", `""`},
		{"windows", "  \r\n"},
		{"linux", ``},
		{"linux", "\n"},
		{"linux", "/home/ada/a\x00b"},
		{"windows", "C:\\a\x00b"},
		{"linux", `file:///home/ada/a%00b`},
		{"linux", `https://portal.example.org/record.xml`},
		{"windows", `https://portal.example.org/record.xml`},
		{"darwin", `smb://fileserver/scans/record.xml`},
		{"linux", `file://fileserver/scans/record.xml`},
		{"linux", `file:///home/ada/100%.xml`},
	}
	for _, tt := range tests {
		t.Run(tt.goos+" "+tt.in, func(t *testing.T) {
			got, err := localPathFor(tt.goos, tt.in)
			if !errors.Is(err, ErrNotLocalFile) {
				t.Errorf("got %q, %v; want ErrNotLocalFile", got, err)
			}
		})
	}
}

// TestLocalPath_ThisSystem: LocalPath uses the rules of the system it runs on.
func TestLocalPath_ThisSystem(t *testing.T) {
	in := `dir/../record.xml`
	want := in
	if runtime.GOOS == "windows" {
		want = `record.xml`
	}
	if got, err := LocalPath(in); err != nil || got != want {
		t.Errorf("LocalPath(%q) = %q, %v; want %q", in, got, err, want)
	}
}
