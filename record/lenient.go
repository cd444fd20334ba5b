package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// A FieldProblem is a field of a resource whose JSON type is not the one
// FHIR R4 gives it: a number where FHIR has text (`"issued": 1652000000`),
// one object where R4 has a list (DSTU2's `DiagnosticReport.category`), an
// object where FHIR has a date. Reading is lenient: such a field is read
// anyway when its value still says what FHIR means (Kept), else left out;
// either way the rest of the resource is read, and the problem is reported.
type FieldProblem struct {
	// Field is the field's path from the resource type:
	// "Observation.issued", "Observation.component[1].valueQuantity.value".
	Field string
	// Found and Want are the JSON types, in words: "a number", "text".
	Found, Want string
	// Kept says the value was read anyway: a number's digits as text, one
	// object as a list of one, the first of a list where one value belongs.
	Kept bool
}

// String says what was wrong and what was done, in one line:
// "Observation.issued: a number where FHIR R4 has text, read as text".
func (p FieldProblem) String() string {
	how := "left out"
	if p.Kept {
		how = keptHow(p)
	}
	return fmt.Sprintf("%s: %s where FHIR R4 has %s, %s", p.Field, p.Found, p.Want, how)
}

func keptHow(p FieldProblem) string {
	switch {
	case p.Want == "a list":
		return "read as a list of one"
	case p.Found == "a list":
		return "its first value read"
	case p.Want == "text":
		return "read as text"
	}
	return "read anyway"
}

// FieldProblemsNote says in one line, for an import report, what of a
// resource (ref, "Observation/o1") was not read as it is written, naming
// the entry's kind: "a lab result (Observation/o1) is shown without what
// could not be read: Observation.code: text where FHIR R4 has an object,
// left out". It returns "" when there are no problems.
func FieldProblemsNote(k Kind, ref string, problems []FieldProblem) string {
	if len(problems) == 0 {
		return ""
	}
	parts := make([]string, len(problems))
	lost := false
	for i, p := range problems {
		parts[i] = p.String()
		lost = lost || !p.Kept
	}
	what := k.Noun() + " (" + ref + ")"
	if lost {
		return what + " is shown without what could not be read: " + strings.Join(parts, "; ")
	}
	return what + " has fields written in an unusual form, read anyway: " + strings.Join(parts, "; ")
}

// maxLenientDepth caps the nesting the lenient reader follows; the importers
// cap JSON depth far lower, so only hand-made input reaches it.
const maxLenientDepth = 512

// errBadJSON is the cause of a resource whose JSON is not well formed (the
// importers check JSON before it gets here, so only hand-made input fails).
var errBadJSON = errors.New("the JSON is not well formed")

// decodeLenient reads the JSON object data into v (a pointer to a struct)
// by the struct's json tags, matching keys exactly as FHIR spells them.
// Fields of the wrong JSON type are read anyway or left out (see
// [FieldProblem]); unknown fields are skipped. It fails only when data is
// not a well-formed JSON object (wrapping [ErrNotResource]). root names the
// resource type in the problems' paths.
func decodeLenient(data []byte, v any, root string) (problems []FieldProblem, err error) {
	l := &lenient{d: data, root: root}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(syntaxError)
			if !ok {
				panic(r)
			}
			problems, err = nil, fmt.Errorf("%w: %w (at byte %d)", ErrNotResource, errBadJSON, int(se))
		}
	}()
	i := l.ws(0)
	if i >= len(data) || data[i] != '{' {
		return nil, fmt.Errorf("%w: not a JSON object", ErrNotResource)
	}
	e, _ := l.value(i, reflect.ValueOf(v).Elem())
	if l.ws(e) != len(data) {
		l.fail(e)
	}
	return l.problems, nil
}

// syntaxError is the offset at which the JSON stopped making sense; it is
// raised as a panic inside the reader and recovered by decodeLenient.
type syntaxError int

// lenient is the state of one decodeLenient.
type lenient struct {
	d        []byte
	root     string
	path     []pathSeg // where the reader is, for problems
	depth    int
	problems []FieldProblem
}

// pathSeg is one step of a path: a key (idx < 0) or a list index.
type pathSeg struct {
	key []byte
	idx int
}

func (l *lenient) fail(at int) { panic(syntaxError(at)) }

func (l *lenient) at(i int) byte {
	if i >= len(l.d) {
		l.fail(i)
	}
	return l.d[i]
}

