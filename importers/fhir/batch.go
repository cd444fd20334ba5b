package fhir

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
	"github.com/kinfolio/kinfolio/record"
)

// ignoredTypes are resources that are not part of anyone's health record;
// they are listed in Report.Ignored with the reason.
var ignoredTypes = map[string]string{
	"OperationOutcome":        "a message from the server (shown as a warning), not a health record",
	"CapabilityStatement":     "a server's description of itself, not a health record",
	"Conformance":             "a server's description of itself, not a health record",
	"TerminologyCapabilities": "a server's description of itself, not a health record",
	"StructureDefinition":     "a definition used by software, not a health record",
	"ValueSet":                "a definition used by software, not a health record",
	"CodeSystem":              "a definition used by software, not a health record",
	"ConceptMap":              "a definition used by software, not a health record",
	"SearchParameter":         "a definition used by software, not a health record",
	"OperationDefinition":     "a definition used by software, not a health record",
	"ImplementationGuide":     "a definition used by software, not a health record",
	"NamingSystem":            "a definition used by software, not a health record",
	"StructureMap":            "a definition used by software, not a health record",
	"Subscription":            "a server setting, not a health record",
}

// batch turns the items read into the batch: versions converted, ids
// settled, references rewritten, people grouped.
func (rd *reading) batch() (*record.Batch, error) {
	for _, it := range rd.items {
		if !it.analyzed {
			it.analyze()
		}
		if it.badID {
			it.drop = true
			rd.report.SkipDetail(it.path, "a record whose identifier is damaged, so other records cannot point to it", it.typ+".id is not a JSON string")
			continue
		}
		if why, ok := ignoredTypes[it.typ]; ok {
			it.drop = true
			rd.report.Ignore(it.path, why)
			switch it.typ {
			case "OperationOutcome":
				rd.outcome(it)
			case "CapabilityStatement", "Conformance":
				var cs struct {
					FHIRVersion string `json:"fhirVersion"`
				}
				if json.Unmarshal(it.raw, &cs) == nil {
					rd.fhirVersion = cs.FHIRVersion
				}
			}
		}
	}
	ver := rd.detect()
	if ver != vR4 {
		for _, it := range rd.items {
			if it.drop {
				continue
			}
			if err := rd.cancelled(); err != nil {
				return nil, err
			}
			t, err := jsontree.Parse(it.raw)
			if err != nil {
				return nil, importers.Errorf(rd.name, it.path, "%w: %v", importers.ErrMalformed, err)
			}
			r, _ := t.(*obj)
			convert(r, ver)
			it.raw = jsontree.Append(make([]byte, 0, len(it.raw)+64), r)
			it.analyze()
		}
	}
	rd.settleIDs()
	// Blue Button files hold claims, coverage and the beneficiary only
	// (other exports, Synthea's for one, use its code systems in claims).
	bb2, other := false, false
	// Kinfolio's own export holds the fills and documents made when its
	// sources were imported: they are not made again.
	own := rd.isOwnExport()
	var fills []*item
	for _, it := range rd.items {
		if it.drop {
			continue
		}
		switch it.typ {
		case "ExplanationOfBenefit", "Coverage", "Patient":
			if bytes.Contains(it.raw, []byte("bluebutton.cms.gov")) {
				it.bb2, bb2 = true, true
			}
		case "Organization", "Practitioner", "PractitionerRole", "Location":
		default:
			other = true
		}
		if !own && it.typ == "ExplanationOfBenefit" && (bytes.Contains(it.raw, []byte(`"pharmacy"`)) || bytes.Contains(it.raw, []byte(`"PDE"`))) {
			fills = append(fills, pharmacyFills(it)...)
		}
	}
	made := append(fills, rd.emptyStatements()...)
	for _, f := range made {
		f.owner = -1
		f.analyze()
		rd.items = append(rd.items, f)
	}
	if len(made) > 0 {
		rd.settleIDs()
	}
	rd.resolve()
	var parts []*record.Batch
	if own {
		parts = rd.ownParts()
	} else {
		parts = rd.documents()
	}

	format := ver.format()
	switch {
	case rd.ndjson:
		format = "fhir-ndjson"
	case bb2 && !other:
		format = "bb2"
	case rd.document && rd.isIPS():
		format = "ips"
	}
	b := &record.Batch{
		Source: record.Source{File: rd.name, Format: format},
		Parts:  parts,
	}
	switch {
	case rd.original != nil && rd.reopen != nil && len(rd.original) >= streamOriginalFrom:
		// A large file is kept by reading it again from where it is: its
		// resources are copied out of the bytes read here, which are let
		// go, so an import holds the file in memory once, not twice. The
		// vault checks that the file it reads is the one read here.
		b.Source.SHA256, b.Source.Size = rd.fileHash()
		b.OpenOriginal = rd.reopen
		rd.compact()
	case rd.original != nil:
		b.Original = rd.original
		b.Source.SHA256, b.Source.Size = rd.fileHash()
		if rd.bom {
			// What was read is kept: the file without its byte order mark.
			b.Source.SHA256, b.Source.Size = importers.HashBytes(rd.original), int64(len(rd.original))
		}
	default:
		b.OpenOriginal = rd.open
	}
	rd.report.File = rd.name
	rd.report.Format = format
	rd.report.Version = ver.String()
	b.Patients = rd.groups()
	if own {
		if len(b.Patients) == 1 && b.Patients[0].Patient == nil && len(b.Patients[0].Resources) == 0 {
			b.Patients = nil // everything is in the parts
		}
		for _, p := range parts {
			p.Report.Version = ver.String()
		}
	}
	rd.describe(b)
	b.Report = rd.report
	b.FinishReport(nil)
	return b, nil
}

