package sim

import "sort"

// Directory is what a fleet needs to know of the servers: their names,
// the URLs clients dial, and which address is whose. A Cluster is one; a
// worker process, which has no cluster, uses a DirectorySnapshot sent by
// the runner.
type Directory interface {
	Names() []string
	ClientURL(name string) (string, error)
	ServerForAddr(hostport string) (string, bool)
	IsRemoved(name string) bool
}

// DirectorySnapshot is a Directory frozen at one moment, small enough to
// send to a worker whenever the cluster's membership changes.
type DirectorySnapshot struct {
	Order   []string          `json:"order"`   // declared servers, removed ones included
	URLs    map[string]string `json:"urls"`    // client URL by server name
	Removed map[string]bool   `json:"removed"` // servers removed for good
}

// Snapshot freezes the cluster's directory.
func (c *Cluster) Snapshot() DirectorySnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := DirectorySnapshot{URLs: map[string]string{}, Removed: map[string]bool{}}
	for _, n := range c.order {
		m := c.members[n]
		s.Order = append(s.Order, n)
		s.URLs[n] = "nats://" + m.clientAddr
		if m.phase == phaseRemoved {
			s.Removed[n] = true
		}
	}
	return s
}

// Names lists the servers not removed, in declaration order.
func (s DirectorySnapshot) Names() []string {
	var out []string
	for _, n := range s.Order {
		if !s.Removed[n] {
			out = append(out, n)
		}
	}
	return out
}

// ClientURL is the URL clients dial for a server.
func (s DirectorySnapshot) ClientURL(name string) (string, error) {
	u, ok := s.URLs[name]
	if !ok {
		return "", &noServerError{name}
	}
	return u, nil
}

// ServerForAddr maps a client-facing host:port back to its server name.
func (s DirectorySnapshot) ServerForAddr(hostport string) (string, bool) {
	names := make([]string, 0, len(s.URLs))
	for n := range s.URLs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if s.URLs[n] == "nats://"+hostport {
			return n, true
		}
	}
	return "", false
}

// IsRemoved says whether the server was removed for good.
func (s DirectorySnapshot) IsRemoved(name string) bool { return s.Removed[name] }

type noServerError struct{ name string }

func (e *noServerError) Error() string { return "no server named " + `"` + e.name + `"` }
