package scenarios

import "time"

// Fault is a network fault on one proxied link:
//
//	client ──▶ proxy ──▶ server      target client:<server>
//	server ──▶ proxy ──▶ server      target route:<server>-<server>
//
// upstream is the direction towards the server listening on the link,
// downstream the way back.
type Fault struct {
	Name      string        `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Name for heal."`
	Target    string        `yaml:"target" jsonschema:"required,pattern=^(client:[A-Za-z0-9_-]+|route:[A-Za-z0-9_-]+-[A-Za-z0-9_-]+)$" jsonschema_description:"client:<server> or route:<server>-<server>."`
	Kind      FaultKind     `yaml:"kind" jsonschema:"required"`
	Direction Direction     `yaml:"direction" jsonschema_description:"upstream, downstream or both (default)."`
	Duration  time.Duration `yaml:"duration" jsonschema_description:"Absent: until a heal step."`
	Toxicity  *float64      `yaml:"toxicity" jsonschema:"minimum=0,maximum=1" jsonschema_description:"Probability the fault applies to a connection (default 1)."`

	Latency       time.Duration `yaml:"latency" jsonschema_description:"latency: added delay."`
	Jitter        time.Duration `yaml:"jitter" jsonschema_description:"latency: random extra delay, up to this."`
	Rate          ByteRate      `yaml:"rate" jsonschema_description:"bandwidth: bytes per second, like 64KB/s."`
	Timeout       time.Duration `yaml:"timeout" jsonschema_description:"timeout: close the link after this (absent: hold data forever); reset_peer: reset after this."`
	Bytes         ByteSize      `yaml:"bytes" jsonschema_description:"limit_data: close the link after this many bytes."`
	AverageSize   ByteSize      `yaml:"average_size" jsonschema_description:"slicer: average chunk size."`
	SizeVariation ByteSize      `yaml:"size_variation" jsonschema_description:"slicer: chunk size variation."`
	Delay         time.Duration `yaml:"delay" jsonschema_description:"slicer: delay between chunks; slow_close: delay before closing."`

	// Link is Target parsed; Parse fills it.
	Link Link `yaml:"-"`

	Pos Pos `yaml:"-"`
}

// LinkKind is the kind of link a fault targets.
type LinkKind string

const (
	LinkClient LinkKind = "client" // between clients and Server
	LinkRoute  LinkKind = "route"  // between Server and Peer
	// LinkGateway: the gateways between clusters Server and Peer.
	LinkGateway LinkKind = "gateway"
)

// Link is a fault's parsed target.
type Link struct {
	Kind   LinkKind
	Server string
	Peer   string // route links only
}

func (l Link) String() string {
	if l.Kind == LinkRoute || l.Kind == LinkGateway {
		return string(l.Kind) + ":" + l.Server + "-" + l.Peer
	}
	return string(l.Kind) + ":" + l.Server
}

// faultParams says which kind-specific keys each fault kind takes. The keys
// name, target, kind, duration and toxicity apply to every kind, direction
// to every kind but down.
var faultParams = map[FaultKind]struct{ required, optional []string }{
	FaultLatency:   {required: []string{"latency"}, optional: []string{"jitter"}},
	FaultBandwidth: {required: []string{"rate"}},
	FaultTimeout:   {optional: []string{"timeout"}},
	FaultResetPeer: {optional: []string{"timeout"}},
	FaultSlicer:    {required: []string{"average_size"}, optional: []string{"size_variation", "delay"}},
	FaultLimitData: {required: []string{"bytes"}},
	FaultSlowClose: {required: []string{"delay"}},
	FaultDown:      {},
}

// faultParamKeys are the kind-specific keys, in the struct's order.
var faultParamKeys = []string{"latency", "jitter", "rate", "timeout", "bytes", "average_size", "size_variation", "delay"}

// param returns a pointer to the field for a kind-specific key and whether
// it holds a non-zero value.
func (f *Fault) param(key string) (any, bool) {
	switch key {
	case "latency":
		return &f.Latency, f.Latency != 0
	case "jitter":
		return &f.Jitter, f.Jitter != 0
	case "rate":
		return &f.Rate, f.Rate != 0
	case "timeout":
		return &f.Timeout, f.Timeout != 0
	case "bytes":
		return &f.Bytes, f.Bytes != 0
	case "average_size":
		return &f.AverageSize, f.AverageSize != 0
	case "size_variation":
		return &f.SizeVariation, f.SizeVariation != 0
	case "delay":
		return &f.Delay, f.Delay != 0
	}
	return nil, false
}
