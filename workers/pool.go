package workers

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// TokenEnv carries the run's token to a worker: the environment, not the
// command line, which every user of the machine can read.
const TokenEnv = "NATSCHAOS_WORKER_TOKEN"

// Config says where a run's client groups go.
type Config struct {
	// Local workers are started by the runner on this machine.
	Local int
	// Remote workers are started elsewhere (a Kubernetes Job, ssh),
	// pointed at Listen with the token; the run waits for them.
	Remote int
	// Listen is the address the runner listens on for its workers;
	// empty means 127.0.0.1 on a fresh port (local workers only).
	Listen string
	// Token is what a worker must present; empty means a fresh random one
	// (which remote workers cannot know: give one for them).
	Token string
	// Command starts one local worker: the program and its arguments, to
	// which --connect ADDR --name NAME are appended. Empty means this
	// program's "worker" command.
	Command []string
	// JoinWithin bounds the wait for every worker to connect; 0 means 30 s.
	JoinWithin time.Duration
	// OnListen, when set, is told the address once the runner listens.
	OnListen func(addr string)
}

// Workers is how many workers the configuration asks for.
func (c Config) Workers() int { return c.Local + c.Remote }

// NewToken draws a fresh per-run token.
func NewToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pool listens for workers, checks their token, and keeps the connected
// ones. It records every worker that joins, is refused, or is lost.
type pool struct {
	cfg   Config
	tl    *sim.Timeline
	ln    net.Listener
	token string

	mu       sync.Mutex
	members  []*remote
	closing  bool
	changed  chan struct{} // closed and replaced whenever members or exits change
	exits    []error       // local workers that ended before joining
	lostErrs []error       // workers lost after joining
	procs    []*exec.Cmd
	procWG   sync.WaitGroup
	wg       sync.WaitGroup
}

func newPool(cfg Config, tl *sim.Timeline) (*pool, error) {
	if cfg.Workers() < 1 {
		return nil, errors.New("no workers configured")
	}
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.JoinWithin <= 0 {
		cfg.JoinWithin = 30 * time.Second
	}
	token := cfg.Token
	if token == "" {
		token = NewToken()
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("workers: %w", err)
	}
	p := &pool{cfg: cfg, tl: tl, ln: ln, token: token, changed: make(chan struct{})}
	if cfg.OnListen != nil {
		cfg.OnListen(ln.Addr().String())
	}
	p.wg.Add(1)
	go p.acceptLoop()
	for i := 1; i <= cfg.Local; i++ {
		if err := p.launch(fmt.Sprintf("w%d", i)); err != nil {
			p.close()
			return nil, err
		}
	}
	return p, nil
}

// Addr is where the runner listens for workers.
func (p *pool) Addr() string { return p.ln.Addr().String() }

func (p *pool) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *pool) acceptLoop() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.admit(c)
		}()
	}
}

// admit runs the handshake: a worker that does not present the token, or
// comes when the run has all its workers, is refused and recorded.
func (p *pool) admit(c net.Conn) {
	w := newWire(c)
	_ = c.SetDeadline(time.Now().Add(helloWithin))
	m, err := w.recv()
	refuse := func(why string) {
		p.tl.Add(sim.Event{Kind: sim.WorkerRefused, Target: c.RemoteAddr().String(), Err: why})
		_ = w.send(message{Type: msgRefused, Err: why})
		_ = c.Close()
	}
	switch {
	case err != nil:
		refuse("no hello: " + err.Error())
		return
	case m.Type != msgHello:
		refuse(fmt.Sprintf("expected hello, got %q", m.Type))
		return
	case subtle.ConstantTimeCompare([]byte(m.Token), []byte(p.token)) != 1:
		refuse("wrong token")
		return
	}
	p.mu.Lock()
	if p.closing || len(p.members) >= p.cfg.Workers() {
		p.mu.Unlock()
		refuse(fmt.Sprintf("the run has its %d workers", p.cfg.Workers()))
		return
	}
	name := m.Name
	if name == "" || slices.ContainsFunc(p.members, func(o *remote) bool { return o.name == name }) {
		name = fmt.Sprintf("worker%d", len(p.members)+1)
	}
	r := &remote{name: name, addr: c.RemoteAddr().String(), w: w, pending: map[uint64]chan message{}, done: make(chan struct{})}
	// The welcome and the join event are sent under p.mu, so the member
	// list and the timeline agree on who is in.
	_ = c.SetDeadline(time.Time{})
	if err := w.send(message{Type: msgWelcome, Name: name, Elapsed: p.tl.Since(), Start: p.tl.Start().UnixNano()}); err != nil {
		p.mu.Unlock()
		_ = c.Close()
		return
	}
	p.tl.Add(sim.Event{Kind: sim.WorkerJoin, Detail: name, Target: r.addr})
	p.members = append(p.members, r)
	p.notifyLocked()
	p.mu.Unlock()
	r.read(p.tl, p.lost)
}

