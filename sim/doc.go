// Package sim runs NATS clusters and fleets of nats.go clients and records
// everything that happens to them on one timeline.
//
// It is the engine: it knows no file format and passes no judgement. A
// Cluster starts, stops, kills, lame-ducks and restarts servers through a
// Backend (embedded in-process by default) and routes every link through a
// Network (the fault layer, package faults) when given one. A Fleet runs
// groups of clients that publish numbered messages and track what they
// receive. Both write Events to a Timeline, streamed to events.jsonl; the
// checkers in package assert read only that. One Cluster may also run a
// supercluster: servers of several named clusters joined by gateways
// (gateway.go).
//
// It imports no natschaos package but internal/leftovers and
// internal/ports: faults, assert, workers and everything above import it,
// never the reverse.
package sim
