package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
)

// passphraseFields ask for a new passphrase, twice, with the strength
// meter, "Suggest one" and what is wrong in a sentence: the first run's
// create screen and the Settings screen's "Change the passphrase" both
// use them. Enter in the first field moves to the second; in the second
// it submits, once both match.
type passphraseFields struct {
	k       *App
	pass    *keyEntry
	again   *keyEntry
	meter   *strengthMeter
	hint    *message
	shown   *widget.Label // a suggested passphrase, in the clear
	suggest *widget.Button
	// ready is told whether the two fields hold the same passphrase,
	// after every change.
	ready func(bool)
	// submit runs on Enter in the second field when they match.
	submit func()
}

func newPassphraseFields(k *App, firstHint string) *passphraseFields {
	p := &passphraseFields{k: k}
	p.pass = newKeyPasswordEntry(k)
	p.pass.SetPlaceHolder(firstHint)
	p.again = newKeyPasswordEntry(k)
	p.again.SetPlaceHolder("The same passphrase again")
	p.pass.OnChanged = func(string) { p.changed() }
	p.again.OnChanged = func(string) { p.changed() }
	p.pass.OnSubmitted = func(string) { k.win.Canvas().Focus(p.again) }
	p.again.OnSubmitted = func(string) {
		if p.matches() && p.submit != nil {
			p.submit()
		}
	}
	p.meter = newStrengthMeter()
	p.hint = newMessage()
	p.shown = widget.NewLabel("")
	p.shown.TextStyle = fyne.TextStyle{Monospace: true}
	p.shown.Selectable = true
	p.shown.Wrapping = fyne.TextWrapWord
	p.shown.Hide()
	p.suggest = widget.NewButtonWithIcon("Suggest one", theme.ViewRefreshIcon(), p.suggestOne)
	return p
}

// form lays the fields out: the label with "Suggest one" beside it, the
// two fields, the meter, a suggested passphrase and the hint.
func (p *passphraseFields) form(label string) fyne.CanvasObject {
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, p.suggest, fieldLabel(label)), p.pass,
		fieldLabel("Type it again"), p.again,
		p.meter,
		p.shown,
		p.hint,
	)
}

// text is the passphrase typed, once both fields hold it; else "".
func (p *passphraseFields) text() string {
	if !p.matches() {
		return ""
	}
	return p.pass.Text
}

func (p *passphraseFields) matches() bool { return p.pass.Text != "" && p.pass.Text == p.again.Text }

// changed updates the meter and the hint as the person types.
func (p *passphraseFields) changed() {
	pass, again := p.pass.Text, p.again.Text
	if p.shown.Visible() && pass != p.shown.Text {
		p.shown.Hide()
	}
	p.meter.show(pass)
	switch {
	case pass == "":
		p.hint.clear()
	case again != "" && again != pass:
		p.hint.problem("The two passphrases differ.")
	case again == "":
		p.hint.info("Type it a second time, to be sure of it.")
	default:
		p.hint.clear()
	}
	if p.ready != nil {
		p.ready(p.matches())
	}
}

// suggestOne fills in a passphrase of random words, shown so it can be
// written down.
func (p *passphraseFields) suggestOne() {
	s := app.SuggestPassphrase(5)
	p.pass.SetText(s)
	p.again.SetText(s)
	p.shown.SetText(s)
	p.shown.Show()
	p.hint.info("Write these words down, or learn them by heart, before you go on.")
}

// enable lets the fields be typed in, or not while work is under way.
func (p *passphraseFields) enable(on bool) {
	for _, d := range []fyne.Disableable{p.pass, p.again, p.suggest} {
		if on {
			d.Enable()
		} else {
			d.Disable()
		}
	}
}

// weak reports whether the passphrase would be guessed quickly.
func weakPassphrase(p string) bool { return app.PassphraseStrength(p).Level == app.Weak }

// weakPassphraseText is the question asked before a weak passphrase is used.
const weakPassphraseText = "Someone who copies the vault could guess this passphrase quickly. Four or more random words are much safer."
