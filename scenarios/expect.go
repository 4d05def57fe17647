package scenarios

import (
	"sort"
	"time"
)

// Expect holds the expectations of a scenario; nil means absent. Any of them
// may set Warn: evaluated and reported, never failing the run.
type Expect struct {
	Mesh         *MeshExpect         `yaml:"mesh" jsonschema_description:"After every membership change, each server routes to each live server within the bound."`
	Discovery    *DiscoveryExpect    `yaml:"discovery" jsonschema_description:"Each connected client's discovered set converges to the live servers."`
	Balance      *BalanceExpect      `yaml:"balance" jsonschema_description:"When the run ends, no live server is more than max_skew off the mean client count."`
	Reconnect    *ReconnectExpect    `yaml:"reconnect" jsonschema_description:"Disconnect-to-reconnect time; reconnects per client over the run."`
	NoLoss       *NoLossExpect       `yaml:"no_loss" jsonschema_description:"No silent or slow-consumer loss; fault-explained gaps allowed."`
	NoDuplicates *NoDuplicatesExpect `yaml:"no_duplicates"`
	Ordered      *OrderedExpect      `yaml:"ordered" jsonschema_description:"Per publisher, per subscriber."`
	Herd         *HerdExpect         `yaml:"herd" jsonschema_description:"Peak reconnections one server accepts in any window (first connections not counted)."`
	ServerLists  *ServerListsExpect  `yaml:"server_lists" jsonschema_description:"When the run ends, every connected client's server list holds every kept server and no pruned one."`
	// The JetStream properties (jetstream_types.go).
	JSNoLoss       *JSNoLossExpect       `yaml:"js_no_loss" jsonschema_description:"Every acknowledged publish is in its stream after the faults heal and delivered to every durable; unacknowledged ones reported apart."`
	JSNoDuplicates *JSNoDuplicatesExpect `yaml:"js_no_duplicates" jsonschema_description:"The stream, read back after the faults heal, holds each message id once."`
	// AuthConsistent: types_security.go.
	AuthConsistent *AuthConsistentExpect `yaml:"auth_consistent" jsonschema_description:"No client accepted on one server is rejected on another; no forbidden probe goes unrefused."`
}

// Expectation is any one of the expectations; type-switch on it for the
// parameters.
type Expectation interface {
	Property() Property
	Warning() bool // evaluated and reported, never fails the run
	Position() Pos
}

// MeshExpect: after every membership change each server routes to each live
// server within Within (default 5s).
type MeshExpect struct {
	Within time.Duration `yaml:"within"`
	Warn   bool          `yaml:"warn"`
	Pos    Pos           `yaml:"-"`
}

// DiscoveryExpect: each connected client's discovered servers converge to
// the live servers within Within (default 5s).
type DiscoveryExpect struct {
	Within time.Duration `yaml:"within"`
	Warn   bool          `yaml:"warn"`
	Pos    Pos           `yaml:"-"`
}

// BalanceExpect: when the run ends (or at a check), no live server is more
// than MaxSkew (a fraction, default 0.25) off the mean client count.
type BalanceExpect struct {
	MaxSkew float64 `yaml:"max_skew" jsonschema:"exclusiveMinimum=0"`
	Warn    bool    `yaml:"warn"`
	Pos     Pos     `yaml:"-"`
}

// ReconnectExpect bounds disconnect-to-reconnect times and reconnects per
// client; a zero (or nil) field is not checked.
type ReconnectExpect struct {
	Max          time.Duration `yaml:"max"`
	P99          time.Duration `yaml:"p99"`
	MaxPerClient *int          `yaml:"max_per_client" jsonschema:"minimum=0"`
	Warn         bool          `yaml:"warn"`
	Pos          Pos           `yaml:"-"`
}

// NoLossExpect: no silent or slow-consumer gaps. AllowSlowConsumer accepts
// reported slow-consumer drops; Strict fails on every gap, explained or not.
type NoLossExpect struct {
	Strict            bool `yaml:"strict"`
	AllowSlowConsumer bool `yaml:"allow_slow_consumer"`
	Warn              bool `yaml:"warn"`
	Pos               Pos  `yaml:"-"`
}

