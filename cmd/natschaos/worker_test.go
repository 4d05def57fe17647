package main

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// The built-in rolling upgrade with its clients in two `natschaos worker`
// processes the runner starts itself: it passes, and the timeline shows
// both workers joining.
func TestRunWithLocalWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("a real run")
	}
	out := t.TempDir()
	stdout, stderr, code := natschaos(t, "run", "rolling-upgrade", "--workers", "2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"kind":"worker_join"`); n != 2 {
		t.Fatalf("%d worker_join events, want 2", n)
	}
	// Workers' events keep the times they were measured at, and the file
	// is in time order (rewritten so if any arrived late).
	evs, err := sim.ReadEvents(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].T < evs[i-1].T {
			t.Fatalf("events.jsonl line %d (%s at %v) is dated before the line above it (%v)", i+1, evs[i].Kind, evs[i].T, evs[i-1].T)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(out, "*.tmp")); len(m) > 0 {
		t.Fatalf("left behind: %v", m)
	}
}

// A runner waiting for a remote worker: a worker with the wrong token is
// refused (it exits 3 saying so, and the refusal is on the timeline), the
// one with the token file's token runs the clients, and the run passes.
func TestRunWithRemoteWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("a real run")
	}
	dir := t.TempDir()
	token := filepath.Join(dir, "token") // written by the runner: it does not exist yet
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	out := filepath.Join(dir, "out")
	runner := exec.Command(binary, "run", "rolling-upgrade", "--remote-workers", "1", "--worker-listen", addr,
		"--worker-token-file", token, "--worker-wait", "30s", "--out", out)
	var rout, rerr bytes.Buffer
	runner.Stdout, runner.Stderr = &rout, &rerr
	if err := runner.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = runner.Process.Kill(); _ = runner.Wait() }()
	if !testwait.Within(30*time.Second, func() bool {
		b, err := os.ReadFile(token)
		return err == nil && len(b) > 10
	}) {
		t.Fatalf("the runner wrote no token: %s", rerr.String())
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("not-the-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := natschaos(t, "worker", "--connect", addr, "--token-file", bad, "--name", "intruder")
	if code != 3 || !strings.Contains(stderr, "refused") || !strings.Contains(stderr, "wrong token") {
		t.Fatalf("a worker with a wrong token: exit %d: %s", code, stderr)
	}
	_, stderr, code = natschaos(t, "worker", "--connect", addr, "--token-file", token, "--name", "remote-1")
	if code != 0 {
		t.Fatalf("the worker: exit %d: %s", code, stderr)
	}
	if err := runner.Wait(); err != nil {
		t.Fatalf("the runner: %v\n%s\n%s", err, rout.String(), rerr.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	ev := string(b)
	if !strings.Contains(ev, `"kind":"worker_refused"`) || !strings.Contains(ev, `"err":"wrong token"`) {
		t.Error("the refusal is not on the timeline")
	}
	if !strings.Contains(ev, `"kind":"worker_join","target":`) || !strings.Contains(ev, `"detail":"remote-1"`) {
		t.Error("the remote worker's join is not on the timeline")
	}
}

// Bad worker flags are exit 2.
func TestWorkerFlagsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"worker"},
		{"run", "rolling-upgrade", "--remote-workers", "1"},
		{"run", "rolling-upgrade", "--worker-listen", "127.0.0.1:0"},
	} {
		if _, stderr, code := natschaos(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, stderr)
		}
	}
}
