package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestNew_WindowIsKinfolio(t *testing.T) {
	a := test.NewTempApp(t)
	k := New(a, nil)
	w := k.Window()
	defer w.Close()
	if w.Title() != "Kinfolio" {
		t.Errorf("window title %q, want Kinfolio", w.Title())
	}
	if !strings.HasPrefix(string(Icon.Content()), "\x89PNG") {
		t.Error("the app icon is not a PNG")
	}
	// The welcome screen names the app and states the promises.
	var texts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			texts = append(texts, v.Text)
		case *widget.RichText:
			texts = append(texts, segmentText(v.Segments)...)
		case *widget.Card:
			texts = append(texts, v.Title)
			walk(v.Content)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(w.Content())
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Kinfolio", "Nothing leaves this computer", "passphrase or recovery key"} {
		if !strings.Contains(all, want) {
			t.Errorf("welcome screen does not say %q; it says:\n%s", want, all)
		}
	}
}

// segmentText returns the text of rich-text segments, lists included.
func segmentText(segs []widget.RichTextSegment) []string {
	var out []string
	for _, s := range segs {
		switch v := s.(type) {
		case *widget.ListSegment:
			out = append(out, segmentText(v.Items)...)
		case *widget.ParagraphSegment:
			out = append(out, segmentText(v.Texts)...)
		case *widget.TextSegment:
			out = append(out, v.Text)
		}
	}
	return out
}
