package fhir

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/record"
)

// Reader reads FHIR files: JSON (a resource or a Bundle), XML, NDJSON and
// folders of NDJSON files. The zero value is ready to use.
type Reader struct{}

var _ importers.Importer = (*Reader)(nil)

// New returns a FHIR reader.
func New() *Reader { return &Reader{} }

// Name is "fhir".
func (*Reader) Name() string { return "fhir" }

// fhirNS is the XML namespace of FHIR resources.
const fhirNS = "http://hl7.org/fhir"

var bom = []byte{0xEF, 0xBB, 0xBF}

// Sniff rates the input by its content: 90 for JSON whose head names a
// resourceType (one resource, a Bundle, or NDJSON lines), 10 for a JSON
// object longer than the head that does not name one there, 90 for XML
// whose root is in the FHIR namespace, 80 for a folder whose data files are
// all .ndjson, and 0 otherwise.
func (*Reader) Sniff(in *importers.Input, head []byte) int {
	if in.IsDir() {
		names, ok := ndjsonFolder(in.Dir)
		if ok && len(names) > 0 {
			return 80
		}
		return 0
	}
	h := bytes.TrimLeft(bytes.TrimPrefix(head, bom), " \t\r\n")
	if len(h) == 0 {
		return 0
	}
	switch h[0] {
	case '{':
		if bytes.Contains(h, []byte(`"resourceType"`)) {
			return 90
		}
		if len(head) >= importers.HeadSize {
			// A JSON object whose resourceType comes after a large
			// element (a Bundle's entries written first): maybe FHIR.
			return 10
		}
	case '<':
		if ns, _, ok := importers.SniffXML(head); ok && ns == fhirNS {
			return 90
		}
	}
	return 0
}

// ndjsonFolder lists a folder's .ndjson files (sorted) and reports whether
// the folder is a bulk export: at least one .ndjson file and nothing else
// but hidden files and a JSON manifest.
func ndjsonFolder(dir fs.FS) ([]string, bool) {
	ents, err := fs.ReadDir(dir, ".")
	if err != nil {
		return nil, false
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, ".") || !e.Type().IsRegular() {
			if e.IsDir() {
				return nil, false
			}
			continue
		}
		switch strings.ToLower(path.Ext(n)) {
		case ".ndjson":
			names = append(names, n)
		case ".json":
			// a bulk data manifest may sit beside the files
		default:
			return nil, false
		}
	}
	slices.Sort(names)
	return names, len(names) > 0
}

// Read reads the input into a batch. Errors are [*importers.Error]s naming
// the file and the place; they wrap [importers.ErrTooLarge],
// [importers.ErrTooDeep], [importers.ErrDuplicateKey],
// [importers.ErrInvalidUTF8], [importers.ErrDoctype],
// [importers.ErrUnknownFormat] (a folder without NDJSON files) or
// [importers.ErrMalformed]. On error the batch is nil.
//
// STU3 and DSTU2 resources are converted to R4: MedicationOrder becomes
// MedicationRequest (prescriber → requester, dateWritten → authoredOn,
// intent order); patient → subject where R4 says subject (Condition,
// Encounter, MedicationStatement, MedicationDispense); context →
// encounter; Condition.dateRecorded and assertedDate → recordedDate;
// string statuses → CodeableConcepts (Condition and AllergyIntolerance
// clinical and verification status, DSTU2's single AllergyIntolerance
// status split in two); AllergyIntolerance.substance → code and
// criticality CRITL/CRITH/CRITU → low/high/unable-to-assess;
// Immunization date → occurrenceDateTime, wasNotGiven/notGiven → status
// not-done, reported → primarySource, explanation → reasonCode and
// statusReason, practitioner/performer/requester → performer with a
// function, vaccinationProtocol → protocolApplied; Dosage dose and rate →
// doseAndRate; MedicationStatement wasNotTaken/taken → status not-taken;
// Encounter class codes → v3 ActCode Codings, reason → reasonCode;
// Goal status → lifecycleStatus and achievementStatus, description text →
// CodeableConcept; Observation comments → note, related → hasMember and
// derivedFrom, single category → list; DiagnosticReport performer roles →
// references; Procedure notPerformed/notDone → status not-done; CarePlan
// statuses and intent; DocumentReference indexed → date, class →
// category; Binary content → data; DSTU2 HumanName family lists → one
// family string; Coverage grouping → class; ExplanationOfBenefit and
// Claim information → supportingInfo, item service → productOrService,
// *LinkId → *Sequence, single insurance → list, totalCost and
// totalBenefit → total, use claim. Elements R4 has no place for are left
// as they were, so nothing the file said is lost.
func (r *Reader) Read(ctx context.Context, in *importers.Input, env *importers.Env) (*record.Batch, error) {
	if env == nil {
		env = &importers.Env{Limits: importers.DefaultLimits()}
	}
	rd := &reading{ctx: ctx, name: in.Name, env: env, lim: env.Limits}
	var err error
	if in.IsDir() {
		err = rd.readFolder(in)
	} else {
		err = rd.readFile(in)
	}
	if err != nil {
		return nil, asError(in.Name, err)
	}
	b, err := rd.batch()
	if err != nil {
		return nil, asError(in.Name, err)
	}
	return b, nil
}

