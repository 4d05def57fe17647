package sim

import (
	"errors"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// ClientSecurity is how a group's clients authenticate and verify servers.
type ClientSecurity struct {
	// CA, when set, is the PEM file clients verify servers' certificates
	// with; the connection then requires TLS.
	CA string
	// User is the user's name; Kind says which credential follows.
	User     string
	Kind     UserKind
	Password string
	Token    string
	// NKeySeedFile holds the user's nkey seed (read once, at connect).
	NKeySeedFile string
	// Probe, when set, makes every client publish to a subject its user
	// may not publish to, now and then, and record whether the server
	// refused it (see Probe events).
	Probe *Probe
}

// Probe is a forbidden publish tried periodically.
type Probe struct {
	Subject string
	Every   time.Duration
}

// probeWindow bounds the wait for a refusal the library reports only
// through its asynchronous error callback (see probeOnce).
const probeWindow = time.Second

// authState attributes the library's asynchronous auth errors to the
// server that raised them. nats.go reports an authorization violation met
// while reconnecting only through the error callback, after it has left
// that server and with no server name attached. The fleet's dialer notes
// which server each attempt reached; before dialling the next one it waits
// (bounded) until the previous attempt is settled: connected, or rejected
// and recorded. So a rejection is never credited to a later attempt.
type authState struct {
	mu      sync.Mutex
	server  string        // server of the open attempt
	open    bool          // an attempt reached a server and is not settled
	conn    *attemptConn  // the open attempt's connection
	settled chan struct{} // closed when the open attempt settles
	// refusals counts permission violations for the probe subject.
	refusals int
	refused  chan struct{} // closed and replaced at each refusal
}

// settleWithin bounds how long a dial waits for the previous attempt's
// outcome; an attempt that failed in some other way (a TLS error, a server
// gone mid-handshake) reports nothing, and costs the next dial this much.
const settleWithin = 200 * time.Millisecond

// settleBroken is that bound when the previous attempt's link broke.
const settleBroken = 20 * time.Millisecond

func (cl *client) securityOptions(s *ClientSecurity, timeout time.Duration) ([]nats.Option, error) {
	if s == nil {
		return nil, nil
	}
	var out []nats.Option
	cl.probe = s.Probe
	if s.CA != "" {
		out = append(out, nats.RootCAs(s.CA))
	}
	switch s.Kind {
	case UserPassword:
		out = append(out, nats.UserInfo(s.User, s.Password))
	case UserToken:
		out = append(out, nats.Token(s.Token))
	case UserNKey:
		o, err := nats.NkeyOptionFromSeed(s.NKeySeedFile)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if s.Kind != "" {
		if timeout <= 0 {
			timeout = nats.DefaultTimeout
		}
		cl.auth = &authState{refused: make(chan struct{})}
		out = append(out, nats.SetCustomDialer(&attemptDialer{cl: cl, d: net.Dialer{Timeout: timeout}}))
	}
	return out, nil
}

type attemptDialer struct {
	cl *client
	d  net.Dialer
}

func (a *attemptDialer) Dial(network, address string) (net.Conn, error) {
	st := a.cl.auth
	st.mu.Lock()
	if st.open {
		ch, within := st.settled, settleWithin
		if st.conn != nil && st.conn.isBroken() {
			// The link broke (a refused or slow handshake, a server
			// going away): no rejection is coming, only, rarely, one
			// already queued.
			within = settleBroken
		}
		st.mu.Unlock()
		t := time.NewTimer(within)
		select {
		case <-ch:
		case <-t.C:
		}
		t.Stop()
		st.mu.Lock()
	}
	if st.open && st.conn != nil && st.conn.silentFailure() {
		// The server answered (its INFO came), nothing broke the link,
		// yet the client neither connected nor heard a refusal: the
		// library gave up on its own, as it does when the server offers
		// no nonce for an nkey user (no nkey users there) or its
		// certificate does not verify. To the application, a rejection.
		a.cl.fleet.tl.Add(Event{Kind: ClientRejected, Client: a.cl.id, Group: a.cl.group, Server: st.server, Err: silentRejection})
	}
	st.open, st.conn = false, nil
	st.mu.Unlock()
	conn, err := a.d.Dial(network, address)
	if err != nil {
		return nil, err
	}
	name, ok := a.cl.fleet.cluster.ServerForAddr(address)
	if !ok {
		name = address
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.server, st.open, st.settled = name, true, make(chan struct{})
	st.conn = &attemptConn{Conn: conn, st: st, settled: st.settled}
	return st.conn, nil
}

// silentRejection is the Err of a ClientRejected the library did not
// report (see attemptDialer.Dial).
const silentRejection = "handshake failed with no error from the server (no nkey users there, or TLS)"

// attemptConn settles its attempt when the server hangs up before saying
// anything (a dead server behind the fault layer is reset at once): no
// rejection can follow, and the next dial need not wait.
type attemptConn struct {
	net.Conn
	st      *authState
	settled chan struct{} // its attempt's

	mu     sync.Mutex
	got    bool // the server sent something
	broken bool // a read or a write failed (EOF, reset, deadline)
}

func (c *attemptConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	if n > 0 {
		c.got = true
	}
	if err != nil {
		c.broken = true
	}
	got := c.got
	c.mu.Unlock()
	if err != nil && !got {
		c.st.settleIf(c.settled)
	}
	return n, err
}

// Write notes a failed write: a server that gave up on a slow handshake
// (its TLS timeout) shows as a reset on the client's next write.
func (c *attemptConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if err != nil {
		c.mu.Lock()
		c.broken = true
		c.mu.Unlock()
	}
	return n, err
}

func (c *attemptConn) isBroken() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.broken
}

func (c *attemptConn) silentFailure() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.got && !c.broken
}

// settle closes the open attempt and returns the server it reached.
func (st *authState) settle() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.open {
		return ""
	}
	st.open = false
	close(st.settled)
	return st.server
}

