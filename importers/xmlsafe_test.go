package importers

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// drain reads every token and returns the local names of the start
// elements with their paths, or the first error.
func drain(t *testing.T, x *XMLDecoder) ([]string, error) {
	t.Helper()
	return drainMode(t, x, false)
}

func drainMode(t *testing.T, x *XMLDecoder, raw bool) ([]string, error) {
	t.Helper()
	var paths []string
	for {
		next := x.Token
		if raw {
			next = x.RawToken
		}
		tok, err := next()
		if err == io.EOF {
			return paths, nil
		}
		if err != nil {
			return paths, err
		}
		if _, ok := tok.(xml.StartElement); ok {
			paths = append(paths, x.Path())
		}
	}
}

func TestXMLDecoder_Refuses(t *testing.T) {
	bomb := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`
	xxe := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE foo [ <!ELEMENT foo ANY > <!ENTITY xxe SYSTEM "file:///etc/passwd" >]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>`
	remote := `<!DOCTYPE ClinicalDocument SYSTEM "http://example.invalid/cda.dtd"><ClinicalDocument/>`
	// A DOCTYPE whose internal subset never ends: refused from the prolog,
	// without reading the megabytes behind it.
	endless := "<?xml version='1.0'?><!-- hi --><!DOCTYPE x [" + strings.Repeat("<!ELEMENT a ANY>", 1<<16)
	deep := strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)
	tests := []struct {
		name  string
		in    string
		want  error
		place string
	}{
		// The DOCTYPE's own place, on its line.
		{"billion laughs", bomb, ErrDoctype, "line 2, column 1"},
		{"external entity", xxe, ErrDoctype, "line 2, column 1"},
		{"external DTD", remote, ErrDoctype, "line 1, column 1"},
		{"endless DOCTYPE", endless, ErrDoctype, "line 1, column 33"},
		{"after a comment of two lines", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- é\n -->  <!DOCTYPE x><x/>", ErrDoctype, "line 3, column 7"},
		{"too deep", deep, ErrTooDeep, "/a/a/a"},
		{"unknown entity", `<a>&nbsp;</a>`, ErrMalformed, "line 1"},
		{"unclosed", `<a><b></b>`, ErrMalformed, ""},
		{"mismatched", "<a>\n<b></c></a>", ErrMalformed, "line 2"},
		{"two roots", `<a/><b/>`, ErrMalformed, ""},
		{"text after root", `<a/>oops`, ErrMalformed, ""},
		{"empty", ``, ErrMalformed, ""},
		{"bad UTF-8", "<a>\xff\xfe</a>", ErrInvalidUTF8, ""},
		{"UTF-16", "\xff\xfe<\x00a\x00/\x00>\x00", ErrMalformed, ""},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC-US"?><a/>`, ErrMalformed, ""},
	}
	for _, tc := range tests {
		for _, raw := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/raw=%v", tc.name, raw), func(t *testing.T) {
				start := time.Now()
				x := NewXMLDecoder("doc.xml", strings.NewReader(tc.in), Limits{MaxDepth: 256})
				_, err := drainMode(t, x, raw)
				if !errors.Is(err, tc.want) {
					t.Fatalf("error = %v, want %v", err, tc.want)
				}
				var ie *Error
				if !errors.As(err, &ie) || ie.File != "doc.xml" || !strings.Contains(ie.Place, "line") {
					t.Fatalf("error %v does not name the file and the line", err)
				}
				if !strings.Contains(ie.Place, tc.place) {
					t.Errorf("place = %q, want it to contain %q", ie.Place, tc.place)
				}
				if d := time.Since(start); d > time.Second {
					t.Errorf("took %v", d)
				}
				// The error sticks.
				if _, err2 := x.Token(); !errors.Is(err2, tc.want) {
					t.Errorf("second call: %v", err2)
				}
			})
		}
	}
}

func TestXMLDecoder_RawToken(t *testing.T) {
	doc := `<cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc"><cda:patient><sdtc:raceCode code="1"/></cda:patient></cda:ClinicalDocument>`
	x := NewXMLDecoder("doc.xml", strings.NewReader(doc), DefaultLimits())
	var names []string
	for {
		tok, err := x.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			names = append(names, se.Name.Space+":"+se.Name.Local+"@"+x.Path())
		}
	}
	want := "cda:ClinicalDocument@/ClinicalDocument cda:patient@/ClinicalDocument/patient sdtc:raceCode@/ClinicalDocument/patient/raceCode"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	// A prefix that differs between start and end tag does not match.
	x = NewXMLDecoder("doc.xml", strings.NewReader(`<a:x xmlns:a="u" xmlns:b="u"></b:x>`), DefaultLimits())
	if _, err := drainMode(t, x, true); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "closed by") {
		t.Errorf("mismatched prefixes: %v", err)
	}
}

func TestXMLDecoder_PathsAndEncodings(t *testing.T) {
	doc := "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<?xml-stylesheet type=\"text/xsl\" href=\"http://example.invalid/cda.xsl\"?>\r\n" +
		"<!-- comment --><r xmlns=\"urn:hl7-org:v3\"><c/><c><s/></c><d/><c/></r>"
	x := NewXMLDecoder("doc.xml", strings.NewReader(doc), DefaultLimits())
	paths, err := drain(t, x)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/r", "/r/c", "/r/c[2]", "/r/c[2]/s", "/r/d", "/r/c[3]"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths = %v, want %v", paths, want)
	}

	latin := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><n>Jos\xe9 \x93q\x94</n>")
	win := bytes.Replace(latin, []byte("ISO-8859-1"), []byte("windows-1252"), 1)
	for _, tc := range []struct {
		in   []byte
		want string
	}{{latin, "José \u0093q\u0094"}, {win, "José “q”"}} {
		x := NewXMLDecoder("n.xml", bytes.NewReader(tc.in), DefaultLimits())
		var text string
		for {
			tok, err := x.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				text += string(cd)
			}
		}
		if text != tc.want {
			t.Errorf("text = %q, want %q", text, tc.want)
		}
	}
}

