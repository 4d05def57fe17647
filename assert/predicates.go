package assert

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// Predicates read a State and say whether a condition holds now, with a
// reason a person can act on either way. The runner's `wait` steps poll
// them; the mesh and discovery properties evaluate them along the timeline.

// Mesh says whether the route graph, as the servers last reported it,
// equals the expected one: every pair of running servers that nothing
// separates routes to each other (each lists the other among its Peers),
// and no separated pair does (a route across a cut is a bypass). Pairs with
// a frozen server are skipped: it cannot be trusted to report or to drop
// routes. A server's observation counts only if it was made after the last
// topology change: one from before it describes the old graph.
func Mesh(st *State) (bool, string) {
	running := st.Running()
	var live []string
	for _, s := range running {
		if !st.Frozen(s) {
			live = append(live, s)
		}
	}
	var problems, graph []string
	for _, a := range live {
		sv := st.Servers[a]
		if sv.Obs == nil || sv.Obs.Seq <= st.Topology.Seq {
			problems = append(problems, fmt.Sprintf("%s not observed since %s at %s", a, st.Topology.What, dur(st.Topology.T)))
			continue
		}
		var want []string
		for _, b := range live {
			if b != a && !st.Separated(a, b) && st.SameCluster(a, b) {
				want = append(want, b)
			}
		}
		var got, bypass, gone []string
		for _, p := range sortedSet(sv.Obs.Peers) {
			switch ps, ok := st.Servers[p]; {
			case p == a || (ok && ps.Running && st.Frozen(p)):
				continue // a self route is ignored; a frozen peer is skipped
			case !ok || !ps.Running:
				gone = append(gone, p)
			case st.Separated(a, p):
				bypass = append(bypass, p)
			}
			got = append(got, p)
		}
		graph = append(graph, a+"→"+list(got))
		if slices.Equal(got, want) {
			continue
		}
		msg := fmt.Sprintf("%s routes to %s but expected %s", a, list(got), list(want))
		if len(bypass) > 0 {
			msg += fmt.Sprintf(" (bypass: %s across the cut)", list(bypass))
		}
		if len(gone) > 0 {
			msg += fmt.Sprintf(" (%s not running)", list(gone))
		}
		problems = append(problems, msg)
	}
	if len(problems) > 0 {
		return false, joinCap(problems, 3, "; ")
	}
	if len(live) == 0 {
		return true, "no running server to route"
	}
	return true, "routes " + strings.Join(graph, " ")
}

// Discovered says whether every connected client (as Connected counts
// them) knows every server it could reach: running, not in lame duck (a
// server in lame duck is withdrawn from the URLs gossiped to clients), not
// frozen, and not separated from the client's own server by a partition or
// route cut. Knowing more servers is fine: clients keep configured URLs.
func Discovered(st *State) (bool, string) {
	var problems []string
	connected := 0
	offered := offeredServers(st)
	for _, name := range sortedKeys(st.Clients) {
		c := st.Clients[name]
		srv, _ := st.linkOf(c)
		if srv == "" {
			continue
		}
		connected++
		if missing, _ := st.unknownTo(c, srv, offered); len(missing) > 0 {
			problems = append(problems, fmt.Sprintf("%s on %s does not know %s", name, srv, list(missing)))
		}
	}
	if len(problems) > 0 {
		return false, fmt.Sprintf("%d of %d connected clients miss servers: %s", len(problems), connected, joinCap(problems, 3, "; "))
	}
	return true, fmt.Sprintf("%d connected clients know every reachable server", connected)
}

// offeredServers lists the servers a client can be told about: running,
// not in lame duck, not frozen.
func offeredServers(st *State) []string {
	var offered []string
	for _, r := range st.Running() {
		if !st.Servers[r].LameDuck && !st.Frozen(r) {
			offered = append(offered, r)
		}
	}
	return offered
}

// unknownTo lists the offered servers a client on srv could reach but does
// not know, and how many it could reach besides srv.
func (s *State) unknownTo(c *ClientState, srv string, offered []string) (missing []string, reachable int) {
	for _, r := range offered {
		if r == srv || s.Separated(srv, r) || !s.SameCluster(srv, r) { // clients learn their own cluster only
			continue
		}
		reachable++
		if !slices.Contains(c.Known, r) {
			missing = append(missing, r)
		}
	}
	return missing, reachable
}

