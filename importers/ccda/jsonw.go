package ccda

import "github.com/kinfolio/kinfolio/importers/internal/jsontree"

// obj is the ordered JSON object a resource is built in (see
// [jsontree.Object]), so a resource always serializes to the same bytes
// with resourceType first. The mapping code sets members with
// SetNonEmpty: a value the document leaves out (an empty string, a nil or
// empty object, an empty list) leaves the member out, without a check at
// every line.
type obj = jsontree.Object

// newObj returns an object with the members given as key, value pairs,
// leaving out the empty values.
func newObj(kv ...any) *obj {
	o := &obj{}
	for i := 0; i+1 < len(kv); i += 2 {
		o.SetNonEmpty(kv[i].(string), kv[i+1])
	}
	return o
}

// add appends v to the list under key, unless v is empty.
func add(o *obj, key string, v any) {
	if jsontree.IsEmpty(v) {
		return
	}
	if cur, ok := o.Get(key).([]any); ok {
		o.Set(key, append(cur, v))
		return
	}
	o.Set(key, []any{v})
}

// marshal serializes a resource. Its strings are valid UTF-8 whatever the
// document held (see [jsontree.AppendUTF8]).
func marshal(o *obj) []byte {
	return jsontree.AppendUTF8(make([]byte, 0, 512), o)
}
