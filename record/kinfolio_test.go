package record_test

import (
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/record"
)

// Kinfolio's own FHIR definitions share one base URL, and the former one
// still reads as the same.
func TestKinfolioURLs(t *testing.T) {
	for _, u := range []string{record.ExtensionCCDAEntryPath, record.SystemCCDAObservationCategory, record.SystemKinfolioTags, record.SelfReportTag.System} {
		if !strings.HasPrefix(u, "https://kinfolio.io/fhir/") {
			t.Errorf("%s is not under https://kinfolio.io/fhir/", u)
		}
	}
	old := "https://github.com/kinfolio/kinfolio/fhir/CodeSystem/ccda-observation-category"
	if got := record.CanonicalKinfolioURL(old); got != record.SystemCCDAObservationCategory {
		t.Errorf("CanonicalKinfolioURL(%q) = %q", old, got)
	}
	if !record.SameSystem(old, record.SystemCCDAObservationCategory) {
		t.Error("the former code system URL is not the same system")
	}
	if got := record.CanonicalKinfolioURL("http://loinc.org"); got != "http://loinc.org" {
		t.Errorf("another URL changed: %q", got)
	}
	oldTag := record.Resource{Type: "Observation", ID: "o", JSON: []byte(`{"resourceType":"Observation","id":"o","meta":{"tag":[{"system":"https://github.com/kinfolio/kinfolio/fhir/tags","code":"self-reported"}]}}`)}
	if !record.IsSelfReported(oldTag) {
		t.Error("a resource tagged under the former base is not read as self-reported")
	}
}