func asError(name string, err error) error {
	var ie *importers.Error
	if errors.As(err, &ie) {
		return err
	}
	var je *importers.JSONError
	if errors.As(err, &je) {
		return &importers.Error{File: name, Place: je.Place(), Err: je.Err}
	}
	return &importers.Error{File: name, Err: err}
}

// reading is the state of one Read.
type reading struct {
	ctx    context.Context
	name   string
	env    *importers.Env
	lim    importers.Limits
	items  []*item
	report record.Report
	// shape of the input, for the format name
	ndjson   bool
	xml      bool
	document bool // a document Bundle (IPS when its Composition says so)
	history  bool
	original []byte
	bom      bool // the file starts with a byte order mark, not in original
	// reopen reads the file again from its start (in.Open), so that a large
	// file's original need not be held in memory (see batch).
	reopen  func() (io.ReadCloser, error)
	open    func() (io.ReadCloser, error)
	checker importers.JSONChecker
	// fhirVersion is what a CapabilityStatement said, if any.
	fhirVersion string
}

func (rd *reading) cancelled() error {
	if rd.ctx == nil {
		return nil
	}
	return rd.ctx.Err()
}

func (rd *reading) add(it *item) error {
	if len(rd.items) >= rd.lim.MaxResources && rd.lim.MaxResources > 0 {
		return importers.Errorf(rd.name, it.path, "%w: more than %d resources", importers.ErrTooLarge, rd.lim.MaxResources)
	}
	it.owner = -1
	rd.items = append(rd.items, it)
	return nil
}

// readFile reads one file: JSON, NDJSON or XML, by its first bytes.
func (rd *reading) readFile(in *importers.Input) error {
	if in.Size > rd.lim.MaxFileSize && in.Size >= 0 {
		return importers.Errorf(in.Name, "", "%w: %d bytes, the limit is %d", importers.ErrTooLarge, in.Size, rd.lim.MaxFileSize)
	}
	rc, err := in.Open()
	if err != nil {
		return &importers.Error{File: in.Name, Err: err}
	}
	defer rc.Close()
	br := bufio.NewReaderSize(io.LimitReader(rc, rd.lim.MaxFileSize+1), 64<<10)
	if p, _ := br.Peek(3); bytes.Equal(p, bom) {
		br.Discard(3)
		rd.bom = true
	}
	rd.reopen = in.Open
	first, err := firstByte(br)
	if err != nil {
		return importers.Errorf(in.Name, "", "%w: the file is empty", importers.ErrMalformed)
	}
	if first == '<' {
		data, err := readRest(br, in.Name, rd.lim, in.Size)
		if err != nil {
			return err
		}
		rd.xml = true
		rd.original = data
		return rd.readXML(data)
	}
	if first != '{' {
		return importers.Errorf(in.Name, "line 1", "%w: not JSON or XML", importers.ErrMalformed)
	}
	// One JSON object per line is NDJSON; anything else is one JSON
	// value. Most files tell which from their first 64 KiB.
	head, _ := br.Peek(br.Size())
	if nl := bytes.IndexByte(head, '\n'); nl >= 0 || len(head) < br.Size() {
		if nl >= 0 && ndjsonHead(head, nl, len(head) < br.Size()) {
			rd.ndjson = true
			rd.open = in.Open
			return rd.readNDJSON(in.Name, nil, br)
		}
		data, err := readRest(br, in.Name, rd.lim, in.Size)
		if err != nil {
			return err
		}
		rd.original = data
		return rd.readJSON(data)
	}
	// A first line longer than that: NDJSON with long lines, or a
	// minified JSON file (whose one line may be longer than an NDJSON line
	// may be).
	line1, err := readLine(br, rd.lim)
	tooLong := errors.Is(err, importers.ErrTooLarge)
	if err != nil && !tooLong && err != io.EOF {
		return &importers.Error{File: in.Name, Err: err}
	}
	if !tooLong && isNDJSONStart(line1, br) {
		rd.ndjson = true
		rd.open = in.Open
		return rd.readNDJSON(in.Name, line1, br)
	}
	data := line1
	if _, err := br.Peek(1); err == nil {
		rest, err := readRest(br, in.Name, rd.lim, in.Size-int64(len(line1)))
		if err != nil {
			return err
		}
		data = append(line1, rest...)
	}
	if int64(len(data)) > rd.lim.MaxFileSize {
		return importers.Errorf(in.Name, "", "%w: more than %d bytes", importers.ErrTooLarge, rd.lim.MaxFileSize)
	}
	rd.original = data
	return rd.readJSON(data)
}

