package vault

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/record"
)

// branchVault makes a closed vault whose resources bucket is a tree with a
// branch page, and returns its path and that page's number.
func branchVault(t *testing.T) (string, uint64) {
	path := filepath.Join(t.TempDir(), "v.kinfolio")
	v, err := Create(path, "pw", &Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.AddProfile(record.Profile{Name: "Ann"}); err != nil {
		t.Fatal(err)
	}
	b := &record.Batch{Source: record.Source{File: "gen.ndjson", Format: "fhir-ndjson"}, Original: []byte("x"),
		Patients: []record.PatientRecords{{}}}
	for i := range 400 {
		r, _ := record.ParseResource(fmt.Appendf(nil, `{"resourceType":"Observation","id":"o%d","status":"final","code":{"text":"Test %d"},"valueString":"%d"}`, i, i, i*7919))
		b.Patients[0].Resources = append(b.Patients[0].Resources, r)
	}
	if _, err := v.Import(context.Background(), b, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	v.Close()
	if problems := walkFile(path, true); len(problems) > 0 {
		t.Fatalf("a healthy vault has problems: %v", problems)
	}
	// Find the resources bucket's root page in the root bucket's leaf.
	f, _ := os.Open(path)
	defer f.Close()
	m, _, _ := readMetas(f)
	ps := int64(m.pageSize)
	page := func(id uint64) []byte {
		buf := make([]byte, ps)
		f.ReadAt(buf, int64(id)*ps)
		return buf
	}
	ne := binary.NativeEndian
	root := page(m.rootPage)
	for i := range int(ne.Uint16(root[10:])) {
		e := pageHeaderSize + i*elemSize
		pos, ksize := int(ne.Uint32(root[e+4:])), int(ne.Uint32(root[e+8:]))
		if string(root[e+pos:e+pos+ksize]) == bucketResources {
			id := ne.Uint64(root[e+pos+ksize:])
			if ne.Uint16(page(id)[8:]) != branchPageFlag {
				t.Fatal("the resources bucket has no branch page; make the test vault bigger")
			}
			return path, id
		}
	}
	t.Fatal("no resources bucket")
	return "", 0
}

// TestWalk_CycleIsDamageNotAHang points a branch page's child back at the
// branch itself: a cursor would descend for ever; Open must say damaged.
func TestWalk_CycleIsDamageNotAHang(t *testing.T) {
	path, branch := branchVault(t)
	data, _ := os.ReadFile(path)
	m, _, _ := func() (fileMeta, bool, []string) { f, _ := os.Open(path); defer f.Close(); return readMetas(f) }()
	off := int(branch)*int(m.pageSize) + pageHeaderSize + elemSize + 8 // element 1's child
	binary.NativeEndian.PutUint64(data[off:], branch)
	os.WriteFile(path, data, 0o600)

	done := make(chan error, 1)
	go func() {
		v, err := Open(path, Passphrase("pw"), nil)
		if err == nil {
			v.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("a cycle in the tree: %v, want ErrDamaged", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("opening a vault whose tree loops hangs")
	}
}

// TestWalk_HugeFreelistIsDamage claims a freelist of billions of pages:
// bbolt would try to allocate them; Open must say damaged.
func TestWalk_HugeFreelistIsDamage(t *testing.T) {
	path, _ := branchVault(t)
	f, _ := os.Open(path)
	m, _, _ := readMetas(f)
	f.Close()
	if m.freelist == noFreelist {
		t.Skip("no freelist page")
	}
	data, _ := os.ReadFile(path)
	off := int(m.freelist) * int(m.pageSize)
	binary.NativeEndian.PutUint16(data[off+10:], 0xFFFF)
	binary.NativeEndian.PutUint64(data[off+pageHeaderSize:], 1<<40)
	os.WriteFile(path, data, 0o600)
	if _, err := Open(path, Passphrase("pw"), nil); !errors.Is(err, ErrDamaged) {
		t.Errorf("a huge freelist: %v, want ErrDamaged", err)
	}
}
