package faults

import (
	"fmt"
	"time"
)

// Freeze makes a server look like a stopped process (SIGSTOP): its
// sockets stay open but nothing flows on any of its links, client or
// route, in either direction, whoever dialled. Bytes are held, not
// dropped, and flow again, in order, when the freeze heals (SIGCONT). New
// dials to or from it are held unseen until then. Only peers that ping
// notice: clients with a short ping interval leave it; others stay.
//
// The server itself keeps running, so its own timers still fire: a link
// whose peer hangs up during the freeze is closed at once (the frozen
// process would see it only after thawing), and the server may close a
// connection it pings or writes to heavily.
func (l *Layer) Freeze(name string, duration time.Duration) (string, error) {
	if duration < 0 {
		return "", fmt.Errorf("faults: negative duration %v", duration)
	}
	l.mu.Lock()
	_, ok := l.servers[name]
	l.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("faults: freeze: no server named %q", name)
	}
	if !l.opts.ClientProxies {
		return "", fmt.Errorf("faults: freeze %s: client links are not proxied (Options.ClientProxies is off), so they cannot be frozen", name)
	}
	f := &fault{
		kind: "freeze", target: "server:" + name, servers: []string{name}, cuts: true,
		scope: serverScope{server: name}, eff: Effect{Toxic: "natschaos_hold", Admit: AdmitHold},
	}
	if duration > 0 {
		f.detail = "duration=" + duration.String()
	}
	return l.begin(f, duration)
}
