package fhir

import (
	"encoding/json"
	"strconv"
	"strings"
)

// pharmacyFills makes a MedicationDispense for each drug of a pharmacy
// claim (a Blue Button "PDE" or any claim of type pharmacy), so the fills
// show among the medications. The claim itself stays as it is; each fill
// names it in supportingInformation and is reported as derived from it.
func pharmacyFills(eob *item) []*item {
	t, err := parseTree(eob.raw)
	if err != nil {
		return nil
	}
	r, _ := t.(*obj)
	if r == nil || !isPharmacy(r.obj("type")) {
		return nil
	}
	daysSupply := supportingQuantity(r, "dayssupply")
	var out []*item
	for k, it := range r.objs("item") {
		drug := it.obj("productOrService")
		if drug == nil || len(drug.objs("coding")) == 0 && drug.str("text") == "" {
			continue
		}
		id := eob.id + "-fill"
		if k > 0 {
			id += "-" + strconv.Itoa(k+1)
		}
		if len(id) > 64 {
			id = id[len(id)-64:]
		}
		d := newObj("resourceType", "MedicationDispense", "id", id)
		status := "completed"
		if eob.id != "" && r.str("status") == "entered-in-error" {
			status = "entered-in-error"
		}
		d.set("status", status)
		d.set("medicationCodeableConcept", drug)
		if p := r.get("patient"); p != nil {
			d.set("subject", p)
		}
		if f := r.get("facility"); f != nil {
			d.set("performer", []any{newObj("actor", f)})
		} else if p := r.get("provider"); p != nil {
			d.set("performer", []any{newObj("actor", p)})
		}
		if q := it.get("quantity"); q != nil {
			d.set("quantity", q)
		}
		if daysSupply != nil {
			d.set("daysSupply", daysSupply)
		}
		when := it.str("servicedDate")
		if when == "" {
			if sp := it.obj("servicedPeriod"); sp != nil {
				when = sp.str("start")
			}
		}
		if when != "" {
			d.set("whenHandedOver", when)
		}
		d.set("supportingInformation", []any{newObj("reference", "ExplanationOfBenefit/"+eob.id)})
		out = append(out, &item{
			path:    eob.path + ".item[" + strconv.Itoa(k) + "]",
			raw:     encode(nil, d),
			derived: eob.path,
			bb2:     eob.bb2,
		})
	}
	return out
}

func isPharmacy(t *obj) bool {
	for _, c := range t.objs("coding") {
		switch code := c.str("code"); {
		case strings.EqualFold(code, "pharmacy"), code == "PDE":
			return true
		}
	}
	return false
}

// supportingQuantity returns the valueQuantity of the supportingInfo whose
// category code is code ("dayssupply").
func supportingQuantity(r *obj, code string) any {
	for _, si := range r.objs("supportingInfo") {
		for _, c := range si.obj("category").objs("coding") {
			if strings.EqualFold(c.str("code"), code) {
				if q := si.obj("valueQuantity"); q != nil {
					if _, ok := q.get("value").(json.Number); ok {
						return q
					}
				}
			}
		}
	}
	return nil
}
