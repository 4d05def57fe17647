package sim

// Leaf events. A leaf server's lifecycle mirrors a cluster server's under
// kinds of its own, so the hub's mesh, balance and reconnect judgements
// never count leaves as hub servers.
const (
	// LeafStart: Server (the leaf), Version, ID, Detail "start" |
	// "restart", Known (the hub servers its remote is configured with).
	LeafStart    Kind = "leaf_start"
	LeafStop     Kind = "leaf_stop"      // Server: a graceful shutdown began
	LeafKill     Kind = "leaf_kill"      // Server: abrupt death
	LeafLameDuck Kind = "leaf_lame_duck" // Server: lame duck mode entered
	LeafExit     Kind = "leaf_exit"      // Server: the leaf is gone
	// LeafObserve: Server (the leaf), Clients (its own client count),
	// SlowConsumers; recorded when they change.
	LeafObserve Kind = "leaf_observe"
	// LeafUp and LeafDown are one leaf link appearing and going, as the
	// servers report it (Leafz), polled: Server is the leaf, Target the
	// hub server, Count the connection id on the reporting side, Detail
	// the side that reported it ("leaf" or "hub"). Each side reports its
	// own view: a hub sees a link accepted when the leaf's handshake
	// completes, a leaf sees it once the hub answered.
	LeafUp   Kind = "leaf_up"
	LeafDown Kind = "leaf_down"
)

// Sides of a leaf link, in LeafUp and LeafDown's Detail.
const (
	LeafSideLeaf = "leaf"
	LeafSideHub  = "hub"
)

// leafKinds maps a leaf's own cluster events onto the leaf kinds; events
// of other kinds from a leaf's cluster are not recorded.
var leafKinds = map[Kind]Kind{
	ServerStart:    LeafStart,
	ServerStop:     LeafStop,
	ServerKill:     LeafKill,
	ServerLameDuck: LeafLameDuck,
	ServerExit:     LeafExit,
	Observe:        LeafObserve,
}
