package sim

import "time"

// Kind names what an Event records. The set is closed: checkers switch on it,
// reports render it, and events.jsonl carries it as a string.
type Kind string

// Run and step events, written by the runner.
const (
	RunStart  Kind = "run_start"  // Scenario, Seed, File, ClientsScale, Detail (version info as JSON text)
	RunEnd    Kind = "run_end"    // Detail: "completed" | "interrupted" | "aborted: <why>"
	StepStart Kind = "step_start" // Step (index), Detail (the step as written)
	StepEnd   Kind = "step_end"   // Step, Err when the step failed
	// Expectations: Detail is the JSON list of the run's expectations
	// ([{"name", "params", "warn"}]), so the timeline alone can be judged
	// again later.
	Expectations Kind = "expectations"
	// Verdict: Detail is the JSON of a verdict reached during the run (a
	// wait that timed out, a check step), Step the step that reached it.
	Verdict Kind = "verdict"
)

// Server lifecycle, written by the cluster.
const (
	ServerStart    Kind = "server_start"     // Server, Version, ID, Detail: "start" | "restart"
	ServerStop     Kind = "server_stop"      // Server: a graceful shutdown began
	ServerKill     Kind = "server_kill"      // Server: abrupt death
	ServerLameDuck Kind = "server_lame_duck" // Server: lame duck mode entered; it exits by itself
	ServerExit     Kind = "server_exit"      // Server: the server is gone (after stop, kill or lame duck)
	ServerAdd      Kind = "server_add"       // Server: declared while running (not started yet)
	ServerRemove   Kind = "server_remove"    // Server: removed from the cluster for good
)

// Observations read from the servers themselves.
const (
	// Observe: Server, Clients (its own client count), Peers (distinct route
	// remote names, sorted), SlowConsumers (the server's counter).
	Observe Kind = "observe"
)

// Gateway links, written by a cluster of a supercluster (gateway_observe.go)
// when its observation of a server finds a link that came or went.
const (
	// GatewayUp: Server (the observing server), Cluster (its cluster),
	// Remote (the other cluster), Peer (the server at the other end, by
	// name when known), Detail "outbound" (Server dialled) or "inbound".
	GatewayUp   Kind = "gateway_up"
	GatewayDown Kind = "gateway_down" // as GatewayUp: the link is gone (or its server exited)
)

// Fault windows, written by the fault layer. Every FaultStart has exactly one
// FaultEnd with the same Fault id (a run that ends heals everything first).
const (
	// FaultStart: Fault (id), FaultKind ("latency", "partition", "freeze",
	// "down", ...), Servers (every server whose links it touches), Target
	// ("client:A", "route:A-B", "server:A"), Groups (partitions only),
	// Detail (parameters as text).
	FaultStart Kind = "fault_start"
	FaultEnd   Kind = "fault_end" // Fault (id), FaultKind, Servers, Target, Groups
)

// Client events, written by the client fleet. Client ids are "<group>-<n>".
const (
	ClientConnect    Kind = "client_connect"    // Client, Group, Server reached, Known
	ClientDisconnect Kind = "client_disconnect" // Client, Server it was on, Err
	ClientReconnect  Kind = "client_reconnect"  // Client, Server reached, Known; subscriptions were resent before this
	// ClientResubscribed: Client, Group, Server. A subscribing client's
	// flush after its reconnect to Server came back: the server has read
	// the resent subscriptions (nats.go reports the reconnect before it
	// has). Written only when the client is still on that connection; a
	// flush that fails (disconnected again, fleet closed, no PONG within
	// ResubscribeConfirmWithin) writes nothing.
	ClientResubscribed Kind = "client_resubscribed"
	ClientClosed       Kind = "client_closed" // Client: the connection is closed for good
	// ClientLeave: Client, Group, Server (where it was, "" if nowhere). The
	// application closes the client on purpose (a leave step); no
	// ClientClosed follows. Nothing is expected of it afterwards.
	ClientLeave      Kind = "client_leave"
	ClientDiscovered Kind = "client_discovered" // Client, Known (every server it now knows: configured and discovered)
	ClientLameDuck   Kind = "client_lame_duck"  // Client, Server: the server announced lame duck mode
	ClientError      Kind = "client_error"      // Client, Err, Subject (when about a subscription), Slow (slow consumer)
	SubReady         Kind = "sub_ready"         // Client, Sub (logical subscriber id), Subject, Queue: subscribed and flushed
	// PublishProgress is sampled (not one per message): Client published
	// every sequence up to Seq by time T. Checkers interpolate publish times.
	PublishProgress Kind = "publish_progress" // Client, Pub (publisher index), Seq
	PublishRefused  Kind = "publish_refused"  // Client, Pub, Seq, Count (refused from Seq to Seq+Count-1), Err
	PublishEnd      Kind = "publish_end"      // Client, Pub, Seq (the last sequence published, 0 if none)
	// ClientRejected: Client, Group, Server (the server that refused its
	// credentials, "" if unknown), Err. See fleet_security.go.
	ClientRejected Kind = "client_rejected"
	// ProbeResult: Client, Group, Server, Subject (a subject the client's user
	// may not publish to), Detail "refused" or "allowed": what the client
	// saw of one forbidden publish (refused: the server's permissions
	// violation came back; allowed: none within a bound after a flush).
	ProbeResult Kind = "probe"
	// Receipt is written once per (logical subscriber, publisher) when the
	// fleet stops: what that subscriber received from that publisher.
	Receipt Kind = "receipt"
	// FleetClose: the fleet closes every client, on purpose and silently
	// (no client events follow): the run's teardown has begun.
	FleetClose Kind = "fleet_close"
)

