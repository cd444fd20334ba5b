package jsontree

import (
	"encoding/json"
	"slices"
	"testing"
)

// keys lists o's keys in order.
func keys(o *Object) []string {
	var out []string
	for k := range o.All() {
		out = append(out, k)
	}
	return out
}

func TestObject_Edit(t *testing.T) {
	tests := []struct {
		name string
		edit func(o *Object)
		want string // the object after edit, as JSON; it starts as {"resourceType":"Goal","id":"g","status":"active"}
	}{
		{"Set replaces in place", func(o *Object) { o.Set("id", "h") }, `{"resourceType":"Goal","id":"h","status":"active"}`},
		{"Set adds last", func(o *Object) { o.Set("note", []any{}) }, `{"resourceType":"Goal","id":"g","status":"active","note":[]}`},
		{"Set keeps a null", func(o *Object) { o.Set("id", nil) }, `{"resourceType":"Goal","id":null,"status":"active"}`},
		{"SetNonEmpty adds", func(o *Object) { o.SetNonEmpty("note", "n") }, `{"resourceType":"Goal","id":"g","status":"active","note":"n"}`},
		{"SetNonEmpty skips empty values", func(o *Object) {
			var none *Object
			o.SetNonEmpty("a", "").SetNonEmpty("b", nil).SetNonEmpty("c", &Object{}).SetNonEmpty("d", none).
				SetNonEmpty("e", []any{}).SetNonEmpty("f", []string(nil)).SetNonEmpty("g", json.Number(""))
		}, `{"resourceType":"Goal","id":"g","status":"active"}`},
		{"SetNonEmpty keeps false and 0", func(o *Object) { o.SetNonEmpty("a", false).SetNonEmpty("b", 0) }, `{"resourceType":"Goal","id":"g","status":"active","a":false,"b":0}`},
		{"SetNonEmpty does not clear", func(o *Object) { o.SetNonEmpty("id", "") }, `{"resourceType":"Goal","id":"g","status":"active"}`},
		{"Insert first", func(o *Object) { o.Insert(0, "focal", true) }, `{"focal":true,"resourceType":"Goal","id":"g","status":"active"}`},
		{"Insert in the middle", func(o *Object) { o.Insert(2, "meta", "m") }, `{"resourceType":"Goal","id":"g","meta":"m","status":"active"}`},
		{"Insert last", func(o *Object) { o.Insert(3, "note", "n") }, `{"resourceType":"Goal","id":"g","status":"active","note":"n"}`},
		{"Insert an existing key replaces in place", func(o *Object) { o.Insert(0, "status", "done") }, `{"resourceType":"Goal","id":"g","status":"done"}`},
		{"SetAfter", func(o *Object) { o.SetAfter("id", "meta", "m") }, `{"resourceType":"Goal","id":"g","meta":"m","status":"active"}`},
		{"SetAfter a missing key adds last", func(o *Object) { o.SetAfter("nope", "meta", "m") }, `{"resourceType":"Goal","id":"g","status":"active","meta":"m"}`},
		{"Delete", func(o *Object) {
			if v := o.Delete("id"); v != "g" {
				t.Errorf("Delete returned %v", v)
			}
		}, `{"resourceType":"Goal","status":"active"}`},
		{"Delete a missing key", func(o *Object) {
			if v := o.Delete("nope"); v != nil {
				t.Errorf("Delete returned %v", v)
			}
		}, `{"resourceType":"Goal","id":"g","status":"active"}`},
		{"Rename keeps the place", func(o *Object) {
			if !o.Rename("status", "lifecycleStatus") {
				t.Error("Rename returned false")
			}
		}, `{"resourceType":"Goal","id":"g","lifecycleStatus":"active"}`},
		{"Rename onto an existing key does nothing", func(o *Object) {
			if o.Rename("status", "id") {
				t.Error("Rename returned true")
			}
		}, `{"resourceType":"Goal","id":"g","status":"active"}`},
		{"Rename a missing key does nothing", func(o *Object) {
			if o.Rename("nope", "x") {
				t.Error("Rename returned true")
			}
		}, `{"resourceType":"Goal","id":"g","status":"active"}`},
		{"ToArray wraps one value", func(o *Object) { o.ToArray("status") }, `{"resourceType":"Goal","id":"g","status":["active"]}`},
		{"ToArray leaves a missing key", func(o *Object) { o.ToArray("nope") }, `{"resourceType":"Goal","id":"g","status":"active"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := New("resourceType", "Goal", "id", "g", "status", "active")
			tc.edit(o)
			if got := string(Append(nil, o)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestObject_Read(t *testing.T) {
	code := New("text", "BP")
	o := New("code", code, "status", "final", "note", "one", "performer", []any{New("display", "Dr A"), "x", New("display", "Dr B")}, "empty", nil)
	if got := o.Str("status"); got != "final" {
		t.Errorf("Str(status) = %q", got)
	}
	if got := o.Str("code"); got != "" {
		t.Errorf("Str of an object = %q, want empty", got)
	}
	if got := o.Obj("code"); got != code {
		t.Errorf("Obj(code) = %v", got)
	}
	if got := o.Obj("status"); got != nil {
		t.Errorf("Obj of a string = %v, want nil", got)
	}
	if got := o.Array("note"); !slices.Equal(got, []any{"one"}) {
		t.Errorf("Array of one value = %v", got)
	}
	if got := o.Array("nope"); got != nil {
		t.Errorf("Array of a missing key = %v", got)
	}
	if got := o.Array("empty"); got != nil {
		t.Errorf("Array of null = %v", got)
	}
	if got := o.Objects("performer"); len(got) != 2 || got[1].Str("display") != "Dr B" {
		t.Errorf("Objects(performer) = %v", got)
	}
	if !o.Has("empty") || o.Get("empty") != nil || o.Has("nope") {
		t.Error("Has: a null member is a member, a missing one is not")
	}
	if got, want := keys(o), []string{"code", "status", "note", "performer", "empty"}; !slices.Equal(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	if o.Len() != 5 || o.Index("note") != 2 || o.Index("nope") != -1 {
		t.Errorf("Len %d, Index(note) %d, Index(nope) %d", o.Len(), o.Index("note"), o.Index("nope"))
	}
	for k := range o.All() {
		if k == "status" {
			break // stopping early must not panic
		}
	}
}

func TestObject_Nil(t *testing.T) {
	var o *Object
	if o.Len() != 0 || o.Index("a") != -1 || o.Get("a") != nil || o.Has("a") || o.Str("a") != "" ||
		o.Obj("a") != nil || o.Array("a") != nil || o.Objects("a") != nil || len(keys(o)) != 0 {
		t.Error("a nil object does not read as empty")
	}
}

func TestIsEmpty(t *testing.T) {
	var nilObj *Object
	tests := []struct {
		v    any
		want bool
	}{
		{nil, true}, {"", true}, {json.Number(""), true}, {nilObj, true}, {&Object{}, true},
		{[]any{}, true}, {[]any(nil), true}, {[]string{}, true},
		{"x", false}, {json.Number("0"), false}, {New("a", nil), false}, {[]any{nil}, false},
		{[]string{""}, false}, {false, false}, {0, false},
	}
	for _, tc := range tests {
		if got := IsEmpty(tc.v); got != tc.want {
			t.Errorf("IsEmpty(%#v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}
