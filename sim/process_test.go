package sim_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/natschaos/natschaos/faults"
	"github.com/natschaos/natschaos/internal/testwait"
	"github.com/natschaos/natschaos/sim"
)

// The releases the process tests run; `make binaries` builds them ahead.
const (
	previousMinor = "v2.14.9"
	previousPatch = "v2.15.2"
)

func needBinaries(t *testing.T, versions ...string) {
	t.Helper()
	if err := sim.Prepare(context.Background(), nil, versions...); err != nil {
		t.Fatalf("building nats-server: %v", err)
	}
}

// meshedProc: every running server observed (an observation that fails
// counts as not meshed) and routed to every other.
func meshedProc(c *sim.Cluster) bool {
	obs := c.Observe()
	for _, o := range obs {
		if !o.Running {
			if c.IsRunning(o.Server) {
				return false
			}
			continue
		}
		for _, p := range obs {
			if p.Running && p.Server != o.Server && !slices.Contains(o.Peers, p.Server) {
				return false
			}
		}
	}
	return true
}

func alive(pid int) bool {
	return pid > 0 && syscall.Kill(pid, 0) == nil
}

// Embedded servers and processes of three releases in one cluster behind
// the fault layer: kill, stop, lame duck and restarts (switching release
// and backend) keep the mesh, and no process outlives its server.
func TestProcessLifecycleWithFaultLayer(t *testing.T) {
	needBinaries(t, previousMinor, previousPatch, sim.ProcessPrefix+sim.EmbeddedVersion)
	tl := sim.NewTimeline()
	layer := faults.New(tl, faults.Options{ClientProxies: true})
	defer layer.Close()
	logs := t.TempDir()
	c, err := sim.NewCluster(sim.ClusterSpec{
		Name: "mixed",
		Servers: []sim.ServerSpec{
			{Name: "A"},
			{Name: "B", Version: previousMinor},
			{Name: "C", Version: sim.ProcessPrefix + sim.EmbeddedVersion},
		},
		Options: sim.ServerOptions{PingInterval: time.Second, MaxPingsOut: 2},
		LogDir:  logs,
	}, tl, layer)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	defer func() {
		c.Close()
		for _, pid := range pids {
			if alive(pid) {
				t.Errorf("process %d outlived the cluster", pid)
			}
		}
	}()
	if err := c.StartAll(); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "mesh of embedded, v2.14.9 and a process of the embedded release", func() bool { return meshedProc(c) })
	pidB, pidC := c.PIDForTest("B"), c.PIDForTest("C")
	if !alive(pidB) || !alive(pidC) || c.PIDForTest("A") != 0 {
		t.Fatalf("pids: A %d B %d C %d", c.PIDForTest("A"), pidB, pidC)
	}
	pids = append(pids, pidB, pidC)

	// Kill B: SIGKILL, gone at once.
	if err := c.Kill("B"); err != nil {
		t.Fatal(err)
	}
	if alive(pidB) {
		t.Fatalf("B (pid %d) survived its kill", pidB)
	}
	// Restart B on another release: still a process, another binary.
	if err := c.Restart("B", previousPatch); err != nil {
		t.Fatal(err)
	}
	pids = append(pids, c.PIDForTest("B"))
	testwait.Until(t, 10*time.Second, "mesh after B came back on "+previousPatch, func() bool { return meshedProc(c) })

	// Stop C gracefully, start it again.
	if err := c.Stop("C"); err != nil {
		t.Fatal(err)
	}
	if alive(pidC) {
		t.Fatalf("C (pid %d) survived its stop", pidC)
	}
	if err := c.Start("C"); err != nil {
		t.Fatal(err)
	}
	pids = append(pids, c.PIDForTest("C"))
	testwait.Until(t, 10*time.Second, "mesh after C's restart", func() bool { return meshedProc(c) })

	// Lame duck B (no clients: it leaves at once), then bring it back
	// on the embedded release: the backend switches.
	pidB = c.PIDForTest("B")
	if err := c.LameDuck("B"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "B gone after lame duck", func() bool { return !c.IsRunning("B") })
	if alive(pidB) {
		t.Fatalf("B (pid %d) survived lame duck", pidB)
	}
	if err := c.Restart("B", "v"+sim.EmbeddedVersion); err != nil {
		t.Fatal(err)
	}
	if c.PIDForTest("B") != 0 {
		t.Error("B restarted on the embedded release still runs as a process")
	}
	testwait.Until(t, 10*time.Second, "mesh with B embedded again", func() bool { return meshedProc(c) })
	if err := layer.Err(); err != nil {
		t.Errorf("fault layer: %v", err)
	}
	t.Logf("observed: %+v", c.Observe())

	var versions []string
	for _, ev := range tl.Events() {
		if ev.Kind == sim.ServerStart {
			versions = append(versions, ev.Server+"="+ev.Version)
		}
	}
	want := "A=v" + sim.EmbeddedVersion + " B=" + previousMinor + " C=v" + sim.EmbeddedVersion + " B=" + previousPatch + " C=v" + sim.EmbeddedVersion + " B=v" + sim.EmbeddedVersion
	if got := strings.Join(versions, " "); got != want {
		t.Errorf("starts:\n got %s\nwant %s", got, want)
	}
	// Each process server's log, appended across restarts.
	for _, name := range []string{"B", "C"} {
		data, err := os.ReadFile(filepath.Join(logs, name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(data), "Server is ready"); n != 2 {
			t.Errorf("%s.log: %d starts logged, want 2", name, n)
		}
	}
}

