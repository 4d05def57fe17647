package scenarios

import (
	"time"
)

// Defaults of the JetStream vocabulary.
const (
	DefaultAckTimeout    = 2 * time.Second  // jetstream.publishers[].ack_timeout
	DefaultRetries       = 2                // jetstream.publishers[].retries
	DefaultLeaderTimeout = 30 * time.Second // leader.timeout: to find the stream's leader
	// jsSettleWithin bounds, at the end of a run, the wait for every
	// stream to be healthy again and for consumers to catch up.
	jsSettleWithin = 30 * time.Second
)

// JetStream is a scenario's JetStream part: streams created when the run
// starts (every server then runs JetStream, each with its own store for
// the run), publishers that wait for each ack, and durable consumers.
type JetStream struct {
	Streams    []Stream      `yaml:"streams" jsonschema:"required,minItems=1" jsonschema_description:"Created when the run starts, before any client publishes."`
	Publishers []JSPublisher `yaml:"publishers" jsonschema_description:"Groups of clients that publish with a message id and wait for each ack."`
	Consumers  []JSConsumer  `yaml:"consumers" jsonschema_description:"Durable consumers, each with one client that acks what it processes."`

	Pos Pos `yaml:"-"`
}

// Stream is one JetStream stream.
type Stream struct {
	Name     string      `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Subjects []string    `yaml:"subjects" jsonschema:"required,minItems=1"`
	Replicas int         `yaml:"replicas" jsonschema:"enum=1,enum=3,enum=5" jsonschema_description:"1 (default), 3 or 5; at most the servers started at boot."`
	Storage  StorageKind `yaml:"storage"`
	// DuplicateWindow is how long the stream de-duplicates message ids.
	DuplicateWindow time.Duration `yaml:"duplicate_window" jsonschema_description:"How long message ids are remembered for de-duplication (nats-server default 2m)."`

	Pos Pos `yaml:"-"`
}

// JSPublisher is a group of clients that publish numbered messages to a
// stream, each with a message id ("<client>:<seq>"), one at a time,
// waiting for its ack; each message ends acknowledged, in error or timed
// out, and is recorded so.
type JSPublisher struct {
	Name    string        `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Count   int           `yaml:"count" jsonschema:"minimum=1" jsonschema_description:"Number of clients (default 1)."`
	Servers []string      `yaml:"servers" jsonschema_description:"Initial URL list by server name; default every started server."`
	Options ClientOptions `yaml:"options"`
	Stream  string        `yaml:"stream" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Subject string        `yaml:"subject" jsonschema:"required" jsonschema_description:"One of the stream's subjects; {client} is replaced by the client's name."`
	Rate    Rate          `yaml:"rate" jsonschema:"required" jsonschema_description:"At most this many messages per second per client (one in flight)."`
	Size    ByteSize      `yaml:"size"`
	// AckTimeout bounds each attempt; Retries is how many more attempts a
	// message gets (same message id) after an error or a timeout.
	AckTimeout time.Duration `yaml:"ack_timeout" jsonschema_description:"Bound on each attempt (default 2s)."`
	Retries    *int          `yaml:"retries" jsonschema:"minimum=0" jsonschema_description:"Further attempts with the same message id after an error or timeout (default 2)."`

	Pos Pos `yaml:"-"`
}

// JSConsumer is a durable consumer of a stream.
type JSConsumer struct {
	Name    string        `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"The durable's name; its client is <name>-0."`
	Stream  string        `yaml:"stream" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Mode    ConsumerMode  `yaml:"mode"`
	Servers []string      `yaml:"servers" jsonschema_description:"Initial URL list by server name; default every started server."`
	Options ClientOptions `yaml:"options"`

	Pos Pos `yaml:"-"`
}

// StorageKind is where a stream keeps its messages.
type StorageKind string

const (
	StorageFile   StorageKind = "file"
	StorageMemory StorageKind = "memory"
)

// StorageKinds lists the valid storages.
var StorageKinds = []StorageKind{StorageFile, StorageMemory}

// ConsumerMode is how a durable consumer gets its messages.
type ConsumerMode string

const (
	ConsumerPull ConsumerMode = "pull"
	ConsumerPush ConsumerMode = "push"
)

// ConsumerModes lists the valid consumer modes.
var ConsumerModes = []ConsumerMode{ConsumerPull, ConsumerPush}

// LeaderAction is what a leader step does to the stream's leader.
type LeaderAction string

const (
	LeaderKill     LeaderAction = "kill"
	LeaderStop     LeaderAction = "stop"
	LeaderLameDuck LeaderAction = "lame_duck"
	LeaderRestart  LeaderAction = "restart"
	// LeaderIsolate partitions the leader from every other server.
	LeaderIsolate LeaderAction = "isolate"
)

// LeaderActions lists the valid leader actions.
var LeaderActions = []LeaderAction{LeaderKill, LeaderStop, LeaderLameDuck, LeaderRestart, LeaderIsolate}

// The JetStream properties.
const (
	PropJSNoLoss       Property = "js_no_loss"
	PropJSNoDuplicates Property = "js_no_duplicates"
)
