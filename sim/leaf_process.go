package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// logLeaf is the log line of a hub's leafnode listener.
const logLeaf = "Listening for leafnode connections on "

// leafConfig is the leafnodes block of a nats-server process's
// configuration file: the same settings applyLeaf gives an embedded one.
func leafConfig(l LeafLaunch) string {
	s := l.Spec
	if !s.active() {
		return ""
	}
	q := strconv.Quote
	var b strings.Builder
	b.WriteString("leafnodes {\n")
	if s.Accept {
		port := l.Port
		if port == 0 {
			port = -1
		}
		fmt.Fprintf(&b, "  host: \"127.0.0.1\"\n  port: %d\n  compression: off\n", port)
		if l.Advertise != "" {
			fmt.Fprintf(&b, "  advertise: %s\n", q(l.Advertise))
		}
		if s.NoAdvertise {
			b.WriteString("  no_advertise: true\n")
		}
		if s.User != "" {
			fmt.Fprintf(&b, "  authorization {\n    user: %s\n    password: %s\n  }\n", q(s.User), q(s.Password))
		}
		if s.TLS != nil {
			fmt.Fprintf(&b, "  tls {\n    cert_file: %s\n    key_file: %s\n    ca_file: %s\n    verify: true\n    timeout: 5\n  }\n", q(s.TLS.Cert), q(s.TLS.Key), q(s.TLS.CA))
		}
	}
	if len(s.Remotes) > 0 {
		if s.ReconnectInterval > 0 {
			fmt.Fprintf(&b, "  reconnect: %s\n", q(s.ReconnectInterval.String()))
		}
		b.WriteString("  remotes: [\n    {\n      urls: [\n")
		for _, u := range s.Remotes {
			if s.User != "" {
				u = strings.Replace(u, "://", "://"+s.User+":"+s.Password+"@", 1)
			}
			fmt.Fprintf(&b, "        %s\n", q(u))
		}
		b.WriteString("      ]\n      compression: off\n")
		if s.TLS != nil {
			fmt.Fprintf(&b, "      tls {\n        cert_file: %s\n        key_file: %s\n        ca_file: %s\n        timeout: 5\n      }\n", q(s.TLS.Cert), q(s.TLS.Key), q(s.TLS.CA))
		}
		b.WriteString("    }\n  ]\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// leafListening notes a process hub's leafnode listener from its log.
func (p *processInstance) leafListening(line string, cfg LaunchConfig) {
	if !strings.Contains(line, logLeaf) {
		return
	}
	addr := afterField(line, logLeaf)
	p.mu.Lock()
	p.leafAddr = addr
	p.mu.Unlock()
	if cfg.Leaf.OnListening != nil {
		cfg.Leaf.OnListening(addr)
	}
}

// leafReady says whether a hub's leafnode listener is known (always, for
// a server that is no hub). Called under p.mu.
func (p *processInstance) leafReadyLocked(cfg LaunchConfig) bool {
	return cfg.Leaf.Spec == nil || !cfg.Leaf.Spec.Accept || p.leafAddr != ""
}

type leafz struct {
	Leafs []struct {
		Name    string `json:"name"`
		ID      uint64 `json:"id"`
		IsSpoke bool   `json:"is_spoke"`
	} `json:"leafs"`
}

// LeafLinks implements LeafLinker from the process's /leafz.
func (p *processInstance) LeafLinks() ([]LeafLink, error) {
	if p.exited() {
		return nil, fmt.Errorf("not running")
	}
	p.mu.Lock()
	addr := p.httpAddr
	p.mu.Unlock()
	var lz leafz
	if err := p.get("http://"+addr+"/leafz", &lz); err != nil {
		return nil, err
	}
	out := make([]LeafLink, 0, len(lz.Leafs))
	for _, l := range lz.Leafs {
		out = append(out, LeafLink{Remote: l.Name, CID: l.ID, Spoke: l.IsSpoke})
	}
	return out, nil
}
