package assert

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// RecoveryGrace widens every fault window on both sides: before, for
// messages already in flight (in socket buffers) when the fault struck;
// after the observed recovery (the client's ClientReconnect, which comes
// after its subscriptions were resent, or an Observe showing the route
// back), for interest to propagate over the routes again. A subscriber
// whose reconnect was confirmed (ClientResubscribed) is recovering until
// the confirmation plus this grace instead: see lossFold.resubscribed.
const RecoveryGrace = 250 * time.Millisecond

const forever = time.Duration(math.MaxInt64)

// window is a stretch of time in which a client, or a route between two
// servers, was inside a fault: losses published in it are explained.
type window struct {
	from, to time.Duration
	why      string
}

// span is a stretch of time a client was connected to one server.
type span struct {
	server   string
	from, to time.Duration
}

type publisher struct {
	index   int    // the fleet's publisher index
	client  string // the publishing client
	subject string
	samples []sample
	end     uint64
	ended   bool
	refused []sim.Range
}

type subscriber struct {
	id, subject, queue string
	ready              time.Duration
	members            []string
}

// goneAt is when the last of the subscriber's members left (a leave
// step), or false while any member is still there.
func (f *lossFold) goneAt(s *subscriber) (time.Duration, bool) {
	var at time.Duration
	for _, m := range s.members {
		t, ok := f.left[m]
		if !ok {
			return 0, false
		}
		at = max(at, t)
	}
	return at, len(s.members) > 0
}

type ref struct {
	client string
	i      int
}

type pairRef struct {
	pair     [2]string
	i        int
	afterSeq int // the State.Seq of the fault's end: the route must be observed after it
}

// lossFold is what no_loss needs from the whole timeline, built in one
// pass over the shared State: publishers, subscribers, receipts, and the
// fault windows of every client and every route.
type lossFold struct {
	st         *State
	hops       *hopIndex // the gateway between publisher and subscriber (gateway_hops.go)
	pubs       map[int]*publisher
	subs       map[string]*subscriber
	receipts   map[string]map[int]sim.Event // by subscriber, then publisher index
	refusedErr map[string]uint64
	connected  map[string]time.Duration // first connection of each client
	left       map[string]time.Duration // clients that left, and when

	clientWin  map[string][]window
	spans      map[string][]span
	routeWin   map[[2]string][]window
	slowClient map[string][]string // subjects a client reported slow ("" = unknown)
	slowServer map[string][]window // when a server's slow consumer counter rose

	waitReconnect map[string][]int // open windows of a client, closed by its reconnection
	// resubscribing holds the last reconnect of each client whose
	// confirmation (ClientResubscribed) may still come; resubWin the
	// windows the confirmations closed, which explain losses to that
	// client as a subscriber only.
	resubscribing map[string]reconnected
	resubWin      map[string][]window
	waitFault     map[string][]ref // open client windows, closed by the fault's end
	routeFault    map[string][]pairRef
	reform        []pairRef // route windows waiting to see the route again
}

func foldLoss(events []sim.Event) *lossFold {
	f := &lossFold{
		st: NewState(), pubs: map[int]*publisher{}, subs: map[string]*subscriber{},
		receipts: map[string]map[int]sim.Event{}, refusedErr: map[string]uint64{}, connected: map[string]time.Duration{}, left: map[string]time.Duration{},
		clientWin: map[string][]window{}, spans: map[string][]span{}, routeWin: map[[2]string][]window{},
		slowClient: map[string][]string{}, slowServer: map[string][]window{},
		waitReconnect: map[string][]int{}, waitFault: map[string][]ref{}, routeFault: map[string][]pairRef{},
		resubscribing: map[string]reconnected{}, resubWin: map[string][]window{},
	}
	f.hops = hopsOf(events)
	for _, ev := range events {
		f.before(ev)
		f.st.Apply(ev)
		if ev.Kind == sim.Observe {
			f.routesSeen(ev.T)
		}
	}
	for _, p := range f.pubs {
		p.refused = normalized(p.refused)
		if t, ok := f.connected[p.client]; ok && (len(p.samples) == 0 || t <= p.samples[0].t) {
			// Nothing is published before the client first connects.
			p.samples = slices.Insert(p.samples, 0, sample{0, t})
		}
	}
	return f
}

