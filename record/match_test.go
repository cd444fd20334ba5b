package record_test

import (
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

func TestMatchPatient(t *testing.T) {
	d := record.MustDate
	mrn := func(v string) []record.Identifier {
		return []record.Identifier{{System: "urn:oid:2.16.840.1.113883.19.5", Value: v}}
	}
	john := record.Profile{ID: "p-john", Name: "John A. Smith", BirthDate: d("1970-03-04"), Identifiers: mrn("998991")}
	jane := record.Profile{ID: "p-jane", Name: "Jane Smith", BirthDate: d("1972-08-09")}
	jose := record.Profile{ID: "p-jose", Name: "José Müller", BirthDate: d("1980-01-15")}
	anna := record.Profile{ID: "p-anna", Name: "Anna Lee"} // no birth date yet
	family := []record.Profile{john, jane, jose, anna}

	for _, tc := range []struct {
		name     string
		person   record.Person
		profiles []record.Profile
		want     record.MatchOutcome
		profile  string
		why      string
	}{
		{"empty vault", record.Person{Name: "John Smith"}, nil, record.NoMatch, "", "no people"},
		{"family name first, upper case, initial",
			record.Person{Name: "SMITH, JOHN A", BirthDate: d("1970-03-04")}, family, record.Matched, "p-john", "same name and birth date"},
		{"structured name with middle name for an initial",
			record.Person{Family: "Smith", Given: []string{"John", "Adam"}, BirthDate: d("1970-03-04")}, family, record.Matched, "p-john", ""},
		{"middle name missing on one side",
			record.Person{Name: "John Smith", BirthDate: d("1970-03-04")}, family, record.Matched, "p-john", ""},
		{"different middle initial is another person",
			record.Person{Name: "John B. Smith", BirthDate: d("1970-03-04")}, family, record.NoMatch, "", ""},
		{"accents and case folded",
			record.Person{Name: "JOSE MULLER", BirthDate: d("1980-01-15")}, family, record.Matched, "p-jose", ""},
		{"title and suffix ignored",
			record.Person{Name: "Mrs. Jane Smith", BirthDate: d("1972-08-09")}, family, record.Matched, "p-jane", ""},
		{"same name, other birth date: no match",
			record.Person{Name: "Jane Smith", BirthDate: d("2001-02-03")}, family, record.NoMatch, "", ""},
		{"birth date with day and month swapped: ambiguous",
			record.Person{Name: "Jane Smith", BirthDate: d("1972-09-08")}, family, record.Ambiguous, "", "differs slightly"},
		{"identifier matches despite a different spelling",
			record.Person{Name: "Jon Smyth", BirthDate: d("1970-03-04"), Identifiers: []record.Identifier{{System: "2.16.840.1.113883.19.5", Value: "998991"}}}, family, record.Matched, "p-john", "record number"},
		{"identifier matches but birth date contradicts: ambiguous",
			record.Person{Name: "John Smith", BirthDate: d("1999-01-01"), Identifiers: mrn("998991")}, family, record.Ambiguous, "", "birth date differs"},
		{"identifier of another system is no evidence",
			record.Person{Name: "Pat Doe", BirthDate: d("1960-01-01"), Identifiers: []record.Identifier{{System: "urn:oid:9.9.9", Value: "998991"}}}, family, record.NoMatch, "", ""},
		{"profile without birth date: the only name that fits matches",
			record.Person{Name: "Anna Lee", BirthDate: d("1990-05-05")}, family, record.Matched, "p-anna", "no birth date yet"},
		{"two profiles without birth date fit: ambiguous",
			record.Person{Name: "Anna Lee", BirthDate: d("1990-05-05")}, append(family, record.Profile{ID: "p-anna2", Name: "LEE, ANNA"}), record.Ambiguous, "", "not all have a birth date"},
		{"a profile without birth date beside one whose birth date fits: ambiguous",
			record.Person{Name: "Jane Smith", BirthDate: d("1972-08-09")}, append(family, record.Profile{ID: "p-jane2", Name: "Jane Smith"}), record.Ambiguous, "", "not all have a birth date"},
		{"file without birth date: ambiguous",
			record.Person{Name: "Jane Smith"}, family, record.Ambiguous, "", "gives no birth date"},
		{"file without birth date, profile without birth date: ambiguous",
			record.Person{Name: "Anna Lee"}, family, record.Ambiguous, "", "gives no birth date"},
		{"family name only the same: no match",
			record.Person{Name: "Robert Smith", BirthDate: d("1970-03-04")}, family, record.NoMatch, "", ""},
		{"name without comma in family-first order",
			record.Person{Name: "Lee Anna"}, []record.Profile{{ID: "p-anna", Name: "Anna Lee", BirthDate: d("1990-05-05")}}, record.Ambiguous, "", ""},
		{"file names nobody",
			record.Person{}, family, record.Ambiguous, "", "does not say who"},
		{"two profiles with the same name and birth date",
			record.Person{Name: "Jane Smith", BirthDate: d("1972-08-09")}, append(family, record.Profile{ID: "p-jane2", Name: "SMITH, JANE", BirthDate: d("1972-08-09")}), record.Ambiguous, "", "several people"},
		{"known alias from an earlier import",
			record.Person{Name: "Smith, Janie", BirthDate: d("1972-08-09")}, []record.Profile{{ID: "p-jane", Name: "Jane Smith", BirthDate: d("1972-08-09"), Names: []string{"Smith, Janie"}}}, record.Matched, "p-jane", ""},
		{"double-barrelled family name written in part",
			record.Person{Family: "Garcia", Given: []string{"Maria"}, BirthDate: d("1985-06-07")}, []record.Profile{{ID: "p-m", Name: "Maria Garcia-Lopez", BirthDate: d("1985-06-07")}}, record.Matched, "p-m", ""},
		{"year-only birth date compares at its precision",
			record.Person{Name: "Jane Smith", BirthDate: d("1972")}, family, record.Matched, "p-jane", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := record.MatchPatient(tc.person, tc.profiles)
			if got.Outcome != tc.want {
				t.Fatalf("outcome %v, want %v (why: %s)", got.Outcome, tc.want, got.Why)
			}
			if got.Profile != tc.profile {
				t.Errorf("profile %q, want %q", got.Profile, tc.profile)
			}
			if got.Why == "" || (tc.why != "" && !strings.Contains(got.Why, tc.why)) {
				t.Errorf("why %q does not say %q", got.Why, tc.why)
			}
			if got.Outcome == record.Ambiguous && len(got.Candidates) == 0 {
				t.Error("ambiguous without candidates")
			}
		})
	}
}

