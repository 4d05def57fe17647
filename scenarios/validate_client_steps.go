package scenarios

// Checks of the steps that change the client fleet: join, leave, burst.

// clientsStep checks a join or leave step and follows how many clients of
// the group are present, so a leave cannot ask for more than there are.
func (v *validator) clientsStep(sc *stepCheck, st *Step, where string) {
	c := st.Join
	if st.Kind == StepLeave {
		c = st.Leave
	}
	v.atLeastInt(&c.Count, 1, where+".count", c.Pos)
	if !v.groupRef(&c.Group, where, c.Pos) {
		return
	}
	n := max(c.Count, 1)
	if st.Kind == StepJoin {
		sc.present[c.Group] += n
		return
	}
	if have := sc.present[c.Group]; n > have {
		v.add(v.at(&c.Count, c.Pos), "%s.count: %d clients of %q cannot leave: %d are present here", where, n, c.Group, have)
		return
	}
	sc.present[c.Group] -= n
}

func (v *validator) burst(b *Burst, where string) {
	if !v.given(&b.Messages, b.Messages != 0) {
		v.add(b.Pos, "%s.messages is required: how many messages each publisher of the group sends at once", where)
	} else if v.ok(&b.Messages, true) && (b.Messages < 1 || b.Messages > maxBurst) {
		v.add(v.at(&b.Messages, b.Pos), "%s.messages must be from 1 to %d, got %d", where, maxBurst, b.Messages)
	}
	if !v.groupRef(&b.Group, where, b.Pos) {
		return
	}
	for _, g := range v.s.Clients {
		if g.Name == b.Group && g.Publish == nil {
			v.add(v.at(&b.Group, b.Pos), "%s: group %q does not publish; give it publish: {subject, rate}", where, b.Group)
		}
	}
}

// maxBurst bounds a burst: each message is tracked by every subscriber.
const maxBurst = 10_000_000

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
