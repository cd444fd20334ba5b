package vault

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Action is what an audit-log event records.
type Action string

// Actions recorded in the audit log.
const (
	ActionCreate          Action = "create"
	ActionImport          Action = "import"
	ActionRemoveSource    Action = "remove-source"
	ActionExport          Action = "export"
	ActionBackup          Action = "backup"
	ActionRestore         Action = "restore"
	ActionPassphrase      Action = "passphrase"
	ActionRecipientAdd    Action = "recipient-add"
	ActionRecipientRemove Action = "recipient-remove"
	ActionProfileAdd      Action = "profile-add"
	ActionProfileRename   Action = "profile-rename"
	ActionProfileEdit     Action = "profile-edit"
	ActionProfileRemove   Action = "profile-remove"
	ActionEntryAdd        Action = "entry-add"
	ActionEntryEdit       Action = "entry-edit"
	ActionEntryDelete     Action = "entry-delete"
)

// AuditEvent is one line of the vault's audit log: what was done, when,
// to which person and source. The log is sealed like everything else.
type AuditEvent struct {
	Time   time.Time `json:"time"`
	Action Action    `json:"action"`
	// Detail says more in words: the imported file's name, the key's name.
	Detail  string `json:"detail,omitempty"`
	Profile string `json:"profile,omitempty"`
	Source  string `json:"source,omitempty"`
}

func putAudit(tx *bolt.Tx, s *sealer, ev AuditEvent) error {
	b, err := bucket(tx, bucketAudit)
	if err != nil {
		return err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	k := binary.BigEndian.AppendUint64(nil, seq)
	js, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return b.Put(k, s.seal(bucketAudit, k, js))
}

// Record adds an event to the audit log, for work done outside the vault
// such as an export or a backup. A zero Time means now.
func (v *Vault) Record(ev AuditEvent) error {
	v.lockWrite()
	defer v.unlockWrite()
	if ev.Time.IsZero() {
		ev.Time = v.opts.now()
	}
	return v.update(func(tx *bolt.Tx) error { return putAudit(tx, v.s, ev) })
}

// Log returns the audit log, oldest first. It returns an error wrapping
// [ErrDamaged] if any event fails to open.
func (v *Vault) Log() ([]AuditEvent, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	var out []AuditEvent
	err := v.view(func(tx *bolt.Tx) error {
		return forEach(tx, bucketAudit, func(k, val []byte) error {
			plain, err := v.s.open(bucketAudit, k, val)
			if err != nil {
				return err
			}
			var ev AuditEvent
			if err := json.Unmarshal(plain, &ev); err != nil {
				return fmt.Errorf("%w: unreadable log event", ErrDamaged)
			}
			out = append(out, ev)
			return nil
		})
	})
	return out, err
}
