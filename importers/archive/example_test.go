package archive_test

import (
	"context"
	"fmt"

	"github.com/kinfolio/kinfolio/importers"
	"github.com/kinfolio/kinfolio/importers/archive"
	"github.com/kinfolio/kinfolio/importers/ccda"
	"github.com/kinfolio/kinfolio/importers/fhir"
)

// A portal's XDM download read as one package: the C-CDA inside is read by
// the C-CDA reader, the rest is listed as ignored.
func ExampleReader() {
	reg := importers.NewRegistry(fhir.New(), &ccda.Reader{}, archive.New())
	b, err := reg.ReadPath(context.Background(), "testdata/corpus/xdm/direct-project/xd-common_samplexdm.zip", importers.DefaultLimits())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s (%s): %q from %s\n", b.Source.File, b.Source.Format, b.Source.Title, b.Source.Author)
	for _, p := range b.Parts {
		fmt.Printf("read %s as %s: %s\n", p.Source.File, p.Source.Format, p.Patients[0].Person.Name)
	}
	for _, ig := range b.Report.Ignored {
		fmt.Printf("ignored %s\n", ig.Path)
	}
	// Output:
	// xd-common_samplexdm.zip (xdm): "Physical" from Cleveland Clinic
	// read samplexdm/IHE_XDM/SUBSET01/Document01.xml as c32: John Doe
	// ignored samplexdm/IHE_XDM/SUBSET01/CCD.xsl
	// ignored samplexdm/IHE_XDM/SUBSET01/METADATA.xml
	// ignored samplexdm/INDEX.htm
	// ignored samplexdm/README.txt
}
