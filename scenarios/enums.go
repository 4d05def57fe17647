package scenarios

// The closed vocabularies of the format. Each list is in the order the
// contract documents it; validation and the JSON Schema both read these.

// ClusterTopology says how servers are told about each other's routes.
type ClusterTopology string

const (
	// TopologyFull: every server lists every route (the docs' first example).
	TopologyFull ClusterTopology = "full"
	// TopologySeed: every server routes only to the first one; gossip forms
	// the mesh.
	TopologySeed ClusterTopology = "seed"
)

// Topologies lists the valid topologies.
var Topologies = []ClusterTopology{TopologyFull, TopologySeed}

// FaultKind is a kind of network fault on a proxied link: a kind
// registered in faults (FaultKinds lists them). The constants name the
// built-in ones for Go code.
type FaultKind string

const (
	FaultLatency   FaultKind = "latency"
	FaultBandwidth FaultKind = "bandwidth"
	FaultTimeout   FaultKind = "timeout"
	FaultResetPeer FaultKind = "reset_peer"
	FaultSlicer    FaultKind = "slicer"
	FaultLimitData FaultKind = "limit_data"
	FaultSlowClose FaultKind = "slow_close"
	FaultDown      FaultKind = "down"
)

// Direction is the direction of a link a fault applies to: upstream is
// towards the server, downstream towards the client (or the dialling route).
type Direction string

const (
	DirectionUpstream   Direction = "upstream"
	DirectionDownstream Direction = "downstream"
	DirectionBoth       Direction = "both"
)

// Directions lists the valid directions.
var Directions = []Direction{DirectionUpstream, DirectionDownstream, DirectionBoth}

// PartitionMode is how a partition cuts routes.
type PartitionMode string

const (
	// PartitionClose resets the cut links at once (the default).
	PartitionClose PartitionMode = "close"
	// PartitionStall silently drops traffic; servers find out by pings.
	PartitionStall PartitionMode = "stall"
)

// PartitionModes lists the valid partition modes.
var PartitionModes = []PartitionMode{PartitionClose, PartitionStall}

// WaitCondition is what a wait step waits for.
type WaitCondition string

const (
	WaitMesh       WaitCondition = "mesh"
	WaitDiscovered WaitCondition = "discovered"
	WaitConnected  WaitCondition = "connected"
	WaitBalanced   WaitCondition = "balanced"
	// WaitHealed: every fault, partition and freeze with a duration has
	// ended (run_durations.go).
	WaitHealed WaitCondition = "healed"
	// WaitJSCurrent: every stream has a leader and every replica is
	// current (jetstream_types.go).
	WaitJSCurrent WaitCondition = "js_current"
)

// WaitConditions lists the valid wait conditions.
var WaitConditions = []WaitCondition{WaitMesh, WaitDiscovered, WaitConnected, WaitBalanced, WaitHealed, WaitJSCurrent}

// Property names an expectation: its key under `expect`, its name in
// report.json, and what `check` steps list.
type Property string

const (
	PropMesh         Property = "mesh"
	PropDiscovery    Property = "discovery"
	PropBalance      Property = "balance"
	PropReconnect    Property = "reconnect"
	PropNoLoss       Property = "no_loss"
	PropNoDuplicates Property = "no_duplicates"
	PropOrdered      Property = "ordered"
	PropHerd         Property = "herd"
	PropServerLists  Property = "server_lists" // added after the contract
	// PropAuthConsistent is not in the contract: types_security.go.
	PropAuthConsistent Property = "auth_consistent"
)

// Property returns the property a wait condition waits for, the name a timed
// out wait is reported under (connected counts as reconnect, discovered as
// discovery, balanced as balance).
func (w WaitCondition) Property() Property {
	switch w {
	case WaitMesh:
		return PropMesh
	case WaitDiscovered:
		return PropDiscovery
	case WaitConnected:
		return PropReconnect
	case WaitBalanced:
		return PropBalance
	case WaitJSCurrent:
		return PropJSNoLoss
	}
	return Property(w)
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func oneOf[T ~string](v T, vs []T) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
