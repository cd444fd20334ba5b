package record_test

import (
	"fmt"

	"github.com/kinfolio/kinfolio/record"
)

func ExampleProject() {
	r, _ := record.ParseResource([]byte(`{"resourceType":"Observation","id":"a1c","status":"final",
		"category":[{"coding":[{"code":"laboratory"}]}],
		"code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
		"effectiveDateTime":"2024-02-01","valueQuantity":{"value":7.2,"unit":"%"},
		"interpretation":[{"coding":[{"code":"H"}]}]}`))
	e, _, _ := record.Project(r, nil)
	fmt.Println(e.Kind, "|", e.Title, "|", e.ValueText(), e.Interpretation, "|", e.Date.Human())
	// Output: lab | Hemoglobin A1c | 7.2 % H | 1 Feb 2024
}

func ExampleMerge() {
	fromClinic := record.Entry{Kind: record.KindCondition, Title: "Essential hypertension",
		Codes: []record.Coding{{System: record.SystemSNOMED, Code: "59621000"}}, Status: "active", Sources: []string{"clinic"}}
	fromHospital := record.Entry{Kind: record.KindCondition, Title: "Hypertension",
		Codes: []record.Coding{{System: "2.16.840.1.113883.6.96", Code: "59621000"}}, Status: "active", Sources: []string{"hospital"}}

	fmt.Println(record.MergeKey(&fromClinic) == record.MergeKey(&fromHospital))
	outcome, _ := record.Merge([]*record.Entry{&fromClinic}, &fromHospital)
	fmt.Println(outcome, fromClinic.Sources)

	resolvedElsewhere := record.Entry{Kind: record.KindCondition, Title: "Hypertension",
		Codes: []record.Coding{{System: record.SystemSNOMED, Code: "59621000"}}, Status: "resolved", Sources: []string{"gp"}}
	outcome, _ = record.Merge([]*record.Entry{&fromClinic}, &resolvedElsewhere)
	fmt.Println(outcome, fromClinic.Conflict, resolvedElsewhere.Conflict)
	// Output:
	// true
	// merged [clinic hospital]
	// conflict true true
}

func ExampleMatchPatient() {
	profiles := []record.Profile{
		{ID: "p1", Name: "John A. Smith", BirthDate: record.MustDate("1970-03-04")},
		{ID: "p2", Name: "Mary Smith", BirthDate: record.MustDate("1972-08-09")},
	}
	fromFile := record.Person{Name: "SMITH, JOHN A", BirthDate: record.MustDate("1970-03-04")}
	m := record.MatchPatient(fromFile, profiles)
	fmt.Println(m.Outcome, m.Profile, "-", m.Why)

	m = record.MatchPatient(record.Person{Name: "Mary Smith"}, profiles)
	fmt.Println(m.Outcome, m.Candidates, "-", m.Why)
	// Output:
	// match p1 - same name and birth date as "John A. Smith"
	// ambiguous [p2] - the name matches but the file gives no birth date ("Mary Smith")
}

func ExampleParseDate() {
	for _, s := range []string{"2014", "2014-03", "2014-03-02T10:30:00-05:00", ""} {
		d, _ := record.ParseDate(s)
		fmt.Println(d.Human())
	}
	// Output:
	// 2014
	// Mar 2014
	// 2 Mar 2014
	// date unknown
}
