package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// ShowError tells the person what went wrong, once: the sentence
// [app.Sentence] words, with the technical detail folded away under
// "Details" for whoever helps them. Never err.Error() in the sentence.
func (k *App) ShowError(title string, err error) {
	if err == nil {
		return
	}
	msg := widget.NewLabel(app.Sentence(err))
	msg.Wrapping = fyne.TextWrapWord
	detail := widget.NewLabel(err.Error())
	detail.Wrapping = fyne.TextWrapWord
	detail.TextStyle = fyne.TextStyle{Monospace: true}
	more := widget.NewAccordion(widget.NewAccordionItem("Details", detail))
	content := container.NewVBox(msg, more)
	var m *modal
	closeBtn := newKeyButton(k, "Close", nil, func() { m.hide() })
	m = k.showModal(title, container.NewGridWrap(fyne.NewSize(460, 160), content), nil, closeBtn)
	m.enter = m.hide
}
