package scenarios

import (
	"encoding/json"
	"runtime/debug"

	"github.com/natschaos/natschaos/sim"
)

// versions names what ran, for the timeline and the report.
func versions() string {
	v := map[string]string{"nats-server (embedded)": "v" + sim.EmbeddedVersion}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/nats-io/nats.go" {
				v["nats.go"] = d.Version
			}
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}
