package scenarios

import (
	"context"
	"slices"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/sim"
)

// jetStreamSpec maps the jetstream section onto the engine's.
func jetStreamSpec(sc *Scenario) sim.JetStreamSpec {
	var out sim.JetStreamSpec
	js := sc.JetStream
	for _, s := range js.Streams {
		out.Streams = append(out.Streams, sim.StreamSpec{Name: s.Name, Subjects: s.Subjects, Replicas: max(1, s.Replicas), Storage: string(s.Storage), DuplicateWindow: s.DuplicateWindow})
	}
	for _, p := range js.Publishers {
		retries := DefaultRetries
		if p.Retries != nil {
			retries = *p.Retries
		}
		out.Publishers = append(out.Publishers, sim.JSPublisherSpec{
			Name: p.Name, Count: max(1, p.Count), Servers: p.Servers, Options: clientOptions(p.Options),
			Stream: p.Stream, Subject: p.Subject, Rate: float64(p.Rate), Size: int(p.Size),
			AckTimeout: orDefault(p.AckTimeout, DefaultAckTimeout), Retries: retries,
		})
	}
	for _, c := range js.Consumers {
		out.Consumers = append(out.Consumers, sim.JSConsumerSpec{Name: c.Name, Stream: c.Stream, Push: c.Mode == ConsumerPush, Servers: c.Servers, Options: clientOptions(c.Options)})
	}
	return out
}

// withJetStream turns JetStream on for every server when the scenario
// declares streams (validation refuses an explicit `jetstream: false`).
func withJetStream(sc *Scenario, spec sim.ClusterSpec) sim.ClusterSpec {
	if sc.JetStream == nil {
		return spec
	}
	spec.Options.JetStream = true
	spec.Servers = slices.Clone(spec.Servers)
	for i := range spec.Servers {
		if o := spec.Servers[i].Options; o != nil {
			c := *o
			c.JetStream = true
			spec.Servers[i].Options = &c
		}
	}
	return spec
}

// jetStreamNeedsProxies: a JetStream run puts client links behind the
// fault layer (unless the file says otherwise), because only then is a
// kill abrupt for JetStream: the layer cuts every link of the server
// before it shuts down. With direct client links the in-process server
// begins its shutdown first, and nats-server's shutdown steps its raft
// leaderships down gracefully: a "killed" stream leader would hand over
// cleanly, which no crashed machine does.
const jetStreamNeedsProxies = true

// startJS creates the streams and durables and starts the publishers,
// once the cluster has meshed and the core fleet runs.
func (r *run) startJS(ctx context.Context) error {
	if r.sc.JetStream == nil {
		return nil
	}
	spec := jetStreamSpec(r.sc)
	if r.opts.JetStream != nil {
		r.opts.JetStream(&spec)
	}
	js, err := sim.NewJetStream(r.cluster, r.tl, spec)
	if err != nil {
		return err
	}
	r.refMu.Lock()
	r.js = js
	r.refMu.Unlock()
	return js.Start(ctx, jsSettleWithin)
}

// finishJS reads the streams back once the faults are healed (or only
// closes everything when the run was aborted).
func (r *run) finishJS(cause error) {
	r.refMu.Lock()
	js := r.js
	r.refMu.Unlock()
	if js == nil {
		return
	}
	if cause != nil {
		js.Close()
		return
	}
	js.Finish(context.Background(), jsSettleWithin)
}

// jsCurrent is the js_current wait's predicate: it asks the cluster
// (every stream has a leader, every replica online and current). The
// State is unused: stream health is not derivable from client and server
// events. It runs under the live state's lock, so it records nothing;
// recordJSCurrent records what the wait saw last.
func (r *run) jsCurrent(*assert.State) (bool, string) {
	js := r.jsRef()
	if js == nil {
		return false, "no JetStream in this run"
	}
	return js.Current(context.Background())
}

// recordJSCurrent records the streams' health as a js_current wait ended
// (a js_stream event).
func (r *run) recordJSCurrent(c WaitCondition) {
	if js := r.jsRef(); js != nil && c == WaitJSCurrent {
		js.RecordCurrent()
	}
}

func (r *run) jsRef() *sim.JetStream {
	r.refMu.Lock()
	defer r.refMu.Unlock()
	return r.js
}
