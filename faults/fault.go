package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/natschaos/natschaos/internal/suggest"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// Spec is one fault on one target, as a scenario's `fault:` step writes it.
type Spec struct {
	// Target is "client:<server>" (every client link of that server,
	// whatever address the client dialled) or "route:<A>-<B>" (only the
	// route links between A and B, whichever side dialled).
	Target string
	// Kind is a registered kind; Kinds lists them and their parameters.
	Kind string
	// Direction is "upstream", "downstream" or "both" ("" is both). On
	// client:X upstream is client to server; on route:A-B it is A to B.
	// Kinds that act on whole connections (down, reset_peer) take both only.
	Direction string
	// Duration ends the fault by itself; 0 keeps it until healed.
	Duration time.Duration
	// Params are the kind's parameters, typed as its Kind.Params declare
	// (a duration is a time.Duration, a size int64 bytes, ...).
	Params Values
}

// fault is an active fault: what it touches and what it does there.
type fault struct {
	id      string
	seq     int
	kind    string
	target  string
	servers []string
	groups  [][]string
	cuts    bool
	detail  string
	scope   scope
	eff     Effect
	timer   *time.Timer   // ends a fault with a duration; guarded by ctl
	resets  []*time.Timer // pending resets; guarded by Layer.mu
}

// Inject starts a fault and returns its id, for Heal.
func (l *Layer) Inject(spec Spec) (string, error) {
	k, vals, dir, err := prepare(spec)
	if err != nil {
		return "", err
	}
	eff, err := k.Build(vals)
	if err != nil {
		return "", fmt.Errorf("faults: %s: %w", k.Name, err)
	}
	sc, servers, err := l.parseTarget(spec.Target, dir)
	if err != nil {
		return "", err
	}
	f := &fault{
		kind: k.Name, target: spec.Target, servers: servers, cuts: k.Cuts,
		scope: sc, eff: eff, detail: describe(k, spec.Params, dir, spec.Duration),
	}
	return l.begin(f, spec.Duration)
}

// prepare checks a spec against its kind's declaration, for either
// backend: the kind, its parameters with defaults filled, the direction.
func prepare(spec Spec) (Kind, Values, direction, error) {
	k, ok := LookupKind(spec.Kind)
	if !ok {
		var names []string
		for _, ki := range Kinds() {
			names = append(names, ki.Name)
		}
		hint := ""
		if near := suggest.Nearest(spec.Kind, names); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
		return Kind{}, nil, 0, fmt.Errorf("faults: unknown kind %q%s; known: %s", spec.Kind, hint, strings.Join(names, ", "))
	}
	vals, errs := k.resolve(spec.Params)
	if err := errParams(k, errs); err != nil {
		return Kind{}, nil, 0, err
	}
	dir, err := parseDirection(spec.Direction)
	if err != nil {
		return Kind{}, nil, 0, err
	}
	if k.Whole && dir != dirBoth {
		return Kind{}, nil, 0, fmt.Errorf("faults: %s acts on whole connections: direction must be both, not %s", k.Name, dir)
	}
	if spec.Duration < 0 {
		return Kind{}, nil, 0, fmt.Errorf("faults: negative duration %v", spec.Duration)
	}
	return k, vals, dir, nil
}

// begin records the fault's start, then makes it take effect: new links
// see it at once (the admission and the collections consult the active
// faults), live links get its toxics, closes and resets.
func (l *Layer) begin(f *fault, d time.Duration) (string, error) {
	if err := l.checkLeafScope(f); err != nil {
		return "", err
	}
	if _, client := f.scope.(clientScope); l.opts.OpaqueRoutes && !client && !isLeafScope(f.scope) {
		// Route links have no known source: this fault would miss some.
		return "", fmt.Errorf("faults: %s on %s: route dials are not identified (Options.OpaqueRoutes, route TLS), so only client-link faults are exact", f.kind, f.target)
	}
	l.ctl.Lock()
	defer l.ctl.Unlock()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return "", ErrClosed
	}
	l.seq++
	f.seq, f.id = l.seq, fmt.Sprintf("%s-%d", f.kind, l.seq)
	l.mu.Unlock()

	// The start goes on the timeline before anything the fault causes.
	l.tl.Add(sim.Event{Kind: sim.FaultStart, Fault: f.id, FaultKind: f.kind, Target: f.target,
		Servers: f.servers, Groups: f.groups, Cuts: f.cuts, Detail: f.detail})

	l.mu.Lock()
	l.faults[f.id] = f
	colls := l.touchedLocked(f)
	var doomed []*link
	for _, c := range colls {
		for k := range c.links {
			if f.eff.CloseNow {
				doomed = append(doomed, k)
			}
			if f.eff.Reset {
				f.armResetLocked(k)
			}
		}
	}
	l.bumpLocked()
	l.mu.Unlock()

	// Toxics go on outside the layer's lock: adding one to a live link
	// waits for that link's chain, which may wait on the layer.
	for _, c := range colls {
		if err := l.addToxics(c, f); err != nil {
			l.internalError(err)
		}
		if f.eff.Toxic != "" {
			l.pipeLinks(c)
		}
	}
	closeLinks(doomed, false)
	if d > 0 {
		id := f.id
		f.timer = time.AfterFunc(d, func() { l.expire(id) })
	}
	return f.id, nil
}