// Connected says whether every client the timeline knows is connected to
// a server that is running, not frozen, and not cut off from its clients
// by a fault. A client still "connected" to a frozen server does not count.
// Clients that left (a leave step) are not counted at all.
func Connected(st *State) (bool, string) {
	var problems []string
	present := 0
	for _, name := range sortedKeys(st.Clients) {
		c := st.Clients[name]
		if c.Left {
			continue
		}
		present++
		if _, why := st.linkOf(c); why != "" {
			problems = append(problems, name+" "+why)
		}
	}
	if len(problems) > 0 {
		return false, fmt.Sprintf("%d of %d clients not connected: %s", len(problems), present, joinCap(problems, 3, "; "))
	}
	return true, fmt.Sprintf("all %d clients connected", present)
}

// linkOf returns the server a client really talks to, or "" and why not.
func (s *State) linkOf(c *ClientState) (string, string) {
	switch {
	case c.Closed:
		return "", "closed at " + dur(c.Since)
	case !c.Connected:
		return "", "disconnected since " + dur(c.Since)
	}
	if sv, ok := s.Servers[c.Server]; (!ok || !sv.Running) && !s.Leaves[c.Server] {
		return "", "on " + c.Server + " which is not running"
	}
	if s.Frozen(c.Server) {
		return "", "on frozen " + c.Server
	}
	if f := s.CutOff(c.Server); f != nil {
		return "", "on " + c.Server + " cut off by " + f.String()
	}
	return c.Server, ""
}

// Balanced says whether the skew of client counts is at most maxSkew.
func Balanced(st *State, maxSkew float64) (bool, string) {
	r, missing := skewOf(st)
	if missing != "" {
		return false, missing
	}
	if r.Skew > maxSkew {
		return false, fmt.Sprintf("skew %.2f > %.2f: %s", r.Skew, maxSkew, r)
	}
	return true, fmt.Sprintf("skew %.2f ≤ %.2f: %s", r.Skew, maxSkew, r)
}

// skewReading is the client counts of the servers that take clients, as
// the servers themselves last reported them.
type skewReading struct {
	Skew   float64
	Mean   float64
	Counts map[string]int
}

func (r skewReading) String() string {
	var b strings.Builder
	for i, n := range sortedKeys(r.Counts) {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", n, r.Counts[n])
	}
	fmt.Fprintf(&b, " clients (mean %.1f)", r.Mean)
	return b.String()
}

// skewOf computes skew = max |count − mean| / mean over the running
// servers that take clients (not in lame duck, where clients are being
// sent away, and not frozen, where counts are meaningless). Each needs an
// observation since it last started; missing says which does not. No
// clients at all is balanced (skew 0).
func skewOf(st *State) (r skewReading, missing string) {
	r.Counts = map[string]int{}
	var unseen []string
	total := 0
	for _, n := range st.Running() {
		sv := st.Servers[n]
		if sv.LameDuck || st.Frozen(n) {
			continue
		}
		if sv.Obs == nil || sv.Obs.Seq <= sv.Started.Seq {
			unseen = append(unseen, n)
			continue
		}
		r.Counts[n] = sv.Obs.Clients
		total += sv.Obs.Clients
	}
	if len(unseen) > 0 {
		return r, "no observation since start of " + list(unseen)
	}
	if len(r.Counts) == 0 {
		return r, noServerTakesClients
	}
	r.Mean = float64(total) / float64(len(r.Counts))
	if total == 0 {
		return r, ""
	}
	if st.Gateways != nil {
		r.Skew = st.skewPerCluster(r.Counts) // clients stay in their own cluster
		return r, ""
	}
	for _, c := range r.Counts {
		r.Skew = math.Max(r.Skew, math.Abs(float64(c)-r.Mean)/r.Mean)
	}
	return r, ""
}

const noServerTakesClients = "no running server takes clients"

func sortedSet(xs []string) []string {
	out := slices.Clone(xs)
	sort.Strings(out)
	return slices.Compact(out)
}
