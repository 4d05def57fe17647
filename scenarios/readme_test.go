package scenarios_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
)

// Every whole-scenario YAML example in the user docs parses and
// validates: users copy them. (Fragments, such as the contract's
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
			if _, err := scenarios.Parse(doc+" example", m[1]); err != nil {
				t.Errorf("%s, example %d:\n%v", doc, i+1, err)
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
