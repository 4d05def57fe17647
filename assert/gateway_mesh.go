package assert

import (
	"time"

	"github.com/natschaos/natschaos/sim"
)

// GatewayMeshParams are the parameters of `gateway_mesh: {within: 5s}`.
type GatewayMeshParams struct {
	// Within is how long after a change the gateway graph may take to
	// re-form. nats-server redials a lost gateway after about a second.
	Within time.Duration `yaml:"within" json:"within"`
}

// Doc says what the property judges, for the scenario schema.
func (GatewayMeshParams) Doc() string {
	return "In a supercluster, after every change each server has an outbound gateway to every other cluster it can reach, within the bound."
}

// SetDefaults bounds the gateway mesh by 5s: nats-server redials a lost
// gateway after a second.
func (p *GatewayMeshParams) SetDefaults() { p.Within = 5 * time.Second }

// Validate rejects a missing bound: "within 0" could never hold.
func (p GatewayMeshParams) Validate() error {
	if p.Within <= 0 {
		return paramErrorf("within", "must be > 0, got %v", p.Within)
	}
	return nil
}

func init() { Register("gateway_mesh", checkGatewayMesh) }

// checkGatewayMesh: after every change of the gateway graph (a server of
// the supercluster starting, exiting or removed; a partition, freeze, or
// cutting fault on a gateway or server starting or ending), GatewayMesh
// must hold at some observed moment within p.Within, and at the end of
// the steady part. Its subjects are the (server, reachable cluster)
// pairs: a run with one cluster, or in which no two clusters ever ran
// together, has nothing to judge and fails as vacuous.
func checkGatewayMesh(p GatewayMeshParams, events []sim.Event) Result {
	cv := convergence{
		within: p.Within,
		trigger: func(st *State) Change {
			if st.Gateways == nil {
				return Change{}
			}
			return st.Gateways.Change
		},
		relevant: gatewayMeshRelevant,
		holds:    GatewayMesh,
		subjects: gatewayLinksJudged,
	}
	outcomes, end := cv.run(events)
	return cv.verdict("the gateway mesh", "server→cluster gateways", outcomes, end)
}

func gatewayMeshRelevant(ev sim.Event) bool {
	switch ev.Kind {
	case sim.GatewayUp, sim.GatewayDown:
		return true
	}
	return meshRelevant(ev)
}
