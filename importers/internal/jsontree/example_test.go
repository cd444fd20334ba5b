package jsontree_test

import (
	"encoding/json"
	"fmt"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
)

// A resource built member by member comes out in the order it was built;
// empty values given to SetNonEmpty leave their member out.
func ExampleObject_SetNonEmpty() {
	unit := "" // the document gave none
	q := jsontree.New("value", json.Number("98.60"))
	q.SetNonEmpty("unit", unit).SetNonEmpty("system", "http://unitsofmeasure.org")
	obs := jsontree.New("resourceType", "Observation", "status", "final", "valueQuantity", q)
	fmt.Println(string(jsontree.Append(nil, obs)))
	// Output:
	// {"resourceType":"Observation","status":"final","valueQuantity":{"value":98.60,"system":"http://unitsofmeasure.org"}}
}

// An older resource is edited into its R4 shape in place: renamed members
// keep their place, new ones go where R4 writes them.
func ExampleParse() {
	tree, err := jsontree.Parse([]byte(`{"resourceType":"Goal","id":"g1","status":"in-progress","description":"Walk daily"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	goal := tree.(*jsontree.Object)
	goal.Rename("status", "lifecycleStatus")
	goal.Set("lifecycleStatus", "active")
	goal.SetAfter("lifecycleStatus", "achievementStatus", jsontree.New("text", "In progress"))
	goal.Set("description", jsontree.New("text", goal.Str("description")))
	fmt.Println(string(jsontree.Append(nil, goal)))
	// Output:
	// {"resourceType":"Goal","id":"g1","lifecycleStatus":"active","achievementStatus":{"text":"In progress"},"description":{"text":"Walk daily"}}
}