// settleIf settles the open attempt if it is the one given.
func (st *authState) settleIf(ch chan struct{}) {
	st.mu.Lock()
	same := st.open && st.settled == ch
	st.mu.Unlock()
	if same {
		st.settle()
	}
}

// noteSecurityError records what an error callback says about security:
// a rejection (ClientRejected) or a probe's refusal. It reports whether
// the error was one of those.
func (cl *client) noteSecurityError(err error) bool {
	st := cl.auth
	if st == nil || err == nil {
		return false
	}
	switch {
	case isAuthError(err):
		server := st.settle()
		cl.fleet.tl.Add(Event{Kind: ClientRejected, Client: cl.id, Group: cl.group, Server: server, Err: err.Error()})
		return true
	case errors.Is(err, nats.ErrPermissionViolation) && cl.probe != nil && mentions(err, cl.probe.Subject):
		st.mu.Lock()
		st.refusals++
		close(st.refused)
		st.refused = make(chan struct{})
		st.mu.Unlock()
		return true
	}
	return false
}

// noteRejectedAtClose records the rejection that made the library give
// up. Before a client's first connection nats.go reports no auth error at
// all, and after two rejections by one server it closes the connection
// (its reconnect is aborted): the last attempt has no next dial to be
// told from (see attemptDialer.Dial), but the library's last error says
// it. An attempt already settled (its rejection recorded) gives "".
func (cl *client) noteRejectedAtClose(nc *nats.Conn) {
	st := cl.auth
	if st == nil {
		return
	}
	err := nc.LastError()
	if err == nil || !isAuthError(err) {
		return
	}
	if server := st.settle(); server != "" {
		cl.fleet.tl.Add(Event{Kind: ClientRejected, Client: cl.id, Group: cl.group, Server: server, Err: err.Error()})
	}
}

func isAuthError(err error) bool {
	return errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) ||
		errors.Is(err, nats.ErrAuthRevoked) || errors.Is(err, nats.ErrAccountAuthExpired)
}

// mentions says whether a permissions violation is about the subject:
// nats-server writes `Permissions Violation for Publish to "<subject>"`.
func mentions(err error, subject string) bool {
	return strings.Contains(err.Error(), `"`+strings.ToLower(subject)+`"`) || strings.Contains(err.Error(), `"`+subject+`"`)
}

// settleConnected closes the open attempt on a successful (re)connect.
func (cl *client) settleConnected() {
	if cl.auth != nil {
		cl.auth.settle()
	}
}
