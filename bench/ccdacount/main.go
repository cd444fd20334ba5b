// Command ccdacount reads C-CDA documents with Kinfolio's reader and prints,
// per document, how many entries it found in each section and how long
// reading took, as JSON lines. bench/compare.mjs runs it beside the
// @amida-tech/blue-button parser on the same files.
//
// Usage:
//
//	go run ./bench/ccdacount [-n repetitions] file...
//
// Sections are named as blue-button names them (allergies, medications,
// problems, immunizations, results, vitals, procedures, encounters,
// social_history, plan_of_care, payers), recognized by the same templates,
// so the two can be compared; other sections are listed as "other:<LOINC
// code>". Each resource is counted in the section of the entry it was read
// from (its ccda.EntryPathExtension). Units are the same as
// blue-button's: one per allergy, medication, problem, immunization,
// procedure, encounter, social history item, plan item and payer; one per
// individual result (not per panel) and per vital sign measurement (a blood
// pressure counts its systolic and diastolic values).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/ccda"
	"github.com/kinfolio/kinfolio/record"
)

// sectionTemplates name sections as blue-button does, by the templates it
// looks for (C-CDA, CCD R1 and HITSP C32).
var sectionTemplates = map[string]string{
	"2.16.840.1.113883.10.20.22.2.6.1": "allergies", "2.16.840.1.113883.10.20.22.2.6": "allergies",
	"2.16.840.1.113883.3.88.11.83.102": "allergies", "2.16.840.1.113883.10.20.1.2": "allergies",
	"2.16.840.1.113883.10.20.22.2.1.1": "medications", "2.16.840.1.113883.10.20.22.2.1": "medications",
	"2.16.840.1.113883.3.88.11.83.112": "medications", "2.16.840.1.113883.10.20.1.8": "medications",
	"2.16.840.1.113883.10.20.22.2.5.1": "problems", "2.16.840.1.113883.10.20.22.2.5": "problems",
	"2.16.840.1.113883.3.88.11.83.103": "problems", "2.16.840.1.113883.10.20.1.11": "problems",
	"2.16.840.1.113883.10.20.22.2.2.1": "immunizations", "2.16.840.1.113883.10.20.22.2.2": "immunizations",
	"2.16.840.1.113883.3.88.11.83.117": "immunizations", "2.16.840.1.113883.10.20.1.6": "immunizations",
	"2.16.840.1.113883.10.20.22.2.3.1": "results", "2.16.840.1.113883.10.20.22.2.3": "results",
	"2.16.840.1.113883.3.88.11.83.122": "results", "2.16.840.1.113883.10.20.1.14": "results",
	"2.16.840.1.113883.10.20.22.2.4.1": "vitals", "2.16.840.1.113883.10.20.22.2.4": "vitals",
	"2.16.840.1.113883.3.88.11.83.119": "vitals", "2.16.840.1.113883.10.20.1.16": "vitals",
	"2.16.840.1.113883.10.20.22.2.7.1": "procedures", "2.16.840.1.113883.10.20.22.2.7": "procedures",
	"2.16.840.1.113883.3.88.11.83.108": "procedures", "2.16.840.1.113883.10.20.1.12": "procedures",
	"2.16.840.1.113883.10.20.22.2.22.1": "encounters", "2.16.840.1.113883.10.20.22.2.22": "encounters",
	"2.16.840.1.113883.3.88.11.83.127": "encounters", "2.16.840.1.113883.10.20.1.3": "encounters",
	"2.16.840.1.113883.10.20.22.2.17": "social_history", "2.16.840.1.113883.3.88.11.83.126": "social_history",
	"2.16.840.1.113883.10.20.1.15":    "social_history",
	"2.16.840.1.113883.10.20.22.2.10": "plan_of_care", "2.16.840.1.113883.3.88.11.83.124": "plan_of_care",
	"2.16.840.1.113883.10.20.1.10":    "plan_of_care",
	"2.16.840.1.113883.10.20.22.2.18": "payers", "2.16.840.1.113883.10.20.1.9": "payers",
}

type result struct {
	File     string         `json:"file"`
	Sections map[string]int `json:"sections"`
	// Skipped counts, per section, the entries the reader listed as not
	// stored, each with its reason (empty entries, entries naming nothing).
	Skipped map[string]int `json:"skipped"`
	Millis  float64        `json:"ms"`
	Error   string         `json:"error,omitempty"`
}

