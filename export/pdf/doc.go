// Package pdf prints a person's record as the three PDFs people take to a
// doctor and keep with them: the visit summary ([VisitSummary]), the
// emergency wallet card ([EmergencyCard]) and the full record
// ([FullRecord]). Each is a pure function of an [export.Input] and
// [Options]: it reads the entries, never the vault, and the same Input
// (with the same Input.Now) gives the same bytes.
//
// # Visit summary
//
// One to a few pages a new doctor reads in a minute, in the order of
// VISIT-SUMMARY.md: reason for visit (when given), a boxed band of alerts
// and allergies, current medications, active problems with the past ones
// on one line, key results and vital signs as trend rows, procedures and
// hospital stays, implanted devices, care team and contacts with the
// recent visits, immunizations, and the sources. Every page has the
// person's name, birth date and age, "Page n of N", and a legend of the
// sources its rows cite; every row carries its source key (A, B…; P for
// what the person entered). Allergies are in one of three states never
// confused: a list, "No known allergies (confirmed <date>)", or "No allergy
// information recorded"; no section ever says "No data available".
// A medication listed by several sources is one row; sources that
// disagree (entries flagged Conflict under one [record.MergeKey]) show in
// that row: "⚠ Differs: A 10 mg daily (Mar 2024) · B 20 mg daily (Jun
// 2024)". Abnormal results are bold and flagged with a symbol (▲ H, ▼ L),
// never by colour alone. What the summary leaves out is counted and
// pointed to: "+14 more tests → Full Record §7 Results".
//
// # Trend charts
//
// A trend row's chart is drawn with the PDF's own lines and circles: a
// true time axis, a dot per result joined by a thin line (a line alone when
// the dots would merge), the reference range of the latest result as a
// grey band ("range varies by lab" when earlier results state another),
// the lowest and highest results ringed and labelled, the latest bold and
// labelled, the first and last years under the axis. Blood pressure draws
// both of its values; results in different units are different rows;
// text results are not charted. In large print the chart goes under the
// test's name.
//
// # Emergency card
//
// The front (MEDICAL INFORMATION, name, birth date, allergies, critical
// conditions and alerts, two emergency contacts) and the back (medications
// with the high-risk ones first, devices, advance directive and proxy,
// family doctor, language, a lab-confirmed blood type, "Updated <date>")
// side by side on a 171.2 × 54 mm strip, folded in the middle to an ID-1
// card. It prints twice on a Letter or A4 sheet, with cut marks, the
// instruction "Print at 100% — do not fit to page" and a 50 mm bar to
// check the scale with a ruler: a home printer holds standard sheets, and
// print dialogs shrink a small custom page to fit. [Options].CardStrip
// prints the strip alone on a page of its size for a print shop. Its type
// is its own: name 9.5 pt bold, labels 6 pt, content 7 pt.
//
// # Full record
//
// A cover with the contents (each section's entries and page, linked) and
// a PDF outline, then every entry in twenty numbered sections (the IPS
// sections in IPS order: medications, allergies, problems, immunizations,
// procedures, devices, results, vital signs, past illnesses, functional
// status, plan of care, social history, pregnancy, advance directives,
// alerts; then family history, visits, documents, claims, other), each
// table with status, dates and source; each test with its chart and every
// result. Appendices list the sources, the conflicts with every version
// side by side, and a glossary.
//
// # Paper and type
//
// Letter or A4 ([PaperForLocale] picks from the locale); body text 10.5 pt,
// headings 12.5 pt, nothing under 8.5 pt; Options.LargePrint sets 13 pt.
// The type is DejaVu Sans Condensed (regular and bold, embedded from
// package assets and subset to the characters used): Latin with every
// accent, Greek, Cyrillic, and tabular figures. Characters it lacks (CJK,
// emoji) print as U+FFFD, and the printout says so. There is no shaping or
// bidirectional layout: right-to-left text (Hebrew, Arabic) prints in
// stored order, left to right, and Arabic letters unjoined; a printout that
// holds such text says so.
//
// # Reproducibility
//
// The PDF's creation and modification dates are Input.Now and its
// catalogues are sorted, so a fixed Input gives byte-identical output and
// the tests can keep goldens.
package pdf
