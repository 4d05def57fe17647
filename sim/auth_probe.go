package sim

import (
	"errors"
	"time"

	"github.com/nats-io/nats.go"
)

// startProbe runs a client's permission probe until the fleet closes.
// Called with f.mu held and the fleet not closed, so bgWG cannot be
// waited on concurrently.
func (f *Fleet) startProbe(cl *client, s *ClientSecurity) {
	if s == nil || s.Probe == nil || cl.auth == nil {
		return
	}
	every := s.Probe.Every
	if every <= 0 {
		every = time.Second
	}
	f.every(every, func() time.Duration {
		start := time.Now()
		cl.probeOnce(f.stopBg)
		return max(0, every-time.Since(start)) // a fixed rate, as a ticker's
	})
}

// probeOnce publishes once to the forbidden subject and records what the
// client saw, on the server it was on throughout; a probe during which it
// moved or lost its connection records nothing.
//
// The refusal comes back as an -ERR that the library reads before the
// PONG of the flush that follows: it sets the connection's last error
// then, and reports it through the asynchronous error callback later. A
// reconnect clears the last error, so once the flush returned on the same
// server, a last error naming the subject is this server's refusal (or an
// earlier refusal by the same server, with the same permissions). Failing
// that, the callback is awaited for probeWindow.
func (cl *client) probeOnce(stop <-chan struct{}) {
	nc, st, subject := cl.nc, cl.auth, cl.probe.Subject
	cl.mu.Lock()
	left := cl.left
	cl.mu.Unlock()
	if nc == nil || left {
		return
	}
	server := nc.ConnectedServerName()
	if server == "" {
		return
	}
	st.mu.Lock()
	before, refused := st.refusals, st.refused
	st.mu.Unlock()
	if err := nc.Publish(subject, nil); err != nil {
		return
	}
	if err := nc.FlushTimeout(2 * time.Second); err != nil || nc.ConnectedServerName() != server {
		return
	}
	outcome := "allowed"
	if last := nc.LastError(); last != nil && errors.Is(last, nats.ErrPermissionViolation) && mentions(last, subject) {
		outcome = "refused"
	} else {
		t := time.NewTimer(probeWindow)
		select {
		case <-refused:
			outcome = "refused"
		case <-t.C:
		case <-stop:
			t.Stop()
			return
		}
		t.Stop()
		st.mu.Lock()
		if st.refusals > before {
			outcome = "refused"
		}
		st.mu.Unlock()
	}
	if nc.ConnectedServerName() != server {
		return // moved while waiting: whose refusal it was is unclear
	}
	cl.fleet.tl.Add(Event{Kind: ProbeResult, Client: cl.id, Group: cl.group, Server: server, Subject: subject, Detail: outcome})
}
