package scenarios

import (
	"time"

	"github.com/natschaos/natschaos/sim"
)

// StrategyKind names a client strategy (sim.StrategyKinds): a mitigation
// the framework ships to measure against nats.go's defaults.
type StrategyKind string

// Strategy is a client group's `strategy: {kind: backoff_full_jitter,
// base: 100ms, cap: 5s}`. Every random choice it makes comes from the
// scenario's seed.
type Strategy struct {
	Kind     StrategyKind  `yaml:"kind" jsonschema:"required"`
	Base     time.Duration `yaml:"base" jsonschema_description:"backoff_full_jitter: the first pass's bound (default 100ms)."`
	Cap      time.Duration `yaml:"cap" jsonschema_description:"backoff_full_jitter: the largest bound (default 5s)."`
	MaxDelay time.Duration `yaml:"max_delay" jsonschema_description:"jittered_failover, lame_duck_move, rebalance: the random delay's bound (default 1s)."`

	Pos Pos `yaml:"-"`
}

func (*Strategy) shorthandField() string { return "kind" }

// Strategy defaults.
const (
	DefaultStrategyBase     = 100 * time.Millisecond
	DefaultStrategyCap      = 5 * time.Second
	DefaultStrategyMaxDelay = time.Second
)

// StrategyKinds lists the valid kinds.
func StrategyKinds() []StrategyKind {
	var out []StrategyKind
	for _, k := range sim.StrategyKinds {
		out = append(out, StrategyKind(k))
	}
	return out
}

func (v *validator) strategy(s *Strategy, where string) {
	if s == nil || v.failed(s) {
		return
	}
	if s.Kind == "" {
		if !v.failed(&s.Kind) {
			v.add(v.at(&s.Kind, s.Pos), "%s: kind is required (one of %s)", where, joinKinds())
		}
		return
	}
	if !enum(v, &s.Kind, where+".kind", "strategy", StrategyKinds(), s.Pos) {
		return
	}
	for _, f := range []struct {
		d    *time.Duration
		name string
		used bool
	}{
		{&s.Base, "base", s.Kind == StrategyKind(sim.StrategyBackoffFullJitter)},
		{&s.Cap, "cap", s.Kind == StrategyKind(sim.StrategyBackoffFullJitter)},
		{&s.MaxDelay, "max_delay", s.Kind != StrategyKind(sim.StrategyBackoffFullJitter)},
	} {
		if !v.given(f.d, *f.d != 0) {
			continue
		}
		if !f.used {
			v.add(v.keyAt(f.d, s.Pos), "%s.%s: a %s strategy takes no %s", where, f.name, s.Kind, f.name)
			continue
		}
		v.positive(f.d, where+"."+f.name, s.Pos)
	}
	if s.Base > 0 && s.Cap > 0 && s.Cap < s.Base {
		v.add(v.at(&s.Cap, s.Pos), "%s.cap (%v) must not be below base (%v)", where, s.Cap, s.Base)
	}
}

func joinKinds() string {
	out := ""
	for i, k := range StrategyKinds() {
		if i > 0 {
			out += ", "
		}
		out += string(k)
	}
	return out
}

// simStrategy maps the file's strategy onto the engine's, defaults filled.
func simStrategy(s *Strategy, seed int64) sim.Strategy {
	if s == nil {
		return sim.Strategy{}
	}
	return sim.Strategy{
		Kind:     sim.StrategyKind(s.Kind),
		Base:     orDefault(s.Base, DefaultStrategyBase),
		Cap:      orDefault(s.Cap, DefaultStrategyCap),
		MaxDelay: orDefault(s.MaxDelay, DefaultStrategyMaxDelay),
		Seed:     seed,
	}
}

// seedStrategies gives every group its strategy, seeded by the run.
func seedStrategies(sc *Scenario, groups []sim.GroupSpec, seed int64) {
	for i := range groups {
		if i < len(sc.Clients) && groups[i].Name == sc.Clients[i].Name {
			groups[i].Options.Strategy = simStrategy(sc.Clients[i].Strategy, seed)
		}
	}
}
