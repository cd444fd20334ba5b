package app_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/kinfolio/kinfolio/app"
	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
)

// TestSentence_EverySentinel: each error a person can meet gets its own
// sentence, wrapped as the packages wrap them, never a Go error string.
func TestSentence_EverySentinel(t *testing.T) {
	cases := []struct {
		err  error
		want string // a phrase the sentence must hold
	}{
		{app.ErrLocked, "locked"},
		{vault.ErrClosed, "locked"},
		{vault.ErrWrongPassphrase, "does not open this vault"},
		{vault.ErrInUse, "open in another Kinfolio window"},
		{vault.ErrNewerVersion, "newer version"},
		{vault.ErrNotVault, "not a Kinfolio vault"},
		{vault.ErrDamaged, "damaged"},
		{app.ErrNoVault, "no vault there"},
		{vault.ErrExists, "never overwrites"},
		{vault.ErrBadPassphrase, "cannot be used"},
		{app.ErrBadKeyFile, "AGE-SECRET-KEY-1"},
		{vault.ErrNeedPassphrase, "passphrase"},
		{vault.ErrBadRecipient, "age1"},
		{vault.ErrNoSuchRecipient, "nothing to remove"},
		{vault.ErrProfileMismatch, "someone else"},
		{vault.ErrAmbiguousPatient, "more than one person"},
		{vault.ErrNeedProfile, "whose record"},
		{importers.ErrNoPatient, "whose record"},
		{vault.ErrNoSuchProfile, "no such person"},
		{vault.ErrProfileExists, "already a person"},
		{vault.ErrProfileNotEmpty, "still has records"},
		{vault.ErrNoSuchSource, "not in this vault"},
		{vault.ErrNoSuchEntry, "not in this vault"},
		{vault.ErrNotSelfReported, "cannot be changed here"},
		{vault.ErrNoOriginal, "no original file"},
		{record.ErrNotSelfReportable, "cannot be entered by hand"},
		{app.ErrBadInput, "cannot be used"},
		{importers.ErrDoctype, "DOCTYPE"},
		{importers.ErrUnsafeArchive, "safety limit"},
		{importers.ErrTooLarge, "larger than"},
		{importers.ErrTooDeep, "nested"},
		{importers.ErrDuplicateKey, "repeats a field"},
		{importers.ErrInvalidUTF8, "encoding"},
		{importers.ErrUnknownFormat, "not a health record Kinfolio can read"},
		{importers.ErrMalformed, "damaged or incomplete"},
		{fs.ErrNotExist, "no such file"},
		{fs.ErrPermission, "not allowed"},
	}
	for _, tc := range cases {
		wrapped := &importers.Error{File: "summary.xml", Place: "line 3", Err: fmt.Errorf("reading: %w", tc.err)}
		got := app.Sentence(wrapped)
		if !strings.Contains(got, tc.want) {
			t.Errorf("Sentence(%v) = %q, want it to say %q", tc.err, got, tc.want)
		}
		if strings.Contains(got, tc.err.Error()) && tc.err.Error() != "" && !strings.Contains(tc.want, tc.err.Error()) {
			t.Errorf("Sentence(%v) repeats the Go error text: %q", tc.err, got)
		}
		if strings.Contains(got, "summary.xml") || strings.Contains(got, "line 3") {
			t.Errorf("Sentence(%v) = %q carries the technical detail", tc.err, got)
		}
	}
	if got := app.Sentence(errors.New("disk on fire")); strings.Contains(got, "disk on fire") || got == "" {
		t.Errorf("unknown error: %q", got)
	}
	if app.Sentence(nil) != "" {
		t.Error("Sentence(nil) is not empty")
	}
}

