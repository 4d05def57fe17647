package faults

import (
	"slices"
	"sort"
	"time"
)

// A kind is one fault a scenario can name in `kind:`. Each lives in its
// own file (kind_<name>.go) and registers itself here, the way toxiproxy's
// toxics do: adding a fault kind is adding a file.
type kind struct {
	name   string
	params []string // the parameter keys it accepts
	cuts   bool     // it stops traffic on the links it touches (sim.Event.Cuts)
	build  func(p params) (effect, error)
}

var kinds = map[string]kind{}

func registerKind(k kind) {
	if _, dup := kinds[k.name]; dup {
		panic("faults: kind " + k.name + " registered twice") // a build mistake, caught by any test
	}
	kinds[k.name] = k
}

// KindInfo describes a fault kind, for validators and documentation.
type KindInfo struct {
	Name   string
	Params []string // accepted keys of Spec.Params
	Cuts   bool     // the fault stops traffic on the links it touches
}

// Kinds lists the registered fault kinds by name.
func Kinds() []KindInfo {
	var out []KindInfo
	for _, k := range kinds {
		out = append(out, KindInfo{Name: k.name, Params: slices.Clone(k.params), Cuts: k.cuts})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// effect is what a fault does to the links it touches. Kinds build one;
// Partition and Freeze build theirs directly.
type effect struct {
	// toxic, when set, is a toxiproxy toxic type put on every touched link
	// in the chosen directions, live links and future ones alike.
	toxic string
	attrs any
	// whole: the fault acts on whole connections, so a direction other
	// than both would be misleading and is refused.
	whole bool
	// closeNow closes the touched live links when the fault starts.
	closeNow bool
	// reset resets (TCP RST) each touched link resetAfter after the fault
	// reaches it: at the start for live links, at creation for new ones.
	reset      bool
	resetAfter time.Duration
	// admit is what happens to new links the fault touches.
	admit admission
}

type admission int

const (
	admitPass   admission = iota
	admitHold             // held at the proxy, before the server sees them, until the fault ends
	admitRefuse           // reset at once
)
