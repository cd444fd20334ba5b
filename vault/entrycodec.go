package vault

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"

	"github.com/kinfolio/kinfolio/record"
)

// Entries are kept in a compact binary form rather than JSON: the whole
// index is decoded at every unlock, and this is several times faster to
// read and about half the size. Every field of record.Entry is written (a
// test fills each field by reflection and checks the round trip, so a field
// added to record.Entry cannot be dropped silently).

const entryEncoding = 1

var errEntryCodec = errors.New("malformed entry record")

type enc struct{ b []byte }

func (e *enc) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

// id writes a string that is usually one of the vault's ids (32 hex
// digits) in 17 bytes instead of 33.
func (e *enc) id(s string) {
	if k, ok := idKey(s); ok && fmtID(k) == s {
		e.b = append(e.b, 0xff)
		e.b = append(e.b, k...)
		return
	}
	e.str(s)
}

func (e *enc) n(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

func (e *enc) date(d record.Date) { e.str(d.String()) }

func (e *enc) codes(cs []record.Coding) {
	e.n(len(cs))
	for _, c := range cs {
		e.str(c.System)
		e.str(c.Code)
		e.str(c.Display)
	}
}

func (e *enc) strs(ss []string) {
	e.n(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func encodeEntry(x *record.Entry) []byte {
	e := &enc{b: make([]byte, 0, 256)}
	e.b = append(e.b, entryEncoding)
	e.id(x.ID)
	e.id(x.Profile)
	e.str(string(x.Kind))
	e.str(x.Title)
	e.date(x.Date)
	e.date(x.End)
	for _, s := range []string{x.Status, x.Value, x.Unit} {
		e.str(s)
	}
	if x.Range == nil {
		e.b = append(e.b, 0)
	} else {
		var flags byte = 1
		if x.Range.Low != nil {
			flags |= 2
		}
		if x.Range.High != nil {
			flags |= 4
		}
		e.b = append(e.b, flags)
		if x.Range.Low != nil {
			e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(*x.Range.Low))
		}
		if x.Range.High != nil {
			e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(*x.Range.High))
		}
		e.str(x.Range.Text)
	}
	e.str(x.Interpretation)
	e.codes(x.Codes)
	for _, s := range []string{x.Category, x.Dosage, x.Reason} {
		e.str(s)
	}
	e.strs(x.Reactions)
	for _, s := range []string{x.Severity, x.Place, x.Performer, x.Note} {
		e.str(s)
	}
	e.n(len(x.Components))
	for _, c := range x.Components {
		e.str(c.Title)
		e.codes(c.Codes)
		e.str(c.Value)
		e.str(c.Unit)
	}
	e.n(len(x.Sources))
	for _, s := range x.Sources {
		e.id(s)
	}
	e.n(len(x.Resources))
	for _, r := range x.Resources {
		e.id(r.Source)
		e.str(r.Type)
		e.str(r.ID)
	}
	if x.Conflict {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
	return e.b
}

type dec struct {
	b   []byte
	err error
	// strs interns short strings (kinds, code systems, units, source and
	// profile ids repeat across entries) when set.
	intern map[string]string
}

func (d *dec) n() int {
	if d.err != nil {
		return 0
	}
	v, w := binary.Uvarint(d.b)
	if w <= 0 || v > uint64(len(d.b)) {
		d.err = errEntryCodec
		return 0
	}
	d.b = d.b[w:]
	return int(v)
}

// str reads a string that is usually unique (an id, a value).
func (d *dec) str() string {
	n := d.n()
	if d.err != nil || n > len(d.b) {
		d.err = errEntryCodec
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// id reads what enc.id wrote.
func (d *dec) id(shared bool) string {
	if d.err == nil && len(d.b) > 0 && d.b[0] == 0xff {
		if len(d.b) < 17 {
			d.err = errEntryCodec
			return ""
		}
		raw := d.b[1:17]
		d.b = d.b[17:]
		if shared && d.intern != nil {
			var buf [32]byte
			hex.Encode(buf[:], raw)
			if s, ok := d.intern[string(buf[:])]; ok {
				return s
			}
			s := string(buf[:])
			d.intern[s] = s
			return s
		}
		return fmtID(raw)
	}
	if shared {
		return d.shared()
	}
	return d.str()
}

// shared reads a string that many entries share (a kind, a code system, a
// unit, a source id), interning it when the decoder interns.
func (d *dec) shared() string {
	n := d.n()
	if d.err != nil || n > len(d.b) {
		d.err = errEntryCodec
		return ""
	}
	raw := d.b[:n]
	d.b = d.b[n:]
	if d.intern == nil || n > 80 {
		return string(raw)
	}
	if s, ok := d.intern[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if len(d.intern) < 1<<14 {
		d.intern[s] = s
	}
	return s
}

func (d *dec) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errEntryCodec
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *dec) float() *float64 {
	if d.err != nil || len(d.b) < 8 {
		d.err = errEntryCodec
		return nil
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return &f
}

func (d *dec) date() record.Date {
	s := d.str()
	if s == "" {
		return record.Date{}
	}
	t, err := record.ParseDate(s)
	if err != nil {
		d.err = errEntryCodec
	}
	return t
}

func (d *dec) codes() []record.Coding {
	n := d.n()
	if n == 0 {
		return nil
	}
	cs := make([]record.Coding, 0, min(n, 64))
	for range n {
		if d.err != nil {
			return nil
		}
		cs = append(cs, record.Coding{System: d.shared(), Code: d.shared(), Display: d.shared()})
	}
	return cs
}

func (d *dec) strs() []string {
	n := d.n()
	if n == 0 {
		return nil
	}
	ss := make([]string, 0, min(n, 64))
	for range n {
		if d.err != nil {
			return nil
		}
		ss = append(ss, d.shared())
	}
	return ss
}

func decodeEntryBytes(b []byte) (*record.Entry, error) { return decodeEntryInterned(b, nil) }

// decodeEntryInterned decodes an entry, sharing the short strings it has in
// common with earlier entries through strs (nil: no sharing).
func decodeEntryInterned(b []byte, strs map[string]string) (*record.Entry, error) {
	d := &dec{b: b, intern: strs}
	if d.byte() != entryEncoding {
		return nil, errEntryCodec
	}
	x := &record.Entry{}
	x.ID, x.Profile, x.Kind, x.Title = d.id(false), d.id(true), record.Kind(d.shared()), d.shared()
	x.Date, x.End = d.date(), d.date()
	x.Status, x.Value, x.Unit = d.shared(), d.str(), d.shared()
	if flags := d.byte(); flags&1 != 0 {
		x.Range = &record.RefRange{}
		if flags&2 != 0 {
			x.Range.Low = d.float()
		}
		if flags&4 != 0 {
			x.Range.High = d.float()
		}
		x.Range.Text = d.shared()
	}
	x.Interpretation = d.shared()
	x.Codes = d.codes()
	x.Category, x.Dosage, x.Reason = d.shared(), d.shared(), d.shared()
	x.Reactions = d.strs()
	x.Severity, x.Place, x.Performer, x.Note = d.shared(), d.shared(), d.shared(), d.str()
	if n := d.n(); n > 0 {
		x.Components = make([]record.Component, 0, min(n, 64))
		for range n {
			if d.err != nil {
				break
			}
			c := record.Component{Title: d.shared()}
			c.Codes = d.codes()
			c.Value, c.Unit = d.str(), d.shared()
			x.Components = append(x.Components, c)
		}
	}
	if n := d.n(); n > 0 {
		x.Sources = make([]string, 0, min(n, 64))
		for range n {
			if d.err != nil {
				break
			}
			x.Sources = append(x.Sources, d.id(true))
		}
	}
	if n := d.n(); n > 0 {
		x.Resources = make([]record.ResourceRef, 0, min(n, 64))
		for range n {
			if d.err != nil {
				break
			}
			x.Resources = append(x.Resources, record.ResourceRef{Source: d.id(true), Type: d.shared(), ID: d.str()})
		}
	}
	x.Conflict = d.byte() == 1
	if d.err != nil || len(d.b) != 0 {
		return nil, errEntryCodec
	}
	return x, nil
}
