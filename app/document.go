package app

import (
	"encoding/json"
	"strings"

	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// A C-CDA document becomes a Composition whose sections list the entries
// read from them; a section that is narrative only (hospital course,
// discharge instructions) becomes a DocumentReference holding that
// section's text. documentText puts the text back together in the
// document's own order, so a person reads the document as it was written.

// compositionSection is what documentText reads of a Composition section.
type compositionSection struct {
	Title string `json:"title"`
	Text  *struct {
		Div string `json:"div"`
	} `json:"text"`
	Entry []struct {
		Reference string `json:"reference"`
	} `json:"entry"`
	Section []compositionSection `json:"section"`
}

// documentText is a Composition's readable text, section by section: each
// section's title ("# Hospital Course"), then its own narrative and the
// text of the resources it lists that textOf knows ("DocumentReference/id"
// → text). Sections with no text are left out; "" when none has any.
// used collects the references whose text was used.
func documentText(composition []byte, textOf func(ref string) string, used map[string]bool) string {
	var c struct {
		Section []compositionSection `json:"section"`
	}
	if json.Unmarshal(composition, &c) != nil {
		return ""
	}
	var write func(secs []compositionSection, depth int) string
	write = func(secs []compositionSection, depth int) string {
		var b strings.Builder
		for _, sec := range secs {
			var body []string
			if sec.Text != nil {
				if t := XHTMLText(sec.Text.Div); t != "" {
					body = append(body, t)
				}
			}
			for _, e := range sec.Entry {
				if t := textOf(e.Reference); t != "" {
					body = append(body, t)
					if used != nil {
						used[e.Reference] = true
					}
				}
			}
			sub := write(sec.Section, depth+1)
			if len(body) == 0 && sub == "" {
				continue
			}
			if t := strings.TrimSpace(sec.Title); t != "" {
				b.WriteString(strings.Repeat("#", depth+1) + " " + t + "\n")
			}
			for _, t := range body {
				b.WriteString(t + "\n")
			}
			b.WriteString("\n")
			b.WriteString(sub)
		}
		return b.String()
	}
	return strings.TrimSpace(write(c.Section, 0))
}

// entryTextOf looks up the text of the DocumentReferences a source gave a
// person, through the entries that hold them (for a Composition's detail).
func (s *Session) entryTextOf(v *vault.Vault, person, source string) func(ref string) string {
	refs := map[string]string{} // "DocumentReference/id" → entry id
	if es, err := s.personEntries(person); err == nil {
		for i := range es {
			if es[i].Kind != record.KindDocument {
				continue
			}
			for _, r := range es[i].Resources {
				if r.Source == source && r.Type == "DocumentReference" {
					refs[r.Type+"/"+r.ID] = es[i].ID
				}
			}
		}
	}
	return func(ref string) string {
		id, ok := refs[ref]
		if !ok {
			return ""
		}
		_, rs, err := v.Entry(id)
		if err != nil {
			return ""
		}
		for _, r := range rs {
			if r.Type+"/"+r.ID == ref {
				return NarrativeText(r.JSON)
			}
		}
		return ""
	}
}