func TestCompare(t *testing.T) {
	d := record.MustDate
	sam := record.Profile{ID: "p", Name: "Sam Lee", BirthDate: d("2012-06-01"), Names: []string{"LEE, SAMUEL"},
		Identifiers: []record.Identifier{{System: "urn:oid:1.2.3", Value: "M1"}}}
	for _, tc := range []struct {
		name   string
		person record.Person
		want   record.Likeness
		other  bool
	}{
		{"the same person", record.Person{Name: "SAMUEL LEE", BirthDate: d("2012-06-01")},
			record.Likeness{Name: record.Same, BirthDate: record.Same}, false},
		{"someone else", record.Person{Name: "Jeremy Bates", BirthDate: d("1980-08-01")},
			record.Likeness{Name: record.Differs, BirthDate: record.Differs}, true},
		{"married name, same birth date", record.Person{Name: "Sam Park", BirthDate: d("2012-06-01")},
			record.Likeness{Name: record.Differs, BirthDate: record.Same}, false},
		{"typo in the birth date", record.Person{Name: "Sam Lee", BirthDate: d("2012-06-11")},
			record.Likeness{Name: record.Same, BirthDate: record.Differs}, false},
		{"another name and birth date but the record number", record.Person{Name: "S Park", BirthDate: d("2011-01-01"),
			Identifiers: []record.Identifier{{System: "1.2.3", Value: "m1"}}},
			record.Likeness{Name: record.Differs, BirthDate: record.Differs, Identifier: record.Same}, false},
		{"another record number in the same system", record.Person{Name: "Sam Lee",
			Identifiers: []record.Identifier{{System: "urn:oid:1.2.3", Value: "M2"}}},
			record.Likeness{Name: record.Same, Identifier: record.Differs}, false},
		{"another name, no birth date to compare", record.Person{Name: "Ann Park"}, record.Likeness{Name: record.Differs}, true},
		{"no name, another birth date", record.Person{BirthDate: d("1990-01-01")}, record.Likeness{BirthDate: record.Differs}, true},
		{"no name, no birth date", record.Person{Identifiers: []record.Identifier{{System: "urn:oid:9", Value: "x"}}}, record.Likeness{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := record.Compare(tc.person, sam)
			if got != tc.want || got.ClearlyOther() != tc.other {
				t.Errorf("Compare = %+v (clearly other %v), want %+v (%v)", got, got.ClearlyOther(), tc.want, tc.other)
			}
		})
	}
}

func TestPerson_DisplayName(t *testing.T) {
	for _, tc := range []struct {
		p    record.Person
		want string
	}{
		{record.Person{Name: "JEREMY  V BATES"}, "Jeremy V Bates"},
		{record.Person{Name: "O'BRIEN-SMITH, SEÁN"}, "O'Brien-Smith, Seán"},
		{record.Person{Name: "McDonald, ANNA"}, "McDonald, ANNA"},
		{record.Person{Name: "van der Berg"}, "van der Berg"},
		{record.Person{Family: "LEE", Given: []string{"SAM"}}, "Sam Lee"},
		{record.Person{Name: "123"}, "123"},
		{record.Person{}, ""},
	} {
		if got := tc.p.DisplayName(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestSameName(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"SMITH, JOHN A", "John A. Smith", true},
		{"O'Brien, Seán", "Sean OBrien", true},
		{"Strauß, Anna", "Anna Strauss", true},
		{"Smith, John", "Smith, Jane", false},
		{"J Smith", "John Smith", true},
		{"", "John Smith", false},
	} {
		if got := record.SameName(record.Person{Name: tc.a}, record.Person{Name: tc.b}); got != tc.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestPersonFromPatient(t *testing.T) {
	r := res(t, `{"resourceType":"Patient","id":"p","name":[{"use":"old","family":"Jones","given":["Ann"]},
		{"use":"official","family":"Smith","given":["Ann","Marie"]}],"birthDate":"1970-03-04","gender":"female",
		"identifier":[{"system":"urn:oid:1.2.3","value":"MRN1"},{"system":"urn:oid:1.2.4","value":""}]}`)
	p, err := record.Decode[record.Patient](r)
	if err != nil {
		t.Fatal(err)
	}
	per := record.PersonFromPatient(p)
	if per.Name != "Ann Marie Smith" || per.Family != "Smith" || per.BirthDate.String() != "1970-03-04" || per.Sex != "female" || len(per.Identifiers) != 1 {
		t.Errorf("PersonFromPatient = %+v", per)
	}
}