// ndjsonHead reports whether the first line of head (ending at nl) is a
// whole JSON object and the next one starts another. atEOF says head is
// the whole file.
func ndjsonHead(head []byte, nl int, atEOF bool) bool {
	line := bytes.TrimSpace(head[:nl])
	if len(line) < 2 || line[0] != '{' || line[len(line)-1] != '}' || !balanced(line) {
		return false
	}
	rest := bytes.TrimLeft(head[nl+1:], " \t\r\n")
	if len(rest) == 0 {
		return !atEOF && len(head) > 0
	}
	return rest[0] == '{'
}

// balanced reports whether the braces and brackets of line (outside its
// strings) close exactly at its end.
func balanced(line []byte) bool {
	depth := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			i = skipString(line, i) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 || depth == 0 && i != len(line)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// readLine reads one line (without its end) of at most lim.MaxLineSize bytes.
func readLine(br *bufio.Reader, lim importers.Limits) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(line)+len(frag) > lim.MaxLineSize+2 {
			return append(line, frag...), fmt.Errorf("%w: a line longer than %d bytes", importers.ErrTooLarge, lim.MaxLineSize)
		}
		line = append(line, frag...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if len(line) == 0 {
				return nil, err
			}
			if err != io.EOF {
				return nil, err
			}
		}
		return line, nil
	}
}

// isNDJSONStart reports whether line (the first) is a whole JSON object on
// its own and another line starting with '{' follows.
func isNDJSONStart(line []byte, br *bufio.Reader) bool {
	t := bytes.TrimSpace(line)
	if len(t) < 2 || t[0] != '{' || t[len(t)-1] != '}' || bytes.IndexByte(line, '\n') < 0 {
		return false
	}
	if skipValue(t, 0) != len(t) {
		return false
	}
	for n := 1; ; n++ {
		p, err := br.Peek(n)
		if len(p) < n {
			return false
		}
		switch p[n-1] {
		case ' ', '\t', '\r', '\n':
			if n > 4096 || err != nil {
				return false
			}
			continue
		case '{':
			return true
		}
		return false
	}
}

func firstByte(br *bufio.Reader) (byte, error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		br.UnreadByte()
		return c, nil
	}
}

// readRest reads what is left of br; sizeHint (the bytes expected, or
// less than 0 when unknown) saves growing the buffer.
func readRest(br *bufio.Reader, name string, lim importers.Limits, sizeHint int64) ([]byte, error) {
	var data []byte
	var err error
	if sizeHint > 0 && sizeHint <= lim.MaxFileSize {
		data = make([]byte, 0, sizeHint+1)
		for {
			if len(data) == cap(data) {
				data = append(data, 0)[:len(data)] // more than announced
			}
			var n int
			n, err = br.Read(data[len(data):cap(data)])
			data = data[:len(data)+n]
			if err == io.EOF {
				err = nil
				break
			}
			if err != nil || int64(len(data)) > lim.MaxFileSize {
				break
			}
		}
	} else {
		data, err = io.ReadAll(br)
	}
	if err != nil {
		return nil, &importers.Error{File: name, Err: fmt.Errorf("reading: %w", err)}
	}
	if int64(len(data)) > lim.MaxFileSize {
		return nil, importers.Errorf(name, "", "%w: more than %d bytes", importers.ErrTooLarge, lim.MaxFileSize)
	}
	return data, nil
}