// before handles ev against the state as it was before ev.
func (f *lossFold) before(ev sim.Event) {
	t := ev.T
	switch ev.Kind {
	case sim.SubReady:
		s, ok := f.subs[ev.Sub]
		if !ok {
			s = &subscriber{id: ev.Sub, subject: ev.Subject, queue: ev.Queue, ready: t}
			f.subs[ev.Sub] = s
		}
		if !slices.Contains(s.members, ev.Client) {
			s.members = append(s.members, ev.Client)
		}
	case sim.PublishRefused:
		// Not a progress sample: the fleet writes it when the next publish
		// succeeds, so a later sequence may already be out.
		n := max(ev.Count, 1)
		p := f.pub(ev)
		p.refused = append(p.refused, sim.Range{First: ev.Seq, Last: ev.Seq + n - 1})
		f.refusedErr[ev.Err] += n
	case sim.PublishProgress, sim.PublishEnd:
		p := f.pub(ev)
		if ev.Kind == sim.PublishEnd {
			p.end, p.ended = ev.Seq, true
		}
		if n := len(p.samples); n == 0 || ev.Seq >= p.samples[n-1].seq {
			p.samples = append(p.samples, sample{ev.Seq, t})
		}
	case sim.Receipt:
		m := f.receipts[ev.Sub]
		if m == nil {
			m = map[int]sim.Event{}
			f.receipts[ev.Sub] = m
		}
		m[ev.Pub] = ev
	case sim.ClientError:
		if ev.Slow {
			f.slowClient[ev.Client] = append(f.slowClient[ev.Client], ev.Subject)
		}
	case sim.ClientConnect, sim.ClientReconnect:
		c := ev.Client
		if _, ok := f.connected[c]; !ok {
			f.connected[c] = t
		}
		for _, i := range f.waitReconnect[c] {
			f.clientWin[c][i].to = t + RecoveryGrace
		}
		delete(f.waitReconnect, c)
		delete(f.resubscribing, c)
		if ev.Kind == sim.ClientReconnect {
			f.resubscribing[c] = reconnected{ev.Server, t}
		}
		f.closeSpan(c, t)
		f.spans[c] = append(f.spans[c], span{ev.Server, t, forever})
		// Connecting onto a server whose client links are faulted.
		for _, id := range sortedKeys(f.st.Faults) { // usually none
			if fl := f.st.Faults[id]; slices.Contains(faultedClientLinks(fl), ev.Server) {
				f.waitFault[id] = append(f.waitFault[id], f.open(c, t, fl.String()+" on "+ev.Server))
			}
		}
	case sim.ClientResubscribed:
		f.resubscribed(ev)
	case sim.ClientDisconnect:
		delete(f.resubscribing, ev.Client)
		f.closeSpan(ev.Client, t)
		if len(f.waitReconnect[ev.Client]) == 0 {
			// Otherwise a server's exit opened the window earlier and the
			// same reconnection closes it: this one adds nothing.
			f.awaitReconnect(ev.Client, t, ev.Client+" disconnected")
		}
	case sim.ClientClosed:
		delete(f.resubscribing, ev.Client)
		f.closeSpan(ev.Client, t)
	case sim.ClientLeave:
		// Messages in flight to it, or waiting in its library, when it
		// closed are not lost: the application let them go.
		f.closeSpan(ev.Client, t)
		f.left[ev.Client] = t
		f.clientWin[ev.Client] = append(f.clientWin[ev.Client], window{t - RecoveryGrace, t + RecoveryGrace, ev.Client + " left"})
	case sim.ServerStop, sim.ServerKill, sim.ServerLameDuck, sim.ServerExit:
		what := strings.TrimPrefix(string(ev.Kind), "server_") + " " + ev.Server
		for _, c := range f.clientsOn(ev.Server) {
			if len(f.waitReconnect[c]) == 0 { // the exit after a kill is the same fault
				f.awaitReconnect(c, t, what)
			}
		}
	case sim.Observe:
		// The counter rose since the last observation; what it dropped may
		// have waited in the outbound buffer a while before: widen back.
		if prev := f.st.Servers[ev.Server]; prev != nil && prev.Obs != nil && ev.SlowConsumers > prev.Obs.SlowConsumers {
			f.slowServer[ev.Server] = append(f.slowServer[ev.Server], window{prev.Obs.T - RecoveryGrace, t, ev.Server + " counted slow consumers"})
		}
	case sim.FaultStart:
		fl := faultOf(ev)
		for _, s := range faultedClientLinks(fl) {
			for _, c := range f.clientsOn(s) {
				f.waitFault[ev.Fault] = append(f.waitFault[ev.Fault], f.open(c, t, fl.String()))
			}
		}
		for _, pr := range f.faultedRoutes(fl) {
			f.routeWin[pr] = append(f.routeWin[pr], window{t - RecoveryGrace, forever, fl.String()})
			f.routeFault[ev.Fault] = append(f.routeFault[ev.Fault], pairRef{pair: pr, i: len(f.routeWin[pr]) - 1})
		}
	case sim.FaultEnd:
		for _, r := range f.waitFault[ev.Fault] {
			f.clientWin[r.client][r.i].to = t + RecoveryGrace
		}
		delete(f.waitFault, ev.Fault)
		for _, r := range f.routeFault[ev.Fault] {
			r.afterSeq = f.st.Seq + 1 // this FaultEnd's Seq once applied
			f.reform = append(f.reform, r)
		}
		delete(f.routeFault, ev.Fault)
	}
}

