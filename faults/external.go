package faults

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2/client"

	"github.com/natschaos/natschaos/sim"
)

// Toxiproxy is the fault layer of an external cluster: a toxiproxy server
// someone runs in front of it (in Kubernetes, a Deployment between the
// clients and the NATS pods, and between the pods' routes), driven through
// its HTTP API with toxiproxy's own Go client. It records the same
// fault_start and fault_end events as Layer, so the checkers read them the
// same way. It cannot tell who dialled a shared proxy, so each route
// direction needs its own proxy (RouteProxy), and it cannot freeze.
type Toxiproxy struct {
	tl      *sim.Timeline
	servers []string
	api     *toxiproxy.Client
	clients map[string][]string  // server → proxies its clients go through
	routes  map[[2]string]string // (dialler, target) → the proxy the dialler uses

	ctl    sync.Mutex // one fault operation at a time
	mu     sync.Mutex
	seq    int
	faults map[string]*extFault
	errs   []error
	wg     sync.WaitGroup
	closed bool
}

// ProxyLink names one toxiproxy proxy and the link it carries:
// "client:A" (clients of A), or "route:A-B" (the route connections A
// dials to B).
type ProxyLink struct {
	Link  string
	Proxy string
}

type extFault struct {
	id, kind, target string
	servers          []string
	groups           [][]string
	cuts             bool
	detail           string
	// proxies and toxics it changed, to undo: disabled proxies, and
	// toxics by proxy.
	disabled []string
	toxics   map[string][]string
	timer    *time.Timer
}

// SplitRoute splits the "A-B" of route:A-B where both halves are servers
// (names may contain '-').
func SplitRoute(rest string, servers []string) (string, string, bool) {
	var a, b string
	n := 0
	for i := 0; i < len(rest); i++ {
		if rest[i] == '-' && slices.Contains(servers, rest[:i]) && slices.Contains(servers, rest[i+1:]) {
			a, b = rest[:i], rest[i+1:]
			n++
		}
	}
	return a, b, n == 1
}

// NewToxiproxy drives the toxiproxy API at api (http://host:8474) for the
// named servers.
func NewToxiproxy(tl *sim.Timeline, api string, servers []string, links []ProxyLink) (*Toxiproxy, error) {
	t := &Toxiproxy{tl: tl, servers: servers, api: toxiproxy.NewClient(api), clients: map[string][]string{}, routes: map[[2]string]string{}, faults: map[string]*extFault{}}
	for _, l := range links {
		kind, rest, _ := strings.Cut(l.Link, ":")
		switch kind {
		case "client":
			t.clients[rest] = append(t.clients[rest], l.Proxy)
		case "route":
			a, b, ok := SplitRoute(rest, servers)
			if !ok {
				return nil, fmt.Errorf("toxiproxy: link %q: want route:<dialler>-<target> naming two servers", l.Link)
			}
			t.routes[[2]string{a, b}] = l.Proxy
		default:
			return nil, fmt.Errorf("toxiproxy: link %q: want client:<server> or route:<dialler>-<target>", l.Link)
		}
	}
	return t, nil
}

// proxiesFor lists the proxies of a target with, for each, the streams a
// direction means on it.
func (t *Toxiproxy) proxiesFor(target string, dir direction) (map[string][]string, []string, error) {
	streams := func(d direction, flipped bool) []string {
		switch {
		case d == dirBoth:
			return []string{"upstream", "downstream"}
		case (d == dirUp) != flipped:
			return []string{"upstream"}
		}
		return []string{"downstream"}
	}
	kind, rest, _ := strings.Cut(target, ":")
	out := map[string][]string{}
	switch kind {
	case "client":
		ps := t.clients[rest]
		if len(ps) == 0 {
			return nil, nil, fmt.Errorf("toxiproxy: no proxy for client:%s", rest)
		}
		for _, p := range ps {
			out[p] = streams(dir, false)
		}
		return out, []string{rest}, nil
	case "route":
		a, b, ok := SplitRoute(rest, t.servers)
		if !ok {
			return nil, nil, fmt.Errorf("toxiproxy: target %q: want route:<A>-<B> naming two servers", target)
		}
		if p := t.routes[[2]string{a, b}]; p != "" {
			out[p] = streams(dir, false) // A dials: upstream is A to B
		}
		if p := t.routes[[2]string{b, a}]; p != "" {
			out[p] = streams(dir, true) // B dials: A to B is downstream
		}
		if len(out) == 0 {
			return nil, nil, fmt.Errorf("toxiproxy: no proxy for route:%s-%s or route:%s-%s", a, b, b, a)
		}
		return out, sorted(a, b), nil
	}
	return nil, nil, fmt.Errorf("toxiproxy: target %q: want client:<server> or route:<A>-<B>", target)
}