func (l *lenient) ws(i int) int {
	if i < len(l.d) && l.d[i] > ' ' {
		return i // compact JSON: no space to skip
	}
	for i < len(l.d) {
		switch l.d[i] {
		case ' ', '\t', '\r', '\n':
			i++
			continue
		}
		return i
	}
	return i
}

// skipString returns the offset after the string starting at i.
func (l *lenient) skipString(i int) int {
	d := l.d
	for j := i + 1; j < len(d); j++ {
		switch d[j] {
		case '"':
			return j + 1
		case '\\':
			j++
		}
	}
	l.fail(i)
	return 0
}

// literal returns the offset after the number, true, false or null at i.
func (l *lenient) literal(i int) int {
	j := i
	for j < len(l.d) {
		switch l.d[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if j == i {
				l.fail(i)
			}
			return j
		case '{', '[', '"', ':':
			l.fail(j)
		}
		j++
	}
	if j == i {
		l.fail(i)
	}
	return j
}

// skip returns the offset after the value at i.
func (l *lenient) skip(i int) int {
	switch l.at(i) {
	case '"':
		return l.skipString(i)
	case '{', '[':
		level := 0
		for j := i; j < len(l.d); j++ {
			switch l.d[j] {
			case '"':
				j = l.skipString(j) - 1
			case '{', '[':
				if level++; level+l.depth > maxLenientDepth {
					l.fail(j)
				}
			case '}', ']':
				if level--; level == 0 {
					return j + 1
				}
			}
		}
		l.fail(i)
	}
	return l.literal(i)
}

// str reads the string at i, unescaped, and returns it and the offset after it.
func (l *lenient) str(i int) (string, int) {
	e := l.skipString(i)
	raw := l.d[i+1 : e-1]
	for _, c := range raw {
		if c == '\\' {
			return unescape(raw), e
		}
	}
	if !utf8.Valid(raw) {
		return validUTF8(string(raw)), e
	}
	return string(raw), e
}

// validUTF8 replaces each byte that is not part of valid UTF-8 with U+FFFD,
// as encoding/json does.
func validUTF8(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unescape decodes a JSON string's body that holds escapes.
func unescape(raw []byte) string {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 >= len(raw) {
			b.WriteByte(c)
			continue
		}
		i++
		switch raw[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			r, n := hex4(raw[i+1:])
			i += n
			if utf16.IsSurrogate(r) && i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if r2, n2 := hex4(raw[i+3:]); n2 == 4 {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 2 + n2
					}
				}
			}
			if utf16.IsSurrogate(r) || n < 4 {
				r = utf8.RuneError
			}
			b.WriteRune(r)
		default: // \" \\ \/ and anything else stand for themselves
			b.WriteByte(raw[i])
		}
	}
	s := b.String()
	if !utf8.ValidString(s) {
		return validUTF8(s)
	}
	return s
}

// hex4 reads up to four hex digits and returns their value and how many
// there were.
func hex4(b []byte) (rune, int) {
	var r rune
	n := 0
	for ; n < 4 && n < len(b); n++ {
		c := b[n]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return r, n
		}
	}
	return r, n
}

var (
	numberType = reflect.TypeFor[json.Number]()
	rawType    = reflect.TypeFor[json.RawMessage]()
)

