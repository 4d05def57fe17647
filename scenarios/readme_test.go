package scenarios_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
)

// Every whole-scenario YAML example in the user docs parses and
// validates without a warning: users copy them. (Fragments, such as the contract's
// subscription list, are checked in parse_test.go.)
func TestDocExamplesValidate(t *testing.T) {
	for _, doc := range []string{"../README.md", "../docs/SCENARIO-FORMAT.md"} {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(b, -1) {
			if !regexp.MustCompile(`(?m)^name:`).Match(m[1]) {
				continue
			}
			n++
			sc, err := scenarios.Parse(doc+" example", m[1])
			if err != nil {
				t.Errorf("%s, example %d:\n%v", doc, i+1, err)
				continue
			}
			for _, w := range sc.Warnings {
				t.Errorf("%s, example %d: %v", doc, i+1, w)
			}
		}
		if n == 0 {
			t.Errorf("%s: no scenario example found", doc)
		}
	}
}

// docs/SCENARIO-FORMAT.md is the project's copy of the shared contract,
// for users of the repository; it must not drift from the original.
func TestContractCopyMatchesShared(t *testing.T) {
	shared, err := os.ReadFile("../../shared/SCENARIO-FORMAT.md")
	if err != nil {
		t.Skip("no shared/ beside the checkout:", err)
	}
	local, err := os.ReadFile("../docs/SCENARIO-FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(shared) != string(local) {
		t.Fatal("docs/SCENARIO-FORMAT.md differs from shared/SCENARIO-FORMAT.md: copy the shared one over")
	}
}

// testdata/contract.yaml is the contract's big example verbatim, so the
// tests that parse and run it (parse_test.go, run_test.go) test what the
// contract shows.
func TestContractTestdataIsTheDocsExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/SCENARIO-FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/SCENARIO-FORMAT.md has no yaml example")
	}
	data, err := os.ReadFile("testdata/contract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(m[1]) != string(data) {
		t.Fatal("testdata/contract.yaml differs from the first example of docs/SCENARIO-FORMAT.md: copy it over")
	}
}