// Inject starts a fault through the toxiproxy API and returns its id.
func (t *Toxiproxy) Inject(spec Spec) (string, error) {
	k, vals, dir, err := prepare(spec)
	if err != nil {
		return "", err
	}
	if k.External == nil {
		return "", fmt.Errorf("toxiproxy: fault kind %s cannot run through stock toxiproxy", k.Name)
	}
	x, err := k.External(vals)
	if err != nil {
		return "", fmt.Errorf("faults: %s: %w", k.Name, err)
	}
	proxies, servers, err := t.proxiesFor(spec.Target, dir)
	if err != nil {
		return "", err
	}
	f := &extFault{kind: k.Name, target: spec.Target, servers: servers, cuts: k.Cuts, detail: describe(k, spec.Params, dir, spec.Duration), toxics: map[string][]string{}}
	return t.begin(f, spec.Duration, func() error {
		if x.Disable {
			return t.disable(f, keys(proxies))
		}
		return t.addToxic(f, proxies, x.Toxic, x.Attrs)
	})
}

// Partition cuts the route proxies between servers of different groups:
// mode close disables them (live connections close, new dials are
// refused); mode stall holds their data (a timeout toxic with no timeout).
func (t *Toxiproxy) Partition(groups [][]string, mode Mode, duration time.Duration) (string, error) {
	if mode == "" {
		mode = ModeClose
	}
	if mode != ModeClose && mode != ModeStall {
		return "", fmt.Errorf("faults: partition mode %q: want close or stall", mode)
	}
	if len(groups) < 2 {
		return "", fmt.Errorf("faults: a partition needs at least two groups, got %d", len(groups))
	}
	group := map[string]int{}
	var all []string
	var parts []string
	var copied [][]string
	for i, g := range groups {
		for _, s := range g {
			group[s] = i
		}
		all = append(all, g...)
		parts = append(parts, strings.Join(g, ","))
		copied = append(copied, append([]string(nil), g...))
	}
	var cut []string
	for pair, p := range t.routes {
		ga, oka := group[pair[0]]
		gb, okb := group[pair[1]]
		if oka && okb && ga != gb {
			cut = append(cut, p)
		}
	}
	sort.Strings(cut)
	f := &extFault{kind: "partition", target: "partition:" + strings.Join(parts, "|"), servers: sorted(all...), groups: copied, cuts: true,
		detail: fmt.Sprintf("mode=%s", mode), toxics: map[string][]string{}}
	if duration > 0 {
		f.detail += " duration=" + duration.String()
	}
	return t.begin(f, duration, func() error {
		if mode == ModeClose {
			return t.disable(f, cut)
		}
		proxies := map[string][]string{}
		for _, p := range cut {
			proxies[p] = []string{"upstream", "downstream"}
		}
		return t.addToxic(f, proxies, "timeout", map[string]any{"timeout": 0})
	})
}

// Freeze is not possible through a proxy alone.
func (t *Toxiproxy) Freeze(string, time.Duration) (string, error) {
	return "", errors.New("faults: freeze cannot run on an external cluster")
}

func keys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (t *Toxiproxy) disable(f *extFault, proxies []string) error {
	for _, name := range proxies {
		p, err := t.api.Proxy(name)
		if err == nil {
			err = p.Disable()
		}
		if err != nil {
			return fmt.Errorf("toxiproxy: disabling %s: %w", name, err)
		}
		f.disabled = append(f.disabled, name)
	}
	return nil
}

func (t *Toxiproxy) addToxic(f *extFault, proxies map[string][]string, typ string, attrs map[string]any) error {
	a := toxiproxy.Attributes(attrs)
	for _, name := range keys(proxies) {
		p, err := t.api.Proxy(name)
		if err != nil {
			return fmt.Errorf("toxiproxy: %s: %w", name, err)
		}
		for _, stream := range proxies[name] {
			tn := f.id + "_" + stream // a "/" would split the API path
			if _, err := p.AddToxic(tn, typ, stream, 1, a); err != nil {
				return fmt.Errorf("toxiproxy: adding %s to %s: %w", typ, name, err)
			}
			f.toxics[name] = append(f.toxics[name], tn)
		}
	}
	return nil
}

