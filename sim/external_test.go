package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// An external server is watched through its monitoring endpoint and
// commanded through the user's commands: kill runs its command (with
// {server} replaced) and returns once the endpoint stops answering; a
// restart runs its command and waits for the endpoint again; when the run
// is over (Detach), Shutdown leaves the server alone.
func TestExternalBackendRunsCommands(t *testing.T) {
	dir := t.TempDir()
	var up atomic.Bool
	up.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		switch r.URL.Path {
		case "/varz":
			_ = json.NewEncoder(w).Encode(map[string]any{"server_id": "NID", "version": "2.15.1", "host": "127.0.0.1", "port": 4222, "connections": 7})
		case "/routez":
			_ = json.NewEncoder(w).Encode(map[string]any{"routes": []map[string]string{{"remote_id": "P", "remote_name": "B"}}})
		}
	}))
	defer srv.Close()
	killed := filepath.Join(dir, "killed")
	restarted := filepath.Join(dir, "restarted")
	stopped := filepath.Join(dir, "stopped")
	e := NewExternal(map[string]ExternalServer{"A": {Monitor: srv.URL, Commands: map[string]string{
		"kill":    "echo {server} > " + killed,
		"restart": "echo {server} > " + restarted,
		"stop":    "echo {server} > " + stopped,
	}}}, 5*time.Second)
	defer e.Close()

	inst, err := e.Launch(LaunchConfig{Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if inst.ID() != "NID" || inst.ClientAddr() != "127.0.0.1:4222" {
		t.Fatalf("id %q addr %q", inst.ID(), inst.ClientAddr())
	}
	if _, err := os.Stat(restarted); err == nil {
		t.Fatal("the first launch ran the restart command")
	}
	clients, peers, _, err := inst.Observe()
	if err != nil || clients != 7 || len(peers) != 1 || peers[0] != "B" {
		t.Fatalf("observe: %d %v %v", clients, peers, err)
	}

	// The endpoint goes away a little after the kill command ran.
	go func() {
		eventuallyFile(killed)
		up.Store(false)
	}()
	inst.Kill()
	select {
	case <-inst.Done():
	default:
		t.Fatal("Kill returned with the server not done")
	}
	if b, _ := os.ReadFile(killed); strings.TrimSpace(string(b)) != "A" {
		t.Fatalf("kill command wrote %q, want A", b)
	}
	up.Store(true)
	inst, err = e.Launch(LaunchConfig{Name: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(restarted); strings.TrimSpace(string(b)) != "A" {
		t.Fatalf("restart command wrote %q, want A", b)
	}
	e.Detach()
	inst.Shutdown()
	<-inst.Done()
	if _, err := os.Stat(stopped); err == nil {
		t.Fatal("a detached shutdown ran the stop command")
	}
}

// eventuallyFile waits for a file a command writes (polling, bounded).
func eventuallyFile(path string) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
