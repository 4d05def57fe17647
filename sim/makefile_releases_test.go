package sim_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

// make test builds the releases the process tests run ahead of them, in
// NATS_RELEASES's order: first the one compiled into natschaos (a link of
// what the tests compile), then the older ones the process tests run.
func TestMakefileReleasesStartWithTheEmbeddedOne(t *testing.T) {
	data, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^NATS_RELEASES\s*:=\s*(.+)$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("the Makefile sets no NATS_RELEASES")
	}
	releases := strings.Fields(string(m[1]))
	if releases[0] != "v"+sim.EmbeddedVersion {
		t.Errorf("NATS_RELEASES starts with %s; the embedded release is v%s", releases[0], sim.EmbeddedVersion)
	}
	for _, v := range []string{previousMinor, previousPatch} {
		if !strings.Contains(" "+string(m[1])+" ", " "+v+" ") {
			t.Errorf("NATS_RELEASES %q lacks %s, which the process tests run", m[1], v)
		}
	}
}
