package app_test

import (
	"errors"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/vault"
)

func TestAddCaregiverKey_ChecksNameAndKey(t *testing.T) {
	s := newSession(t)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	pub := id.Recipient().String()
	recovery, err := s.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	rk, _ := s.RecoveryKeys()
	if len(rk) != 1 {
		t.Fatalf("recovery keys %+v", rk)
	}
	for _, tc := range []struct {
		key, name, field, says string
		recipient              bool
	}{
		{pub, "", "name", "Say whose key it is", false},
		{pub, "  recovery KEY ", "name", "use the caregiver's name", false},
		{pub, strings.Repeat("x", 101), "name", "100 letters", false},
		{"", "Sam", "key", "Paste the caregiver's key", false},
		{id.String(), "Sam", "key", "secret key", false},
		{recovery, "Sam", "key", "secret key", false},
		{pub[:30] + "\n" + pub[30:], "Sam", "key", "no spaces", false},
		{"age1notakey", "Sam", "key", "not an age public key", true},
		{"ssh-ed25519 AAAA", "Sam", "key", "not an age public key", true},
		{rk[0].Key, "Sam", "key", "opens the vault already, as a recovery key", false},
	} {
		err := s.AddCaregiverKey(tc.key, tc.name)
		field, says := app.InputProblem(err)
		if !errors.Is(err, app.ErrBadInput) || field != tc.field || !strings.Contains(says, tc.says) {
			t.Errorf("AddCaregiverKey(%.20q, %.20q): %v (field %q: %q); want the %s field to say %q", tc.key, tc.name, err, field, says, tc.field, tc.says)
		}
		if errors.Is(err, vault.ErrBadRecipient) != tc.recipient {
			t.Errorf("AddCaregiverKey(%.20q): %v; ErrBadRecipient %v", tc.key, err, tc.recipient)
		}
		if strings.Contains(says, "AGE-SECRET-KEY") || strings.Contains(err.Error(), "AGE-SECRET-KEY") {
			t.Errorf("the problem repeats a secret key: %v", err)
		}
	}
	if ks, _ := s.CaregiverKeys(); len(ks) != 0 {
		t.Fatalf("refused keys were added: %+v", ks)
	}

	if err := s.AddCaregiverKey("  "+pub+"\n", "  Sam   Lee "); err != nil {
		t.Fatal(err)
	}
	ks, _ := s.CaregiverKeys()
	if len(ks) != 1 || ks[0].Key != pub || ks[0].Name != "Sam Lee" || ks[0].Recovery || ks[0].Added != "1 Dec 2026" {
		t.Fatalf("caregiver keys %+v", ks)
	}
	err = s.AddCaregiverKey(pub, "Ann")
	if _, says := app.InputProblem(err); !strings.Contains(says, "already, as Sam Lee's key") {
		t.Errorf("the same key again: %v", err)
	}
	// The caregiver's own key opens the vault.
	path := s.Path()
	s.Lock()
	s2, err := app.Open(path, app.IdentityText(id.String()), testOptions())
	if err != nil {
		t.Fatalf("the caregiver's key does not open the vault: %v", err)
	}
	s2.Lock()
}
