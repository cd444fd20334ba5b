package fhir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// obj is a JSON object that keeps its members in order, so a converted
// resource reads like the original. Values are nil, bool, string,
// json.Number, *obj or []any.
type obj struct {
	keys []string
	vals []any
}

func (o *obj) index(k string) int {
	if o == nil {
		return -1
	}
	for i, key := range o.keys {
		if key == k {
			return i
		}
	}
	return -1
}

func (o *obj) get(k string) any {
	if i := o.index(k); i >= 0 {
		return o.vals[i]
	}
	return nil
}

func (o *obj) has(k string) bool { return o.index(k) >= 0 }

// set replaces k's value in place, or appends k.
func (o *obj) set(k string, v any) {
	if i := o.index(k); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, k)
	o.vals = append(o.vals, v)
}

// setAfter sets k, placing a new key right after the key after (or last).
func (o *obj) setAfter(after, k string, v any) {
	if i := o.index(k); i >= 0 {
		o.vals[i] = v
		return
	}
	i := o.index(after)
	if i < 0 {
		o.set(k, v)
		return
	}
	o.keys = append(o.keys[:i+1], append([]string{k}, o.keys[i+1:]...)...)
	o.vals = append(o.vals[:i+1], append([]any{v}, o.vals[i+1:]...)...)
}

// del removes k and returns its value.
func (o *obj) del(k string) any {
	i := o.index(k)
	if i < 0 {
		return nil
	}
	v := o.vals[i]
	o.keys = append(o.keys[:i], o.keys[i+1:]...)
	o.vals = append(o.vals[:i], o.vals[i+1:]...)
	return v
}

// rename moves old's value to new, keeping its place (and its "_old"
// primitive extension, renamed too). A value already under new wins only
// when old is absent.
func (o *obj) rename(old, new string) {
	i := o.index(old)
	if i < 0 || o.has(new) {
		return
	}
	o.keys[i] = new
	if j := o.index("_" + old); j >= 0 && !o.has("_"+new) {
		o.keys[j] = "_" + new
	}
}

func (o *obj) str(k string) string {
	s, _ := o.get(k).(string)
	return s
}

func (o *obj) obj(k string) *obj {
	v, _ := o.get(k).(*obj)
	return v
}

// arr returns k's value as a list: an array as is, a single value as a
// list of one (older versions had 0..1 where R4 has 0..*).
func (o *obj) arr(k string) []any {
	switch v := o.get(k).(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// objs returns the objects in k's list.
func (o *obj) objs(k string) []*obj {
	var out []*obj
	for _, v := range o.arr(k) {
		if ob, ok := v.(*obj); ok {
			out = append(out, ob)
		}
	}
	return out
}

// toArray makes k's value a list when it is a single value.
func (o *obj) toArray(k string) {
	if v := o.get(k); v != nil {
		if _, ok := v.([]any); !ok {
			o.set(k, []any{v})
		}
	}
}

func newObj(kv ...any) *obj {
	o := &obj{}
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

// parseTree reads valid JSON (checked by importers.CheckJSON) into a tree.
func parseTree(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := treeValue(dec)
	if err != nil {
		return nil, fmt.Errorf("reading JSON: %w", err)
	}
	return v, nil
}

func treeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &obj{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := treeValue(dec)
				if err != nil {
					return nil, err
				}
				o.keys = append(o.keys, k)
				o.vals = append(o.vals, v)
			}
			_, err := dec.Token()
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := treeValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			return a, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// encode writes a tree as compact JSON.
func encode(buf []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		if t {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case string:
		return quote(buf, t)
	case json.Number:
		return append(buf, t...)
	case *obj:
		buf = append(buf, '{')
		for i, k := range t.keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = quote(buf, k)
			buf = append(buf, ':')
			buf = encode(buf, t.vals[i])
		}
		return append(buf, '}')
	case []any:
		buf = append(buf, '[')
		for i, e := range t {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = encode(buf, e)
		}
		return append(buf, ']')
	}
	return append(buf, "null"...)
}

// codeableConcept is {"coding":[{"system":system,"code":code}]} (text when
// no system is known).
func codeableConcept(system, code, display string) *obj {
	c := newObj("system", system, "code", code)
	if system == "" {
		c.del("system")
	}
	if display != "" {
		c.set("display", display)
	}
	return newObj("coding", []any{c})
}

// lowerCode returns a code string trimmed and lower-cased ("Active" → "active").
func lowerCode(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