func main() {
	n := flag.Int("n", 20, "reads of each document per timing round (the best of three rounds is kept)")
	flag.Parse()
	enc := json.NewEncoder(os.Stdout)
	for _, path := range flag.Args() {
		res := result{File: path, Sections: map[string]int{}, Skipped: map[string]int{}}
		data, err := os.ReadFile(path)
		if err != nil {
			res.Error = err.Error()
			enc.Encode(res)
			continue
		}
		r := new(ccda.Reader)
		env := &importers.Env{Limits: importers.DefaultLimits()}
		in := importers.BytesInput(filepath.Base(path), data)
		b, err := r.Read(context.Background(), in, env)
		if err != nil {
			res.Error = err.Error()
			enc.Encode(res)
			continue
		}
		// The best of three rounds of n reads, so that a busy machine
		// disturbs the figure less.
		for round := 0; round < 3; round++ {
			start := time.Now()
			for i := 0; i < *n; i++ {
				if _, err := r.Read(context.Background(), in, env); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			ms := float64(time.Since(start).Microseconds()) / 1000 / float64(*n)
			if round == 0 || ms < res.Millis {
				res.Millis = ms
			}
		}
		names, err := sectionsOf(data)
		if err != nil {
			res.Error = err.Error()
			enc.Encode(res)
			continue
		}
		count(b, names, res.Sections, res.Skipped)
		enc.Encode(res)
	}
}

// sectionsOf names each section of a document, by path, as blue-button
// would: by its templates, else "other: <title-less code>".
func sectionsOf(data []byte) (map[string]string, error) {
	type el struct {
		name      string
		parent    *el
		pos       int
		counts    map[string]int
		templates []string
		code      string
	}
	var all []*el
	var cur *el
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := &el{name: x.Name.Local, parent: cur, counts: map[string]int{}}
			if cur != nil {
				cur.counts[e.name]++
				e.pos = cur.counts[e.name]
				if cur.name == "section" {
					for _, a := range x.Attr {
						switch {
						case e.name == "templateId" && a.Name.Local == "root":
							cur.templates = append(cur.templates, a.Value)
						case e.name == "code" && a.Name.Local == "code":
							cur.code = a.Value
						}
					}
				}
			}
			all = append(all, e)
			cur = e
		case xml.EndElement:
			cur = cur.parent
		}
	}
	path := func(e *el) string {
		var parts []string
		for m := e; m != nil; m = m.parent {
			p := m.name
			if m.parent != nil && m.parent.counts[m.name] > 1 {
				p += "[" + strconv.Itoa(m.pos) + "]"
			}
			parts = append(parts, p)
		}
		slices.Reverse(parts)
		return "/" + strings.Join(parts, "/")
	}
	out := map[string]string{}
	for _, e := range all {
		if e.name != "section" {
			continue
		}
		name := "other:" + e.code
		for _, t := range e.templates {
			if n, ok := sectionTemplates[t]; ok {
				name = n
				break
			}
		}
		out[path(e)] = name
	}
	return out, nil
}

// sectionOf returns the name of the section an entry path lies in.
func sectionOf(names map[string]string, entryPath string) string {
	i := strings.LastIndex(entryPath, "/entry")
	if i < 0 {
		return "other"
	}
	if n, ok := names[entryPath[:i]]; ok {
		return n
	}
	return "other"
}

// count tallies the resources read from each section's entries, and the
// entries skipped.
func count(b *record.Batch, names map[string]string, out, skipped map[string]int) {
	for _, r := range b.Patients[0].Resources {
		var v struct {
			Extension []struct {
				URL         string `json:"url"`
				ValueString string `json:"valueString"`
			} `json:"extension"`
		}
		if json.Unmarshal(r.JSON, &v) != nil {
			continue
		}
		for _, x := range v.Extension {
			if x.URL == ccda.EntryPathExtension && !record.IsSupporting(r.Type) {
				out[sectionOf(names, x.ValueString)] += units(r)
			}
		}
	}
	for _, s := range b.Report.Skipped {
		skipped[sectionOf(names, s.Path)]++
	}
}

// units is how many blue-button-sized entries a resource is.
func units(r record.Resource) int {
	switch r.Type {
	case "DiagnosticReport", "DocumentReference", "Composition":
		return 0 // a panel's results are counted one by one; narrative is not an entry
	case "Observation":
		o, err := record.Decode[record.Observation](r)
		if err == nil && len(o.Component) > 0 {
			return len(o.Component)
		}
	}
	return 1
}
