// Package app is the application Kinfolio's two front ends hold: the
// desktop window (package app/ui) and the command-line tool (cmd/kin). It
// opens, creates and locks a vault, imports files, and hands out plain,
// copied structs already sorted and labelled for showing. It imports no
// GUI toolkit and needs no cgo.
//
// # Entries by hand
//
// The window's Add entry forms and kin add share one set of rules. The
// forms are data: [EntryForms] lists them (a medicine, an allergy, "no
// known allergies", a problem, each vital sign, a note...), each [Form]
// with its [Field]s, their labels, choices and units with plausible
// ranges. What is typed is a [NewEntry], read and written by field name
// ([NewEntry.Get], [NewEntry.Set]); [CheckEntry] returns an [*InputError]
// naming each field that cannot be used with a sentence that says what to
// do. [Session.AddEntry], [Session.EditEntry] (the id stays) and
// [Session.DeleteEntry] change only entries the person entered;
// [Session.EntryInput] gives one back as its form shows it ([FormOf]).
package app
