package fhir

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
	"github.com/kinfolio/kinfolio/record"
)

// documents hands the C-CDA documents carried inside Binary and
// DocumentReference resources (base64 XML) to the registry, when there is
// one, and returns what it read as parts of the batch. The carrying
// resource is kept either way, as the document it is; a C-CDA the registry
// cannot read is reported as a warning.
func (rd *reading) documents() []*record.Batch {
	var parts []*record.Batch
	for _, it := range rd.items {
		if it.drop || (it.typ != "Binary" && it.typ != "DocumentReference") {
			continue
		}
		for _, att := range attachments(it) {
			if rd.cancelled() != nil {
				return parts
			}
			if !xmlType(att.contentType) || att.data == "" {
				continue
			}
			data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(att.data), ""))
			if err != nil {
				rd.report.Warn(fmt.Sprintf("%s: the attached document is not valid base64; it is kept as it is", att.path))
				continue
			}
			if _, local, ok := importers.SniffXML(data); !ok || local != "ClinicalDocument" {
				continue
			}
			if rd.env.Registry == nil {
				rd.report.Warn(fmt.Sprintf("%s: a C-CDA document is kept as a document (no C-CDA reader here)", att.path))
				continue
			}
			in := importers.BytesInput(rd.name+"/"+att.path, data)
			b, err := rd.env.Registry.Read(rd.ctx, in, rd.lim)
			if err != nil {
				if errors.Is(err, importers.ErrUnknownFormat) {
					rd.report.Warn(fmt.Sprintf("%s: a C-CDA document is kept as a document (no C-CDA reader here)", att.path))
				} else {
					rd.report.Warn(fmt.Sprintf("%s: the C-CDA document inside could not be read (%v); it is kept as a document", att.path, err))
				}
				continue
			}
			parts = append(parts, b)
		}
	}
	return parts
}

type attachment struct {
	path        string
	contentType string
	data        string
}

func attachments(it *item) []attachment {
	t, err := jsontree.Parse(it.raw)
	if err != nil {
		return nil
	}
	r, _ := t.(*obj)
	if r == nil {
		return nil
	}
	if it.typ == "Binary" {
		return []attachment{{path: it.path, contentType: r.Str("contentType"), data: r.Str("data")}}
	}
	var out []attachment
	for k, c := range r.Objects("content") {
		if a := c.Obj("attachment"); a != nil {
			out = append(out, attachment{path: it.path + ".content[" + strconv.Itoa(k) + "].attachment", contentType: a.Str("contentType"), data: a.Str("data")})
		}
	}
	return out
}

func xmlType(ct string) bool {
	ct = strings.ToLower(ct)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	return ct == "" || strings.HasSuffix(ct, "/xml") || strings.HasSuffix(ct, "+xml") || bytes.Contains([]byte(ct), []byte("hl7"))
}
