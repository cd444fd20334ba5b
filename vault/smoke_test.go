package vault_test

import (
	"testing"

	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

func TestSmoke(t *testing.T) {
	v := vaulttest.New(t)
	res, err := v.Import(bundle(t, alberto), vault.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v new=%v", *res.Report, res.NewProfiles)
	es, _ := v.Entries(vault.Query{})
	t.Logf("%d entries; first %+v", len(es), es[0])
	hits, _ := v.Search("", "glucose")
	t.Logf("search: %d", len(hits))
	rep, err := v.Verify()
	t.Logf("%+v %v", rep, err)
	path := v.Path()
	v.Close()
	v2 := vaulttest.Open(t, path)
	es2, _ := v2.Entries(vault.Query{})
	if len(es2) != len(es) {
		t.Fatal(len(es2), len(es))
	}
}
