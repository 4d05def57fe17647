package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/parser"
)

// A lab run varies one scenario along axes (`--vary strategy=none,rebalance
// --vary clients=1000,5000`) and runs every combination: the variants.
//
// Axis keys:
//
//	clients=N,...            total clients, every group scaled alike
//	fault=kill|stop|lame_duck every kill, stop and lame_duck step becomes this
//	strategy=none|<kind>,... every group's strategy (its defaults)
//	strategy.<key>=v,...     a parameter of every group's strategy
//	                         (base, cap, max_delay)
//	option.<key>=v,...       every group's client option (options.<key>)
//	server.<key>=v,...       cluster.server_options.<key>
//
// Values are YAML scalars, checked as the same keys in a file would be.

// Axis is one --vary flag: a key and the values it takes.
type Axis struct {
	Key    string
	Values []string
}

// Setting is one axis at one value.
type Setting struct{ Key, Value string }

// Variant is one combination of settings; Name is "key=value,..." in axis
// order.
type Variant struct {
	Name     string
	Settings []Setting
}

// axisKeys are the fixed keys; option.* and server.* take any key of
// those sections.
var axisKeys = []string{"clients", "fault", "strategy", "strategy.", "option.", "server.", "leaf."}

// processSteps are the steps fault= swaps between, each made from the
// server it acts on.
var processSteps = map[string]func(server string) StepAction{
	"kill":      func(s string) StepAction { return &Kill{ServerStep{Server: s}} },
	"stop":      func(s string) StepAction { return &Stop{ServerStep{Server: s}} },
	"lame_duck": func(s string) StepAction { return &LameDuck{ServerStep{Server: s}} },
}

// ParseAxis reads one --vary flag, KEY=V1,V2,..., and checks its key and
// every value it can check without a scenario.
func ParseAxis(flag string) (Axis, error) {
	key, vals, ok := strings.Cut(flag, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" || strings.TrimSpace(vals) == "" {
		return Axis{}, fmt.Errorf("--vary %q: want KEY=VALUE[,VALUE...], like strategy=none,rebalance", flag)
	}
	a := Axis{Key: key}
	for _, v := range strings.Split(vals, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return Axis{}, fmt.Errorf("--vary %s: an empty value in %q", key, vals)
		}
		a.Values = append(a.Values, v)
	}
	switch {
	case key == "clients":
		for _, v := range a.Values {
			if n, err := strconv.Atoi(v); err != nil || n < 1 {
				return Axis{}, fmt.Errorf("--vary clients: %q is not a client count (a whole number ≥ 1)", v)
			}
		}
	case key == "fault":
		for _, v := range a.Values {
			if _, ok := processSteps[v]; !ok {
				return Axis{}, fmt.Errorf("--vary fault: unknown fault %q (kill, stop or lame_duck)%s", v, didYouMean(v, []string{"kill", "stop", "lame_duck"}))
			}
		}
	case key == "strategy":
		names := append([]string{"none"}, strs(StrategyKinds())...)
		for _, v := range a.Values {
			if !slicesContains(names, v) {
				return Axis{}, fmt.Errorf("--vary strategy: unknown strategy %q (%s)%s", v, strings.Join(names, ", "), didYouMean(v, names))
			}
		}
	case strings.HasPrefix(key, "strategy."):
		if err := checkSectionKey(key, reflect.TypeFor[Strategy]()); err != nil {
			return Axis{}, err
		}
		if key == "strategy.kind" {
			return Axis{}, fmt.Errorf("--vary strategy.kind: vary the kind with --vary strategy=KIND")
		}
		for _, v := range a.Values {
			if err := decodeSetting(&Strategy{}, key, v); err != nil {
				return Axis{}, err
			}
		}
	case strings.HasPrefix(key, "option."):
		if err := checkSectionKey(key, reflect.TypeFor[ClientOptions]()); err != nil {
			return Axis{}, err
		}
		for _, v := range a.Values {
			if err := decodeSetting(&ClientOptions{}, key, v); err != nil {
				return Axis{}, err
			}
		}
	case strings.HasPrefix(key, "server."):
		if err := checkSectionKey(key, reflect.TypeFor[ServerOptions]()); err != nil {
			return Axis{}, err
		}
		for _, v := range a.Values {
			if err := decodeSetting(&ServerOptions{}, key, v); err != nil {
				return Axis{}, err
			}
		}
	case strings.HasPrefix(key, "leaf."):
		if err := checkLeafAxis(key, a.Values); err != nil {
			return Axis{}, err
		}
	default:
		return Axis{}, fmt.Errorf("--vary %s: unknown key (clients, fault, strategy, strategy.<parameter>, option.<client option>, server.<server option>, leaf.<leafnodes key>)%s", key, didYouMean(key, axisKeys))
	}
	return a, nil
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// checkSectionKey checks the part after "option." or "server." against the
// section's yaml keys.
func checkSectionKey(key string, t reflect.Type) error {
	prefix, name, _ := strings.Cut(key, ".")
	keys := fieldsOf(t).keys
	if slicesContains(keys, name) {
		return nil
	}
	full := make([]string, len(keys))
	for i, k := range keys {
		full[i] = prefix + "." + k
	}
	return fmt.Errorf("--vary %s: unknown %s %q%s", key, map[string]string{"option": "client option", "server": "server option", "strategy": "strategy parameter", "leaf": "leafnodes key"}[prefix], name, didYouMean(key, full))
}

