package app_test

import (
	"testing"

	"github.com/kinfolio/kinfolio/app"
)

func TestLogKinds_FilterTheLog(t *testing.T) {
	s := imported(t, larsonMeditech)
	if _, err := s.NewRecoveryKey(); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassphrase("maple otter lantern quiet harbor"); err != nil {
		t.Fatal(err)
	}
	all, err := s.Log(app.LogFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 4 || all[0].What != "Changed the passphrase" || all[len(all)-1].What != "Created the vault" {
		t.Fatalf("the log, newest first: %+v", all)
	}
	keys, _ := app.LogKindNamed("Keys and passphrase")
	got, _ := s.Log(app.LogFilter{Actions: keys.Actions})
	if len(got) != 3 { // created, the recovery key, the passphrase
		t.Errorf("keys and passphrase: %+v", got)
	}
	imports, _ := app.LogKindNamed("Imports")
	got, _ = s.Log(app.LogFilter{Actions: imports.Actions})
	if len(got) != 1 || got[0].Person != "Rebecca Jones Larson" {
		t.Errorf("imports: %+v", got)
	}
	got, _ = s.Log(app.LogFilter{Actions: keys.Actions, Text: "PASSPHRASE"})
	if len(got) != 1 {
		t.Errorf("a word within a kind: %+v", got)
	}
	if _, ok := app.LogKindNamed("Nothing"); ok {
		t.Error("LogKindNamed found a kind that is not there")
	}
	if s := app.LogCountText(3, 12); s != "3 of 12 events" {
		t.Errorf("LogCountText(3, 12) = %q", s)
	}
	if s := app.LogCountText(1, 1); s != "1 event" {
		t.Errorf("LogCountText(1, 1) = %q", s)
	}
}