// NoDuplicatesExpect: no message reaches a subscriber (or queue group)
// twice. AllowFailover accepts duplicates that arrive within that
// subscriber's own failover: core NATS delivers at most once per
// connection, not across a move.
type NoDuplicatesExpect struct {
	AllowFailover bool `yaml:"allow_failover" jsonschema_description:"Accept duplicates across the subscriber's own failover: arriving after it lost its server, of messages published before that (core NATS is at-most-once per connection)."`
	Warn          bool `yaml:"warn"`
	Pos           Pos  `yaml:"-"`
}

// OrderedExpect: per publisher, each subscriber sees messages in order.
type OrderedExpect struct {
	Warn bool `yaml:"warn"`
	Pos  Pos  `yaml:"-"`
}

// HerdExpect: no server accepts more than MaxPerServer reconnections in any
// Window (default 100ms); clients' first connections are not counted.
type HerdExpect struct {
	Window       time.Duration `yaml:"window"`
	MaxPerServer int           `yaml:"max_per_server" jsonschema:"required,minimum=1"`
	Warn         bool          `yaml:"warn"`
	Pos          Pos           `yaml:"-"`
}

func (e *MeshExpect) Property() Property         { return PropMesh }
func (e *DiscoveryExpect) Property() Property    { return PropDiscovery }
func (e *BalanceExpect) Property() Property      { return PropBalance }
func (e *ReconnectExpect) Property() Property    { return PropReconnect }
func (e *NoLossExpect) Property() Property       { return PropNoLoss }
func (e *NoDuplicatesExpect) Property() Property { return PropNoDuplicates }
func (e *OrderedExpect) Property() Property      { return PropOrdered }
func (e *HerdExpect) Property() Property         { return PropHerd }

func (e *MeshExpect) Warning() bool         { return e.Warn }
func (e *DiscoveryExpect) Warning() bool    { return e.Warn }
func (e *BalanceExpect) Warning() bool      { return e.Warn }
func (e *ReconnectExpect) Warning() bool    { return e.Warn }
func (e *NoLossExpect) Warning() bool       { return e.Warn }
func (e *NoDuplicatesExpect) Warning() bool { return e.Warn }
func (e *OrderedExpect) Warning() bool      { return e.Warn }
func (e *HerdExpect) Warning() bool         { return e.Warn }

func (e *MeshExpect) Position() Pos         { return e.Pos }
func (e *DiscoveryExpect) Position() Pos    { return e.Pos }
func (e *BalanceExpect) Position() Pos      { return e.Pos }
func (e *ReconnectExpect) Position() Pos    { return e.Pos }
func (e *NoLossExpect) Position() Pos       { return e.Pos }
func (e *NoDuplicatesExpect) Position() Pos { return e.Pos }
func (e *OrderedExpect) Position() Pos      { return e.Pos }
func (e *HerdExpect) Position() Pos         { return e.Pos }

// List returns the expectations present, in file order (contract order for
// those without a position).
func (e *Expect) List() []Expectation {
	var out []Expectation
	add := func(x Expectation, present bool) {
		if present {
			out = append(out, x)
		}
	}
	add(e.Mesh, e.Mesh != nil)
	add(e.Discovery, e.Discovery != nil)
	add(e.Balance, e.Balance != nil)
	add(e.Reconnect, e.Reconnect != nil)
	add(e.NoLoss, e.NoLoss != nil)
	add(e.NoDuplicates, e.NoDuplicates != nil)
	add(e.Ordered, e.Ordered != nil)
	add(e.Herd, e.Herd != nil)
	add(e.ServerLists, e.ServerLists != nil)
	add(e.JSNoLoss, e.JSNoLoss != nil)
	add(e.JSNoDuplicates, e.JSNoDuplicates != nil)
	add(e.AuthConsistent, e.AuthConsistent != nil)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position().before(out[j].Position()) })
	return out
}

// Get returns the expectation for a property, or nil when absent.
func (e *Expect) Get(p Property) Expectation {
	for _, x := range e.List() {
		if x.Property() == p {
			return x
		}
	}
	return nil
}
