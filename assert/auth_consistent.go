package assert

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// AuthConsistentParams are the parameters of `auth_consistent: {}` (none).
type AuthConsistentParams struct{}

// Doc says what the property judges, for the scenario schema.
func (AuthConsistentParams) Doc() string {
	return "No client accepted on one server is rejected on another; no forbidden probe goes unrefused."
}

func init() { Register("auth_consistent", checkAuthConsistent) }

// checkAuthConsistent judges the docs' warning that every server of a
// cluster must carry the same users and permissions, from what clients
// saw: a client accepted by one server and later rejected by another
// (ClientRejected after a ClientConnect or ClientReconnect), or a publish
// to a subject the client's user may not publish to that a server let
// through (a Probe event with Detail "allowed"). Each names the server.
// Its subjects are the clients that moved to another server and the
// probes: with neither (or no client accepted at all), it fails as vacuous.
func checkAuthConsistent(_ AuthConsistentParams, events []sim.Event) Result {
	end := TeardownStart(events)
	acceptedOn := map[string]string{} // client -> first server that accepted it
	refusedOn := map[string]probeSeen{}
	var rejections, gains []string
	var first string
	var firstAt time.Duration
	byServer := map[string]map[string]int{"rejected": {}, "not refused": {}}
	accepted, probes, refused, rejectedUnaccepted := 0, 0, 0, 0
	refusedBy := map[string]bool{}
	fail := func(at time.Duration, list *[]string, what, server, line string) {
		if first == "" {
			first, firstAt = line, at
		}
		*list = append(*list, line)
		byServer[what][serverOrUnknown(server)]++
	}
	moved := map[string]bool{} // clients accepted by a second server
	for _, ev := range events[:end] {
		switch ev.Kind {
		case sim.ClientConnect, sim.ClientReconnect:
			if on, ok := acceptedOn[ev.Client]; !ok && ev.Server != "" {
				acceptedOn[ev.Client] = ev.Server
				accepted++
			} else if ok && ev.Server != "" && ev.Server != on {
				moved[ev.Client] = true
			}
		case sim.ClientRejected:
			first, ok := acceptedOn[ev.Client]
			if !ok {
				rejectedUnaccepted++
				continue
			}
			fail(ev.T, &rejections, "rejected", ev.Server, fmt.Sprintf("%s rejected %s (%s) at %s after it had been accepted on %s",
				serverOrUnknown(ev.Server), ev.Client, shortAuthErr(ev.Err), dur(ev.T), first))
		case sim.ProbeResult:
			probes++
			if ev.Detail == "refused" {
				refused++
				refusedBy[ev.Server] = true
				if _, ok := refusedOn[ev.Client]; !ok {
					refusedOn[ev.Client] = probeSeen{ev.Server, ev.T}
				}
				continue
			}
			line := fmt.Sprintf("%s published to forbidden subject %s on %s at %s: not refused", ev.Client, ev.Subject, ev.Server, dur(ev.T))
			if r, ok := refusedOn[ev.Client]; ok {
				line += fmt.Sprintf(" (refused on %s at %s)", r.server, dur(r.at))
			}
			fail(ev.T, &gains, "not refused", ev.Server, line)
		}
	}
	if n := len(rejections) + len(gains); n > 0 {
		res := failf(firstAt, "%s", first)
		if n > 1 {
			res.Evidence += fmt.Sprintf(" (+%d more)", n-1)
		}
		res.Details = []string{fmt.Sprintf("%d rejections after acceptance %s; %d forbidden publishes not refused %s",
			len(rejections), countsBy(byServer["rejected"]), len(gains), countsBy(byServer["not refused"]))}
		res.Details = append(res.Details, capLines(gains, 10)...)
		res.Details = append(res.Details, capLines(rejections, 10)...)
		return res
	}
	if accepted == 0 {
		return vacuousf("no client was ever accepted by a server")
	}
	if probes == 0 && len(moved) == 0 {
		return vacuousf("%d clients accepted, none moved to another server and no probe was recorded: no server's users or permissions were compared", accepted)
	}
	ev := fmt.Sprintf("%d clients accepted, %d of them also by another server, none rejected after a move", accepted, len(moved))
	if probes == 0 {
		ev += "; no probe recorded, privilege gains not observed"
	} else {
		ev += fmt.Sprintf("; %d probes of forbidden subjects, all refused (by %s)", probes, list(keys(refusedBy)))
	}
	if rejectedUnaccepted > 0 {
		ev += fmt.Sprintf("; %d rejections of clients never accepted", rejectedUnaccepted)
	}
	return passf("%s", ev)
}

type probeSeen struct {
	server string
	at     time.Duration
}

func serverOrUnknown(s string) string {
	if s == "" {
		return "a server (unknown)"
	}
	return s
}

// shortAuthErr turns "nats: authorization violation" into "authorization violation".
func shortAuthErr(e string) string {
	if e == "" {
		return "rejected"
	}
	return strings.TrimPrefix(e, "nats: ")
}

// countsBy prints per-server counts: "(C: 26)", "" when empty.
func countsBy(n map[string]int) string {
	if len(n) == 0 {
		return ""
	}
	var parts []string
	for _, s := range keys(n) {
		parts = append(parts, fmt.Sprintf("%s: %d", s, n[s]))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
