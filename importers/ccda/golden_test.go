package ccda

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kinfolio/kinfolio/importers/internal/goldentest"
	"github.com/kinfolio/kinfolio/record"
)

// goldenDocs are the documents whose normalized entries are kept as
// goldens: at least one per vendor, C-CDA and C32.
var goldenDocs = []string{
	"ccda/allscripts/C-CDA_101646_20130617114506_Everyman_Adam.xml",
	"ccda/cerner/Transition_of_Care_Referral_Summary.xml",
	"ccda/greenway/26775_ClinicalVisitSummary_CCDA.xml",
	"ccda/hl7-c-cda-examples/CCD_1.XML",
	"ccda/hl7-c-cda-examples/Discharge_Summary.xml",
	"ccda/hl7-c-cda-examples/Care_Plan.xml",
	"ccda/kareo/Kareo_SummaryOfCare_export_Joey_Miller.xml",
	"ccda/nextgen/CCDA_Sample_NextGen_JonesIsabella.txt",
	"ccda/nist-ett/CCDA_CCD_b1_Ambulatory_v2.xml",
	"ccda/onc-intellichart/Transition_Of_Care_Ambulatory_for_Jeremy_Bates.xml",
	"ccda/onc-meditech-magic/Test1_LarsonDSSample1.xml",
	"ccda/onc-netsmart-myavatar/Bates_Referral_Note.xml",
	"ccda/practicefusion/AdamEveryman-ReferralSummary.xml",
	"c32-ccd/hl7-ccd-r1/SampleCCDDocument.xml",
	"c32-ccd/kareo/Kareo_CCD_export_Joey_Miller.ccd",
	"c32-ccd/va-c32/VA_CCD_Sample_File_Version_12_5_1.xml",
}

// golden is what a golden file holds: where the document came from, whose
// it is, the entries a user sees (each with the resource behind it), and
// the report.
type golden struct {
	Source   record.Source  `json:"source"`
	Version  string         `json:"version"`
	Person   record.Person  `json:"person"`
	Entries  []record.Entry `json:"entries"`
	Skipped  []record.Skip  `json:"skipped"`
	Warnings []string       `json:"warnings"`
}

// normalize projects every resource of a batch, as the vault would.
func normalize(t testing.TB, b *record.Batch) golden {
	t.Helper()
	g := golden{Source: b.Source, Version: b.Report.Version, Skipped: b.Report.Skipped, Warnings: b.Report.Warnings}
	g.Source.SHA256, g.Source.Size = "", 0
	g.Person = b.Patients[0].Person
	resolve := resolver(b)
	for _, r := range b.Patients[0].Resources {
		e, ok, err := record.Project(r, resolve)
		if err != nil {
			t.Fatalf("%s: %v", r.Ref(), err)
		}
		if !ok {
			continue
		}
		e.Resources = []record.ResourceRef{{Type: r.Type, ID: r.ID}}
		g.Entries = append(g.Entries, e)
	}
	return g
}

func TestRead_Golden(t *testing.T) {
	vendors := map[string]bool{}
	for _, doc := range goldenDocs {
		vendors[strings.Split(doc, "/")[1]] = true
		name := strings.ReplaceAll(strings.TrimSuffix(doc, filepath.Ext(doc)), "/", "_") + ".golden.json"
		t.Run(doc, func(t *testing.T) {
			b := readFile(t, filepath.Join("testdata/corpus", doc))
			goldentest.JSON(t, filepath.Join("testdata/golden", name), normalize(t, b))
		})
	}
	if len(vendors) < 6 {
		t.Errorf("goldens cover %d sources, want at least 6", len(vendors))
	}
}
