package scenarios

import (
	"fmt"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// jetstream checks the jetstream section and the expectations that need it.
func (v *validator) jetstream() {
	js := v.s.JetStream
	if js == nil {
		for _, p := range []Property{PropJSNoLoss, PropJSNoDuplicates} {
			if e := v.s.Expect.Get(p); e != nil {
				v.add(e.Pos, "expect.%s needs a jetstream section with streams and publishers", e.Name)
			}
		}
		for i, st := range v.s.Steps {
			if w, ok := st.Action.(*Wait); ok && w != nil && w.Until == WaitJSCurrent {
				v.add(v.at(&w.Until, st.Pos), "steps[%d].wait: js_current needs a jetstream section with streams", i)
			}
		}
		return
	}
	if v.failed(js) {
		return
	}
	if v.s.Cluster.Security != nil {
		// The JetStream clients (admin, publishers, consumers) do not
		// present credentials or trust the run's CA yet.
		v.add(v.keyAt(&v.s.Cluster.Security, v.s.Cluster.Pos), "cluster.security cannot be combined with a jetstream section yet: the JetStream clients do not use TLS or credentials")
	}
	v.jetStreamOn()
	streams := map[string]*Stream{}
	subjects := map[string]string{} // subject -> stream
	if len(js.Streams) == 0 && !v.failed(&js.Streams) {
		v.add(js.Pos, "jetstream.streams is required: at least one stream, like {name: ORDERS, subjects: [\"orders.>\"], replicas: 3}")
	}
	boot := len(initialServers(v.s))
	for i := range js.Streams {
		s := &js.Streams[i]
		where := fmt.Sprintf("jetstream.streams[%d]", i)
		if v.failed(s) {
			continue
		}
		v.name(&s.Name, where+".name", true, s.Pos)
		if s.Name != "" {
			if _, dup := streams[s.Name]; dup {
				v.add(v.at(&s.Name, s.Pos), "%s: stream %q is declared twice", where, s.Name)
			}
			streams[s.Name] = s
		}
		if len(s.Subjects) == 0 && !v.failed(&s.Subjects) {
			v.add(v.keyAt(&s.Subjects, s.Pos), "%s.subjects: list at least one subject, like [\"orders.>\"]", where)
		}
		for j, subj := range s.Subjects {
			at := v.at(&s.Subjects[j], s.Pos)
			if err := checkSubject(subj, true); err != nil {
				v.add(at, "%s.subjects[%d]: %v", where, j, err)
			} else if other, dup := subjects[subj]; dup {
				v.add(at, "%s.subjects[%d]: %q is already a subject of stream %s", where, j, subj, other)
			}
			subjects[subj] = s.Name
		}
		if v.ok(&s.Replicas, s.Replicas != 0) {
			switch {
			case s.Replicas != 1 && s.Replicas != 3 && s.Replicas != 5:
				v.add(v.at(&s.Replicas, s.Pos), "%s.replicas must be 1, 3 or 5, got %d", where, s.Replicas)
			case s.Replicas > boot:
				v.add(v.at(&s.Replicas, s.Pos), "%s.replicas: %d replicas need %d servers at boot, the scenario starts %d", where, s.Replicas, s.Replicas, boot)
			}
		}
		enum(v, &s.Storage, where+".storage", "storage", StorageKinds, s.Pos)
		if v.ok(&s.DuplicateWindow, s.DuplicateWindow != 0) && s.DuplicateWindow < minDuplicateWindow {
			v.add(v.at(&s.DuplicateWindow, s.Pos), "%s.duplicate_window must be at least %v (nats-server's minimum), got %v", where, minDuplicateWindow, s.DuplicateWindow)
		}
	}
	groups := map[string]bool{}
	for _, g := range v.s.Clients {
		groups[g.Name] = true
	}
	streamRef := func(field *string, where string, fallback Pos) *Stream {
		switch {
		case *field == "" && !v.failed(field):
			v.add(fallback, "%s.stream is required", where)
		case *field != "" && streams[*field] == nil:
			v.add(v.at(field, fallback), "%s.stream: unknown stream %q%s", where, *field, didYouMean(*field, streamNames(js)))
		}
		return streams[*field]
	}
	clientName := func(field *string, where string, fallback Pos) {
		v.name(field, where+".name", true, fallback)
		if *field != "" && groups[*field] {
			v.add(v.at(field, fallback), "%s.name: %q already names a client group", where, *field)
		}
		groups[*field] = true
	}
	for i := range js.Publishers {
		p := &js.Publishers[i]
		where := fmt.Sprintf("jetstream.publishers[%d]", i)
		if v.failed(p) {
			continue
		}
		clientName(&p.Name, where, p.Pos)
		if v.ok(&p.Count, p.Count != 0) && p.Count < 1 {
			v.add(v.at(&p.Count, p.Pos), "%s.count must be at least 1, got %d", where, p.Count)
		}
		v.serverList(p.Servers, &p.Servers, where, p.Pos)
		v.clientOptions(&p.Options, where+".options", v.at(&p.Options, p.Pos))
		s := streamRef(&p.Stream, where, p.Pos)
		v.jsSubject(p, s, where)
		switch {
		case !v.given(&p.Rate, p.Rate != 0):
			v.add(p.Pos, "%s.rate is required, like rate: 100/s", where)
		case v.ok(&p.Rate, true) && p.Rate <= 0:
			v.add(v.at(&p.Rate, p.Pos), "%s.rate must be positive, got %v", where, p.Rate)
		}
		if v.ok(&p.Size, p.Size != 0) && p.Size < 0 {
			v.add(v.at(&p.Size, p.Pos), "%s.size must not be negative, got %d", where, int64(p.Size))
		}
		v.positive(&p.AckTimeout, where+".ack_timeout", p.Pos)
		v.atLeast(&p.Retries, 0, where+".retries", p.Pos)
	}
	for i := range js.Consumers {
		c := &js.Consumers[i]
		where := fmt.Sprintf("jetstream.consumers[%d]", i)
		if v.failed(c) {
			continue
		}
		clientName(&c.Name, where, c.Pos)
		v.serverList(c.Servers, &c.Servers, where, c.Pos)
		v.clientOptions(&c.Options, where+".options", v.at(&c.Options, c.Pos))
		streamRef(&c.Stream, where, c.Pos)
		enum(v, &c.Mode, where+".mode", "consumer mode", ConsumerModes, c.Pos)
	}
	if e := v.s.Expect.Get(PropJSNoLoss); e != nil && len(js.Publishers) == 0 {
		v.add(e.Pos, "expect.js_no_loss needs jetstream.publishers: nothing is published to account for")
	}
}

// minDuplicateWindow is the shortest duplicate window nats-server accepts.
const minDuplicateWindow = 100 * time.Millisecond

// jetStreamOn: streams need JetStream on every server; the runner turns
// it on, so only an explicit `jetstream: false` contradicts the section.
func (v *validator) jetStreamOn() {
	if o := v.s.Cluster.ServerOptions.JetStream; o != nil && !*o {
		v.add(v.at(o, v.s.Cluster.Pos), "cluster.server_options.jetstream is false, but the jetstream section needs it on every server (leave it out: it is turned on)")
	}
	for i := range v.s.Cluster.Servers {
		s := &v.s.Cluster.Servers[i]
		if s.ServerOptions != nil && s.ServerOptions.JetStream != nil && !*s.ServerOptions.JetStream {
			v.add(v.at(s.ServerOptions.JetStream, s.Pos), "cluster.servers[%d].server_options.jetstream is false, but the jetstream section needs it on every server", i)
		}
	}
}

// jsSubject checks a publisher's subject: valid, and one of its stream's.
func (v *validator) jsSubject(p *JSPublisher, s *Stream, where string) {
	at := v.at(&p.Subject, p.Pos)
	if p.Subject == "" {
		if !v.failed(&p.Subject) {
			v.add(p.Pos, "%s.subject is required", where)
		}
		return
	}
	subj, err := expandPlaceholders(p.Subject, "x")
	if err == nil {
		err = checkSubject(subj, false)
	}
	switch {
	case err != nil:
		v.add(at, "%s.subject: %v", where, err)
	case s != nil && !matchesAny(s.Subjects, subj):
		v.add(at, "%s.subject %q is not one of stream %s's subjects (%s)", where, p.Subject, s.Name, strings.Join(s.Subjects, ", "))
	}
}

func (v *validator) serverList(servers []string, field *[]string, where string, fallback Pos) {
	if servers != nil && len(servers) == 0 {
		v.add(v.at(field, fallback), "%s.servers is empty; leave it out to use every server that starts with the scenario", where)
	}
	for j := range servers {
		v.serverRef(&servers[j], fmt.Sprintf("%s.servers[%d]", where, j), fallback)
	}
}

func streamNames(js *JetStream) []string {
	var out []string
	for _, s := range js.Streams {
		out = append(out, s.Name)
	}
	return out
}

func matchesAny(patterns []string, subject string) bool {
	for _, p := range patterns {
		if sim.SubjectMatches(p, subject) {
			return true
		}
	}
	return false
}
