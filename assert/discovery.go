package assert

import (
	"fmt"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// DiscoveryParams are the parameters of `discovery: {within: 2s}`.
type DiscoveryParams struct {
	// Within is how long after its own (re)connection, or a membership
	// change, a client may take to learn the servers.
	Within time.Duration `yaml:"within" json:"within"`
}

// Doc says what the property judges, for the scenario schema.
func (DiscoveryParams) Doc() string {
	return "Each connected client's discovered set converges to the live servers."
}

// SetDefaults bounds discovery by DefaultWithin.
func (p *DiscoveryParams) SetDefaults() { p.Within = DefaultWithin }

// Validate rejects a missing bound.
func (p DiscoveryParams) Validate() error {
	if p.Within <= 0 {
		return paramErrorf("within", "must be > 0, got %v", p.Within)
	}
	return nil
}

func init() { Register("discovery", checkDiscovery) }

// checkDiscovery judges every client. A client's connection or
// reconnection opens a window for that client, and a membership change
// (a server start, exit, add or remove) opens one for every connected
// client. Within p.Within of its opening the client must, at some moment,
// know every server it could reach (see Discovered). A window of a client
// that disconnects, closes, leaves or is cut off before its bound is not
// judged: its next connection opens another. Then the state at the end of
// the steady part must hold for every connected client whose windows have
// all closed, unless a partition, route cut or freeze began or ended less
// than p.Within before the end (that end is not verified: such a change
// opens no window).
//
// Its subjects are the windows and the end state: with no client ever
// connected, no window verified and no end state, or nothing for any
// client to learn (one reachable server), it fails as vacuous.
func checkDiscovery(p DiscoveryParams, events []sim.Event) Result {
	d := &discoveryRun{within: p.Within, st: NewState(), open: map[string][]*clientWindow{}, byCause: map[string]*causeTally{}}
	return d.judge(events)
}

// clientWindow is one client's obligation to learn the reachable servers.
type clientWindow struct {
	client string
	cause  string // "start C", "connection to A", "reconnection to B"
	at     time.Duration
	// why and whyAt: the last failing evaluation inside the window.
	why   string
	whyAt time.Duration
	done  bool
	tally *causeTally
}

// causeTally sums the windows one membership change opened, or all the
// clients' own (re)connections.
type causeTally struct {
	at                    time.Duration
	windows, held, failed int
	slowest               time.Duration
	slowestClient         string
}

type discoveryRun struct {
	within time.Duration
	st     *State
	// offered is offeredServers(st), read again only after an event that
	// can change it (discoveryGlobal).
	offered []string
	queue   []*clientWindow // in opening order, so by deadline too
	open    map[string][]*clientWindow

	byCause     map[string]*causeTally
	causes      []string // byCause's keys, in order of first use
	clients     map[string]bool
	everLinked  int
	held        int
	failed      int
	dropped     int
	unverified  int
	reachable   int // the most servers any judged client had to know besides its own
	slowest     time.Duration
	slowestWhat string
	failures    []string
	firstFail   *clientWindow
	// lastCut is the last topology change that opens no window (a
	// partition, route cut or freeze starting or ending): clients may
	// take Within after it to learn the servers it gave back.
	lastCut Change
}

func (d *discoveryRun) judge(events []sim.Event) Result {
	d.clients = map[string]bool{}
	end := TeardownStart(events)
	linked := map[string]bool{}
	for _, ev := range events[:end] {
		d.expire(ev.T)
		d.st.Apply(ev)
		if discoveryGlobal(ev) {
			d.offered = offeredServers(d.st)
		}
		switch ev.Kind {
		case sim.ClientConnect, sim.ClientReconnect:
			if !linked[ev.Client] {
				linked[ev.Client] = true
				d.everLinked++
			}
			what := "connection to " + ev.Server
			if ev.Kind == sim.ClientReconnect {
				what = "reconnection to " + ev.Server
			}
			d.openFor(ev.Client, what, ev.T, "(re)connections")
			d.evaluate(ev.Client, ev.T)
		case sim.ClientDiscovered:
			d.evaluate(ev.Client, ev.T)
		case sim.ClientDisconnect, sim.ClientClosed, sim.ClientLeave:
			d.drop(ev.Client)
		}
		if d.st.Membership.Seq == d.st.Seq {
			ch := d.st.Membership
			for _, name := range sortedKeys(d.st.Clients) {
				if srv, _ := d.st.linkOf(d.st.Clients[name]); srv != "" {
					d.openFor(name, ch.What, ch.T, fmt.Sprintf("%s at %s", ch.What, dur(ch.T)))
				}
			}
		}
		if d.st.Topology.Seq == d.st.Seq && d.st.Membership.Seq != d.st.Seq {
			d.lastCut = d.st.Topology
		}
		if discoveryGlobal(ev) {
			for _, name := range sortedKeys(d.open) {
				d.evaluate(name, ev.T)
			}
		}
	}
	var endT time.Duration
	if end < len(events) {
		endT = events[end].T
	} else if end > 0 {
		endT = events[end-1].T
	}
	d.expire(endT + 1) // windows whose bound passed by the end
	for _, w := range d.queue {
		if !w.done {
			d.unverified++
		}
	}
	return d.verdict(endT)
}

// discoveryGlobal says whether ev can change what a client must know or
// whether it is linked: every open window is evaluated again.
func discoveryGlobal(ev sim.Event) bool {
	switch ev.Kind {
	case sim.ServerStart, sim.ServerAdd, sim.ServerLameDuck, sim.ServerExit, sim.ServerRemove, sim.FaultStart, sim.FaultEnd:
		return true
	}
	return false
}

// openFor opens a window for client; tally names the sum it counts in:
// the membership change, or all the clients' own (re)connections.
func (d *discoveryRun) openFor(client, cause string, at time.Duration, tally string) {
	ct, ok := d.byCause[tally]
	if !ok {
		ct = &causeTally{at: at}
		d.byCause[tally] = ct
		d.causes = append(d.causes, tally)
	}
	ct.windows++
	w := &clientWindow{client: client, cause: cause, at: at, tally: ct}
	d.queue = append(d.queue, w)
	d.open[client] = append(d.open[client], w)
}

// evaluate checks one client's open windows in the current state.
func (d *discoveryRun) evaluate(client string, t time.Duration) {
	ws := d.open[client]
	if len(ws) == 0 {
		return
	}
	c := d.st.Clients[client]
	srv, _ := d.st.linkOf(c)
	if srv == "" {
		return // not judged while it is not linked to a server
	}
	missing, reachable := d.st.unknownTo(c, srv, d.offered)
	if len(missing) > 0 {
		why := fmt.Sprintf("%s on %s does not know %s", client, srv, list(missing))
		for _, w := range ws {
			w.why, w.whyAt = why, t
		}
		return
	}
	d.reachable = max(d.reachable, reachable)
	d.clients[client] = true
	for _, w := range ws {
		w.done = true
		d.held++
		took := t - w.at
		ct := w.tally
		ct.held++
		if took > ct.slowest || ct.slowestClient == "" {
			ct.slowest, ct.slowestClient = took, client
		}
		if took > d.slowest || d.slowestWhat == "" {
			d.slowest, d.slowestWhat = took, fmt.Sprintf("%s after %s at %s", client, w.cause, dur(w.at))
		}
	}
	delete(d.open, client)
}

// drop ends a client's open windows unjudged: it left its server first.
func (d *discoveryRun) drop(client string) {
	for _, w := range d.open[client] {
		w.done = true
		d.dropped++
	}
	delete(d.open, client)
}

// expire closes the windows whose bound is before t: failed if the client
// is still linked to a server, not judged if it is cut off.
func (d *discoveryRun) expire(t time.Duration) {
	n := 0
	for _, w := range d.queue {
		if w.at+d.within >= t {
			break
		}
		n++
		if w.done {
			continue
		}
		w.done = true
		d.removeOpen(w)
		if srv, _ := d.st.linkOf(d.st.Clients[w.client]); srv == "" || w.why == "" {
			d.dropped++ // cut off, or never evaluated while linked
			continue
		}
		d.failed++
		d.clients[w.client] = true
		w.tally.failed++
		if d.firstFail == nil {
			d.firstFail = w
		}
		if len(d.failures) < 50 {
			d.failures = append(d.failures, fmt.Sprintf("%s: not within %s of %s at %s; at %s %s", w.client, dur(d.within), w.cause, dur(w.at), dur(w.whyAt), w.why))
		}
	}
	d.queue = d.queue[n:]
}

func (d *discoveryRun) removeOpen(w *clientWindow) {
	ws := d.open[w.client]
	for i, x := range ws {
		if x == w {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(d.open, w.client)
	} else {
		d.open[w.client] = ws
	}
}

// endState judges the connected clients with no open window at endT; it
// returns how many were judged and the failing ones.
func (d *discoveryRun) endState() (judged int, failing []string) {
	offered := offeredServers(d.st)
	for _, name := range sortedKeys(d.st.Clients) {
		c := d.st.Clients[name]
		srv, _ := d.st.linkOf(c)
		if srv == "" || len(d.open[name]) > 0 {
			continue
		}
		judged++
		d.clients[name] = true
		missing, reachable := d.st.unknownTo(c, srv, offered)
		d.reachable = max(d.reachable, reachable)
		if len(missing) > 0 {
			failing = append(failing, fmt.Sprintf("%s on %s does not know %s", name, srv, list(missing)))
		}
	}
	return judged, failing
}

func (d *discoveryRun) verdict(endT time.Duration) Result {
	endJudged, endVerified := 0, d.lastCut.Seq == 0 || d.lastCut.T+d.within <= endT
	var endFailing []string
	if endVerified {
		endJudged, endFailing = d.endState()
	}
	details := []string{fmt.Sprintf("%d windows: %d held, %d failed, %d not judged (the client disconnected or was cut off first), %d not verified (the run ended first)",
		d.held+d.failed+d.dropped+d.unverified, d.held, d.failed, d.dropped, d.unverified)}
	for _, c := range d.causes {
		ct := d.byCause[c]
		line := fmt.Sprintf("%s: %d windows, %d held, %d failed", c, ct.windows, ct.held, ct.failed)
		if c == "(re)connections" {
			line = fmt.Sprintf("clients' own (re)connections from %s: %d windows, %d held, %d failed", dur(ct.at), ct.windows, ct.held, ct.failed)
		}
		if ct.held > 0 {
			line += fmt.Sprintf(", slowest %s (%s)", dur(ct.slowest), ct.slowestClient)
		}
		details = append(details, line)
	}
	if endVerified {
		details = append(details, fmt.Sprintf("at the end, %s: %d connected clients judged, %d miss servers", dur(endT), endJudged, len(endFailing)))
	} else {
		details = append(details, fmt.Sprintf("at the end, %s: not verified (%s at %s, less than %s before)", dur(endT), d.lastCut.What, dur(d.lastCut.T), dur(d.within)))
	}
	details = append(details, d.failures...)
	details = append(details, endFailing...)
	details = capLines(details, 60)

	judged := d.held + d.failed
	if d.firstFail != nil {
		w := d.firstFail
		r := failf(w.at, "after %s at %s discovery did not hold within %s for %s: at %s %s", w.cause, dur(w.at), dur(d.within), w.client, dur(w.whyAt), w.why)
		if d.failed > 1 {
			r.Evidence += fmt.Sprintf(" (%d of %d windows failed)", d.failed, judged)
		}
		r.Details = details
		return r
	}
	if len(endFailing) > 0 {
		r := failf(endT, "at the end, %s, %d of %d connected clients miss servers: %s", dur(endT), len(endFailing), endJudged, joinCap(endFailing, 3, "; "))
		r.Details = details
		return r
	}
	switch {
	case d.everLinked == 0:
		return vacuousf("no client was ever connected: nobody to learn the servers")
	case judged == 0 && endJudged == 0:
		r := vacuousf("no window of %d clients was verified (%d not judged, %d not verified) and the end state was not: nothing judged", d.everLinked, d.dropped, d.unverified)
		r.Details = details
		return r
	case d.reachable == 0:
		r := vacuousf("no client could reach a server besides its own: nothing to learn (%d windows, %d clients at the end)", judged, endJudged)
		r.Details = details
		return r
	}
	r := passf("discovery held within %s in each of %d windows over %d clients", dur(d.within), judged, len(d.clients))
	if judged > 0 {
		r.Evidence += fmt.Sprintf(" (slowest %s, %s)", dur(d.slowest), d.slowestWhat)
	}
	if endVerified {
		r.Evidence += fmt.Sprintf(" and at the end for %d connected clients", endJudged)
	} else {
		r.Evidence += "; the end state was not verified: " + d.lastCut.What + " came less than " + dur(d.within) + " before the end"
	}
	r.Details = details
	return r
}
