package scenarios

import (
	"strings"
	"testing"
)

// leaf.<key> varies any key of the leafnodes section; a scenario
// without one refuses it.
func TestLeafAxis(t *testing.T) {
	a, err := ParseAxis("leaf.reconnect_spread=1s,4s")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseAxis("leaf.reconect=1s"); err == nil || !strings.Contains(err.Error(), `unknown leafnodes key "reconect"`) {
		t.Errorf("misspelt key: %v", err)
	}
	if _, err := ParseAxis("leaf.reconnect=fast"); err == nil {
		t.Error("a bad value was accepted")
	}
	src := "name: t\ncluster:\n  servers: [A, B]\nleafnodes: {count: 4}\n"
	sc, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := applyLeafSetting(sc, Setting{a.Key, "4s"}); err != nil || sc.LeafNodes.ReconnectSpread == nil || sc.LeafNodes.ReconnectSpread.String() != "4s" {
		t.Errorf("applied: %v, spread %v", err, sc.LeafNodes.ReconnectSpread)
	}
	bare, _ := Parse("t.yaml", []byte("name: t\ncluster:\n  servers: [A]\n"))
	if err := applyLeafSetting(bare, Setting{a.Key, "4s"}); err == nil {
		t.Error("a scenario without leaves took a leaf setting")
	}
}
