package scenarios

// Checks shared by the steps that change the client fleet: join, leave, burst.

// clientsStep checks a join or leave step; it returns how many clients
// the step moves, and whether the group exists.
func (v *validator) clientsStep(c *Clients, where string) (int, bool) {
	v.atLeastInt(&c.Count, 1, where+".count", c.Pos)
	if !v.groupRef(&c.Group, where, c.Pos) {
		return 0, false
	}
	return max(c.Count, 1), true
}

// groupRef checks a reference to a client group; it returns whether the
// group exists.
func (v *validator) groupRef(field *string, where string, fallback Pos) bool {
	at := v.at(field, fallback)
	if *field == "" {
		if !v.failed(field) {
			v.add(at, "%s.group is required: the name of a client group", where)
		}
		return false
	}
	var names []string
	for _, g := range v.s.Clients {
		if g.Name == *field {
			return true
		}
		names = append(names, g.Name)
	}
	hint := didYouMean(*field, names)
	if len(names) == 0 {
		hint = " (no client groups are declared)"
	}
	v.add(at, "%s: unknown client group %q%s", where, *field, hint)
	return false
}

// atLeastInt checks an optional integer written in the file.
func (v *validator) atLeastInt(field *int, min int, what string, fallback Pos) {
	if v.ok(field, *field != 0) && *field < min {
		v.add(v.at(field, fallback), "%s must be at least %d, got %d", what, min, *field)
	}
}
