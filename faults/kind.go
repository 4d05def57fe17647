package faults

import (
	"sort"
	"sync"
	"time"
)

// Kind is one fault a scenario can name in `kind:`. Each lives in its own
// file (kind_<name>.go) and registers itself, the way toxiproxy's toxics
// do: adding a fault kind is adding a file. Its parameters are the
// vocabulary of the scenario format, its JSON Schema and explore's writer.
type Kind struct {
	Name string
	Doc  string // one line, for the schema
	// Params are the kind's parameters, in the order a file writes them.
	Params []Param
	// Cuts: it stops traffic on the links it touches (sim.Event.Cuts).
	Cuts bool
	// Whole: it acts on whole connections, so a direction other than both
	// would be misleading and is refused.
	Whole bool
	// Check, when set, checks the parameters together (each alone passed
	// its Param.Rule); return a *ParamError to point at one.
	Check func(Values) error
	// Build is what the fault does in the in-process layer.
	Build func(Values) (Effect, error)
	// External is what it does through an external toxiproxy; nil means it
	// cannot run there.
	External func(Values) (External, error)
}

// Effect is what a fault does to the links it touches in the in-process
// layer. Kinds build one; Partition and Freeze build theirs directly.
type Effect struct {
	// Toxic, when set, is a toxiproxy toxic type (registered with
	// toxics.Register) put on every touched link in the chosen directions,
	// live links and future ones alike, with Attrs as its fields.
	Toxic string
	Attrs any
	// CloseNow closes the touched live links when the fault starts.
	CloseNow bool
	// Reset resets (TCP RST) each touched link ResetAfter after the fault
	// reaches it: at the start for live links, at creation for new ones.
	Reset      bool
	ResetAfter time.Duration
	// Admit is what happens to new links the fault touches.
	Admit Admission
}

// Admission is what happens to a new link a fault touches.
type Admission int

const (
	AdmitPass   Admission = iota
	AdmitHold             // held at the proxy, before the server sees them, until the fault ends
	AdmitRefuse           // reset at once
)

// External is a fault through stock toxiproxy's API: disable the proxies,
// or add a stock toxic with its attributes.
type External struct {
	Disable bool
	Toxic   string
	Attrs   map[string]any
}

var (
	kindsMu sync.RWMutex
	kinds   = map[string]Kind{}
)

// RegisterKind adds a fault kind. Registering a name twice panics: it is
// a programming error found at init.
func RegisterKind(k Kind) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if _, dup := kinds[k.Name]; dup {
		panic("faults: kind " + k.Name + " registered twice")
	}
	if k.Build == nil {
		panic("faults: kind " + k.Name + " has no Build")
	}
	kinds[k.Name] = k
}

// LookupKind returns the kind registered as name.
func LookupKind(name string) (Kind, bool) {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	k, ok := kinds[name]
	return k, ok
}

// Kinds lists the registered fault kinds by name.
func Kinds() []Kind {
	kindsMu.RLock()
	defer kindsMu.RUnlock()
	out := make([]Kind, 0, len(kinds))
	for _, k := range kinds {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Param looks a parameter up by name.
func (k Kind) Param(name string) (Param, bool) {
	for _, p := range k.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// ParamNames lists the kind's parameters, in order.
func (k Kind) ParamNames() []string {
	out := make([]string, len(k.Params))
	for i, p := range k.Params {
		out[i] = p.Name
	}
	return out
}
