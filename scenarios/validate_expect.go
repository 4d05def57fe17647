package scenarios

import "math"

func (v *validator) expect() {
	e := &v.s.Expect
	if m := e.Mesh; m != nil {
		v.positive(&m.Within, "expect.mesh.within", m.Pos)
	}
	if d := e.Discovery; d != nil {
		v.positive(&d.Within, "expect.discovery.within", d.Pos)
	}
	if b := e.Balance; b != nil && v.ok(&b.MaxSkew, b.MaxSkew != 0) {
		if !(b.MaxSkew > 0) || math.IsInf(b.MaxSkew, 0) {
			v.add(v.at(&b.MaxSkew, b.Pos), "expect.balance.max_skew must be a positive fraction like 0.25, got %v", b.MaxSkew)
		}
	}
	if r := e.Reconnect; r != nil {
		v.positive(&r.Max, "expect.reconnect.max", r.Pos)
		v.positive(&r.P99, "expect.reconnect.p99", r.Pos)
		if r.Max > 0 && r.P99 > r.Max {
			v.add(v.at(&r.P99, r.Pos), "expect.reconnect.p99 (%v) cannot exceed max (%v)", r.P99, r.Max)
		}
		v.atLeast(&r.MaxPerClient, 0, "expect.reconnect.max_per_client", r.Pos)
	}
	if n := e.NoLoss; n != nil && n.Strict && n.AllowSlowConsumer {
		v.add(v.keyAt(&n.AllowSlowConsumer, n.Pos), "expect.no_loss: strict fails on every gap, so allow_slow_consumer contradicts it")
	}
	v.serverLists(e.ServerLists)
	if h := e.Herd; h != nil {
		v.positive(&h.Window, "expect.herd.window", h.Pos)
		switch {
		case !v.given(&h.MaxPerServer, h.MaxPerServer != 0):
			v.add(h.Pos, "expect.herd.max_per_server is required, like herd: {window: 100ms, max_per_server: 50}")
		case v.ok(&h.MaxPerServer, true) && h.MaxPerServer < 1:
			v.add(v.at(&h.MaxPerServer, h.Pos), "expect.herd.max_per_server must be at least 1, got %d", h.MaxPerServer)
		}
	}
}
