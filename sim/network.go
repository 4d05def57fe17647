package sim

// Network is the seam every link to a server passes through: the fault layer
// implements it (package faults), and a cluster built without one connects
// clients and routes directly. The cluster calls it; nothing else does.
//
//	client ──> client endpoint ──> server's client port
//	server ──> route endpoint  ──> server's cluster port
//
// Endpoints are stable for a server's whole life (restarts included), so
// URL lists written at the start stay valid; the real ports behind them
// change on every start.
type Network interface {
	// Attach creates the endpoints for a server before it first starts and
	// returns the addresses (host:port) clients and routes must use. An
	// empty clientAddr means client links are not proxied: the cluster
	// then listens for clients directly on a stable port of its own.
	Attach(server string) (clientAddr, routeAddr string, err error)
	// Starting says the server is about to start: its endpoints stay shut
	// until RouteListening and Up.
	Starting(server string)
	// RouteListening gives the real route address the moment the starting
	// server listens on it, before its peers can learn it by gossip.
	RouteListening(server, routeAddr string) error
	// Identify gives a starting server's ID (route CONNECTs carry it)
	// before the server dials anyone.
	Identify(server, id string)
	// Up says the server now runs with this ID at these real addresses
	// (clientAddr is empty when client links are not proxied). Links held
	// while it was starting may now proceed.
	Up(server, id, clientAddr, routeAddr string) error
	// Down says the server is no longer running (stopped, killed, or gone
	// after lame duck). New links to it are refused at once and existing
	// ones are closed, so the network never hides a death.
	Down(server string)
	// Detach removes a server's endpoints for good.
	Detach(server string) error
	// Close releases every endpoint and link.
	Close() error
}
