package scenarios

import (
	"time"

	"github.com/natschaos/natschaos/faults"
)

// Fault is a network fault on one proxied link:
//
//	client ──▶ proxy ──▶ server      target client:<server>
//	server ──▶ proxy ──▶ server      target route:<server>-<server>
//
// upstream is the direction towards the server listening on the link,
// downstream the way back.
type Fault struct {
	Name      string        `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Name for heal."`
	Target    string        `yaml:"target" jsonschema:"required,pattern=^(client:[A-Za-z0-9_-]+|route:[A-Za-z0-9_-]+-[A-Za-z0-9_-]+|gateway:[A-Za-z0-9_-]+-[A-Za-z0-9_-]+|leaf:[A-Za-z0-9_-]+)$" jsonschema_description:"client:<server>, route:<server>-<server>, gateway:<cluster>-<cluster>, leaf:<leaf>-<hub>, leaf:<leaf> or leaf:<hub>."`
	Kind      FaultKind     `yaml:"kind" jsonschema:"required"`
	Direction Direction     `yaml:"direction" jsonschema_description:"upstream, downstream or both (default)."`
	Duration  time.Duration `yaml:"duration" jsonschema_description:"Absent: until a heal step."`

	// Params are the kind's own parameters (faults.Kind.Params), in the
	// order the kind declares them, each typed as declared.
	Params []FaultParam `yaml:"-"`

	// Link is Target parsed; Parse fills it.
	Link Link `yaml:"-"`

	Pos Pos `yaml:"-"`
}

// FaultParam is one of a fault kind's parameters as a file wrote it.
type FaultParam struct {
	Name string
	// Value is of its faults.ParamType's Go type: time.Duration, int64
	// (sizes in bytes, rates in bytes per second, integers), float64,
	// bool or string.
	Value any
	Pos   Pos // of the value
}

// Param returns the value of a parameter the fault was given.
func (f *Fault) Param(name string) (any, bool) {
	for _, p := range f.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return nil, false
}

// Values are the fault's parameters as faults takes them.
func (f *Fault) Values() faults.Values {
	out := faults.Values{}
	for _, p := range f.Params {
		out[p.Name] = p.Value
	}
	return out
}

// FaultKinds lists the fault kinds a file may name: faults' registry.
func FaultKinds() []FaultKind {
	var out []FaultKind
	for _, k := range faults.Kinds() {
		out = append(out, FaultKind(k.Name))
	}
	return out
}

// LinkKind is the kind of link a fault targets.
type LinkKind string

const (
	LinkClient LinkKind = "client" // between clients and Server
	LinkRoute  LinkKind = "route"  // between Server and Peer
	// LinkGateway: the gateways between clusters Server and Peer.
	LinkGateway LinkKind = "gateway"
	// LinkLeaf: leaf links. Server is the leaf and Peer the hub server
	// (leaf:<leaf>-<hub>); Server alone is a leaf (all its links) or a hub
	// server (its whole leaf side), as the scenario declares it.
	LinkLeaf LinkKind = "leaf"
)

// Link is a fault's parsed target.
type Link struct {
	Kind   LinkKind
	Server string
	Peer   string // route, gateway and leaf:<leaf>-<hub> links
}

func (l Link) String() string {
	if l.Peer != "" && (l.Kind == LinkRoute || l.Kind == LinkGateway || l.Kind == LinkLeaf) {
		return string(l.Kind) + ":" + l.Server + "-" + l.Peer
	}
	return string(l.Kind) + ":" + l.Server
}
