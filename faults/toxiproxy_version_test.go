package faults

import (
	"os/exec"
	"strings"
	"testing"
)

// ToxiproxyVersion names the release the external-target tests build as a
// server; it must be the library go.mod requires, which the layer links.
func TestToxiproxyVersionIsGoMods(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "github.com/Shopify/toxiproxy/v2").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != ToxiproxyVersion {
		t.Fatalf("ToxiproxyVersion is %s, go.mod requires %s", ToxiproxyVersion, got)
	}
}
