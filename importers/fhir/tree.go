package fhir

import (
	"strings"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
)

// obj is a JSON object that keeps its members in order, so a converted
// resource reads like the original (see [jsontree.Object]). Values are nil,
// bool, string, json.Number, *obj or []any, as [jsontree.Parse] reads them.
type obj = jsontree.Object

// renameElement renames the element old to new where it stands, with its
// "_old" primitive extension (renamed to "_new"), as [jsontree.Object.Rename]
// does: nothing changes when old is absent or new is already there.
func renameElement(o *obj, old, new string) {
	if o.Rename(old, new) {
		o.Rename("_"+old, "_"+new)
	}
}

// codeableConcept is {"coding":[{"system":system,"code":code}]} (text when
// no system is known).
func codeableConcept(system, code, display string) *obj {
	c := jsontree.New("system", system, "code", code)
	if system == "" {
		c.Delete("system")
	}
	if display != "" {
		c.Set("display", display)
	}
	return jsontree.New("coding", []any{c})
}

// lowerCode returns a code string trimmed and lower-cased ("Active" → "active").
func lowerCode(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