// A release that does not exist fails before anything starts, with a
// clear error; and a cached binary is never built twice, even by two
// builders at once.
func TestBinariesCacheAndMissingRelease(t *testing.T) {
	dir := t.TempDir()
	var builds atomic.Int32
	b := &sim.Binaries{Dir: dir, Progress: testWriter{t}}
	b.SetBuildForTest(func(_, version, gobin string) error {
		builds.Add(1)
		if version == "v2.99.99" {
			return sim.ErrNoSuchVersion
		}
		return os.WriteFile(filepath.Join(gobin, "nats-server"), []byte("#!/bin/sh\n"), 0o755)
	})
	b2 := &sim.Binaries{Dir: dir, Progress: testWriter{t}}
	b2.SetBuildForTest(func(_, version, gobin string) error {
		builds.Add(1)
		return os.WriteFile(filepath.Join(gobin, "nats-server"), []byte("#!/bin/sh\n"), 0o755)
	})
	errs := make(chan error, 2)
	for _, x := range []*sim.Binaries{b, b2} {
		go func() {
			_, err := x.Path(context.Background(), "2.14.9")
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	p, err := b.Path(context.Background(), "v2.14.9")
	if err != nil || p != filepath.Join(dir, "nats-server", "v2.14.9", "nats-server") {
		t.Fatalf("path %q, %v", p, err)
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds of one release, want 1", n)
	}
	_, err = b.Path(context.Background(), "v2.99.99")
	if !errors.Is(err, sim.ErrNoSuchVersion) {
		t.Errorf("missing release: %v", err)
	}
	if _, err := b.Path(context.Background(), "latest"); !errors.Is(err, sim.ErrNoSuchVersion) {
		t.Errorf("not a release: %v", err)
	}
}

// One real call through the toolchain for a release that does not exist:
// the module proxy answers at once.
func TestBinariesRealMissingRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("calls the Go toolchain")
	}
	b := &sim.Binaries{Dir: t.TempDir(), Progress: testWriter{t}}
	start := time.Now()
	_, err := b.Path(context.Background(), "v2.99.99")
	if !errors.Is(err, sim.ErrNoSuchVersion) {
		t.Fatalf("want ErrNoSuchVersion, got %v", err)
	}
	t.Logf("failed in %v: %v", time.Since(start).Round(time.Millisecond), err)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// gone says a process no longer runs (a zombie waiting for a reaper that
// never comes, in a container without init, counts as gone).
func gone(pid int) bool {
	if !alive(pid) {
		return true
	}
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return true
	}
	_, after, _ := strings.Cut(string(data), ") ")
	return strings.HasPrefix(after, "Z")
}

// A server process dies with its runner, even when the runner is killed
// with SIGKILL and can clean nothing up: the runner here is this test
// binary run again as a helper (TestHelperRunner).
func TestProcessDiesWithRunner(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	needBinaries(t, previousMinor)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRunner$")
	// The killed runner cannot remove its server's work folder: keep it
	// in one the test removes.
	cmd.Env = append(os.Environ(), "NATSCHAOS_HELPER_RUNNER=1", "TMPDIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "server pid "); ok {
			pid, _ = strconv.Atoi(v)
			break
		}
	}
	if pid == 0 || !alive(pid) {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the helper started no server (pid %d)", pid)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	testwait.Until(t, 5*time.Second, "the server to die with its runner", func() bool { return gone(pid) })
}

// TestHelperRunner is the runner TestProcessDiesWithRunner kills.
func TestHelperRunner(t *testing.T) {
	if os.Getenv("NATSCHAOS_HELPER_RUNNER") == "" {
		t.Skip("helper process of TestProcessDiesWithRunner")
	}
	inst, err := sim.Process{}.Launch(sim.LaunchConfig{Name: "orphan", Version: previousMinor})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("server pid %d\n", inst.(interface{ PID() int }).PID())
	<-inst.Done() // until killed
}

// BenchmarkClusterMesh3Process is BenchmarkClusterMesh3 with nats-server
// processes of the embedded release: start, learn ID and addresses from
// the log, mesh through the fault layer.
func BenchmarkClusterMesh3Process(b *testing.B) {
	if err := sim.Prepare(context.Background(), nil, sim.ProcessPrefix+sim.EmbeddedVersion); err != nil {
		b.Fatal(err)
	}
	spec := specN(3)
	spec.Backends = []sim.Backend{sim.Process{AllVersions: true}}
	benchMeshSpec(b, spec, faultLayer)
}
