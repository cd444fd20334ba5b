package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/record"
)

// Adding, renaming and removing people. Each dialog names the person it
// acts on; removing says what goes with them.

// addPersonFrom adds a person from what was typed, saying beside the
// fields what cannot be used.
func (k *App) addPersonFrom(name, birth string, problem *message) (app.Person, bool) {
	s := k.session
	if s == nil {
		return app.Person{}, false
	}
	d, err := s.ParseBirthDate(birth)
	if err == nil {
		var p app.Person
		p, err = s.AddPerson(app.PersonDetails{Name: name, BirthDate: d})
		if err == nil {
			problem.clear()
			return p, true
		}
	}
	if field, text := app.InputProblem(err); field != "" || errors.Is(err, app.ErrBadInput) {
		problem.problem(text)
	} else {
		problem.problem(app.Sentence(err))
	}
	return app.Person{}, false
}

// addPerson asks for a new person's name and birth date, then shows them.
func (k *App) addPerson() {
	name := widget.NewEntry()
	name.SetPlaceHolder("Name, as on their records")
	birth := widget.NewEntry()
	birth.SetPlaceHolder("1981-04-12, or just the year (optional)")
	problem := newMessage()
	var d *dialog.CustomDialog
	body := container.New(&widthLayout{width: 420}, container.NewVBox(
		wrapped("Each person has their own records. Imports that name them go to them."),
		fieldLabel("Name"), name, fieldLabel("Birth date"), birth, problem))
	d = dialog.NewCustomWithoutButtons("Add a person", container.NewVBox(body, dialogButtons("Add", func() {
		if p, ok := k.addPersonFrom(name.Text, birth.Text, problem); ok {
			d.Hide()
			k.Navigate(Route{Person: p.ID, Section: app.SectionSummary})
		}
	}, func() { d.Hide() })), k.win)
	name.OnSubmitted = func(string) { k.win.Canvas().Focus(birth) }
	birth.OnSubmitted = func(string) {
		if p, ok := k.addPersonFrom(name.Text, birth.Text, problem); ok {
			d.Hide()
			k.Navigate(Route{Person: p.ID, Section: app.SectionSummary})
		}
	}
	d.Show()
	k.win.Canvas().Focus(name)
}

// renamePerson asks for a person's new name.
func (k *App) renamePerson(p app.Person) {
	name := widget.NewEntry()
	name.SetText(p.Name)
	problem := newMessage()
	var d *dialog.CustomDialog
	rename := func() {
		if err := k.session.RenamePerson(p.ID, name.Text); err != nil {
			if _, text := app.InputProblem(err); text != "" {
				problem.problem(text)
			}
			return
		}
		d.Hide()
	}
	name.OnSubmitted = func(string) { rename() }
	body := container.New(&widthLayout{width: 420}, container.NewVBox(
		wrapped(fmt.Sprintf("The new name for %s. Files that use the old name still find them.", p.Name)),
		name, problem))
	d = dialog.NewCustomWithoutButtons("Rename "+p.Name, container.NewVBox(body, dialogButtons("Rename", rename, func() { d.Hide() })), k.win)
	d.Show()
	k.win.Canvas().Focus(name)
}

