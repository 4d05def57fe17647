package sim

import (
	"crypto/tls"
	"fmt"
	"net/url"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/natschaos/natschaos/internal/ports"
)

// applyLeaf sets an in-process server's leafnode listener (a hub) or its
// remote (a leaf). Leaf links run uncompressed: with compression the
// leaf's CONNECT is compressed, and the fault layer could not read who
// dialled. It returns the picked leafnode port to release once
// the server holds it (0: none picked).
func applyLeaf(opts *server.Options, l LeafLaunch) (picked int, err error) {
	s := l.Spec
	if !s.active() {
		return 0, nil
	}
	if s.Accept {
		opts.LeafNode.Host = "127.0.0.1"
		opts.LeafNode.Port = l.Port
		if l.Port == 0 {
			if picked, err = ports.Pick(); err != nil {
				return 0, err
			}
			opts.LeafNode.Port = picked
		}
		opts.LeafNode.Advertise = l.Advertise
		opts.LeafNode.NoAdvertise = s.NoAdvertise
		opts.LeafNode.Compression.Mode = server.CompressionOff
		opts.LeafNode.Username, opts.LeafNode.Password = s.User, s.Password
		if s.TLS != nil {
			tc, err := routeTLSConfig(s.TLS)
			if err != nil {
				return picked, fmt.Errorf("leaf TLS: %w", err)
			}
			opts.LeafNode.TLSConfig, opts.LeafNode.TLSTimeout = tc, 5
		}
	}
	if len(s.Remotes) > 0 {
		r := &server.RemoteLeafOpts{}
		r.Compression.Mode = server.CompressionOff
		for _, raw := range s.Remotes {
			u, err := url.Parse(raw)
			if err != nil {
				return picked, fmt.Errorf("leaf remote %q: %w", raw, err)
			}
			if s.User != "" {
				u.User = url.UserPassword(s.User, s.Password)
			}
			r.URLs = append(r.URLs, u)
		}
		if s.TLS != nil {
			tc, err := leafClientTLS(s.TLS)
			if err != nil {
				return picked, err
			}
			r.TLS, r.TLSConfig, r.TLSTimeout = true, tc, 5
		}
		opts.LeafNode.Remotes = []*server.RemoteLeafOpts{r}
		opts.LeafNode.ReconnectInterval = s.ReconnectInterval
	}
	return picked, nil
}

// leafClientTLS is a leaf's side of leaf TLS: it verifies the hub against
// the run's CA and presents the run's certificate.
func leafClientTLS(f *TLSFiles) (*tls.Config, error) {
	tc, err := routeTLSConfig(f)
	if err != nil {
		return nil, fmt.Errorf("leaf TLS: %w", err)
	}
	return tc, nil
}

// LeafLink is one leafnode connection as a server reports it.
type LeafLink struct {
	// Remote is the server at the other end, by name.
	Remote string
	// CID is the connection's id on the reporting server: a new link
	// to the same remote gets a new one.
	CID uint64
	// Spoke says the reporting server dialled it (it is the leaf).
	Spoke bool
}

// LeafLinker is an Instance that reports its leafnode connections.
type LeafLinker interface {
	LeafLinks() ([]LeafLink, error)
}

// LeafLinks implements LeafLinker from the server's Leafz.
func (e *embeddedInstance) LeafLinks() ([]LeafLink, error) {
	if !e.s.Running() {
		return nil, fmt.Errorf("not running")
	}
	lz, err := e.s.Leafz(&server.LeafzOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]LeafLink, 0, len(lz.Leafs))
	for _, l := range lz.Leafs {
		out = append(out, LeafLink{Remote: l.Name, CID: l.ID, Spoke: l.IsSpoke})
	}
	return out, nil
}