// value reads the value at i into v and returns the offset after it; ok is
// false when v was left as it was (null, or a value of the wrong type).
func (l *lenient) value(i int, v reflect.Value) (end int, ok bool) {
	c := l.at(i)
	if c == 'n' {
		return l.literal(i), false
	}
	t := v.Type()
	switch t {
	case numberType:
		switch {
		case c == '-' || c >= '0' && c <= '9':
			e := l.literal(i)
			if !isNumber(l.d[i:e]) {
				l.problem(i, t, false)
				return e, false
			}
			v.SetString(string(l.d[i:e]))
			return e, true
		case c == '"':
			s, e := l.str(i)
			if isNumber([]byte(strings.TrimSpace(s))) {
				v.SetString(strings.TrimSpace(s))
				l.problem(i, t, true)
				return e, true
			}
			l.problem(i, t, false)
			return e, false
		}
		l.problem(i, t, false)
		return l.skip(i), false
	case rawType:
		e := l.skip(i)
		v.SetBytes(l.d[i:e:e])
		return e, true
	}
	switch t.Kind() {
	case reflect.String:
		switch c {
		case '"':
			s, e := l.str(i)
			v.SetString(s)
			return e, true
		case '{', '[':
			l.problem(i, t, false)
			return l.skip(i), false
		}
		e := l.literal(i)
		v.SetString(string(l.d[i:e]))
		l.problem(i, t, true)
		return e, true
	case reflect.Bool:
		switch c {
		case 't', 'f':
			e := l.literal(i)
			switch string(l.d[i:e]) {
			case "true":
				v.SetBool(true)
				return e, true
			case "false":
				v.SetBool(false)
				return e, true
			}
			l.fail(i)
		case '"':
			s, e := l.str(i)
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "true":
				v.SetBool(true)
			case "false":
				v.SetBool(false)
			default:
				l.problem(i, t, false)
				return e, false
			}
			l.problem(i, t, true)
			return e, true
		}
		l.problem(i, t, false)
		return l.skip(i), false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var text string
		e := 0
		switch {
		case c == '-' || c >= '0' && c <= '9':
			e = l.literal(i)
			text = string(l.d[i:e])
		case c == '"':
			text, e = l.str(i)
		default:
			l.problem(i, t, false)
			return l.skip(i), false
		}
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(strings.TrimSpace(text), 64)
			if ferr != nil || f != float64(int64(f)) {
				l.problem(i, t, false)
				return e, false
			}
			n = int64(f)
		}
		if v.OverflowInt(n) {
			l.problem(i, t, false)
			return e, false
		}
		v.SetInt(n)
		if c == '"' {
			l.problem(i, t, true)
		}
		return e, true
	case reflect.Float32, reflect.Float64:
		var text string
		e := 0
		switch {
		case c == '-' || c >= '0' && c <= '9':
			e = l.literal(i)
			text = string(l.d[i:e])
		case c == '"':
			text, e = l.str(i)
		default:
			l.problem(i, t, false)
			return l.skip(i), false
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			l.problem(i, t, false)
			return e, false
		}
		v.SetFloat(f)
		if c == '"' {
			l.problem(i, t, true)
		}
		return e, true
	case reflect.Pointer:
		if !v.IsNil() {
			return l.value(i, v.Elem())
		}
		n := reflect.New(t.Elem())
		e, ok := l.value(i, n.Elem())
		if ok {
			v.Set(n)
		}
		return e, ok
	case reflect.Struct:
		switch c {
		case '{':
			return l.object(i, v), true
		case '[':
			return l.firstOf(i, v)
		}
		l.problem(i, t, false)
		return l.skip(i), false
	case reflect.Slice:
		if c == '[' {
			return l.array(i, v), true
		}
		// One value where a list belongs: a list of one.
		elem := reflect.New(t.Elem()).Elem()
		e, ok := l.value(i, elem)
		if !ok {
			return e, false
		}
		v.Set(reflect.Append(v.Slice(0, 0), elem))
		l.problem(i, t, true)
		return e, true
	case reflect.Interface, reflect.Map:
		e := l.skip(i)
		if err := json.Unmarshal(l.d[i:e], v.Addr().Interface()); err != nil {
			l.problem(i, t, false)
			return e, false
		}
		return e, true
	}
	l.problem(i, t, false)
	return l.skip(i), false
}

// firstOf reads the first element of the list at i into v, which holds one
// value: the rest of the list is skipped.
func (l *lenient) firstOf(i int, v reflect.Value) (int, bool) {
	l.problems = append(l.problems, l.makeProblem(i, v.Type(), true))
	mark := len(l.problems) - 1
	l.enter(i)
	defer l.leave()
	i = l.ws(i + 1)
	ok := false
	for n := 0; l.at(i) != ']'; n++ {
		if n == 0 {
			l.path = append(l.path, pathSeg{idx: 0})
			i, ok = l.value(i, v)
			l.path = l.path[:len(l.path)-1]
		} else {
			i = l.skip(i)
		}
		i = l.ws(i)
		if l.at(i) == ',' {
			i = l.ws(i + 1)
		} else if l.at(i) != ']' {
			l.fail(i)
		}
	}
	if !ok {
		// An empty list, or a first value that was no better: the field is
		// left out.
		l.problems[mark].Kept = false
	}
	return i + 1, ok
}

func (l *lenient) enter(i int) {
	if l.depth++; l.depth > maxLenientDepth {
		l.fail(i)
	}
}

func (l *lenient) leave() { l.depth-- }