// readJSON reads a JSON file: one resource, or a Bundle of them.
func (rd *reading) readJSON(data []byte) error {
	if err := rd.checker.Check(data, rd.lim); err != nil {
		return asError(rd.name, err)
	}
	i := skipWS(data, 0)
	if data[i] != '{' {
		return importers.Errorf(rd.name, "line 1", "%w: not a FHIR resource (a JSON object with a resourceType)", importers.ErrMalformed)
	}
	_, err := rd.resourceAt(data[i:], "", "resource")
	return err
}

// resourceAt reads the resource object at the start of d (which may go
// on after it) and returns its length.
func (rd *reading) resourceAt(d []byte, fullURL, path string) (int, error) {
	if err := rd.cancelled(); err != nil {
		// Its length all the same: the Bundle's walk steps over it (a
		// length of 0 had it read the object's braces as members, forever).
		return skipValue(d, 0), err
	}
	it := &item{path: path, fullURL: fullURL, base: baseOf(fullURL)}
	n := it.analyzeObject(d)
	switch it.typ {
	case "":
		where := path
		if path == "resource" {
			where = "line 1"
		}
		return n, importers.Errorf(rd.name, where, "%w: not a FHIR resource: no resourceType", importers.ErrMalformed)
	case "Bundle":
		return n, rd.bundle(it.raw, path)
	}
	return n, rd.add(it)
}

// bundle opens a Bundle found at path ("resource" for the file itself).
func (rd *reading) bundle(d []byte, path string) error {
	prefix := ""
	if path != "resource" {
		prefix = path + "."
	}
	var err error
	members(d, 0, func(key []byte, vs int) int {
		switch string(key) {
		case "type":
			ve := skipValue(d, vs)
			switch str(d[vs:ve]) {
			case "document":
				if path == "resource" {
					rd.document = true
				}
			case "history":
				rd.history = true
			}
			return ve
		case "entry":
			if d[vs] != '[' {
				return -1
			}
			return elements(d, vs, func(k, es int) int {
				if err != nil || d[es] != '{' {
					return skipValue(d, es)
				}
				return rd.entry(d, es, entryPath(prefix, k), &err)
			})
		}
		return -1
	})
	return err
}

// entry reads the Bundle entry at es and returns the offset after it.
func (rd *reading) entry(d []byte, es int, p string, errp *error) int {
	var fullURL, method string
	res, done, seenURL := -1, false, false
	end := members(d, es, func(key []byte, vs int) int {
		switch string(key) {
		case "fullUrl":
			ve := skipValue(d, vs)
			fullURL, seenURL = str(d[vs:ve]), true
			return ve
		case "resource":
			if d[vs] != '{' {
				return -1
			}
			res = vs
			if !seenURL {
				return -1 // read once the entry's fullUrl is known
			}
			done = true
			if *errp != nil {
				return -1
			}
			n, err := rd.resourceAt(d[vs:], fullURL, p)
			*errp = err
			return vs + n
		case "request":
			if d[vs] == '{' {
				return members(d, vs, func(key []byte, vs2 int) int {
					if string(key) == "method" {
						ve := skipValue(d, vs2)
						method = str(d[vs2:ve])
						return ve
					}
					return -1
				})
			}
		}
		return -1
	})
	if res < 0 {
		why, detail := "an empty entry of the file", "a Bundle entry without a resource"
		if method == "DELETE" {
			why, detail = "a note that a record was deleted, not a record", "a Bundle entry whose request is a DELETE"
		}
		rd.report.IgnoreDetail(strings.TrimSuffix(p, ".resource"), why, detail)
		return end
	}
	if *errp == nil && !done {
		_, *errp = rd.resourceAt(d[res:], fullURL, p)
	}
	return end
}

