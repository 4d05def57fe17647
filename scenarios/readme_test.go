package scenarios_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// README's Layout table names every package outside internal/ and docs/
// that has code, so a package split out or added is described there.
func TestReadmeLayoutNamesEveryPackage(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, layout, ok := strings.Cut(string(readme), "\n## Layout\n")
	if !ok {
		t.Fatal("README has no Layout section")
	}
	layout, _, _ = strings.Cut(layout, "\n## ")
	seen := map[string]bool{}
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, "../"))
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "testdata" || d.Name() == "internal" || rel == "docs") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || d.Name() == "doc.go" {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		if seen[pkg] {
			return nil
		}
		seen[pkg] = true
		if !strings.Contains(layout, "| `"+pkg+"` |") {
			t.Errorf("README's Layout table does not name %s (%s)", pkg, rel)
		}
		return nil
	})
	if err != nil || len(seen) < 10 {
		t.Fatalf("found %d packages: %v", len(seen), err)
	}
}
