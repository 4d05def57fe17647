package scenarios

// ServerListsExpect: when the run ends, every connected client's server
// list holds every Kept server and no Pruned one. nats.go keeps the
// servers a client was configured with, even dead, and prunes discovered
// ones that leave the cluster (nats-io/nats.go#344).
type ServerListsExpect struct {
	Kept   []string `yaml:"kept" jsonschema_description:"Servers every connected client must still list."`
	Pruned []string `yaml:"pruned" jsonschema_description:"Servers no connected client may list."`
	Warn   bool     `yaml:"warn"`
	Pos    Pos      `yaml:"-"`
}

func (e *ServerListsExpect) Property() Property { return PropServerLists }
func (e *ServerListsExpect) Warning() bool      { return e.Warn }
func (e *ServerListsExpect) Position() Pos      { return e.Pos }

func (v *validator) serverLists(e *ServerListsExpect) {
	if e == nil || v.failed(e) {
		return
	}
	if len(e.Kept)+len(e.Pruned) == 0 {
		v.add(e.Pos, "expect.server_lists: name at least one server in kept or pruned, like server_lists: {kept: [A], pruned: [C]}")
	}
	kept := map[string]bool{}
	for i := range e.Kept {
		v.serverRef(&e.Kept[i], "expect.server_lists.kept", e.Pos)
		kept[e.Kept[i]] = true
	}
	for i := range e.Pruned {
		if v.serverRef(&e.Pruned[i], "expect.server_lists.pruned", e.Pos) && kept[e.Pruned[i]] {
			v.add(v.at(&e.Pruned[i], e.Pos), "expect.server_lists: %s cannot be both kept and pruned", e.Pruned[i])
		}
	}
}