// editPerson edits a person's details: birth date, sex, the emergency
// contacts the card prints (two) and the language they prefer.
func (k *App) editPerson(p app.Person) {
	birth := widget.NewEntry()
	if !p.BirthDate.IsZero() {
		birth.SetText(p.BirthDate.String())
	}
	birth.SetPlaceHolder("1981-04-12, or just the year")
	sexes := []string{"Not stated", "Female", "Male", "Other"}
	sex := widget.NewSelect(sexes, nil)
	sex.SetSelected(sexes[0])
	for _, o := range sexes[1:] {
		if strings.EqualFold(o, p.Sex) {
			sex.SetSelected(o)
		}
	}
	type contactRow struct{ name, relation, phone *widget.Entry }
	rows := make([]contactRow, 2)
	grid := container.NewGridWithColumns(3)
	for i := range rows {
		rows[i] = contactRow{widget.NewEntry(), widget.NewEntry(), widget.NewEntry()}
		rows[i].name.SetPlaceHolder("Name")
		rows[i].relation.SetPlaceHolder("Relation (mother, neighbour…)")
		rows[i].phone.SetPlaceHolder("Phone")
		if i < len(p.Contacts) {
			c := p.Contacts[i]
			rows[i].name.SetText(c.Name)
			rows[i].relation.SetText(c.Relation)
			rows[i].phone.SetText(c.Phone)
		}
		grid.Add(rows[i].name)
		grid.Add(rows[i].relation)
		grid.Add(rows[i].phone)
	}
	language := widget.NewEntry()
	language.SetText(p.Language)
	language.SetPlaceHolder("Only when it matters for care (\"Spanish\")")
	problem := newMessage()
	var d *dialog.CustomDialog
	save := func() {
		date, err := k.session.ParseBirthDate(birth.Text)
		if err != nil {
			_, text := app.InputProblem(err)
			problem.problem(text)
			return
		}
		det := app.PersonDetails{Name: p.Name, BirthDate: date, Language: language.Text}
		if sex.Selected != sexes[0] {
			det.Sex = strings.ToLower(sex.Selected)
		}
		for _, r := range rows {
			det.Contacts = append(det.Contacts, record.Contact{Name: r.name.Text, Relation: r.relation.Text, Phone: r.phone.Text})
		}
		if _, err := k.session.EditPerson(p.ID, det); err != nil {
			problem.problem(app.Sentence(err))
			return
		}
		d.Hide()
	}
	body := container.New(&widthLayout{width: 560}, container.NewVBox(
		fieldLabel("Birth date"), birth,
		fieldLabel("Sex, as on their records"), sex,
		fieldLabel("Emergency contacts"),
		wrapped("The emergency card prints these two, first first."), grid,
		fieldLabel("Preferred language"), language, problem))
	d = dialog.NewCustomWithoutButtons(p.Name+"'s details", container.NewVBox(body,
		dialogButtons("Save", save, func() { d.Hide() })), k.win)
	d.Show()
	k.win.Canvas().Focus(birth)
}

// removePerson confirms, saying what goes, then removes the person and
// every file and entry only they had.
func (k *App) removePerson(p app.Person) {
	s := k.session
	plan, err := s.PlanRemoval(p.ID)
	if err != nil {
		k.ShowError("Nobody was removed", err)
		return
	}
	if plan.Shared > 0 {
		dialog.ShowCustom(fmt.Sprintf("%s cannot be removed yet", p.Name), "Close", wrappedBox(plan.Question), k.win)
		return
	}
	d := dialog.NewCustomConfirm(fmt.Sprintf("Remove %s?", p.Name), "Remove", "Keep", wrappedBox(plan.Question), func(ok bool) {
		if !ok {
			return
		}
		Background(k, func() (struct{}, error) {
			return struct{}{}, s.RemovePerson(p.ID)
		}, func(_ struct{}, err error) {
			if err != nil {
				k.ShowError(fmt.Sprintf("%s was not removed", p.Name), err)
			}
		})
	}, k.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// wrappedBox is a dialog's body text, wrapped at a readable width.
func wrappedBox(text string) fyne.CanvasObject {
	return container.New(&widthLayout{width: 420}, wrapped(text))
}

// dialogButtons are a dialog's own buttons when it checks what was typed
// before closing: the action on the right, Cancel beside it.
func dialogButtons(action string, do, cancel func()) fyne.CanvasObject {
	ok := widget.NewButton(action, do)
	ok.Importance = widget.HighImportance
	return container.NewCenter(container.NewHBox(widget.NewButton("Cancel", cancel), ok))
}
