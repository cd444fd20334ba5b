package fhir

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/kinfolio/kinfolio/importers/internal/jsontree"
)

// pharmacyFills makes a MedicationDispense for each drug of a pharmacy
// claim (a Blue Button "PDE" or any claim of type pharmacy), so the fills
// show among the medications. The claim itself stays as it is; each fill
// names it in supportingInformation and is reported as derived from it.
func pharmacyFills(eob *item) []*item {
	t, err := jsontree.Parse(eob.raw)
	if err != nil {
		return nil
	}
	r, _ := t.(*obj)
	if r == nil || !isPharmacy(r.Obj("type")) {
		return nil
	}
	daysSupply := supportingQuantity(r, "dayssupply")
	var out []*item
	for k, it := range r.Objects("item") {
		drug := it.Obj("productOrService")
		if drug == nil || len(drug.Objects("coding")) == 0 && drug.Str("text") == "" {
			continue
		}
		id := eob.id + "-fill"
		if k > 0 {
			id += "-" + strconv.Itoa(k+1)
		}
		if len(id) > 64 {
			id = id[len(id)-64:]
		}
		d := jsontree.New("resourceType", "MedicationDispense", "id", id)
		status := "completed"
		if eob.id != "" && r.Str("status") == "entered-in-error" {
			status = "entered-in-error"
		}
		d.Set("status", status)
		d.Set("medicationCodeableConcept", drug)
		if p := r.Get("patient"); p != nil {
			d.Set("subject", p)
		}
		if f := r.Get("facility"); f != nil {
			d.Set("performer", []any{jsontree.New("actor", f)})
		} else if p := r.Get("provider"); p != nil {
			d.Set("performer", []any{jsontree.New("actor", p)})
		}
		if q := it.Get("quantity"); q != nil {
			d.Set("quantity", q)
		}
		if daysSupply != nil {
			d.Set("daysSupply", daysSupply)
		}
		when := it.Str("servicedDate")
		if when == "" {
			if sp := it.Obj("servicedPeriod"); sp != nil {
				when = sp.Str("start")
			}
		}
		if when != "" {
			d.Set("whenHandedOver", when)
		}
		d.Set("supportingInformation", []any{jsontree.New("reference", "ExplanationOfBenefit/"+eob.id)})
		out = append(out, &item{
			path:    eob.path + ".item[" + strconv.Itoa(k) + "]",
			raw:     jsontree.Append(nil, d),
			derived: eob.path,
			bb2:     eob.bb2,
		})
	}
	return out
}

func isPharmacy(t *obj) bool {
	for _, c := range t.Objects("coding") {
		switch code := c.Str("code"); {
		case strings.EqualFold(code, "pharmacy"), code == "PDE":
			return true
		}
	}
	return false
}

// supportingQuantity returns the valueQuantity of the supportingInfo whose
// category code is code ("dayssupply").
func supportingQuantity(r *obj, code string) any {
	for _, si := range r.Objects("supportingInfo") {
		for _, c := range si.Obj("category").Objects("coding") {
			if strings.EqualFold(c.Str("code"), code) {
				if q := si.Obj("valueQuantity"); q != nil {
					if _, ok := q.Get("value").(json.Number); ok {
						return q
					}
				}
			}
		}
	}
	return nil
}
