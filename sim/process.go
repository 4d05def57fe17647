package sim

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/natschaos/natschaos/internal/leftovers"
)

// Process runs real nats-server binaries, one child process per server,
// built and cached by Binaries. It runs any release but the one compiled
// into this binary (the embedded backend's), unless AllVersions is set:
// then it runs that one too, as a process (parity runs).
//
// Each server gets a generated configuration file (every ServerOptions
// field, the listen and advertise addresses, the routes) in a temporary
// folder removed when it exits; its log goes to <LogDir>/<name>.log,
// appended across restarts. Children are in their own process group (a
// Ctrl-C of the terminal reaches only the runner, which tears down) and,
// on Linux, get SIGKILL when the runner dies, even by kill -9.
//
// A version spelt "process:v2.15.3" (ProcessPrefix) asks for a process
// even of the embedded release; "process:embedded" is the same.
type Process struct {
	// Binaries builds and caches the releases; nil means DefaultBinaries.
	Binaries *Binaries
	// AllVersions also runs the embedded release as a process.
	AllVersions bool
}

// ProcessPrefix before a version asks for the process backend explicitly.
const ProcessPrefix = "process:"

// Name implements Backend.
func (Process) Name() string { return "process" }

// Supports implements Backend: any release; the embedded one ("" included)
// only with AllVersions.
func (p Process) Supports(version string) bool {
	if version == "" || version == "embedded" {
		return p.AllVersions
	}
	if rest, ok := strings.CutPrefix(version, ProcessPrefix); ok {
		_, ok := NormalizeVersion(rest)
		return ok || rest == "embedded" || rest == ""
	}
	v, ok := NormalizeVersion(version)
	if !ok {
		return false
	}
	if v == "v"+EmbeddedVersion {
		return p.AllVersions
	}
	return true
}

func (p Process) binaries() *Binaries {
	if p.Binaries != nil {
		return p.Binaries
	}
	return DefaultBinaries
}

func (p Process) release(version string) string {
	version = strings.TrimPrefix(version, ProcessPrefix)
	if version == "" || version == "embedded" {
		return "v" + EmbeddedVersion
	}
	v, _ := NormalizeVersion(version)
	return v
}

// Prepare implements Preparer: it builds the release's binary unless it is
// cached.
func (p Process) Prepare(ctx context.Context, version string) error {
	_, err := p.binaries().Path(ctx, p.release(version))
	return err
}

// MinProcessLameDuck is the shortest lame_duck_duration nats-server accepts
// in a configuration file; a process server given less gets this.
const MinProcessLameDuck = 30 * time.Second

// startWithin bounds a process's start, up to "Server is ready".
const startWithin = 15 * time.Second

// gracefulWithin bounds a graceful stop before the process is killed.
const gracefulWithin = 15 * time.Second

