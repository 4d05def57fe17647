package sim

import (
	"context"
	"time"

	"github.com/nats-io/nats.go"
)

// ResubscribeConfirmWithin bounds how long a reconnected subscriber's
// confirming flush may take. nats.go calls the reconnected handler before
// the server has read the resent subscriptions; on a starved machine the
// PONG was measured up to 5.5 s later (docs/FINDINGS.md, anomaly 3).
const ResubscribeConfirmWithin = 30 * time.Second

// confirmResubscribed flushes a reconnected subscriber's connection on a
// goroutine of its own, so the library's callback goroutine goes on
// delivering the client's other events. When the PONG comes back and the
// client is still on the connection the reconnect reached (no disconnect
// or later reconnect in between), the server has read the resent
// subscriptions: ClientResubscribed is recorded, under cl.mu so that no
// disconnect of that connection lands on the timeline before it. A flush
// that fails (the connection dropped, the bound passed, the fleet closed)
// records nothing. The fleet's Close cancels the flush and waits.
func (cl *client) confirmResubscribed(nc *nats.Conn, server string) {
	f := cl.fleet
	cl.mu.Lock()
	gen := cl.reconnects
	cl.mu.Unlock()
	f.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), ResubscribeConfirmWithin)
		defer cancel()
		conn := nc.Stats().Reconnects // the PING and its PONG must share one connection
		flushed := make(chan error, 1)
		go func() { flushed <- nc.FlushWithContext(ctx) }()
		var err error
		select {
		case err = <-flushed:
		case <-f.stopBg:
			cancel()
			<-flushed
			return
		}
		if err != nil || nc.Stats().Reconnects != conn || nc.ConnectedServerName() != server {
			return
		}
		cl.mu.Lock()
		defer cl.mu.Unlock()
		if cl.reconnects == gen && cl.server == server && !cl.left {
			f.tl.Add(Event{Kind: ClientResubscribed, Client: cl.id, Group: cl.group, Server: server})
		}
	})
}
