package scenarios

import (
	"time"

	"github.com/natschaos/natschaos/assert"
)

// Defaults applied by Parse to what a file leaves out.
const (
	DefaultTimeout      = 5 * time.Minute // Scenario.Timeout
	DefaultWaitTimeout  = 30 * time.Second
	DefaultWithin       = assert.DefaultWithin  // mesh.within, discovery.within
	DefaultMaxSkew      = assert.DefaultMaxSkew // balance.max_skew
	DefaultHerdWindow   = assert.DefaultHerdWindow
	DefaultClusterName  = "C1"
	DefaultVersion      = "embedded" // Server.Version: run nats-server in-process
	DefaultLameDuck     = 2 * time.Minute
	DefaultLameDuckWait = 10 * time.Second // nats-server's lame_duck_grace_period
)

// Scenario is one parsed and validated scenario file.
type Scenario struct {
	Name        string        `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"The scenario's name: letters, digits, _ and -."`
	Description string        `yaml:"description" jsonschema_description:"One or two sentences on what the scenario shows."`
	Seed        *int64        `yaml:"seed" jsonschema_description:"Random seed. When absent one is chosen and printed; --seed replays it."`
	Timeout     time.Duration `yaml:"timeout" jsonschema_description:"Bound on the whole run (default 5m); exceeding it is an infrastructure error (exit 3)."`
	Cluster     Cluster       `yaml:"cluster" jsonschema:"required"`
	Clients     []ClientGroup `yaml:"clients" jsonschema_description:"Groups of identical clients."`
	LeafNodes   *LeafNodes    `yaml:"leafnodes" jsonschema_description:"Leaf servers dialling the cluster's servers as leaf nodes (types_leaf.go)."`
	Steps       []Step        `yaml:"steps" jsonschema_description:"Run in order; each step is a one-key map."`
	Expect      Expect        `yaml:"expect" jsonschema_description:"Properties evaluated over the whole run."`
	// ExpectedVerdict is the verdict a scenario showing a known behaviour
	// is meant to reach (fail, for a defect it demonstrates); see expected.go.
	ExpectedVerdict RunVerdict `yaml:"expected_verdict" jsonschema_description:"pass or fail: the verdict this scenario is meant to reach. A scenario that shows a known defect expects fail; natschaos lab and the library's tests check it."`
	JetStream       *JetStream `yaml:"jetstream" jsonschema_description:"Streams, acked publishers and durable consumers (jetstream_types.go)."`

	// Clusters is a supercluster (types_clusters.go).
	Clusters []NamedCluster `yaml:"clusters" jsonschema_description:"Two or more clusters joined by gateways, each with its servers, topology and clients; faults may target gateway:<cluster>-<cluster>."`

	// File is the name given to Parse; Where formats positions with it.
	File string `yaml:"-"`
	// Warnings are what validation found valid but likely not meant, each
	// "file:line:col: warning: ..." (validate_waits.go).
	Warnings []Problem `yaml:"-"`
}

// Cluster describes the servers under test.
type Cluster struct {
	Name          string          `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Cluster name (default C1)."`
	Topology      ClusterTopology `yaml:"topology" jsonschema_description:"full: every server lists every route; seed: every server routes only to the first one and gossip forms the mesh. Default full."`
	Servers       []Server        `yaml:"servers" jsonschema:"required,minItems=1"`
	ServerOptions ServerOptions   `yaml:"server_options" jsonschema_description:"Applied to every server unless a server overrides."`

	// ClientProxies puts a fault-injecting proxy between the clients and
	// each server. Unset, the runner turns them on when a step targets a
	// client:<server> link and may leave them out otherwise (clients then
	// dial the servers directly). Setting it false while a fault targets a
	// client link is an error.
	ClientProxies *bool `yaml:"client_proxies" jsonschema_description:"Proxy client links so faults can target client:<server>. Default: on when a step needs it."`

	// Security is TLS and users (types_security.go); nil: neither.
	Security *Security `yaml:"security" jsonschema_description:"TLS and users; secrets are generated per run."`
	// External names a running cluster instead (types_external.go).
	External *External `yaml:"external" jsonschema_description:"An existing cluster to test instead of starting servers: its URLs, a toxiproxy in front, commands for process steps."`

	Pos Pos `yaml:"-"`
}

