package app

import (
	"github.com/kinfolio/kinfolio/vault"
)

// LogKind is one kind of action the Audit log screen filters by: its name
// and the actions it holds (for [LogFilter.Actions]).
type LogKind struct {
	Label   string
	Actions []string
}

// LogKinds are the kinds of action of the audit log, in the order the
// Audit log screen offers them. An action may be of more than one kind
// (removing a person is a removal and a change to the people).
var LogKinds = []LogKind{
	{"Imports", []string{vault.ActionImport, vault.ActionRestore}},
	{"Removals", []string{vault.ActionRemoveSource, vault.ActionProfileRemove, vault.ActionEntryDelete}},
	{"Exports and backups", []string{vault.ActionExport, vault.ActionBackup}},
	{"Keys and passphrase", []string{vault.ActionCreate, vault.ActionPassphrase, vault.ActionRecipientAdd, vault.ActionRecipientRemove}},
	{"People", []string{vault.ActionProfileAdd, vault.ActionProfileRename, vault.ActionProfileRemove}},
	{"Entries added by hand", []string{vault.ActionEntryAdd, vault.ActionEntryEdit, vault.ActionEntryDelete}},
}

// LogKindNamed returns the kind called label, or false.
func LogKindNamed(label string) (LogKind, bool) {
	for _, k := range LogKinds {
		if k.Label == label {
			return k, true
		}
	}
	return LogKind{}, false
}

// LogCountText says how many events are listed: "12 events", and of how
// many when a filter hides some ("3 of 12 events").
func LogCountText(shown, all int) string {
	if shown == all {
		return Plural(all, "event", "")
	}
	return Plural(shown, "of "+Plural(all, "event", ""), "of "+Plural(all, "event", ""))
}