// Heal ends one fault: its toxics come off (held bytes flow on), held
// dials decide again, and its FaultEnd is recorded, with Detail "healed"
// ("expired" when its duration ended it, "closed" when Close did).
func (l *Layer) Heal(id string) error {
	l.ctl.Lock()
	defer l.ctl.Unlock()
	if !l.healLocked(id, "healed") {
		return fmt.Errorf("faults: no active fault %q", id)
	}
	return nil
}

// HealAll ends every active fault, newest first.
func (l *Layer) HealAll() {
	l.ctl.Lock()
	defer l.ctl.Unlock()
	l.healAllLocked("healed")
}

func (l *Layer) healAllLocked(why string) {
	l.mu.Lock()
	active := l.activeLocked()
	l.mu.Unlock()
	for i := len(active) - 1; i >= 0; i-- {
		l.healLocked(active[i].id, why)
	}
}

// expire ends a fault whose duration is over. It runs on its timer's
// goroutine, counted by the layer so Close waits for it.
func (l *Layer) expire(id string) {
	l.mu.Lock()
	ok := !l.closed
	if ok {
		l.wg.Add(1)
	}
	l.mu.Unlock()
	if !ok {
		return // Close heals it
	}
	defer l.wg.Done()
	l.ctl.Lock()
	defer l.ctl.Unlock()
	l.healLocked(id, "expired")
}

// healLocked removes a fault's effects, then records its end. ctl held.
func (l *Layer) healLocked(id, why string) bool {
	l.mu.Lock()
	f := l.faults[id]
	if f == nil {
		l.mu.Unlock()
		return false
	}
	delete(l.faults, id)
	if f.timer != nil {
		f.timer.Stop()
	}
	for _, t := range f.resets {
		t.Stop()
	}
	colls := l.touchedLocked(f)
	l.bumpLocked() // held dials decide again: they may pass now
	l.mu.Unlock()

	for _, c := range colls {
		l.removeToxics(c, f)
	}
	l.tl.Add(sim.Event{Kind: sim.FaultEnd, Fault: f.id, FaultKind: f.kind, Target: f.target,
		Servers: f.servers, Groups: f.groups, Cuts: f.cuts, Detail: why})
	return true
}

// activeLocked lists the active faults, oldest first.
func (l *Layer) activeLocked() []*fault {
	out := make([]*fault, 0, len(l.faults))
	for _, f := range l.faults {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// touchedLocked lists the existing collections the fault touches.
func (l *Layer) touchedLocked(f *fault) []*coll {
	var out []*coll
	for k, c := range l.colls {
		if f.scope.touches(k) {
			out = append(out, c)
		}
	}
	return out
}

// armResetLocked resets the link when the fault's reset delay is over.
func (f *fault) armResetLocked(k *link) {
	f.resets = append(f.resets, time.AfterFunc(f.eff.ResetAfter, func() { k.close(true) }))
}

// toxicName is unique per collection: a fault adds at most one toxic per
// direction.
func toxicName(f *fault, dir fmt.Stringer) string { return f.id + "/" + dir.String() }

func (l *Layer) addToxics(c *coll, f *fault) error {
	if f.eff.Toxic == "" {
		return nil
	}
	for _, dir := range f.scope.streams(c.key) {
		body, err := json.Marshal(map[string]any{
			"name": toxicName(f, dir), "type": f.eff.Toxic, "stream": dir.String(),
			"toxicity": 1.0, "attributes": f.eff.Attrs,
		})
		if err == nil {
			_, err = c.tc.AddToxicJson(bytes.NewReader(body))
		}
		if err != nil {
			return fmt.Errorf("adding %s to %s: %w", f.id, c.key, err)
		}
	}
	return nil
}

// removeWithin bounds how long a heal waits for toxiproxy to take a toxic
// off a collection before it resets the collection's links.
const removeWithin = 3 * time.Second

func (l *Layer) removeToxics(c *coll, f *fault) {
	if f.eff.Toxic == "" {
		return
	}
	for _, dir := range f.scope.streams(c.key) {
		// Not found is fine: the collection was created with the fault's
		// toxic or without it, and both are consistent with the heal.
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = c.tc.RemoveToxic(context.Background(), toxicName(f, dir))
		}()
		select {
		case <-done:
			continue
		case <-time.After(removeWithin):
		}
		// toxiproxy drains the removed toxic's buffer into the next one,
		// up to 5s a chunk; on a link whose far side does not read (a
		// stalled route, a frozen server) while data keeps coming, that
		// never ends, and the heal with it. Seen under the race detector
		// on a loaded machine. Resetting the collection's links ends it:
		// they would not have recovered anyway, and the peers redial.
		l.mu.Lock()
		links := l.linksLocked(func(k linkKey) bool { return k == c.key })
		l.mu.Unlock()
		closeLinks(links, true)
		select {
		case <-done:
		case <-time.After(removeWithin):
			// Still stuck: give up waiting rather than hang the run; the
			// layer's Close waits for the links' goroutines as always.
		}
	}
}

// describe renders a fault's parameters for the timeline's Detail.
func describe(k Kind, given Values, dir direction, d time.Duration) string {
	var parts []string
	for _, p := range k.Params {
		if v, ok := given[p.Name]; ok {
			parts = append(parts, p.Name+"="+p.Type.Format(v))
		}
	}
	sort.Strings(parts)
	parts = append(parts, "direction="+dir.String())
	if d > 0 {
		parts = append(parts, "duration="+d.String())
	}
	return strings.Join(parts, " ")
}

func sorted(names ...string) []string {
	out := append([]string(nil), names...)
	sort.Strings(out)
	return out
}