// streamOriginalFrom is the size from which a file's original is read
// again for the vault rather than held (see batch).
const streamOriginalFrom = 4 << 20

// fileHash is the content hash and size of the file as it is on disk: what
// was read, and its byte order mark if it had one.
func (rd *reading) fileHash() (string, int64) {
	h := sha256.New()
	n := int64(len(rd.original))
	if rd.bom {
		h.Write(bom)
		n += int64(len(bom))
	}
	h.Write(rd.original)
	return hex.EncodeToString(h.Sum(nil)), n
}

// compact copies the resources that still point into the bytes read out of
// them, into one block, and lets the bytes read go.
func (rd *reading) compact() {
	total := 0
	for _, it := range rd.items {
		if !it.drop && within(it.raw, rd.original) {
			total += len(it.raw)
		}
	}
	block := make([]byte, 0, total)
	for _, it := range rd.items {
		if !it.drop && within(it.raw, rd.original) {
			start := len(block)
			block = append(block, it.raw...)
			it.raw = block[start:len(block):len(block)]
		}
	}
	rd.original = nil
}

// within reports whether b lies inside whole's memory.
func within(b, whole []byte) bool {
	if len(b) == 0 || len(whole) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	w := uintptr(unsafe.Pointer(unsafe.SliceData(whole)))
	return p >= w && p < w+uintptr(len(whole))
}

// detect decides the file's FHIR version from the shapes its resources
// have (see version.go), and a CapabilityStatement's fhirVersion, if one
// came along.
func (rd *reading) detect() version {
	var v votes
	for _, it := range rd.items {
		if !it.drop {
			v.add(it.votes)
		}
	}
	switch {
	case strings.HasPrefix(rd.fhirVersion, "1.0"):
		v.dstu2++
	case strings.HasPrefix(rd.fhirVersion, "3.0"):
		v.stu3++
	case strings.HasPrefix(rd.fhirVersion, "4."):
		v.r4++
	}
	return v.decide()
}

