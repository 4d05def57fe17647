// Package faults puts a proxy in front of every NATS server so a scenario
// can slow, cut, stall or freeze exactly the links it names, and records
// every fault on the timeline.
//
// A Layer implements sim.Network. For each server X it keeps two
// endpoints on fixed 127.0.0.1 ports for X's whole life, restarts
// included: a route proxy RP_X and (with Options.ClientProxies) a client
// proxy CP_X. An endpoint listens only while X can take the connection,
// exactly like X's own socket: RP_X from the moment X's route listener
// exists (RouteListening, while X is still starting), CP_X from Up; both
// shut at Down, so a dial to a dead or unborn X is refused by the kernel
// (see RouteListening for why not earlier or later). The cluster
// advertises them (Cluster.Advertise = RP_X, ClientAdvertise =
// CP_X) and configures routes to proxies only, so gossip never hands out
// a real address and every link, configured or discovered, passes here.
//
//	client ───────────> CP_A ──────────────────────> A's client port   collection client:A
//	A ──dial, CONNECT name=ID(A)──> RP_B ──> B's cluster port          collection route:A>B
//	B ──dial, CONNECT name=ID(B)──> RP_A ──> A's cluster port          collection route:B>A
//
// Every dial from 127.0.0.1 looks alike, so the route proxy learns who
// dials from the route protocol itself: the dialler sends CONNECT at once
// and its "name" is its server ID, which Up registers on every start. The
// proxy reads that line before dialling the server, then passes the link
// (replaying the line), holds it (a partition, a freeze) or refuses it
// (the dialler is down, or a `down` fault). A dial
// whose first line is not a route CONNECT naming a server is refused and
// counted (Unidentified, Err), never passed uncut; a slow dialler is held
// until it identifies itself, however long CPU starvation makes that,
// never cut. RouteDialRecord counts what happened to every route dial.
//
// Links are grouped in toxiproxy ToxicCollections by who dialled whom, so
// a fault on route:A-B is a toxic on exactly route:A>B and route:B>A and
// touches no other pair. The layer runs its own accept loops and reuses
// toxiproxy's per-link pipeline (reader, toxic chain, writer) and toxics;
// its writer never stops draining and its own toxics (natschaos_hold,
// natschaos_timeout, natschaos_limit_data) keep reading after closing a
// link, because stock toxiproxy leaves goroutines blocked in both cases.
// Fault kinds live one per file (kind_*.go) behind a registry (Kind,
// RegisterKind, Kinds): a kind declares its typed parameters (name, type,
// required, default, rule, doc), what it does in the layer (Build) and
// through an external toxiproxy (External). The scenario format, its JSON
// Schema and explore's writer read the declaration, so adding a kind is
// adding its file. Partition and Freeze are built from the same parts.
//
// A link no active fault puts a toxic on skips the chain: one goroutine
// per direction copies socket to socket (pump.go), and moves the link
// onto the chain, unwritten bytes first, when a fault puts a toxic on it.
//
// Cost: each proxied link holds two file descriptors in the layer (the
// accepted socket and the dial to the server) on top of the two ends of
// the link itself, and one goroutine per direction; on the chain, three
// per direction at least (reader, one per toxic in the chain plus
// toxiproxy's hidden first one, writer).
// A route pair carries about four links (three pooled and one for the
// system account); a client is one link. A scenario that injects no
// client-link fault and no freeze can switch client proxies off
// (Options.ClientProxies false): clients then dial servers directly and
// save two descriptors each.
//
// In a supercluster each server also has a gateway endpoint, and gateway
// links are identified by their CONNECT too, after the acceptor's INFO
// (gateway.go).
//
// It owns the proxies, the fault kinds and the fault windows on the
// timeline. It imports sim (and internal/ports, internal/suggest) and no
// other natschaos package: the scenario format, the checkers and the
// reports are above it.
package faults
