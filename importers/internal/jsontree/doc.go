// Package jsontree is the JSON the importers build and edit: a tree of
// plain Go values whose objects keep their members in order.
//
// encoding/json decodes an object into a map, which forgets the order its
// members were written in, and encodes a map with its keys sorted. An
// importer needs neither: a FHIR resource it converts should read like the
// original (resourceType first, then id, meta, ...), and a resource it
// builds from a C-CDA document must come out as the same bytes every time,
// so that reading a file twice gives the same batch. An [Object] is a list
// of members, in the order they were set, and [Append] writes them in that
// order.
//
// # The tree
//
// A tree is made of these values, and only these:
//
//	JSON     Go
//	null     nil
//	true     bool
//	1.50     json.Number, kept as written ("1.50" stays "1.50", never 1.5)
//	"text"   string
//	[...]    []any, or []string for a list of strings
//	{...}    *Object
//	         int, written as a decimal integer (built trees only)
//
// [Parse] makes a tree of nil, bool, json.Number, string, []any and
// *Object; code that builds a tree may also use []string and int.
//
// # Building and editing
//
// [New] starts an object from key, value pairs. [Object.Set] adds a
// member at the end or replaces the value of one already there, in its
// place; [Object.SetNonEmpty] does the same unless the value is empty (see
// [IsEmpty]), which lets mapping code copy optional fields without a check
// at every line. [Object.Insert] and [Object.SetAfter] put a new member at
// a given place, [Object.Rename] changes a key where it stands, and
// [Object.Delete] takes a member out.
//
// The readers [Object.Get], [Object.Str], [Object.Obj], [Object.Array] and
// [Object.Objects] never fail: a missing member, or one of another type,
// reads as the zero value. All of them accept a nil *Object.
//
// # Writing
//
// [Append] writes a tree as compact JSON (no spaces, no newlines), escaping
// in strings only what JSON requires: the quotation mark, the reverse
// solidus and the control characters below U+0020. It does not escape
// '<', '>' and '&' the way encoding/json does, and copies every other byte
// as it is, so text that was valid UTF-8 comes back unchanged.
//
// [AppendUTF8] writes the same JSON, except that its strings are always
// valid UTF-8, whatever the Go strings held: a byte that is not part of a
// UTF-8 sequence becomes U+FFFD, and the line and paragraph separators
// U+2028 and U+2029 are escaped (\u2028, \u2029) so the output can also be
// pasted into JavaScript. Use it for text taken from documents whose
// encoding cannot be trusted.
//
// # Reading
//
// [Parse] reads one JSON value into a tree. It is meant for input that
// importers.CheckJSON has already accepted (depth, size, UTF-8, duplicate
// keys): it keeps every member it is given, in order, duplicates included.
package jsontree