func (f *lossFold) pub(ev sim.Event) *publisher {
	p, ok := f.pubs[ev.Pub]
	if !ok {
		p = &publisher{index: ev.Pub, client: ev.Client}
		f.pubs[ev.Pub] = p
	}
	if ev.Subject != "" {
		p.subject = ev.Subject
	}
	return p
}

func (f *lossFold) open(c string, t time.Duration, why string) ref {
	f.clientWin[c] = append(f.clientWin[c], window{t - RecoveryGrace, forever, why})
	return ref{c, len(f.clientWin[c]) - 1}
}

func (f *lossFold) awaitReconnect(c string, t time.Duration, why string) {
	f.waitReconnect[c] = append(f.waitReconnect[c], f.open(c, t, why).i)
}

// reconnected is a client's reconnect to server at t.
type reconnected struct {
	server string
	t      time.Duration
}

// resubscribed closes the recovery of a reconnected subscriber at its
// confirmation: until then the server may not have had the resent
// subscriptions (nats.go reports a reconnect before it has), and interest
// needs RecoveryGrace more to cross the routes. A confirmation of no
// pending reconnect (another server, or a disconnect came first) is ignored.
func (f *lossFold) resubscribed(ev sim.Event) {
	c := ev.Client
	r, ok := f.resubscribing[c]
	if !ok || r.server != ev.Server {
		return
	}
	delete(f.resubscribing, c)
	why := fmt.Sprintf("subscriptions of %s propagating on %s (reconnected at %s, confirmed at %s)", c, r.server, dur(r.t), dur(ev.T))
	f.resubWin[c] = append(f.resubWin[c], window{r.t, ev.T + RecoveryGrace, why})
}

func (f *lossFold) closeSpan(c string, t time.Duration) {
	if s := f.spans[c]; len(s) > 0 && s[len(s)-1].to == forever {
		s[len(s)-1].to = t
	}
}

// clientsOn lists the clients connected to server, in name order.
func (f *lossFold) clientsOn(server string) []string {
	var out []string
	for _, n := range sortedKeys(f.st.Clients) {
		if f.st.Clients[n].Server == server {
			out = append(out, n)
		}
	}
	return out
}

// routesSeen closes the route windows whose route an observation now
// shows on both sides, after its fault ended.
func (f *lossFold) routesSeen(t time.Duration) {
	keep := f.reform[:0]
	for _, r := range f.reform {
		if f.routeUp(r.pair[0], r.pair[1], r.afterSeq) && f.routeUp(r.pair[1], r.pair[0], r.afterSeq) {
			f.routeWin[r.pair][r.i].to = t + RecoveryGrace
		} else {
			keep = append(keep, r)
		}
	}
	f.reform = keep
}

func (f *lossFold) routeUp(a, b string, afterSeq int) bool {
	if !f.st.SameCluster(a, b) {
		return f.st.gatewayPathUp(a, b, afterSeq)
	}
	sv := f.st.Servers[a]
	return sv != nil && sv.Running && sv.Obs != nil && sv.Obs.Seq > afterSeq && slices.Contains(sv.Obs.Peers, b)
}

// faultedClientLinks lists the servers whose client links a fault touches.
func faultedClientLinks(fl *Fault) []string {
	switch {
	case strings.HasPrefix(fl.Target, "client:"):
		return []string{strings.TrimPrefix(fl.Target, "client:")}
	case strings.HasPrefix(fl.Target, "server:"):
		return []string{strings.TrimPrefix(fl.Target, "server:")}
	case fl.Kind == "freeze":
		return fl.Servers
	}
	return nil
}

// faultedRoutes lists the server pairs whose route a fault touches: pairs
// a partition separates, a route target, every route of a frozen server.
func (f *lossFold) faultedRoutes(fl *Fault) [][2]string {
	var out [][2]string
	add := func(a, b string) {
		if a != b {
			out = append(out, pairOf(a, b))
		}
	}
	switch {
	case len(fl.Groups) > 0:
		for i, g := range fl.Groups {
			for _, h := range fl.Groups[i+1:] {
				for _, a := range g {
					for _, b := range h {
						add(a, b)
					}
				}
			}
		}
	case fl.routePair() != nil:
		p := fl.routePair()
		add(p[0], p[1])
	case strings.HasPrefix(fl.Target, "gateway:"):
		out = f.st.gatewayPairs(fl)
	case strings.HasPrefix(fl.Target, "client:"):
		// a client link fault leaves routes alone
	default:
		for _, s := range faultedClientLinks(fl) {
			for _, o := range sortedKeys(f.st.Servers) {
				add(s, o)
			}
		}
	}
	return out
}

func pairOf(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}
