package scenarios

import (
	"fmt"
	"strings"
)

func (v *validator) clients() {
	first := map[string]Pos{}
	for i := range v.s.Clients {
		g := &v.s.Clients[i]
		where := fmt.Sprintf("clients[%d]", i)
		v.name(&g.Name, where+".name", true, g.Pos)
		if g.Name != "" {
			at := v.at(&g.Name, g.Pos)
			if p, dup := first[g.Name]; dup {
				v.add(at, "duplicate client group name %q (first at line %d)", g.Name, p.Line)
			} else {
				first[g.Name] = at
			}
		}
		if v.ok(&g.Count, g.Count != 0) && g.Count < 1 {
			v.add(v.at(&g.Count, g.Pos), "%s.count must be at least 1, got %d", where, g.Count)
		}
		if g.Servers != nil && len(g.Servers) == 0 {
			v.add(v.at(&g.Servers, g.Pos), "%s.servers is empty; leave it out to use every server that starts with the scenario", where)
		}
		listed := map[string]bool{}
		for j := range g.Servers {
			ref := &g.Servers[j]
			w := fmt.Sprintf("%s.servers[%d]", where, j)
			if v.serverRef(ref, w, g.Pos) && listed[*ref] {
				v.add(v.at(ref, g.Pos), "%s: server %q is listed twice", w, *ref)
			}
			listed[*ref] = true
		}
		v.clientOptions(&g.Options, where+".options", v.at(&g.Options, g.Pos))
		for j := range g.Subscribe {
			v.subscription(&g.Subscribe[j], fmt.Sprintf("%s.subscribe[%d]", where, j))
		}
		if g.Publish != nil {
			v.publish(g.Publish, where+".publish")
		}
		v.strategy(g.Strategy, where+".strategy")
	}
}

func (v *validator) clientOptions(o *ClientOptions, where string, at Pos) {
	v.atLeast(&o.MaxReconnects, -1, where+".max_reconnects", at)
	v.nonNegativePtr(&o.ReconnectWait, where+".reconnect_wait", at)
	v.nonNegativePtr(&o.ReconnectJitter, where+".reconnect_jitter", at)
	v.nonNegativePtr(&o.ReconnectJitterTLS, where+".reconnect_jitter_tls", at)
	v.sizeAtLeast(&o.ReconnectBufSize, 0, true, where+".reconnect_buf_size", at)
	v.positivePtr(&o.PingInterval, where+".ping_interval", at)
	v.atLeast(&o.MaxPingsOut, 1, where+".max_pings_out", at)
	v.positivePtr(&o.Timeout, where+".timeout", at)
	v.positivePtr(&o.DrainTimeout, where+".drain_timeout", at)
	v.positivePtr(&o.FlusherTimeout, where+".flusher_timeout", at)
}

func (v *validator) subscription(sub *Subscription, where string) {
	if v.failed(sub) {
		return
	}
	if sub.Subject == "" {
		if !v.failed(&sub.Subject) {
			v.add(v.at(&sub.Subject, sub.Pos), "%s: subject is required", where)
		}
	} else if err := checkSubject(sub.Subject, true); err != nil {
		v.add(v.at(&sub.Subject, sub.Pos), "%s: %v", where, err)
	}
	if sub.Queue != "" {
		if err := checkQueue(sub.Queue); err != nil {
			v.add(v.at(&sub.Queue, sub.Pos), "%s.queue: %v", where, err)
		}
	}
	if sub.PendingMsgs != nil && (*sub.PendingMsgs == 0 || *sub.PendingMsgs < -1) {
		v.add(v.at(sub.PendingMsgs, sub.Pos), "%s.pending_msgs must be positive or -1 (unlimited), got %d", where, *sub.PendingMsgs)
	}
	if sub.PendingBytes != nil && (*sub.PendingBytes == 0 || *sub.PendingBytes < -1) {
		v.add(v.at(sub.PendingBytes, sub.Pos), "%s.pending_bytes must be positive or -1 (unlimited), got %d", where, int64(*sub.PendingBytes))
	}
	v.nonNegative(&sub.Delay, where+".delay", sub.Pos)
}

// placeholders are what a publish subject may contain in braces.
var placeholders = []string{"client"}

func (v *validator) publish(p *Publish, where string) {
	if v.failed(p) {
		return
	}
	at := v.at(&p.Subject, p.Pos)
	switch {
	case p.Subject == "":
		if !v.failed(&p.Subject) {
			v.add(at, "%s.subject is required", where)
		}
	default:
		subject, err := expandPlaceholders(p.Subject, "x")
		if err == nil {
			err = checkSubject(subject, false)
		}
		if err != nil {
			v.add(at, "%s.subject: %v", where, err)
		}
	}
	switch {
	case !v.given(&p.Rate, p.Rate != 0):
		v.add(p.Pos, "%s.rate is required, like rate: 100/s", where)
	case v.ok(&p.Rate, true) && p.Rate <= 0:
		v.add(v.at(&p.Rate, p.Pos), "%s.rate must be positive, got %v", where, p.Rate)
	}
	if v.ok(&p.Size, p.Size != 0) && p.Size < 0 {
		v.add(v.at(&p.Size, p.Pos), "%s.size must not be negative, got %d", where, int64(p.Size))
	}
}

// expandPlaceholders replaces {client} with client, rejecting unknown or
// unclosed placeholders.
func expandPlaceholders(subject, client string) (string, error) {
	var b strings.Builder
	rest := subject
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			if strings.IndexByte(rest, '}') >= 0 {
				return "", fmt.Errorf("%q has a } without {", subject)
			}
			b.WriteString(rest)
			return b.String(), nil
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("%q has an unclosed {", subject)
		}
		name := rest[i+1 : i+j]
		if !oneOf(name, placeholders) {
			return "", fmt.Errorf("unknown placeholder {%s}%s", name, didYouMean(name, placeholders))
		}
		b.WriteString(client)
		rest = rest[i+j+1:]
	}
}

// checkSubject checks NATS subject syntax; wildcards says whether * and >
// are allowed (subscriptions) or not (publishing).
func checkSubject(s string, wildcards bool) error {
	if strings.ContainsAny(s, " \t\r\n") {
		return fmt.Errorf("subject %q contains white space", s)
	}
	tokens := strings.Split(s, ".")
	for i, t := range tokens {
		switch {
		case t == "":
			return fmt.Errorf("subject %q has an empty token", s)
		case t == "*" || t == ">":
			if !wildcards {
				return fmt.Errorf("cannot publish to subject %q: it has a wildcard", s)
			}
			if t == ">" && i != len(tokens)-1 {
				return fmt.Errorf("subject %q: > must be the last token", s)
			}
		case strings.ContainsAny(t, "*>"):
			return fmt.Errorf("subject %q: a wildcard must be a whole token", s)
		}
	}
	return nil
}

func checkQueue(q string) error {
	if strings.ContainsAny(q, " \t\r\n*>") {
		return fmt.Errorf("queue %q may not contain white space or wildcards", q)
	}
	return nil
}
