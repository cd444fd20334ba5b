package app

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"unicode/utf8"
)

// NarrativeText returns the human-readable text of a FHIR resource as
// plain text, never HTML: a Composition's sections (title, then text,
// nested sections indented by their headings), else the resource's own
// narrative (text.div), else a DocumentReference's plain-text attachment.
// Tables become one line per row with cells separated by " · "; links and
// images are dropped (no remote URI is ever fetched). "" when there is none.
func NarrativeText(resource []byte) string {
	var r struct {
		ResourceType string `json:"resourceType"`
		Text         *struct {
			Div string `json:"div"`
		} `json:"text"`
		Section []narrativeSection `json:"section"`
		Content []struct {
			Attachment struct {
				ContentType string `json:"contentType"`
				Data        string `json:"data"`
			} `json:"attachment"`
		} `json:"content"`
	}
	if json.Unmarshal(resource, &r) != nil {
		return ""
	}
	var b strings.Builder
	if r.ResourceType == "Composition" && len(r.Section) > 0 {
		writeSections(&b, r.Section, 0)
		return strings.TrimSpace(b.String())
	}
	if r.Text != nil && r.Text.Div != "" {
		return XHTMLText(r.Text.Div)
	}
	for _, c := range r.Content {
		ct := strings.ToLower(c.Attachment.ContentType)
		if c.Attachment.Data == "" {
			continue
		}
		data, err := base64.StdEncoding.DecodeString(c.Attachment.Data)
		if err != nil || !utf8.Valid(data) {
			continue
		}
		switch {
		case strings.HasPrefix(ct, "text/plain"):
			return strings.TrimSpace(string(data))
		case strings.HasPrefix(ct, "text/html"), strings.HasPrefix(ct, "application/xhtml"):
			return XHTMLText(string(data))
		}
	}
	return ""
}

type narrativeSection struct {
	Title string `json:"title"`
	Text  *struct {
		Div string `json:"div"`
	} `json:"text"`
	Section []narrativeSection `json:"section"`
}

func writeSections(b *strings.Builder, secs []narrativeSection, depth int) {
	for _, s := range secs {
		title := strings.TrimSpace(s.Title)
		var text string
		if s.Text != nil {
			text = XHTMLText(s.Text.Div)
		}
		if title == "" && text == "" && len(s.Section) == 0 {
			continue
		}
		if title != "" {
			b.WriteString(strings.Repeat("#", depth+1) + " " + title + "\n")
		}
		if text != "" {
			b.WriteString(text + "\n")
		}
		b.WriteString("\n")
		writeSections(b, s.Section, depth+1)
	}
}

// XHTMLText turns narrative XHTML (a FHIR div, a C-CDA section's text)
// into plain text: block elements and <br> end lines, table rows become
// lines of cells joined by " · ", list items start with "• ", runs of
// spaces fold. Markup that is not well formed yields what could be read.
func XHTMLText(div string) string {
	d := xml.NewDecoder(strings.NewReader(div))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var out strings.Builder
	var line strings.Builder
	cells := 0
	skip := 0
	flush := func() {
		t := strings.Join(strings.Fields(line.String()), " ")
		if t != "" {
			out.WriteString(t + "\n")
		}
		line.Reset()
		cells = 0
	}
	for {
		tok, err := d.Token()
		if err == io.EOF || err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch strings.ToLower(t.Name.Local) {
			case "script", "style", "head":
				skip++
			case "br", "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "paragraph", "table", "thead", "tbody":
				flush()
			case "li", "item":
				flush()
				line.WriteString("• ")
			case "td", "th":
				if cells > 0 {
					line.WriteString(" · ")
				}
				cells++
			}
		case xml.EndElement:
			switch strings.ToLower(t.Name.Local) {
			case "script", "style", "head":
				if skip > 0 {
					skip--
				}
			case "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "item", "paragraph", "table", "caption":
				flush()
			}
		case xml.CharData:
			if skip == 0 {
				line.Write(t)
			}
		}
	}
	flush()
	return strings.TrimSpace(out.String())
}