// Launch implements Backend.
func (p Process) Launch(cfg LaunchConfig) (Instance, error) {
	if cfg.Gateway != nil {
		return nil, fmt.Errorf("server %s: gateways run on embedded servers only", cfg.Name)
	}
	version := p.release(cfg.Version)
	bin, err := p.binaries().Path(context.Background(), version)
	if err != nil {
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	work, err := leftovers.MkdirTemp("natschaos-" + cfg.Name + "-")
	if err != nil {
		return nil, err
	}
	inst := &processInstance{version: version, work: work, done: make(chan struct{}), ready: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(work)
		}
	}()
	conf := filepath.Join(work, "nats-server.conf")
	if err := os.WriteFile(conf, []byte(processConfig(cfg, work)), 0o600); err != nil {
		return nil, err
	}
	logDir := cfg.LogDir
	if logDir == "" {
		logDir = work
	}
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(filepath.Join(logDir, cfg.Name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(logf, "# natschaos %s: starting %s, nats-server %s (%s)\n", time.Now().Format(time.RFC3339Nano), cfg.Name, version, bin)
	cmd := exec.Command(bin, "-c", conf)
	cmd.Dir = work
	cmd.SysProcAttr = sysProcAttr()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	cmd.Stdout = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("server %s: %w", cfg.Name, err)
	}
	inst.pid = cmd.Process.Pid
	inst.http = &http.Client{Timeout: time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		inst.readLog(stderr, logf, cfg)
	}()
	go func() {
		<-readDone
		err := cmd.Wait()
		inst.mu.Lock()
		inst.exitErr = err
		inst.mu.Unlock()
		fmt.Fprintf(logf, "# natschaos %s: %s exited (%v)\n", time.Now().Format(time.RFC3339Nano), cfg.Name, exitText(err))
		logf.Close()
		inst.http.CloseIdleConnections()
		os.RemoveAll(work)
		close(inst.done)
	}()
	timer := time.NewTimer(startWithin)
	defer timer.Stop()
	select {
	case <-inst.ready:
	case <-inst.done:
		return nil, fmt.Errorf("server %s (nats-server %s) exited while starting: %s", cfg.Name, version, inst.lastLines())
	case <-timer.C:
		inst.Kill()
		return nil, fmt.Errorf("server %s (nats-server %s): not ready within %v: %s", cfg.Name, version, startWithin, inst.lastLines())
	}
	ok = true
	return inst, nil
}

func exitText(err error) string {
	if err == nil {
		return "status 0"
	}
	return err.Error()
}

// processConfig writes the server's configuration file.
func processConfig(cfg LaunchConfig, work string) string {
	var b strings.Builder
	q := strconv.Quote
	port := cfg.ClientPort
	if port == 0 {
		port = -1
	}
	routePort := cfg.RoutePort
	if routePort == 0 {
		routePort = -1
	}
	o := cfg.Options
	fmt.Fprintf(&b, "server_name: %s\nhost: \"127.0.0.1\"\nport: %d\nhttp: \"127.0.0.1:-1\"\n", q(cfg.Name), port)
	if cfg.ClientAdvertise != "" {
		fmt.Fprintf(&b, "client_advertise: %s\n", q(cfg.ClientAdvertise))
	}
	dur := func(key string, d time.Duration) {
		if d > 0 {
			fmt.Fprintf(&b, "%s: %s\n", key, q(d.String()))
		}
	}
	num := func(key string, n int64) {
		if n > 0 {
			fmt.Fprintf(&b, "%s: %d\n", key, n)
		}
	}
	ldm := o.LameDuckDuration
	if ldm > 0 && ldm < MinProcessLameDuck {
		// A configuration file refuses less; the embedded server takes any.
		fmt.Fprintf(&b, "# lame_duck_duration %v raised to nats-server's minimum in a configuration file\n", ldm)
		ldm = MinProcessLameDuck
	}
	dur("lame_duck_duration", ldm)
	dur("lame_duck_grace_period", o.LameDuckGracePeriod)
	dur("ping_interval", o.PingInterval)
	num("ping_max", int64(o.MaxPingsOut))
	dur("write_deadline", o.WriteDeadline)
	num("max_payload", int64(o.MaxPayload))
	num("max_pending", o.MaxPending)
	num("max_connections", int64(o.MaxConnections))
	if cfg.Verbose && os.Getenv("NATSCHAOS_DEBUG") != "" {
		b.WriteString("debug: true\n")
	}
	secTop, secCluster := securityConfig(o.Security)
	b.WriteString(secTop)
	if o.JetStream {
		store := cfg.StoreDir
		if store == "" {
			store = filepath.Join(work, "jetstream")
		}
		fmt.Fprintf(&b, "jetstream {\n  store_dir: %s\n}\n", q(store))
	}
	b.WriteString("cluster {\n")
	if cfg.Cluster != "" {
		fmt.Fprintf(&b, "  name: %s\n", q(cfg.Cluster))
	}
	fmt.Fprintf(&b, "  host: \"127.0.0.1\"\n  port: %d\n", routePort)
	if cfg.RouteAdvertise != "" {
		fmt.Fprintf(&b, "  advertise: %s\n", q(cfg.RouteAdvertise))
	}
	if o.NoAdvertise {
		b.WriteString("  no_advertise: true\n")
	}
	if o.ConnectRetries > 0 {
		fmt.Fprintf(&b, "  connect_retries: %d\n", o.ConnectRetries)
	}
	if o.PoolSize != 0 {
		fmt.Fprintf(&b, "  pool_size: %d\n", o.PoolSize)
	}
	b.WriteString(secCluster)
	if len(cfg.Routes) > 0 {
		b.WriteString("  routes: [\n")
		for _, r := range cfg.Routes {
			fmt.Fprintf(&b, "    %s\n", q(r))
		}
		b.WriteString("  ]\n")
	}
	b.WriteString("}\n")
	b.WriteString(leafConfig(cfg.Leaf))
	return b.String()
}

type processInstance struct {
	version string
	pid     int
	work    string
	http    *http.Client

	mu         sync.Mutex
	id         string
	clientAddr string
	routeAddr  string
	httpAddr   string
	leafAddr   string   // a hub's leafnode listener (leaf_process.go)
	tail       []string // the last log lines, for errors
	exitErr    error
	lameDuck   bool
	sawReady   bool
	readyOnce  sync.Once

	ready chan struct{}
	done  chan struct{}
}

// Log lines the backend learns from (the same since long before v2.10).
const (
	logID     = "  ID:"
	logRoute  = "Listening for route connections on "
	logClient = "Listening for client connections on "
	logHTTP   = "Starting http monitor on "
	logReady  = "Server is ready"
)

// readLog copies the server's log to its file and learns its ID and
// addresses from it as it starts: the ID line comes before any route is
// dialled, and the route listener's line right after it listens.
func (p *processInstance) readLog(r io.Reader, w io.Writer, cfg LaunchConfig) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(w, line)
		if cfg.Verbose {
			fmt.Fprintf(os.Stderr, "[%s] %s\n", cfg.Name, line)
		}
		p.mu.Lock()
		p.tail = append(p.tail, line)
		if len(p.tail) > 8 {
			p.tail = p.tail[1:]
		}
		p.mu.Unlock()
		select {
		case <-p.ready:
			continue // started: nothing more to learn
		default:
		}
		switch {
		case strings.Contains(line, logID) && p.ID() == "":
			_, id, _ := strings.Cut(line, logID)
			id = strings.TrimSpace(id)
			p.mu.Lock()
			p.id = id
			p.mu.Unlock()
			if cfg.OnID != nil {
				cfg.OnID(id)
			}
		case strings.Contains(line, logRoute):
			addr := afterField(line, logRoute)
			p.mu.Lock()
			p.routeAddr = addr
			p.mu.Unlock()
			if cfg.OnRouteListening != nil {
				cfg.OnRouteListening(addr)
			}
		case strings.Contains(line, logClient):
			addr := afterField(line, logClient)
			p.mu.Lock()
			p.clientAddr = addr
			p.mu.Unlock()
		case strings.Contains(line, logHTTP):
			addr := afterField(line, logHTTP)
			p.mu.Lock()
			p.httpAddr = addr
			p.mu.Unlock()
		case strings.Contains(line, logReady):
			p.mu.Lock()
			p.sawReady = true
			p.mu.Unlock()
		default:
			p.leafListening(line, cfg)
		}
		// "Server is ready" comes once clients can connect; the route
		// listener may come just after it.
		p.mu.Lock()
		complete := p.sawReady && p.id != "" && p.routeAddr != "" && p.clientAddr != "" && p.httpAddr != "" && p.leafReadyLocked(cfg)
		p.mu.Unlock()
		if complete {
			p.readyOnce.Do(func() { close(p.ready) })
		}
	}
	_, _ = io.Copy(w, r) // a line too long for the scanner: keep the pipe drained
}