// baseOf returns the server base of an absolute fullUrl
// ("https://x/fhir/Patient/1" → "https://x/fhir/"), or "".
func baseOf(fullURL string) string {
	if !strings.HasPrefix(fullURL, "http://") && !strings.HasPrefix(fullURL, "https://") {
		return ""
	}
	u := strings.TrimSuffix(fullURL, "/")
	if i := strings.Index(u, "/_history/"); i >= 0 {
		u = u[:i]
	}
	// drop "Type/id"
	for range 2 {
		if i := strings.LastIndexByte(u, '/'); i >= 0 {
			u = u[:i]
		}
	}
	return u + "/"
}

// readNDJSON reads NDJSON lines from br (line1 already read) streaming:
// one line in memory at a time besides the resources kept.
func (rd *reading) readNDJSON(file string, line1 []byte, br *bufio.Reader) error {
	line := line1
	n := 0
	if line == nil {
		var err error
		if line, err = readLine(br, rd.lim); err != nil {
			return importers.Errorf(rd.name, "line 1", "%w", err)
		}
	}
	for {
		n++
		if err := rd.ndjsonLine(file, n, line); err != nil {
			return err
		}
		var err error
		line, err = readLine(br, rd.lim)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, importers.ErrTooLarge) {
				return importers.Errorf(rd.name, lineRef(file, rd.name, n+1), "%w", err)
			}
			return &importers.Error{File: rd.name, Err: fmt.Errorf("reading: %w", err)}
		}
	}
}

func lineRef(file, name string, n int) string {
	if file == name {
		return "line " + strconv.Itoa(n)
	}
	return file + " line " + strconv.Itoa(n)
}

func (rd *reading) ndjsonLine(file string, n int, line []byte) error {
	t := bytes.TrimSpace(line)
	if len(t) == 0 {
		return nil
	}
	where := lineRef(file, rd.name, n)
	if err := rd.checker.Check(t, rd.lim); err != nil {
		var je *importers.JSONError
		if errors.As(err, &je) {
			place := fmt.Sprintf("%s, column %d", where, je.Column)
			if je.Path != "" {
				place += ", at " + je.Path
			}
			return &importers.Error{File: rd.name, Place: place, Err: je.Err}
		}
		return &importers.Error{File: rd.name, Place: where, Err: err}
	}
	if t[0] != '{' {
		return importers.Errorf(rd.name, where, "%w: an NDJSON line must be a JSON object", importers.ErrMalformed)
	}
	// t is freshly allocated for each line: items keep it.
	it := &item{path: where}
	it.analyzeObject(t)
	switch it.typ {
	case "":
		// Bulk exports come with a log of the export beside the data.
		rd.report.IgnoreDetail(where, "not a health record (a line of the export's log, for one)", "a JSON object without resourceType")
		return nil
	case "Bundle":
		return rd.bundle(t, where)
	}
	return rd.add(it)
}

// readFolder reads a folder of NDJSON files as one package.
func (rd *reading) readFolder(in *importers.Input) error {
	names, ok := ndjsonFolder(in.Dir)
	if !ok {
		return importers.Errorf(in.Name, "", "%w: the folder holds no FHIR NDJSON files", importers.ErrUnknownFormat)
	}
	if rd.lim.MaxEntries > 0 && len(names) > rd.lim.MaxEntries {
		return importers.Errorf(in.Name, "", "%w: %d files, the limit is %d", importers.ErrTooLarge, len(names), rd.lim.MaxEntries)
	}
	rd.ndjson = true
	rd.open = folderOriginal(in.Dir, names)
	for _, n := range names {
		if err := rd.cancelled(); err != nil {
			return err
		}
		if err := rd.folderFile(in.Dir, n); err != nil {
			return err
		}
	}
	return nil
}

func (rd *reading) folderFile(dir fs.FS, name string) error {
	f, err := dir.Open(name)
	if err != nil {
		return &importers.Error{File: rd.name, Place: name, Err: err}
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if p, _ := br.Peek(3); bytes.Equal(p, bom) {
		br.Discard(3)
	}
	for n := 1; ; n++ {
		line, err := readLine(br, rd.lim)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, importers.ErrTooLarge) {
				return importers.Errorf(rd.name, lineRef(name, "", n), "%w", err)
			}
			return &importers.Error{File: rd.name, Place: name, Err: fmt.Errorf("reading: %w", err)}
		}
		if err := rd.ndjsonLine(name, n, line); err != nil {
			return err
		}
	}
}
