package jsontree

import (
	"encoding/json"
	"iter"
)

// Object is a JSON object whose members keep the order they were added in.
// Its zero value is an empty object ready to use. Keys are compared as
// written (case matters). Lookups walk the members one by one, which is
// faster than a map for the few dozen members a resource has.
//
// The methods that read accept a nil *Object and read it as empty; the
// methods that change an object need a non-nil one.
type Object struct {
	keys []string
	vals []any
}

// New returns an object with the members given as key, value pairs, in
// that order, each added with [Object.Set] (so empty values are kept).
// Every key must be a string; a trailing key without a value is ignored.
func New(kv ...any) *Object {
	o := &Object{}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// Len returns the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// All yields the members in order. The object must not be changed while
// the sequence runs.
func (o *Object) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		if o == nil {
			return
		}
		for i, k := range o.keys {
			if !yield(k, o.vals[i]) {
				return
			}
		}
	}
}

// Index returns the position of key among the members, or -1.
func (o *Object) Index(key string) int {
	if o == nil {
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Get returns key's value, or nil when there is no such member.
func (o *Object) Get(key string) any {
	if i := o.Index(key); i >= 0 {
		return o.vals[i]
	}
	return nil
}

// Has reports whether key is a member (its value may be null).
func (o *Object) Has(key string) bool { return o.Index(key) >= 0 }

// Str returns key's value when it is a string, and "" otherwise.
func (o *Object) Str(key string) string {
	s, _ := o.Get(key).(string)
	return s
}

// Obj returns key's value when it is an object, and nil otherwise.
func (o *Object) Obj(key string) *Object {
	v, _ := o.Get(key).(*Object)
	return v
}

// Array returns key's value as an array: an array as it is, any other
// value as an array of one, nil when key is absent or null. (Older FHIR
// versions allow one value where R4 allows many.) The result shares
// storage with the object.
func (o *Object) Array(key string) []any {
	switch v := o.Get(key).(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// Objects returns the objects in key's value, read as by [Object.Array];
// other values are passed over.
func (o *Object) Objects(key string) []*Object {
	var out []*Object
	for _, v := range o.Array(key) {
		if ob, ok := v.(*Object); ok {
			out = append(out, ob)
		}
	}
	return out
}

// Set makes v key's value: in place when key is a member, as a new last
// member otherwise. It returns o, so calls can be chained.
func (o *Object) Set(key string, v any) *Object {
	if i := o.Index(key); i >= 0 {
		o.vals[i] = v
		return o
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	return o
}

// SetNonEmpty is [Object.Set], except that an empty v (see [IsEmpty])
// leaves o as it is: it neither adds key nor clears a value already there.
// It returns o, so calls can be chained.
func (o *Object) SetNonEmpty(key string, v any) *Object {
	if IsEmpty(v) {
		return o
	}
	return o.Set(key, v)
}

// Insert puts key at position at (0 makes it the first member, Len the
// last), moving the members from there one place on. When key is already
// a member, its value is replaced where it stands instead. Insert panics
// when at is out of range.
func (o *Object) Insert(at int, key string, v any) {
	if i := o.Index(key); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, "")
	copy(o.keys[at+1:], o.keys[at:])
	o.keys[at] = key
	o.vals = append(o.vals, nil)
	copy(o.vals[at+1:], o.vals[at:])
	o.vals[at] = v
}

// SetAfter sets key like [Object.Set], but a new member goes right after
// the member after (last when after is not a member).
func (o *Object) SetAfter(after, key string, v any) {
	at := o.Len()
	if i := o.Index(after); i >= 0 {
		at = i + 1
	}
	o.Insert(at, key, v)
}

// Delete removes key and returns its value, or returns nil when key is not
// a member.
func (o *Object) Delete(key string) any {
	i := o.Index(key)
	if i < 0 {
		return nil
	}
	v := o.vals[i]
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
	return v
}

// Rename changes the key old to new, keeping the member's place and
// value. It does nothing, and returns false, when old is not a member or
// new already is one.
func (o *Object) Rename(old, new string) bool {
	i := o.Index(old)
	if i < 0 || o.Has(new) {
		return false
	}
	o.keys[i] = new
	return true
}

// ToArray makes key's value an array of one when it is a single value; an
// array, a null or a missing key are left as they are.
func (o *Object) ToArray(key string) {
	if v := o.Get(key); v != nil {
		if _, ok := v.([]any); !ok {
			o.Set(key, []any{v})
		}
	}
}

// IsEmpty reports whether v is an empty value: nil, "", an empty
// json.Number, a nil or memberless *Object, or an empty []any or []string.
// false and 0 are values, not empty ones.
func IsEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case json.Number:
		return x == ""
	case *Object:
		return x.Len() == 0
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	}
	return false
}