// decodeSetting decodes `name: value` into a section struct with the file
// format's own decoder, so a value means what it would in a file.
func decodeSetting(into any, key, value string) error {
	_, name, _ := strings.Cut(key, ".")
	src := name + ": " + value + "\n"
	f, err := parser.ParseBytes([]byte(src), 0)
	if err != nil || len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return fmt.Errorf("--vary %s: %q is not a YAML value", key, value)
	}
	ps := &problems{file: "--vary " + key}
	d := newDecoder(ps)
	d.decode(f.Docs[0].Body, reflect.ValueOf(into).Elem(), "", Pos{})
	if len(ps.list) > 0 {
		return fmt.Errorf("--vary %s=%s: %s", key, value, ps.list[0].Msg)
	}
	return nil
}

// Variants is every combination of the axes' values, the first axis
// varying slowest. No axes give one variant: the scenario as written.
func Variants(axes []Axis) []Variant {
	out := []Variant{{}}
	for _, a := range axes {
		var next []Variant
		for _, v := range out {
			for _, val := range a.Values {
				s := append(append([]Setting{}, v.Settings...), Setting{a.Key, val})
				next = append(next, Variant{Settings: s})
			}
		}
		out = next
	}
	// An axis with one value is the same in every variant: the name
	// leaves it out unless no axis varies.
	varies := make([]bool, len(axes))
	anyVaries := false
	for j, a := range axes {
		varies[j] = len(a.Values) > 1
		anyVaries = anyVaries || varies[j]
	}
	for i := range out {
		var parts []string
		for j, s := range out[i].Settings {
			if varies[j] || !anyVaries {
				parts = append(parts, s.Key+"="+s.Value)
			}
		}
		out[i].Name = strings.Join(parts, ",")
		if out[i].Name == "" {
			out[i].Name = "as written"
		}
	}
	return out
}