func TestXMLDecoder_DepthAndSkip(t *testing.T) {
	x := NewXMLDecoder("d.xml", strings.NewReader(`<a><b><c><d/></c></b><e/></a>`), Limits{MaxDepth: 4})
	var seen []string
	for {
		tok, err := x.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			seen = append(seen, se.Name.Local)
			if se.Name.Local == "b" {
				if err := x.Skip(); err != nil {
					t.Fatal(err)
				}
				if x.Depth() != 1 {
					t.Errorf("depth after skip = %d, want 1", x.Depth())
				}
			}
		}
	}
	if got := strings.Join(seen, ","); got != "a,b,e" {
		t.Errorf("seen %s", got)
	}
	// Exactly MaxDepth levels are fine; one more is not.
	x = NewXMLDecoder("d.xml", strings.NewReader(`<a><b><c><d><e/></d></c></b></a>`), Limits{MaxDepth: 4})
	if _, err := drain(t, x); !errors.Is(err, ErrTooDeep) {
		t.Errorf("5 levels under a limit of 4: %v", err)
	}
}

func TestXMLDecoder_AllowInternalDTD(t *testing.T) {
	apple := `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 11 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ATTLIST Record unit CDATA "%">
]>
<HealthData locale="en_US"><Record unit="%"/></HealthData>`
	x := NewXMLDecoder("export.xml", strings.NewReader(apple), DefaultLimits())
	x.AllowInternalDTD()
	paths, err := drain(t, x)
	if err != nil || len(paths) != 2 {
		t.Fatalf("paths %v, err %v", paths, err)
	}
	for _, bad := range []string{
		`<!DOCTYPE a [<!ENTITY e "x">]><a/>`,
		`<!DOCTYPE a SYSTEM "a.dtd"><a/>`,
		`<!DOCTYPE a [<!ENTITY % p SYSTEM "http://x.invalid/"> %p;]><a/>`,
	} {
		x := NewXMLDecoder("export.xml", strings.NewReader(bad), DefaultLimits())
		x.AllowInternalDTD()
		if _, err := drain(t, x); !errors.Is(err, ErrDoctype) {
			t.Errorf("%s: %v, want ErrDoctype", bad, err)
		}
	}
}

func TestSniffXML(t *testing.T) {
	tests := []struct {
		name, head, space, local string
		ok                       bool
	}{
		{"plain", `<ClinicalDocument xmlns="urn:hl7-org:v3">`, "urn:hl7-org:v3", "ClinicalDocument", true},
		{"BOM, declaration, stylesheet, comment", "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<?xml-stylesheet type=\"text/xsl\" href=\"CDA.xsl\"?>\r\n<!-- made by X -->\r\n<ClinicalDocument xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"urn:hl7-org:v3\" >", "urn:hl7-org:v3", "ClinicalDocument", true},
		{"prefixed", `<cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3" xmlns="x">`, "urn:hl7-org:v3", "ClinicalDocument", true},
		{"quoted > in attribute", `<Bundle a="x>y" xmlns="http://hl7.org/fhir">`, "http://hl7.org/fhir", "Bundle", true},
		{"doctype skipped", `<!DOCTYPE x [<!ENTITY a "b">]><HealthData locale="en">`, "", "HealthData", true},
		{"no namespace", `<HealthData>`, "", "HealthData", true},
		{"cut inside tag", `<ClinicalDocument xmlns="urn:hl7-org:v3`, "", "", false},
		{"cut inside comment", `<!-- long`, "", "", false},
		{"JSON", `{"resourceType":"Bundle"}`, "", "", false},
		{"empty", ``, "", "", false},
		{"text", `hello <a>`, "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			space, local, ok := SniffXML([]byte(tc.head))
			if space != tc.space || local != tc.local || ok != tc.ok {
				t.Errorf("SniffXML = %q, %q, %v; want %q, %q, %v", space, local, ok, tc.space, tc.local, tc.ok)
			}
		})
	}
}

func FuzzXMLDecoder(f *testing.F) {
	f.Add([]byte(`<a><b x="1">t</b><!-- c --><?pi x?></a>`))
	f.Add([]byte(`<!DOCTYPE a [<!ELEMENT a ANY>]><a/>`))
	f.Add([]byte("\xEF\xBB\xBF<?xml version='1.0' encoding='windows-1252'?><a>\x93</a>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		SniffXML(data)
		x := NewXMLDecoder("f.xml", bytes.NewReader(data), Limits{MaxDepth: 16})
		x.AllowInternalDTD()
		raw := len(data) > 0 && data[0]&1 == 1
		for i := 0; ; i++ {
			next := x.Token
			if raw {
				next = x.RawToken
			}
			_, err := next()
			if err != nil {
				if err != io.EOF {
					var ie *Error
					if !errors.As(err, &ie) {
						t.Fatalf("error %v is not an *Error", err)
					}
				}
				break
			}
			if x.Depth() > 16 {
				t.Fatalf("depth %d beyond the limit", x.Depth())
			}
		}
	})
}
