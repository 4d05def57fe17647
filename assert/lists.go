package assert

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/natschaos/natschaos/sim"
)

// ServerListsParams are the parameters of
// `server_lists: {kept: [A], pruned: [C]}`.
type ServerListsParams struct {
	// Kept must still be in every connected client's server list when the
	// run ends (servers a client was configured with stay, even dead).
	Kept []string `yaml:"kept" json:"kept,omitempty" jsonschema_description:"Servers every connected client must still list."`
	// Pruned must be in none (discovered servers that left the cluster).
	Pruned []string `yaml:"pruned" json:"pruned,omitempty" jsonschema_description:"Servers no connected client may list."`
}

// Doc says what the property judges, for the scenario schema.
func (ServerListsParams) Doc() string {
	return "When the run ends, every connected client's server list holds every kept server and no pruned one."
}

// Validate needs at least one server to look for.
func (p ServerListsParams) Validate() error {
	if len(p.Kept)+len(p.Pruned) == 0 {
		return errors.New("name at least one server in kept or pruned")
	}
	var errs []error
	for _, s := range p.Pruned {
		if slices.Contains(p.Kept, s) {
			errs = append(errs, paramErrorf("pruned", "lists %s, which kept lists too: a server cannot be both kept and pruned", s))
		}
	}
	return errors.Join(errs...)
}

func init() { Register("server_lists", checkServerLists) }

// checkServerLists reads each client's last recorded server list (Known,
// from its connects, reconnects and discoveries) before teardown and
// judges the clients connected at that moment; with none, it fails as
// vacuous.
func checkServerLists(p ServerListsParams, events []sim.Event) Result {
	known := map[string][]string{}
	connected := map[string]bool{}
	for _, ev := range events[:TeardownStart(events)] {
		switch ev.Kind {
		case sim.ClientConnect, sim.ClientReconnect:
			connected[ev.Client] = true
			known[ev.Client] = ev.Known
		case sim.ClientDiscovered:
			known[ev.Client] = ev.Known
		case sim.ClientDisconnect, sim.ClientClosed:
			connected[ev.Client] = false
		}
	}
	var bad []string
	judged := 0
	for _, c := range sortedKeys(known) {
		if !connected[c] {
			continue
		}
		judged++
		var why []string
		for _, s := range p.Kept {
			if !slices.Contains(known[c], s) {
				why = append(why, "lost "+s)
			}
		}
		for _, s := range p.Pruned {
			if slices.Contains(known[c], s) {
				why = append(why, "still lists "+s)
			}
		}
		if len(why) > 0 {
			bad = append(bad, fmt.Sprintf("%s %s (knows %s)", c, strings.Join(why, ", "), strings.Join(known[c], ",")))
		}
	}
	want := fmt.Sprintf("kept %s, pruned %s", orNoneList(p.Kept), orNoneList(p.Pruned))
	switch {
	case judged == 0:
		return vacuousf("no client was connected at the end: no server list to judge")
	case len(bad) > 0:
		r := failf(0, "%d of %d connected clients: %s", len(bad), judged, bad[0])
		r.Details = capLines(append([]string{"want " + want}, bad...), 20)
		return r
	}
	return passf("all %d connected clients: %s", judged, want)
}

func orNoneList(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}