// JetStream events, written by the JetStream engine (sim/js*.go). A
// publisher is named by its client id; message ids are "<client>:<seq>".
const (
	// JSStream: Stream, Subject (its subjects, comma-joined), Count
	// (replicas), Detail (storage), Server (its leader): created and led.
	// Without Stream: a js_current wait's answer changed (Detail
	// "current" or "not current: <why>").
	JSStream Kind = "js_stream"
	// JSLeader: Stream, Server (the leader found), Step: a step resolved
	// "the stream's leader" to this server.
	JSLeader Kind = "js_leader"
	// JSPublish is one run of a publisher's sequences with one outcome:
	// Client, Stream, Subject, Seq (first), Count, Detail ("ack", "error"
	// or "timeout": the outcome after every retry), Err (the last error
	// of the run's first message).
	JSPublish    Kind = "js_publish"
	JSPublishEnd Kind = "js_publish_end" // Client, Stream, Seq: the last sequence attempted (0 if none)
	// JSConsumerReady: Client, Sub (the durable's name), Stream, Detail
	// ("pull" or "push"): the durable exists and its client consumes.
	JSConsumerReady Kind = "js_consumer_ready"
	// JSDelivery is written once per (durable, publisher) at the end:
	// Sub, Stream, Client (the publisher), Received (sequences delivered
	// and acked), Duplicates (deliveries beyond the first).
	JSDelivery Kind = "js_delivery"
	// JSStreamRead is the stream read back at the end, after the faults
	// healed. Once per (stream, publisher): Stream, Client (the
	// publisher), Received (sequences stored), Repeated (sequences stored
	// more than once), Duplicates (extra copies). Then once per stream
	// with no Client: Count (messages read), Server (its leader), Err when
	// the stream could not be read completely.
	JSStreamRead Kind = "js_stream_read"
)

// Event is one line of events.jsonl. Fields not used by a Kind are empty.
// T is the time since the run started, read from the monotonic clock, and
// never decreases along the timeline.
type Event struct {
	T    time.Duration `json:"t"`
	Kind Kind          `json:"kind"`

	Scenario string `json:"scenario,omitempty"`
	Seed     int64  `json:"seed,omitempty"`
	// File and ClientsScale (RunStart) are the scenario file as typed
	// (empty for a built-in) and the --clients-scale in force: with Seed,
	// what rebuilds the replay command from the timeline alone.
	File         string  `json:"file,omitempty"`
	ClientsScale float64 `json:"clients_scale,omitempty"`
	Step         int     `json:"step,omitempty"`

	Server string `json:"server,omitempty"`
	// Cluster is the server's cluster in a supercluster (server_start and
	// gateway events); Remote and Peer name a gateway link's other end.
	Cluster string   `json:"cluster,omitempty"`
	Remote  string   `json:"remote,omitempty"`
	Peer    string   `json:"peer,omitempty"`
	Version string   `json:"version,omitempty"`
	ID      string   `json:"id,omitempty"`
	Clients int      `json:"clients,omitempty"`
	Peers   []string `json:"peers,omitempty"`

	Fault     string     `json:"fault,omitempty"`
	FaultKind string     `json:"fault_kind,omitempty"`
	Target    string     `json:"target,omitempty"`
	Servers   []string   `json:"servers,omitempty"`
	Groups    [][]string `json:"groups,omitempty"`
	// Cuts is set on fault events whose fault stops traffic on the links it
	// touches (down, timeout, reset_peer, freeze, a partition): a client on
	// such a link is not really connected, and a route across it must go.
	Cuts bool `json:"cuts,omitempty"`

	Client string   `json:"client,omitempty"`
	Group  string   `json:"group,omitempty"`
	Known  []string `json:"known,omitempty"`
	Slow   bool     `json:"slow,omitempty"`

	Sub     string `json:"sub,omitempty"`
	Subject string `json:"subject,omitempty"`
	Queue   string `json:"queue,omitempty"`
	Pub     int    `json:"pub,omitempty"`
	Seq     uint64 `json:"seq,omitempty"`
	Count   uint64 `json:"count,omitempty"`
	// Stream names a JetStream stream (js_* events).
	Stream string `json:"stream,omitempty"`

	// Receipt fields: the ranges of sequences received (inclusive, sorted,
	// disjoint), how many arrived more than once, and how many arrived
	// after a higher sequence from the same publisher.
	Received   []Range `json:"received,omitempty"`
	Duplicates uint64  `json:"duplicates,omitempty"`
	// Repeated (js_stream_read) are the sequences found more than once.
	Repeated  []Range `json:"repeated,omitempty"`
	Reordered uint64  `json:"reordered,omitempty"`
	// FirstDuplicate and LastDuplicate are when the first and the last
	// duplicate arrived (on the timeline's clock); zero without any.
	FirstDuplicate time.Duration `json:"first_dup,omitempty"`
	LastDuplicate  time.Duration `json:"last_dup,omitempty"`
	// DuplicateSeqs spans the sequences that arrived more than once.
	DuplicateSeqs Range `json:"dup_seqs,omitzero"`
	// Dropped is what the client library reported dropping for the subscription.
	Dropped       uint64 `json:"dropped,omitempty"`
	SlowConsumers uint64 `json:"slow_consumers,omitempty"`

	Err    string `json:"err,omitempty"`
	Detail string `json:"detail,omitempty"`

	// Harness is a HarnessLag event's figures.
	Harness *HarnessSample `json:"harness,omitempty"`
}

// Range is an inclusive run of message sequences [First, Last].
type Range struct {
	First uint64 `json:"first"`
	Last  uint64 `json:"last"`
}
