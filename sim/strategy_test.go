package sim

import (
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

func TestBackoffFullJitter(t *testing.T) {
	s := Strategy{Kind: StrategyBackoffFullJitter, Base: 100 * time.Millisecond, Cap: time.Second, Seed: 7}
	a, b := newStrategyState(s, "c-0"), newStrategyState(s, "c-0")
	other := newStrategyState(s, "c-1")
	differs := false
	var maxSeen [6]time.Duration
	for i := 0; i < 200; i++ {
		for pass := 1; pass <= 5; pass++ {
			bound := min(s.Base<<(pass-1), s.Cap)
			da, db, dc := a.backoff(pass), b.backoff(pass), other.backoff(pass)
			if da != db {
				t.Fatalf("same seed and client, different delays: %v %v", da, db)
			}
			if da < 0 || da >= bound {
				t.Fatalf("pass %d: %v outside [0, %v)", pass, da, bound)
			}
			differs = differs || da != dc
			maxSeen[pass] = max(maxSeen[pass], da)
		}
	}
	if !differs {
		t.Error("two clients drew the same delays: their sources are not their own")
	}
	// The bound doubles until the cap: the draws must use the room.
	if maxSeen[5] < 700*time.Millisecond || maxSeen[1] >= 100*time.Millisecond {
		t.Errorf("max draws per pass: %v", maxSeen)
	}
	if newStrategyState(Strategy{}, "c-0") != nil {
		t.Error("no strategy must leave the library alone")
	}
}

func TestJitteredFailoverPick(t *testing.T) {
	servers := func(hosts ...string) []nats.Server {
		var out []nats.Server
		for _, h := range hosts {
			out = append(out, nats.Server{URL: &url.URL{Scheme: "nats", Host: h}})
		}
		return out
	}
	st := newStrategyState(Strategy{Kind: StrategyJitteredFailover, MaxDelay: time.Second, Seed: 1}, "c-3")
	st.current = "a:1"
	pool := servers("a:1", "b:1", "c:1")
	seen := map[string]bool{}
	for i := 0; i < 4; i++ {
		s, d := st.pick(pool, nats.ServerInfo{})
		if s == nil || s.URL.Host == "a:1" {
			t.Fatalf("attempt %d went back to the server it left: %+v", i, s)
		}
		if d < 0 || d >= time.Second {
			t.Fatalf("delay %v outside [0, 1s)", d)
		}
		seen[s.URL.Host] = true
	}
	if !seen["b:1"] || !seen["c:1"] {
		t.Errorf("attempts did not rotate over the others: %v", seen)
	}
	// A target set by a move wins once, with no delay.
	st.target = "a:1"
	if s, d := st.pick(pool, nats.ServerInfo{}); s.URL.Host != "a:1" || d != 0 || st.target != "" {
		t.Errorf("target: %v %v %q", s.URL, d, st.target)
	}
	// Other strategies leave the choice to the library without a target.
	rb := newStrategyState(Strategy{Kind: StrategyRebalance, Seed: 1}, "c-3")
	if s, _ := rb.pick(pool, nats.ServerInfo{}); s != nil {
		t.Errorf("rebalance without a target chose %v", s.URL)
	}
}
