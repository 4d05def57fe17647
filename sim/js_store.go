package sim

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/natschaos/natschaos/internal/leftovers"
)

// jsStores are the JetStream store folders of one cluster's run: one per
// server, kept across its restarts (a restarted server must find its
// stream replicas, or every restart would be a disk wipe), all under one
// temporary folder removed when the cluster closes.
type jsStores struct {
	mu   sync.Mutex
	root string
}

func (s *jsStores) dirFor(server string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root == "" {
		root, err := leftovers.MkdirTemp("natschaos-js-")
		if err != nil {
			return "", err
		}
		s.root = root
	}
	dir := filepath.Join(s.root, server)
	return dir, os.MkdirAll(dir, 0o755)
}

// remove deletes every store; the servers must be gone.
func (s *jsStores) remove() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root == "" {
		return nil
	}
	err := os.RemoveAll(s.root)
	s.root = ""
	return err
}