// lost records a worker whose connection ended while the run needed it.
func (p *pool) lost(r *remote, err error) {
	p.mu.Lock()
	closing := p.closing
	p.notifyLocked()
	p.mu.Unlock()
	if !closing && !r.finished() {
		p.tl.Add(sim.Event{Kind: sim.WorkerLost, Detail: r.name, Err: err.Error()})
		p.mu.Lock()
		p.lostErrs = append(p.lostErrs, fmt.Errorf("worker %s lost: %w", r.name, err))
		p.mu.Unlock()
	}
}

// wait returns the workers once all have joined; an error if ctx ends,
// JoinWithin passes, or a local worker exits first.
func (p *pool) wait(ctx context.Context) ([]*remote, error) {
	deadline := time.NewTimer(p.cfg.JoinWithin)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		n, want, ch := len(p.members), p.cfg.Workers(), p.changed
		exits := append([]error(nil), p.exits...)
		members := append([]*remote(nil), p.members...)
		p.mu.Unlock()
		if len(exits) > 0 {
			return nil, fmt.Errorf("workers: %w", errors.Join(exits...))
		}
		if n >= want {
			return members, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("workers: %d of %d connected: %w", n, want, ctx.Err())
		case <-deadline.C:
			return nil, fmt.Errorf("workers: %d of %d connected to %s within %v", n, want, p.Addr(), p.cfg.JoinWithin)
		}
	}
}

// launch starts one local worker process.
func (p *pool) launch(name string) error {
	argv := p.cfg.Command
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("workers: %w", err)
		}
		argv = []string{exe, "worker"}
	}
	argv = append(append([]string(nil), argv...), "--connect", p.Addr(), "--name", name)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), TokenEnv+"="+p.token)
	cmd.SysProcAttr = sysProcAttr()
	tail := &tailBuffer{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = tail, tail
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("workers: starting %s: %w", name, err)
	}
	p.mu.Lock()
	p.procs = append(p.procs, cmd)
	p.mu.Unlock()
	p.procWG.Add(1)
	go func() {
		defer p.procWG.Done()
		err := cmd.Wait()
		p.mu.Lock()
		defer p.mu.Unlock()
		joined := false
		for _, m := range p.members {
			joined = joined || m.name == name
		}
		if !joined && !p.closing {
			p.exits = append(p.exits, fmt.Errorf("local worker %s exited before joining (%v): %s", name, err, strings.TrimSpace(tail.String())))
			p.notifyLocked()
		}
	}()
	return nil
}

// close stops listening, closes every connection, and waits for local
// workers to exit (killing those that outlive a grace period).
func (p *pool) close() {
	p.mu.Lock()
	p.closing = true
	members := append([]*remote(nil), p.members...)
	procs := append([]*exec.Cmd(nil), p.procs...)
	p.mu.Unlock()
	_ = p.ln.Close()
	for _, r := range members {
		_ = r.w.conn.Close()
	}
	done := make(chan struct{})
	go func() { p.procWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		for _, c := range procs {
			_ = c.Process.Kill()
		}
		<-done
	}
	p.wg.Wait()
}

// tailBuffer keeps the last max bytes a worker wrote, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(b)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}
