package sim

import (
	"errors"

	"github.com/nats-io/nats.go"
)

// The nats.go callbacks of every client: each turns what the library tells
// the application into an event. They run on the library's callback
// goroutine, one per connection, in the order the library saw things.

func (cl *client) onConnect(nc *nats.Conn) {
	cl.settleConnected()
	server := nc.ConnectedServerName()
	cl.mu.Lock()
	cl.server = server
	subscribed := cl.subscribed
	cl.mu.Unlock()
	cl.recordKnown(nc, Event{Kind: ClientConnect, Client: cl.id, Group: cl.group, Server: server})
	cl.strategyConnected(nc)
	if subscribed {
		// First connection after the subscriptions were made while no
		// server was reachable: the library resent them before this call.
		cl.markReady()
	}
}

func (cl *client) onReconnect(nc *nats.Conn) {
	cl.settleConnected()
	server := nc.ConnectedServerName()
	cl.mu.Lock()
	cl.server = server
	cl.reconnects++
	forget := cl.reconnects == cl.defect.ForgetSubsAfterReconnects
	subs := cl.subs
	cl.mu.Unlock()
	cl.recordKnown(nc, Event{Kind: ClientReconnect, Client: cl.id, Group: cl.group, Server: server})
	cl.strategyConnected(nc)
	if forget { // a planted defect (tests only): lose every subscription, say nothing
		for _, h := range subs {
			_ = h.sub.Unsubscribe()
		}
	}
	if len(subs) > 0 {
		cl.confirmResubscribed(nc, server)
	}
}

func (cl *client) onDisconnect(nc *nats.Conn, err error) {
	cl.mu.Lock()
	server := cl.server
	cl.server = ""
	cl.mu.Unlock()
	ev := Event{Kind: ClientDisconnect, Client: cl.id, Group: cl.group, Server: server}
	if err != nil {
		ev.Err = err.Error()
	}
	cl.fleet.tl.Add(ev)
}

func (cl *client) onClosed(nc *nats.Conn) {
	cl.noteRejectedAtClose(nc)
	cl.mu.Lock()
	cl.server = ""
	cl.mu.Unlock()
	cl.fleet.tl.Add(Event{Kind: ClientClosed, Client: cl.id, Group: cl.group})
}

func (cl *client) onDiscovered(nc *nats.Conn) {
	cl.recordKnown(nc, Event{Kind: ClientDiscovered, Client: cl.id, Group: cl.group})
}

func (cl *client) onLameDuck(nc *nats.Conn) {
	cl.fleet.tl.Add(Event{Kind: ClientLameDuck, Client: cl.id, Group: cl.group, Server: nc.ConnectedServerName()})
	cl.strategyLameDuck(nc)
}

func (cl *client) onError(nc *nats.Conn, sub *nats.Subscription, err error) {
	if cl.noteSecurityError(err) {
		return
	}
	ev := Event{Kind: ClientError, Client: cl.id, Group: cl.group}
	if err != nil {
		ev.Err = err.Error()
	}
	if sub != nil {
		ev.Subject = sub.Subject
		ev.Queue = sub.Queue
	}
	ev.Slow = errors.Is(err, nats.ErrSlowConsumer)
	cl.fleet.tl.Add(ev)
}