func TestValueText_RoundsComputedNumbersOnly(t *testing.T) {
	for _, tc := range []struct{ value, unit, want, exact string }{
		{"61.427863654328746", "kg", "61.4 kg", "61.427863654328746"},
		{"4.845316007457961", "10*6/uL", "4.85 ×10⁶/µL", "4.845316007457961"},
		{"0.123456", "mg/dL", "0.123 mg/dL", "0.123456"},
		{"131.53666714260382/78.16325647967783", "mm[Hg]", "131.5/78.2 mmHg", "131.53666714260382/78.16325647967783"},
		{"7.25", "%", "7.25%", ""},
		{"120/80", "mm[Hg]", "120/80 mmHg", ""},
		{"Positive", "", "Positive", ""},
		{"1.877", "{score}", "1.877", ""},
		{"", "kg", "", ""},
		{"37.2", "Cel", "37.2 °C", ""},
		{"180", "[lb_av]", "180 lb", ""},
	} {
		e := &record.Entry{Value: tc.value, Unit: tc.unit}
		if got := app.ValueText(e); got != tc.want {
			t.Errorf("ValueText(%q %q) = %q, want %q", tc.value, tc.unit, got, tc.want)
		}
		if got := app.RoundedFrom(e); got != tc.exact {
			t.Errorf("RoundedFrom(%q) = %q, want %q", tc.value, got, tc.exact)
		}
	}
}

func TestWords(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ got, want string }{
		{app.Count(1, record.KindCondition), "1 problem"},
		{app.Count(3, record.KindLab), "3 lab results"},
		{app.Count(0, record.KindAllergy), "no allergies"},
		{app.Count(1, record.KindAllergy), "1 allergy"},
		{app.Ago(now.Add(-2*24*time.Hour), now), "2 days ago"},
		{app.Ago(now.Add(-time.Hour), now), "today"},
		{app.Ago(now.AddDate(0, -3, 0), now), "3 months ago"},
		{app.Ago(now.AddDate(-5, 0, 0), now), "5 years ago"},
		{app.AgeText(record.MustDate("1980-02-14"), now), "46"},
		{app.AgeText(record.MustDate("2026-05-01"), now), "7 months"},
		{app.AgeText(record.MustDate("2026-11-21"), now), "10 days"},
		{app.AgeText(record.Date{}, now), ""},
		{app.DayHeading(record.MustDate("2024-03-12")), "Tue 12 Mar 2024"},
		{app.DateText(record.MustDate("2019")), "2019"},
		{app.DateText(record.Date{}), "date unknown"},
		{app.FlagText("H"), "▲ H"},
		{app.FlagText("LL"), "▼▼ LL"},
		{app.FlagText("N"), ""},
		{app.SystemName("http://snomed.info/sct"), "SNOMED CT"},
		{app.SystemName("urn:oid:2.16.840.1.113883.6.1"), "LOINC"},
		{app.StatusText(&record.Entry{Status: "on-hold"}), "on hold"},
		{app.StatusText(&record.Entry{Status: "final"}), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestXHTMLText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<div xmlns="http://www.w3.org/1999/xhtml"><p>Penicillin: <b>hives</b></p><p>Aspirin</p></div>`, "Penicillin: hives\nAspirin"},
		{`<div><table><tr><th>Test</th><th>Value</th></tr><tr><td>HbA1c</td><td>7.2 %</td></tr></table></div>`, "Test · Value\nHbA1c · 7.2 %"},
		{`<div><ul><li>one</li><li>two</li></ul>line<br/>break</div>`, "• one\n• two\nline\nbreak"},
		{`<div>a &amp; b &lt;c&gt; &nbsp;d<script>alert(1)</script><img src="http://x"/></div>`, "a & b <c> d"},
		{`<div><p>not closed`, "not closed"},
		{``, ""},
	} {
		if got := app.XHTMLText(tc.in); got != tc.want {
			t.Errorf("XHTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNarrativeText_CompositionSections(t *testing.T) {
	js := `{"resourceType":"Composition","title":"Summary","section":[
	  {"title":"Allergies","text":{"div":"<div><p>Penicillin</p></div>"}},
	  {"title":"Results","section":[{"title":"Blood","text":{"div":"<div>HbA1c 7.2</div>"}}]}]}`
	want := "# Allergies\nPenicillin\n\n# Results\n\n## Blood\nHbA1c 7.2"
	if got := app.NarrativeText([]byte(js)); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	doc := `{"resourceType":"DocumentReference","content":[{"attachment":{"contentType":"text/plain","data":"SGVsbG8="}}]}`
	if got := app.NarrativeText([]byte(doc)); got != "Hello" {
		t.Errorf("plain attachment: %q", got)
	}
}
