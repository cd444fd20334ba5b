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
	{"Imports", []string{string(vault.ActionImport), string(vault.ActionRestore)}},
	{"Removals", []string{string(vault.ActionRemoveSource), string(vault.ActionProfileRemove), string(vault.ActionEntryDelete)}},
	{"Exports and backups", []string{string(vault.ActionExport), string(vault.ActionBackup)}},
	{"Keys and passphrase", []string{string(vault.ActionCreate), string(vault.ActionPassphrase), string(vault.ActionRecipientAdd), string(vault.ActionRecipientRemove)}},
	{"People", []string{string(vault.ActionProfileAdd), string(vault.ActionProfileRename), string(vault.ActionProfileEdit), string(vault.ActionProfileRemove)}},
	{"Entries added by hand", []string{string(vault.ActionEntryAdd), string(vault.ActionEntryEdit), string(vault.ActionEntryDelete)}},
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