// outcome reports an OperationOutcome's issues as warnings.
func (rd *reading) outcome(it *item) {
	var oo struct {
		Issue []struct {
			Severity    string `json:"severity"`
			Code        string `json:"code"`
			Diagnostics string `json:"diagnostics"`
			Details     *struct {
				Text   string `json:"text"`
				Coding []struct {
					Display string `json:"display"`
				} `json:"coding"`
			} `json:"details"`
		} `json:"issue"`
	}
	if json.Unmarshal(it.raw, &oo) != nil {
		return
	}
	for _, is := range oo.Issue {
		msg := is.Diagnostics
		if is.Details != nil {
			if is.Details.Text != "" {
				msg = is.Details.Text
			} else if len(is.Details.Coding) > 0 && is.Details.Coding[0].Display != "" {
				msg = is.Details.Coding[0].Display
			}
		}
		if msg == "" {
			msg = is.Code
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		rd.report.Warn(fmt.Sprintf("the server that made the file said (%s): %s", is.Severity, msg))
	}
}

// settleIDs gives every resource an id and makes "Type/id" unique: the
// same resource twice is kept once, an older version in a history Bundle
// is passed over, and different resources sharing an id get distinct ones.
func (rd *reading) settleIDs() {
	seen := make(map[string]int, len(rd.items))
	for i, it := range rd.items {
		if it.drop {
			continue
		}
		if it.id == "" {
			it.assignID()
		}
		key := it.typ + "/" + it.id
		j, dup := seen[key]
		if !dup {
			seen[key] = i
			continue
		}
		if j == i {
			continue
		}
		prev := rd.items[j]
		a := record.Resource{Type: prev.typ, JSON: prev.raw}
		if a.Equivalent(record.Resource{Type: it.typ, JSON: it.raw}) {
			it.drop = true
			rd.report.IgnoreDetail(it.path, "the same record again (already read at "+prev.path+")", "a second copy of "+it.typ+"/"+it.id)
			continue
		}
		if rd.history {
			it.drop = true
			rd.report.IgnoreDetail(it.path, "another version of the record at "+prev.path+" (the first listed is kept)", "a history Bundle's other version of "+it.typ+"/"+it.id)
			continue
		}
		n := 2
		for {
			if _, taken := seen[key+"-"+strconv.Itoa(n)]; !taken {
				break
			}
			n++
		}
		old := it.id
		it.setID(old + "-" + strconv.Itoa(n))
		seen[it.typ+"/"+it.id] = i
		rd.report.Warn(fmt.Sprintf("two different records (at %s and %s) carry the same identifier; both are kept, the second as %s/%s (resource id %s/%s used twice)", prev.path, it.path, it.typ, it.id, it.typ, old))
	}
}

// resolve finds what each reference points at within the input, rewrites
// it to the relative "Type/id" form, and works out whose each resource is.
func (rd *reading) resolve() {
	byFull := make(map[string]int, len(rd.items))
	byRef := make(map[string]int, len(rd.items))
	for i, it := range rd.items {
		if it.drop {
			continue
		}
		if it.fullURL != "" {
			if _, ok := byFull[it.fullURL]; !ok {
				byFull[it.fullURL] = i
			}
		}
		if _, ok := byRef[it.typ+"/"+it.id]; !ok {
			byRef[it.typ+"/"+it.id] = i
		}
	}
	var byIdent map[string]int // "Type|system|value", built on first need
	lookup := func(from *item, v []byte) int {
		if len(v) == 0 || v[0] == '#' {
			return -1
		}
		if j, ok := byFull[string(v)]; ok {
			return j
		}
		if bytes.HasPrefix(v, []byte("urn:")) {
			return -1
		}
		if j, ok := byRef[string(v)]; ok {
			return j
		}
		s := string(v)
		if q := strings.IndexByte(s, '?'); q > 0 {
			if byIdent == nil {
				byIdent = rd.identifiers()
			}
			typ, query := s[:q], s[q+1:]
			if id, ok := strings.CutPrefix(query, "identifier="); ok && !strings.Contains(id, "&") {
				if j, ok := byIdent[typ+"|"+id]; ok {
					return j
				}
			}
			return -1
		}
		abs := strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
		if !abs && from.base != "" {
			if j, ok := byFull[from.base+s]; ok {
				return j
			}
		}
		rel := s
		if h := strings.Index(rel, "/_history/"); h >= 0 {
			rel = rel[:h]
		}
		if abs {
			rel = strings.TrimSuffix(rel, "/")
			k := strings.LastIndexByte(rel, '/')
			if k <= 0 {
				return -1
			}
			k2 := strings.LastIndexByte(rel[:k], '/')
			rel = rel[k2+1:]
		}
		if j, ok := byRef[rel]; ok {
			return j
		}
		return -1
	}
	unresolved := 0
	for _, it := range rd.items {
		if it.drop || len(it.refs) == 0 {
			continue
		}
		var out []byte
		last := 0
		firstPatient := -1
		for _, r := range it.refs {
			val := r.value(it.raw)
			j := lookup(it, val)
			if j < 0 {
				if len(val) > 0 && val[0] != '#' {
					unresolved++
					if r.top == topSubject && it.patientRef == "" {
						it.patientRef = patientRefOf(string(val))
					}
				}
				continue
			}
			t := rd.items[j]
			if !containsInt(it.targets, j) {
				it.targets = append(it.targets, j)
			}
			if t.typ == "Patient" {
				if r.top == topSubject {
					if it.owner < 0 {
						it.owner = j
					}
				} else if firstPatient < 0 {
					firstPatient = j
				}
			}
			if len(val) == len(t.typ)+1+len(t.id) && string(val[:len(t.typ)]) == t.typ && val[len(t.typ)] == '/' && string(val[len(t.typ)+1:]) == t.id {
				continue
			}
			want := t.typ + "/" + t.id
			if out == nil {
				out = make([]byte, 0, len(it.raw)+64)
			}
			out = append(out, it.raw[last:r.s]...)
			out = jsontree.AppendString(out, want)
			last = r.e
		}
		if it.owner < 0 && it.typ != "Patient" {
			it.owner = firstPatient
		}
		if out != nil {
			out = append(out, it.raw[last:]...)
			it.raw = out
			it.refs = nil // the spans no longer fit
		}
	}
	if unresolved > 0 {
		if unresolved == 1 {
			rd.report.Warn("1 link to another record (such as a doctor, a clinic or a visit) points to a record this file does not hold; it is kept as written (a FHIR reference that does not resolve within the file)")
		} else {
			rd.report.Warn(fmt.Sprintf("%d links to other records (such as a doctor, a clinic or a visit) point to records this file does not hold; they are kept as written (FHIR references that do not resolve within the file)", unresolved))
		}
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// identifiers indexes resources by "Type|system|value" of their
// identifiers, for conditional references ("Location?identifier=sys|val").
func (rd *reading) identifiers() map[string]int {
	m := map[string]int{}
	for i, it := range rd.items {
		if it.drop || !bytes.Contains(it.raw, []byte(`"identifier"`)) {
			continue
		}
		var v struct {
			Identifier []record.Identifier `json:"identifier"`
		}
		if json.Unmarshal(it.raw, &v) != nil {
			continue
		}
		for _, id := range v.Identifier {
			for _, k := range []string{it.typ + "|" + id.System + "|" + id.Value, it.typ + "|" + id.Value} {
				if _, ok := m[k]; !ok {
					m[k] = i
				}
			}
		}
	}
	return m
}

// shared are the resource types that describe who, where and what for the
// records of any number of patients.
var shared = map[string]bool{
	"Practitioner": true, "PractitionerRole": true, "Organization": true, "Location": true,
	"Medication": true, "Substance": true, "HealthcareService": true, "Endpoint": true,
	"Group": true, "Device": false,
}

// groups sorts the resources into one group per person the file is about.
//
// A file with one Patient (or none that its records refer to) is that
// person's: everything goes in one group. With several Patients, the
// subject of each record is the Patient its subject (patient, beneficiary)
// refers to, and Patients sharing a record number (one member seen by
// several systems) are one subject unless their birth dates disagree.
// When only one subject has records, the file is about that person: the
// other Patients (a guardian's, a foster parent's) are kept with its
// records as written, and do not make the file about several people.
// Otherwise each subject is a group; practitioners, organizations,
// locations and medications go to every group whose records refer to
// them, or to all when none does; records about no patient in the file
// form a group of their own, without a Patient.
//
// A file without a Patient whose records refer to patients it does not
// hold (an NDJSON file of one resource type, a Blue Button claims file)
// gets one group per patient referred to, each with its PatientRef, so the
// vault can find whose they are.
func (rd *reading) groups() []record.PatientRecords {
	var patients []int
	for i, it := range rd.items {
		if !it.drop && it.typ == "Patient" {
			patients = append(patients, i)
		}
	}
	if len(patients) == 0 {
		return rd.refGroups()
	}
	if len(patients) == 1 {
		return []record.PatientRecords{rd.oneGroup(patients[0])}
	}
	// Subjects: Patients with records, those sharing a record number one.
	owned := map[int]int{}
	for _, it := range rd.items {
		if !it.drop && it.typ != "Patient" && it.owner >= 0 {
			owned[it.owner]++
		}
	}
	people := make([]record.Person, len(patients))
	for k, pi := range patients {
		people[k] = person(rd.items[pi].resource())
	}
	cluster := make([]int, len(patients)) // patient k → its cluster's first patient
	for k := range patients {
		cluster[k] = k
		for m := 0; m < k; m++ {
			if cluster[m] == m && sameMember(people[m], people[k]) {
				cluster[k] = m
				break
			}
		}
	}
	clusterOf := map[int]int{} // patient item → cluster
	primary := map[int]int{}   // cluster → its most referred-to patient item
	records := map[int]int{}   // cluster → records about it
	var clusters []int
	for k, pi := range patients {
		c := cluster[k]
		clusterOf[pi] = c
		if _, seen := primary[c]; !seen {
			clusters = append(clusters, c)
			primary[c] = pi
		} else if owned[pi] > owned[primary[c]] {
			primary[c] = pi
		}
		records[c] += owned[pi]
	}
	var withRecords []int
	for _, c := range clusters {
		if records[c] > 0 {
			withRecords = append(withRecords, c)
		}
	}
	if len(withRecords) == 1 {
		c := withRecords[0]
		g := rd.oneGroup(primary[c])
		if others := len(patients) - 1; others > 0 {
			rd.report.Warn(fmt.Sprintf("the file holds %d Patient resources; its records are about one of them, and the %s kept with those records as written", len(patients), plural(others, "other is", "others are")))
		}
		return []record.PatientRecords{g}
	}

	// Several people: one group per cluster.
	groupOf := map[int]int{} // cluster → group index
	out := make([]record.PatientRecords, len(clusters))
	members := make([][]int, len(clusters))
	for gi, c := range clusters {
		groupOf[c] = gi
		res := rd.items[primary[c]].resource()
		out[gi].Patient = &res
		out[gi].Person = person(res)
	}
	for _, pi := range patients {
		if c := clusterOf[pi]; pi != primary[c] {
			members[groupOf[c]] = append(members[groupOf[c]], pi)
		}
	}
	var orphans []int
	var sharedItems []int
	for i, it := range rd.items {
		if it.drop || it.typ == "Patient" {
			continue
		}
		if c, ok := clusterOf[it.owner]; ok && it.owner >= 0 {
			members[groupOf[c]] = append(members[groupOf[c]], i)
			continue
		}
		if shared[it.typ] {
			sharedItems = append(sharedItems, i)
			continue
		}
		orphans = append(orphans, i)
	}
	roots := make([]int, len(clusters))
	for gi, c := range clusters {
		roots[gi] = primary[c]
	}
	rd.share(members, roots, sharedItems)
	for g := range members {
		sortInts(members[g])
		for _, i := range members[g] {
			out[g].Resources = append(out[g].Resources, rd.items[i].resource())
		}
	}
	return append(out, rd.orphanGroups(orphans)...)
}

// orphanGroups groups records about no patient of the file: by the
// patient they refer to (PatientRef), and those that refer to none together.
func (rd *reading) orphanGroups(orphans []int) []record.PatientRecords {
	var out []record.PatientRecords
	byRef := map[string]int{}
	var none []int
	for _, i := range orphans {
		it := rd.items[i]
		if it.patientRef == "" {
			none = append(none, i)
			continue
		}
		g, ok := byRef[it.patientRef]
		if !ok {
			g = len(out)
			byRef[it.patientRef] = g
			out = append(out, record.PatientRecords{PatientRef: it.patientRef})
		}
		out[g].Resources = append(out[g].Resources, it.resource())
	}
	if len(none) > 0 {
		var g record.PatientRecords
		for _, i := range none {
			g.Resources = append(g.Resources, rd.items[i].resource())
		}
		out = append(out, g)
		rd.report.Warn(fmt.Sprintf("%d %s; %s for the person you choose", len(none),
			plural(len(none), "record names no patient", "records name no patient"), plural(len(none), "it is kept", "they are kept together")))
	}
	return out
}

// oneGroup puts every resource in one group whose Patient is the item at pi.
func (rd *reading) oneGroup(pi int) record.PatientRecords {
	var g record.PatientRecords
	for i, it := range rd.items {
		if it.drop {
			continue
		}
		if i == pi {
			res := it.resource()
			g.Patient = &res
			g.Person = person(res)
			continue
		}
		g.Resources = append(g.Resources, it.resource())
	}
	return g
}

// refGroups groups the resources of a file without a Patient by the
// patient their records refer to.
func (rd *reading) refGroups() []record.PatientRecords {
	var refs []string
	index := map[string]int{}
	for _, it := range rd.items {
		if it.drop || it.patientRef == "" {
			continue
		}
		if _, ok := index[it.patientRef]; !ok {
			index[it.patientRef] = len(refs)
			refs = append(refs, it.patientRef)
		}
	}
	if len(refs) <= 1 {
		g := record.PatientRecords{}
		if len(refs) == 1 {
			g.PatientRef = refs[0]
		}
		for _, it := range rd.items {
			if !it.drop {
				g.Resources = append(g.Resources, it.resource())
			}
		}
		return []record.PatientRecords{g}
	}
	members := make([][]int, len(refs))
	roots := make([]int, len(refs))
	for g := range roots {
		roots[g] = -1
	}
	var orphans, sharedItems []int
	for i, it := range rd.items {
		switch {
		case it.drop:
		case it.patientRef != "":
			g := index[it.patientRef]
			members[g] = append(members[g], i)
		case shared[it.typ]:
			sharedItems = append(sharedItems, i)
		default:
			orphans = append(orphans, i)
		}
	}
	rd.share(members, roots, sharedItems)
	out := make([]record.PatientRecords, len(refs), len(refs)+1)
	for g := range members {
		out[g].PatientRef = refs[g]
		sortInts(members[g])
		for _, i := range members[g] {
			out[g].Resources = append(out[g].Resources, rd.items[i].resource())
		}
	}
	return append(out, rd.orphanGroups(orphans)...)
}

// share adds the shared items (practitioners, organizations, ...) to each
// group whose records (or root item, when not -1) refer to them,
// transitively, and those no group refers to, to every group.
func (rd *reading) share(members [][]int, roots []int, sharedItems []int) {
	isShared := map[int]bool{}
	for _, i := range sharedItems {
		isShared[i] = true
	}
	used := map[int]bool{}
	for g := range members {
		in := map[int]bool{}
		queue := append([]int{}, members[g]...)
		if roots[g] >= 0 {
			queue = append(queue, roots[g])
		}
		for len(queue) > 0 {
			i := queue[0]
			queue = queue[1:]
			for _, t := range rd.items[i].targets {
				if isShared[t] && !in[t] {
					in[t] = true
					used[t] = true
					queue = append(queue, t)
				}
			}
		}
		for _, i := range sharedItems {
			if in[i] {
				members[g] = append(members[g], i)
			}
		}
	}
	for _, i := range sharedItems {
		if !used[i] {
			for g := range members {
				members[g] = append(members[g], i)
			}
		}
	}
}

// sameMember reports whether two Patients of one file are one person seen
// twice: they share a record number and their birth dates do not differ.
func sameMember(a, b record.Person) bool {
	l := record.Compare(a, record.Profile{Name: b.Name, BirthDate: b.BirthDate, Identifiers: b.Identifiers})
	return l.Identifier == record.Same && l.BirthDate != record.Differs
}

// patientRefOf returns a reference to a patient in the form the vault
// looks it up by: "Patient/id" (from a relative or absolute URL, without
// its version), or "urn:uuid:..." as written; "" for anything else.
func patientRefOf(ref string) string {
	if strings.HasPrefix(ref, "urn:uuid:") {
		return ref
	}
	if h := strings.Index(ref, "/_history/"); h >= 0 {
		ref = ref[:h]
	}
	ref = strings.TrimSuffix(ref, "/")
	var id string
	if rest, ok := strings.CutPrefix(ref, "Patient/"); ok {
		id = rest
	} else if k := strings.LastIndex(ref, "/Patient/"); k >= 0 && (strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://")) {
		id = ref[k+len("/Patient/"):]
	}
	if id == "" || strings.ContainsAny(id, "/?#") {
		return ""
	}
	return "Patient/" + id
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func sortInts(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

func (it *item) resource() record.Resource {
	return record.Resource{Type: it.typ, ID: it.id, JSON: it.raw}
}

func person(res record.Resource) record.Person {
	p, err := record.Decode[record.Patient](res)
	if err != nil {
		return record.Person{}
	}
	return record.PersonFromPatient(p)
}

// isIPS reports whether the document's Composition is a patient summary
// (LOINC 60591-5).
func (rd *reading) isIPS() bool {
	for _, it := range rd.items {
		if !it.drop && it.typ == "Composition" && bytes.Contains(it.raw, []byte(`"60591-5"`)) {
			return true
		}
	}
	return false
}

// describe fills the source's title, date and author from a document
// Bundle's Composition.
func (rd *reading) describe(b *record.Batch) {
	if !rd.document {
		return
	}
	for _, it := range rd.items {
		if it.drop || it.typ != "Composition" {
			continue
		}
		c, err := record.Decode[record.Composition](it.resource())
		if err != nil {
			return
		}
		b.Source.Title = strings.TrimSpace(c.Title)
		b.Source.DocumentDate, _ = record.ParseDate(c.Date)
		if c.Custodian != nil {
			b.Source.Author = rd.nameOf(c.Custodian.Reference, c.Custodian.Display)
		}
		if b.Source.Author == "" && len(c.Author) > 0 {
			b.Source.Author = rd.nameOf(c.Author[0].Reference, c.Author[0].Display)
		}
		return
	}
}

func (rd *reading) nameOf(ref, display string) string {
	for _, it := range rd.items {
		if !it.drop && it.typ+"/"+it.id == ref {
			if n := record.ResourceName(it.resource()); n != "" {
				return n
			}
		}
	}
	return strings.TrimSpace(display)
}

// folderOriginal streams a folder's files as a zip, byte for byte, so the
// vault can keep what was imported. The entries are stored uncompressed and
// undated (the vault compresses what it keeps), so the same files always
// make the same zip, and the same hash: a folder imported again, or a copy
// of it, is recognized as already imported.
func folderOriginal(dir fs.FS, names []string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			zw := zip.NewWriter(pw)
			for _, n := range names {
				w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
				if err != nil {
					pw.CloseWithError(err)
					return
				}
				f, err := dir.Open(n)
				if err != nil {
					pw.CloseWithError(err)
					return
				}
				_, err = io.Copy(w, f)
				f.Close()
				if err != nil {
					pw.CloseWithError(err)
					return
				}
			}
			pw.CloseWithError(zw.Close())
		}()
		return pr, nil
	}
}