func afterField(line, prefix string) string {
	_, rest, _ := strings.Cut(line, prefix)
	f := strings.Fields(rest)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func (p *processInstance) lastLines() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.tail) == 0 {
		return "no log output"
	}
	return strings.Join(p.tail, "\n")
}

func (p *processInstance) ID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.id
}

func (p *processInstance) Version() string { return p.version }

// PID is the server's process ID.
func (p *processInstance) PID() int { return p.pid }

func (p *processInstance) ClientAddr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.clientAddr
}

func (p *processInstance) RouteAddr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.routeAddr
}

func (p *processInstance) Done() <-chan struct{} { return p.done }

func (p *processInstance) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// signal sends sig to the server's process group (the server alone).
func (p *processInstance) signal(sig syscall.Signal) {
	if !p.exited() {
		_ = syscall.Kill(-p.pid, sig)
	}
}

// Shutdown asks for a graceful stop: SIGTERM, or SIGINT once in lame duck
// (nats-server ignores SIGTERM then). A server still running after
// gracefulWithin is killed.
func (p *processInstance) Shutdown() {
	p.mu.Lock()
	ld := p.lameDuck
	p.mu.Unlock()
	if ld {
		p.signal(syscall.SIGINT)
	} else {
		p.signal(syscall.SIGTERM)
	}
	p.signal(syscall.SIGCONT) // a suspended server must run to stop
	t := time.NewTimer(gracefulWithin)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		p.Kill()
	}
}

// Suspend stops the process (SIGSTOP): its sockets stay open, nothing runs.
func (p *processInstance) Suspend() { p.signal(syscall.SIGSTOP) }

// Resume lets a suspended process run again (SIGCONT).
func (p *processInstance) Resume() { p.signal(syscall.SIGCONT) }

// Kill sends SIGKILL: the process sends nothing more.
func (p *processInstance) Kill() {
	p.signal(syscall.SIGKILL)
	<-p.done
}

// LameDuck sends SIGUSR2, nats-server's lame duck signal (`nats-server
// --signal ldm=PID`), and returns when the server has exited.
func (p *processInstance) LameDuck() {
	p.mu.Lock()
	p.lameDuck = true
	p.mu.Unlock()
	p.signal(syscall.SIGUSR2)
	<-p.done
}

type varz struct {
	Connections   int    `json:"connections"`
	SlowConsumers uint64 `json:"slow_consumers"`
}

type routez struct {
	Routes []struct {
		RemoteID   string `json:"remote_id"`
		RemoteName string `json:"remote_name"`
	} `json:"routes"`
}

// Observe reads /varz and /routez of the server's monitoring endpoint.
func (p *processInstance) Observe() (int, []string, uint64, error) {
	if p.exited() {
		return 0, nil, 0, errors.New("not running")
	}
	p.mu.Lock()
	addr := p.httpAddr
	p.mu.Unlock()
	if addr == "" {
		return 0, nil, 0, errors.New("no monitoring endpoint")
	}
	var v varz
	if err := p.get("http://"+addr+"/varz", &v); err != nil {
		return 0, nil, 0, err
	}
	var rz routez
	if err := p.get("http://"+addr+"/routez", &rz); err != nil {
		return 0, nil, 0, err
	}
	peers := distinctPeers(len(rz.Routes), func(i int) (string, string) { return rz.Routes[i].RemoteName, rz.Routes[i].RemoteID })
	return v.Connections, peers, v.SlowConsumers, nil
}

func (p *processInstance) get(url string, into any) error {
	resp, err := p.http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}