// Apply changes a freshly loaded scenario (it is modified in place) into
// the variant and returns the clients scale the variant needs. It checks
// the result as Parse would.
func (v Variant) Apply(sc *Scenario) (scale float64, err error) {
	scale = 1
	// The strategy goes first: its parameters apply to it. The fault goes
	// last: a lame duck's sleep reads the server options the other
	// settings may change.
	rank := func(k string) int {
		switch k {
		case "strategy":
			return 0
		case "fault":
			return 2
		}
		return 1
	}
	settings := append([]Setting{}, v.Settings...)
	sort.SliceStable(settings, func(i, j int) bool { return rank(settings[i].Key) < rank(settings[j].Key) })
	for _, s := range settings {
		switch {
		case s.Key == "clients":
			n, _ := strconv.Atoi(s.Value)
			total := sc.TotalClients()
			if total == 0 {
				return 0, fmt.Errorf("clients=%s: the scenario has no clients to scale", s.Value)
			}
			scale = float64(n) / float64(total)
			if got := scaledTotal(sc, scale); got != n {
				return 0, fmt.Errorf("clients=%s: the groups (%d clients) cannot be scaled to exactly %d; pick a multiple", s.Value, total, n)
			}
		case s.Key == "fault":
			if err := swapProcessSteps(sc, s.Value); err != nil {
				return 0, err
			}
		case s.Key == "strategy":
			for i := range sc.Clients {
				g := &sc.Clients[i]
				switch {
				case s.Value == "none":
					g.Strategy = nil
				case g.Strategy == nil || string(g.Strategy.Kind) != s.Value:
					g.Strategy = &Strategy{Kind: StrategyKind(s.Value)}
				}
			}
		case strings.HasPrefix(s.Key, "strategy."):
			n := 0
			for i := range sc.Clients {
				if g := sc.Clients[i].Strategy; g != nil {
					if err := decodeSetting(g, s.Key, s.Value); err != nil {
						return 0, err
					}
					n++
				}
			}
			if n == 0 && !v.has("strategy", "none") {
				return 0, fmt.Errorf("%s=%s: no client group has a strategy; add --vary strategy=<kind>", s.Key, s.Value)
			}
		case strings.HasPrefix(s.Key, "option."):
			for i := range sc.Clients {
				if err := decodeSetting(&sc.Clients[i].Options, s.Key, s.Value); err != nil {
					return 0, err
				}
			}
		case strings.HasPrefix(s.Key, "leaf."):
			if err := applyLeafSetting(sc, s); err != nil {
				return 0, err
			}
		case strings.HasPrefix(s.Key, "server."):
			if err := decodeSetting(&sc.Cluster.ServerOptions, s.Key, s.Value); err != nil {
				return 0, err
			}
			for i := range sc.Cluster.Servers {
				if o := sc.Cluster.Servers[i].ServerOptions; o != nil {
					if err := decodeSetting(o, s.Key, s.Value); err != nil {
						return 0, err
					}
				}
			}
		}
	}
	if err := sc.Validate(); err != nil {
		return 0, fmt.Errorf("variant %s: %w", v.Name, err)
	}
	return scale, nil
}

// has reports whether the variant sets key to value: a strategy
// parameter means nothing to the variant without a strategy.
func (v Variant) has(key, value string) bool {
	for _, s := range v.Settings {
		if s.Key == key && s.Value == value {
			return true
		}
	}
	return false
}

// scaledTotal is the client count groupSpecs makes at that scale.
func scaledTotal(sc *Scenario, scale float64) int {
	n := 0
	for _, g := range sc.Clients {
		c := max(g.Count, 1)
		n += max(1, int(math.Round(float64(c)*scale)))
	}
	return n
}

// swapProcessSteps turns every kill, stop and lame_duck step into the step
// key names. A lame duck step returns at once, so one that replaces a kill
// or stop is followed by a sleep of the lame duck duration: the steps
// after it (a wait for connected, say) then see the clients leave, as they
// would after the kill.
func swapProcessSteps(sc *Scenario, key string) error {
	if key == "lame_duck" {
		for _, st := range sc.Steps {
			if h, ok := st.Action.(*Heal); ok && h.Index > 0 {
				return fmt.Errorf("fault=lame_duck adds a sleep after each lame_duck step, which would renumber the step heal: %d names; heal it by name", h.Index)
			}
		}
	}
	var out []Step
	found := false
	for _, st := range sc.Steps {
		was := st.Key()
		if _, ok := processSteps[was]; !ok {
			out = append(out, st)
			continue
		}
		found = true
		server := st.Server()
		st.Action = processSteps[key](server)
		out = append(out, st)
		if key == "lame_duck" && was != "lame_duck" {
			o := sc.Cluster.OptionsFor(server)
			d := DefaultLameDuck
			if o.LameDuckDuration != nil {
				d = *o.LameDuckDuration
			}
			out = append(out, Step{Pos: st.Pos, Action: &Sleep{Duration: d + d/10, Pos: st.Pos}})
		}
	}
	if !found {
		return fmt.Errorf("fault: the scenario has no kill, stop or lame_duck step to vary")
	}
	sc.Steps = out
	return nil
}