// anyAttrs is a kind's toxic attributes in the API's type.
func anyAttrs(m map[string]int64) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// begin records the start, then applies the fault; a failure to apply is
// undone and recorded as the fault's immediate end.
func (t *Toxiproxy) begin(f *extFault, d time.Duration, apply func() error) (string, error) {
	t.ctl.Lock()
	defer t.ctl.Unlock()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return "", ErrClosed
	}
	t.seq++
	f.id = fmt.Sprintf("%s-%d", f.kind, t.seq)
	t.faults[f.id] = f
	t.mu.Unlock()
	t.tl.Add(sim.Event{Kind: sim.FaultStart, Fault: f.id, FaultKind: f.kind, Target: f.target,
		Servers: f.servers, Groups: f.groups, Cuts: f.cuts, Detail: f.detail})
	if err := apply(); err != nil {
		t.healLocked(f.id, "failed")
		return "", err
	}
	if d > 0 {
		id := f.id
		t.wg.Add(1)
		f.timer = time.AfterFunc(d, func() {
			defer t.wg.Done()
			t.ctl.Lock()
			defer t.ctl.Unlock()
			t.healLocked(id, "expired")
		})
	}
	return f.id, nil
}

// Heal ends one fault.
func (t *Toxiproxy) Heal(id string) error {
	t.ctl.Lock()
	defer t.ctl.Unlock()
	if !t.healLocked(id, "healed") {
		return fmt.Errorf("faults: no active fault %q", id)
	}
	return nil
}

// HealAll ends every active fault, newest first.
func (t *Toxiproxy) HealAll() {
	t.ctl.Lock()
	defer t.ctl.Unlock()
	t.healAllLocked("healed")
}

func (t *Toxiproxy) healAllLocked(why string) {
	ids := t.Active()
	for i := len(ids) - 1; i >= 0; i-- {
		t.healLocked(ids[i], why)
	}
}

// healLocked undoes a fault through the API, then records its end. ctl held.
func (t *Toxiproxy) healLocked(id, why string) bool {
	t.mu.Lock()
	f := t.faults[id]
	delete(t.faults, id)
	t.mu.Unlock()
	if f == nil {
		return false
	}
	if f.timer != nil && f.timer.Stop() {
		t.wg.Done() // it will not run
	}
	for name, tns := range f.toxics {
		p, err := t.api.Proxy(name)
		for _, tn := range tns {
			if err == nil {
				err = p.RemoveToxic(tn)
			}
		}
		if err != nil {
			t.fail(fmt.Errorf("healing %s: removing toxics from %s: %w", f.id, name, err))
		}
	}
	for _, name := range f.disabled {
		p, err := t.api.Proxy(name)
		if err == nil {
			err = p.Enable()
		}
		if err != nil {
			t.fail(fmt.Errorf("healing %s: enabling %s: %w", f.id, name, err))
		}
	}
	t.tl.Add(sim.Event{Kind: sim.FaultEnd, Fault: f.id, FaultKind: f.kind, Target: f.target,
		Servers: f.servers, Groups: f.groups, Cuts: f.cuts, Detail: why})
	return true
}

func (t *Toxiproxy) fail(err error) {
	if err == nil {
		return
	}
	t.mu.Lock()
	t.errs = append(t.errs, fmt.Errorf("toxiproxy: %w", err))
	t.mu.Unlock()
}

// Active lists the active faults' ids, oldest first.
func (t *Toxiproxy) Active() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	type idSeq struct {
		id  string
		seq int
	}
	var out []idSeq
	for id := range t.faults {
		var n int
		_, _ = fmt.Sscanf(id[strings.LastIndex(id, "-")+1:], "%d", &n)
		out = append(out, idSeq{id, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	ids := make([]string, len(out))
	for i, o := range out {
		ids[i] = o.id
	}
	return ids
}

// Err reports what the API refused while healing: the toxiproxy may still
// hold a fault, and the verdicts after it are suspect.
func (t *Toxiproxy) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return errors.Join(t.errs...)
}

// Close heals every fault ("closed") and waits for duration timers.
func (t *Toxiproxy) Close() error {
	t.ctl.Lock()
	t.healAllLocked("closed")
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.ctl.Unlock()
	t.wg.Wait()
	// toxiproxy's client uses http.DefaultTransport: its idle connections
	// (and their goroutines) would outlive the run.
	if tr, ok := http.DefaultTransport.(*http.Transport); ok {
		tr.CloseIdleConnections()
	}
	return nil
}
