package scenarios_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/natschaos/natschaos/scenarios"
)

// Every YAML example in the README parses and validates: users copy them.
func TestReadmeExamplesValidate(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(b, -1)
	if len(blocks) == 0 {
		t.Fatal("no yaml example in README.md")
	}
	for i, m := range blocks {
		if _, err := scenarios.Parse("README.md example", m[1]); err != nil {
			t.Errorf("example %d:\n%v", i+1, err)
		}
	}
}
