package sim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// ExternalVersion is the version of a server natschaos does not start: it
// runs already (a staging cluster, pods of a Helm release), and the
// External backend only watches it and runs the commands it is given.
const ExternalVersion = "external"

// ExternalServer is one server of an existing cluster.
type ExternalServer struct {
	// Monitor is its monitoring endpoint (http://host:8222): /varz and
	// /routez give the observations, as for a process server.
	Monitor string
	// Commands run by process steps, by step ("kill", "stop",
	// "lame_duck", "restart"), through sh -c; {server} is replaced by the
	// server's name. A step with no command cannot run (validation says
	// so before the run). restart runs before the server is waited for.
	Commands map[string]string
}

// External is the backend of servers natschaos does not start. Launch
// waits until the server's monitoring endpoint answers; Kill, Shutdown and
// LameDuck run the user's command, then wait until the endpoint stops
// answering (or its new incarnation has a new server ID).
type External struct {
	servers map[string]ExternalServer
	within  time.Duration

	// transport is the monitoring endpoints' own, so Close can drop its
	// idle connections (and their goroutines).
	transport *http.Transport

	mu       sync.Mutex
	started  map[string]bool // launched once: the next launch is a restart
	detached bool
}

// Close drops the idle connections to the monitoring endpoints; call it
// after Cluster.Close.
func (e *External) Close() { e.transport.CloseIdleConnections() }

// NewExternal describes the servers; within bounds each wait for a server
// to answer or to go (0 means 60s).
func NewExternal(servers map[string]ExternalServer, within time.Duration) *External {
	if within <= 0 {
		within = 60 * time.Second
	}
	return &External{servers: servers, within: within, started: map[string]bool{}, transport: &http.Transport{}}
}

// Detach makes every later Shutdown leave the server alone: the run is
// over and the cluster is not natschaos's to stop. Call it before
// Cluster.Close.
func (e *External) Detach() {
	e.mu.Lock()
	e.detached = true
	e.mu.Unlock()
}

func (e *External) isDetached() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.detached
}

// Name implements Backend.
func (*External) Name() string { return "external" }

// Supports implements Backend: only the external version.
func (*External) Supports(version string) bool { return version == ExternalVersion }

// Launch implements Backend: a restart runs its command first.
func (e *External) Launch(cfg LaunchConfig) (Instance, error) {
	s, ok := e.servers[cfg.Name]
	if !ok {
		return nil, fmt.Errorf("external server %s: not described", cfg.Name)
	}
	x := &externalInstance{backend: e, name: cfg.Name, spec: s, within: e.within, http: &http.Client{Timeout: 2 * time.Second, Transport: e.transport}, done: make(chan struct{})}
	e.mu.Lock()
	restart := e.started[cfg.Name]
	e.mu.Unlock()
	// A restart (not the first launch) has a command when the file gave one.
	if cmd := s.Commands["restart"]; cmd != "" && restart {
		if err := x.run("restart"); err != nil {
			return nil, err
		}
	}
	deadline := time.Now().Add(x.within)
	for {
		v, err := x.varz()
		if err == nil {
			x.id, x.version, x.clientAddr = v.ID, v.Version, fmt.Sprintf("%s:%d", v.Host, v.Port)
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("external server %s: %s does not answer within %v: %w", cfg.Name, s.Monitor, x.within, err)
		}
		time.Sleep(100 * time.Millisecond) // polling the endpoint, not synchronising
	}
	e.mu.Lock()
	e.started[cfg.Name] = true
	e.mu.Unlock()
	return x, nil
}

type externalInstance struct {
	backend    *External
	name       string
	spec       ExternalServer
	within     time.Duration
	http       *http.Client
	id         string
	version    string
	clientAddr string
	done       chan struct{}
	once       sync.Once
}

type externalVarz struct {
	ID            string `json:"server_id"`
	Version       string `json:"version"`
	Host          string `json:"host"`
	Port          int    `json:"port"`
	Connections   int    `json:"connections"`
	SlowConsumers uint64 `json:"slow_consumers"`
}

func (x *externalInstance) get(path string, into any) error {
	resp, err := x.http.Get(strings.TrimSuffix(x.spec.Monitor, "/") + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s%s: %s", x.spec.Monitor, path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

func (x *externalInstance) varz() (externalVarz, error) {
	var v externalVarz
	err := x.get("/varz", &v)
	return v, err
}

// run runs the step's command through sh -c.
func (x *externalInstance) run(step string) error {
	c := x.spec.Commands[step]
	if c == "" {
		return fmt.Errorf("external server %s: no %s command", x.name, step)
	}
	ctx, cancel := context.WithTimeout(context.Background(), x.within)
	defer cancel()
	out, err := exec.CommandContext(ctx, "sh", "-c", strings.ReplaceAll(c, "{server}", x.name)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("external server %s: %s command %q: %w: %s", x.name, step, c, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// gone runs the step's command and waits until the server is gone: its
// endpoint no longer answers, or answers with another server ID.
func (x *externalInstance) gone(step string) {
	defer x.once.Do(func() { close(x.done) })
	if err := x.run(step); err != nil {
		return // the cluster records the exit; the command's failure is in its log
	}
	deadline := time.Now().Add(x.within)
	for time.Now().Before(deadline) {
		v, err := x.varz()
		if err != nil || v.ID != x.id {
			return
		}
		time.Sleep(50 * time.Millisecond) // polling the endpoint, not synchronising
	}
}

func (x *externalInstance) ID() string         { return x.id }
func (x *externalInstance) Version() string    { return x.version }
func (x *externalInstance) ClientAddr() string { return x.clientAddr }
func (x *externalInstance) RouteAddr() string  { return "" }
func (x *externalInstance) Shutdown() {
	if x.backend.isDetached() {
		x.once.Do(func() { close(x.done) }) // left running: only natschaos lets go
		return
	}
	x.gone("stop")
}
func (x *externalInstance) Kill()                 { x.gone("kill") }
func (x *externalInstance) LameDuck()             { x.gone("lame_duck") }
func (x *externalInstance) Done() <-chan struct{} { return x.done }

// Observe implements Instance from the monitoring endpoint.
func (x *externalInstance) Observe() (int, []string, uint64, error) {
	v, err := x.varz()
	if err != nil {
		return 0, nil, 0, err
	}
	var rz routez
	if err := x.get("/routez", &rz); err != nil {
		return 0, nil, 0, err
	}
	peers := distinctPeers(len(rz.Routes), func(i int) (string, string) { return rz.Routes[i].RemoteName, rz.Routes[i].RemoteID })
	return v.Connections, peers, v.SlowConsumers, nil
}