// object reads the object at i into the struct v.
func (l *lenient) object(i int, v reflect.Value) int {
	l.enter(i)
	defer l.leave()
	plan := planFor(v.Type())
	d := l.d
	i = l.ws(i + 1)
	if l.at(i) == '}' {
		return i + 1
	}
	for {
		if l.at(i) != '"' {
			l.fail(i)
		}
		ke := l.skipString(i)
		key := d[i+1 : ke-1]
		i = l.ws(ke)
		if l.at(i) != ':' {
			l.fail(i)
		}
		i = l.ws(i + 1)
		if bytes.IndexByte(key, '\\') >= 0 {
			key = []byte(unescape(key))
		}
		if f, ok := plan.fields[string(key)]; ok {
			l.path = append(l.path, pathSeg{key: key, idx: -1})
			fv := v.Field(f[0])
			for _, x := range f[1:] {
				fv = fv.Field(x)
			}
			i, _ = l.value(i, fv)
			l.path = l.path[:len(l.path)-1]
		} else {
			i = l.skip(i)
		}
		i = l.ws(i)
		switch l.at(i) {
		case ',':
			i = l.ws(i + 1)
		case '}':
			return i + 1
		default:
			l.fail(i)
		}
	}
}

// array reads the list at i into the slice v; elements that are null or of
// the wrong type are left out of it.
func (l *lenient) array(i int, v reflect.Value) int {
	l.enter(i)
	defer l.leave()
	if v.Len() > 0 {
		v.SetLen(0)
	}
	i = l.ws(i + 1)
	if l.at(i) == ']' {
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0)) // [] is an empty list, not none (as encoding/json reads it)
		}
		return i + 1
	}
	n := 0
	for k := 0; ; k++ {
		if n >= v.Cap() {
			nv := reflect.MakeSlice(v.Type(), n, max(2, 2*v.Cap()))
			reflect.Copy(nv, v)
			v.Set(nv)
		}
		v.SetLen(n + 1)
		l.path = append(l.path, pathSeg{idx: k})
		e, ok := l.value(i, v.Index(n))
		l.path = l.path[:len(l.path)-1]
		if ok {
			n++
		} else {
			v.Index(n).SetZero()
			v.SetLen(n)
		}
		i = l.ws(e)
		switch l.at(i) {
		case ',':
			i = l.ws(i + 1)
		case ']':
			return i + 1
		default:
			l.fail(i)
		}
	}
}

func (l *lenient) problem(i int, want reflect.Type, kept bool) {
	l.problems = append(l.problems, l.makeProblem(i, want, kept))
}

func (l *lenient) makeProblem(i int, want reflect.Type, kept bool) FieldProblem {
	var b strings.Builder
	b.WriteString(l.root)
	for _, s := range l.path {
		if s.idx >= 0 {
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
			continue
		}
		b.WriteByte('.')
		b.WriteString(strings.ToValidUTF8(string(s.key), "?"))
	}
	return FieldProblem{Field: b.String(), Found: jsonTypeAt(l.d[i]), Want: typeWord(want), Kept: kept}
}

// jsonTypeAt names the JSON type of the value starting with c.
func jsonTypeAt(c byte) string {
	switch c {
	case '"':
		return "text"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "true or false"
	}
	return "a number"
}

// typeWord names what FHIR has for a field of Go type t.
func typeWord(t reflect.Type) string {
	if t == numberType {
		return "a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Pointer:
		return typeWord(t.Elem())
	}
	return "an object"
}

// isNumber reports whether b is a JSON number.
func isNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == start || b[start] == '0' && i-start > 1 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		f := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == f {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		f := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == f {
			return false
		}
	}
	return i == len(b)
}

// structPlan maps a struct's JSON keys to its fields (index paths through
// embedded structs, whose fields are promoted as encoding/json does).
type structPlan struct {
	fields map[string][]int
}

var plans sync.Map // reflect.Type → *structPlan

func planFor(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{fields: map[string][]int{}}
	addFields(p, t, nil)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

func addFields(p *structPlan, t reflect.Type, prefix []int) {
	var embedded [][]int
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		idx := append(append([]int{}, prefix...), i)
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			embedded = append(embedded, idx)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		p.fields[name] = idx
	}
	// Promoted fields never hide the struct's own.
	for _, idx := range embedded {
		sub := &structPlan{fields: map[string][]int{}}
		addFields(sub, t.FieldByIndex(idx).Type, idx)
		for k, v := range sub.fields {
			if _, own := p.fields[k]; !own {
				p.fields[k] = v
			}
		}
	}
}