// Server is one declared server. A plain name is short for {name: ...}.
type Server struct {
	Name string `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Start is nil or true when the server starts with the scenario; false
	// declares it for a later start step. Use StartsAtBoot.
	Start *bool `yaml:"start" jsonschema_description:"false: declared now, started by a step. Default true."`
	// Version is "embedded" (or empty) to run nats-server in-process, or a
	// release like v2.14.9 to run that nats-server binary.
	Version string `yaml:"version" jsonschema:"pattern=^(embedded|v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?)$" jsonschema_description:"embedded (default) runs in-process; a release like v2.14.9 runs that nats-server binary."`
	// ServerOptions overrides the cluster's server_options for this server;
	// see Cluster.OptionsFor.
	ServerOptions *ServerOptions `yaml:"server_options" jsonschema_description:"Overrides cluster.server_options for this server."`
	// Users, when set (even empty), replaces cluster.security.users on
	// this server: a server configured differently from its peers.
	Users []User `yaml:"users" jsonschema_description:"Replaces cluster.security.users on this server ([]: no authentication)."`

	Pos Pos `yaml:"-"`
}

func (*Server) shorthandField() string { return "name" }

// StartsAtBoot reports whether the server starts with the scenario.
func (s Server) StartsAtBoot() bool { return s.Start == nil || *s.Start }

// ServerOptions are nats-server settings. Nil fields keep nats-server's
// defaults.
type ServerOptions struct {
	LameDuckDuration    *time.Duration `yaml:"lame_duck_duration" jsonschema_description:"How long lame duck mode spreads client closes (nats-server default 2m)."`
	LameDuckGracePeriod *time.Duration `yaml:"lame_duck_grace_period" jsonschema_description:"Wait before lame duck mode starts closing clients; must be below lame_duck_duration (default 10s)."`
	JetStream           *bool          `yaml:"jetstream"`
	PingInterval        *time.Duration `yaml:"ping_interval" jsonschema_description:"Server-to-client and route ping interval."`
	MaxPingsOut         *int           `yaml:"max_pings_out"`
	WriteDeadline       *time.Duration `yaml:"write_deadline"`
	MaxPayload          *ByteSize      `yaml:"max_payload"`
	MaxPending          *ByteSize      `yaml:"max_pending" jsonschema_description:"Per-connection pending bytes before the server cuts a slow consumer."`
	MaxConnections      *int           `yaml:"max_connections"`
	NoAdvertise         *bool          `yaml:"no_advertise" jsonschema_description:"cluster.no_advertise: do not gossip client URLs to clients."`
	ConnectRetries      *int           `yaml:"connect_retries" jsonschema_description:"cluster.connect_retries for explicit routes."`
	PoolSize            *int           `yaml:"pool_size" jsonschema_description:"cluster.pool_size: route connections per server pair."`
}

// ClientGroup is a group of identical clients.
type ClientGroup struct {
	Name string `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Count is the number of clients (default 1).
	Count int `yaml:"count" jsonschema:"minimum=1" jsonschema_description:"Number of clients (default 1)."`
	// Servers is the initial URL list, by server name; nil means every
	// server that starts at boot (see Scenario.InitialServers). It may name
	// servers declared with start: false.
	Servers   []string       `yaml:"servers" jsonschema_description:"Initial URL list by server name; default every started server."`
	Options   ClientOptions  `yaml:"options" jsonschema_description:"nats.go options, snake_case of their names."`
	Subscribe []Subscription `yaml:"subscribe"`
	Publish   *Publish       `yaml:"publish"`
	Strategy  *Strategy      `yaml:"strategy" jsonschema_description:"A shipped reconnect strategy (strategy.go); default: nats.go's own behaviour."`
	// User names a user of cluster.security.users: the group's clients
	// present its credentials. Probe tries a forbidden publish now and then.
	User  string `yaml:"user" jsonschema_description:"A user of cluster.security.users whose credentials the clients present."`
	Probe *Probe `yaml:"probe" jsonschema_description:"Publish to a forbidden subject now and then; auth_consistent judges the answers."`

	Pos Pos `yaml:"-"`
}

// ClientOptions are nats.go connection options. Nil fields keep nats.go's
// defaults.
type ClientOptions struct {
	AllowReconnect          *bool          `yaml:"allow_reconnect"`
	MaxReconnects           *int           `yaml:"max_reconnects" jsonschema_description:"-1: retry forever."`
	ReconnectWait           *time.Duration `yaml:"reconnect_wait"`
	ReconnectJitter         *time.Duration `yaml:"reconnect_jitter"`
	ReconnectJitterTLS      *time.Duration `yaml:"reconnect_jitter_tls"`
	NoRandomize             *bool          `yaml:"no_randomize"`
	IgnoreDiscoveredServers *bool          `yaml:"ignore_discovered_servers"`
	ReconnectBufSize        *ByteSize      `yaml:"reconnect_buf_size" jsonschema_description:"Bytes buffered while reconnecting; -1 disables the buffer."`
	PingInterval            *time.Duration `yaml:"ping_interval"`
	MaxPingsOut             *int           `yaml:"max_pings_out"`
	Timeout                 *time.Duration `yaml:"timeout" jsonschema_description:"Connect timeout."`
	DrainTimeout            *time.Duration `yaml:"drain_timeout"`
	FlusherTimeout          *time.Duration `yaml:"flusher_timeout"`
	NoEcho                  *bool          `yaml:"no_echo"`
	RetryOnFailedConnect    *bool          `yaml:"retry_on_failed_connect"`
}

// Subscription is one entry of a client group's subscribe list. A plain
// string is the subject.
type Subscription struct {
	Subject string `yaml:"subject" jsonschema:"required"`
	// Queue makes the subscription a member of a queue group: each message
	// reaches one member of the group.
	Queue string `yaml:"queue"`
	// PendingMsgs and PendingBytes are the client library's pending limits
	// for this subscription (-1: unlimited); nil keeps the defaults.
	PendingMsgs  *int      `yaml:"pending_msgs" jsonschema_description:"Pending message limit; -1 unlimited."`
	PendingBytes *ByteSize `yaml:"pending_bytes" jsonschema_description:"Pending byte limit; -1 unlimited."`
	// Delay is simulated processing time per message (a slow consumer).
	Delay time.Duration `yaml:"delay" jsonschema_description:"Simulated processing time per message (a slow consumer)."`

	Pos Pos `yaml:"-"`
}

func (*Subscription) shorthandField() string { return "subject" }

// Publish makes every client of a group publish at a steady rate.
type Publish struct {
	// Subject may contain {client}, replaced by the client's name
	// (group-index), so each publisher can have its own subject.
	Subject string   `yaml:"subject" jsonschema:"required" jsonschema_description:"Subject; {client} is replaced by the client's name."`
	Rate    Rate     `yaml:"rate" jsonschema:"required" jsonschema_description:"Messages per second per client, like 500/s."`
	Size    ByteSize `yaml:"size" jsonschema_description:"Payload size, sequence header included."`

	Pos Pos `yaml:"-"`
}
