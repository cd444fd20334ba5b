package ccda_test

import (
	"context"
	"fmt"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/ccda"
	"github.com/kinfolio/kinfolio/record"
)

func ExampleReader() {
	doc := `<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>
  <id root="2.16.840.1.113883.19.5" extension="doc-1"/>
  <title>Visit summary</title>
  <effectiveTime value="20140203"/>
  <recordTarget><patientRole><patient>
    <name><given>Ann</given><family>Lee</family></name><birthTime value="19800101"/>
  </patient></patientRole></recordTarget>
  <author><assignedAuthor><representedOrganization><name>Greenway Medical</name></representedOrganization></assignedAuthor></author>
  <component><structuredBody><component><section>
    <templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
    <title>Problems</title>
    <text><content ID="p1">High blood pressure</content></text>
    <entry><act classCode="ACT" moodCode="EVN">
      <templateId root="2.16.840.1.113883.10.20.22.4.3"/>
      <statusCode code="active"/>
      <entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">
        <templateId root="2.16.840.1.113883.10.20.22.4.4"/>
        <code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
        <effectiveTime><low value="2012"/></effectiveTime>
        <value xsi:type="CD" code="38341003" codeSystem="2.16.840.1.113883.6.96">
          <originalText><reference value="#p1"/></originalText>
        </value>
      </observation></entryRelationship>
    </act></entry>
  </section></component></structuredBody></component>
</ClinicalDocument>`
	b, err := new(ccda.Reader).Read(context.Background(), importers.BytesInput("visit.xml", []byte(doc)), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, from %s, %s\n", b.Patients[0].Person.Name, b.Source.Author, b.Source.DocumentDate.Human())
	for _, r := range b.Patients[0].Resources {
		if e, ok, err := record.Project(r, nil); err == nil && ok {
			fmt.Printf("%s: %s (%s, since %s)\n", e.Kind, e.Title, e.Status, e.Date.Human())
		}
	}
	fmt.Println("skipped:", len(b.Report.Skipped))
	// Output:
	// Ann Lee, from Greenway Medical, 3 Feb 2014
	// condition: High blood pressure (active, since 2012)
	// document: Visit summary (final, since 3 Feb 2014)
	// skipped: 0
}
