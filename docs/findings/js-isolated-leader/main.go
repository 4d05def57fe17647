// Command js-isolated-leader isolates the leader of an R3 JetStream stream
// from the other two servers (routes only) while acknowledged publishers
// write, heals, and waits for every replica to be current again, with plain
// nats-server (embedded) and nats.go.
//
// Each server dials each peer through a TCP forwarder of its own
// (X->Y), so cutting every forwarder that touches the leader isolates it
// while clients stay connected. Servers advertise a closed port as their
// route address, so gossip cannot open a route around the forwarders.
//
// A trial fails when, within -catchup after the heal, some replica is still
// offline or not current: the old leader's replica that never catches up
// (its raft group logs "Expected first catchup entry to be a snapshot and
// peerstate, will retry"; -v prints the servers' logs).
//
//	go run ./docs/findings/js-isolated-leader -trials 5
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

var (
	trials   = flag.Int("trials", 1, "how many trials, each on a fresh cluster")
	writers  = flag.Int("writers", 3, "acknowledged publishers, one per server in turn")
	rate     = flag.Int("rate", 50, "publishes per second per writer")
	isolated = flag.Duration("isolate", 8*time.Second, "how long the leader stays isolated")
	catchup  = flag.Duration("catchup", 60*time.Second, "how long every replica has to become current after the heal")
	storage  = flag.String("storage", "file", "file or memory")
	verbose  = flag.Bool("v", false, "server logs on stderr")
	bin      = flag.String("server-bin", "", "run this nats-server binary as processes instead of the embedded release")
)

// forwarder carries the routes one server dials to one peer, and can cut
// them.
type forwarder struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  map[net.Conn]struct{}
}

func newForwarder(target string) *forwarder {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	f := &forwarder{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go f.serve()
	return f
}

func (f *forwarder) addr() string { return f.ln.Addr().String() }

func (f *forwarder) serve() {
	for {
		in, err := f.ln.Accept()
		if err != nil {
			return
		}
		go f.carry(in)
	}
}

func (f *forwarder) carry(in net.Conn) {
	out, err := net.Dial("tcp", f.target)
	if err != nil {
		in.Close()
		return
	}
	f.mu.Lock()
	if f.cut {
		f.mu.Unlock()
		in.Close()
		out.Close()
		return
	}
	f.conns[in], f.conns[out] = struct{}{}, struct{}{}
	f.mu.Unlock()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(out, in)
	go pipe(in, out)
	<-done
	in.Close()
	out.Close()
	<-done
	f.mu.Lock()
	delete(f.conns, in)
	delete(f.conns, out)
	f.mu.Unlock()
}

func (f *forwarder) setCut(cut bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cut = cut
	if cut {
		for c := range f.conns {
			c.Close()
		}
	}
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type cluster struct {
	names []string
	url   map[string]string // client URL per server
	stops []func()
	fwd   map[[2]string]*forwarder // [from, to]
	dirs  []string
}

func startCluster() *cluster {
	c := &cluster{names: []string{"A", "B", "C"}, url: map[string]string{}, fwd: map[[2]string]*forwarder{}}
	routePort := map[string]int{}
	for _, n := range c.names {
		routePort[n] = freePort()
	}
	dead := freePort() // nothing listens here: gossiped route addresses lead nowhere
	for _, from := range c.names {
		for _, to := range c.names {
			if from != to {
				c.fwd[[2]string{from, to}] = newForwarder(fmt.Sprintf("127.0.0.1:%d", routePort[to]))
			}
		}
	}
	for _, n := range c.names {
		dir, err := os.MkdirTemp("", "js-isolated-leader-"+n+"-")
		if err != nil {
			log.Fatal(err)
		}
		c.dirs = append(c.dirs, dir)
		var routes string
		for _, to := range c.names {
			if to != n {
				if routes != "" {
					routes += ","
				}
				routes += "nats-route://" + c.fwd[[2]string{n, to}].addr()
			}
		}
		advertise := fmt.Sprintf("127.0.0.1:%d", dead)
		if *bin != "" {
			c.startProcess(n, dir, routePort[n], advertise, routes)
		} else {
			c.startEmbedded(n, dir, routePort[n], advertise, routes)
		}
	}
	return c
}

func (c *cluster) isolate(name string, cut bool) {
	for k, f := range c.fwd {
		if k[0] == name || k[1] == name {
			f.setCut(cut)
		}
	}
}

func (c *cluster) startEmbedded(n, dir string, routePort int, advertise, routes string) {
	o := &server.Options{
		ServerName: n,
		Host:       "127.0.0.1",
		Port:       -1,
		NoLog:      !*verbose,
		NoSigs:     true,
		JetStream:  true,
		StoreDir:   dir,
		Cluster: server.ClusterOpts{
			Name:      "C1",
			Host:      "127.0.0.1",
			Port:      routePort,
			Advertise: advertise,
		},
		Routes: server.RoutesFromStr(routes),
	}
	s, err := server.NewServer(o)
	if err != nil {
		log.Fatal(err)
	}
	if *verbose {
		s.ConfigureLogger()
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		log.Fatalf("%s not ready", n)
	}
	c.url[n] = s.ClientURL()
	c.stops = append(c.stops, func() { s.Shutdown(); s.WaitForShutdown() })
}

// startProcess runs the -server-bin release with the same settings.
func (c *cluster) startProcess(n, dir string, routePort int, advertise, routes string) {
	port := freePort()
	args := []string{"-n", n, "-a", "127.0.0.1", "-p", fmt.Sprint(port),
		"--cluster_name", "C1", "--cluster", fmt.Sprintf("nats://127.0.0.1:%d", routePort),
		"--cluster_advertise", advertise, "--routes", routes, "-js", "-sd", dir}
	cmd := exec.Command(*bin, args...)
	if *verbose {
		cmd.Stderr = prefixed(n)
	}
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := retry(10*time.Second, func() error {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
		}
		return err
	}); err != nil {
		log.Fatalf("%s not ready: %v", n, err)
	}
	c.url[n] = "nats://" + addr
	c.stops = append(c.stops, func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
}

// prefixed writes a server's log lines to stderr under its name.
func prefixed(name string) io.Writer {
	r, w := io.Pipe()
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			fmt.Fprintf(os.Stderr, "[%s] %s\n", name, sc.Text())
		}
	}()
	return w
}

func (c *cluster) stop() {
	for _, stop := range c.stops {
		stop()
	}
	for _, f := range c.fwd {
		f.ln.Close()
		f.setCut(true)
	}
	for _, d := range c.dirs {
		os.RemoveAll(d)
	}
}

// retry calls f every 100 ms until it succeeds or the time is up.
func retry(within time.Duration, f func() error) error {
	deadline := time.Now().Add(within)
	for {
		err := f()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func streamHealth(js nats.JetStreamContext) (string, error) {
	info, err := js.StreamInfo("ORDERS", nats.MaxWait(2*time.Second))
	if err != nil {
		return "", err
	}
	if info.Cluster == nil || info.Cluster.Leader == "" {
		return "", errors.New("no leader")
	}
	for _, p := range info.Cluster.Replicas {
		if p.Offline || !p.Current {
			return info.Cluster.Leader, fmt.Errorf("replica %s not current (offline %v, lag %d)", p.Name, p.Offline, p.Lag)
		}
	}
	return info.Cluster.Leader, nil
}

func trial(i int) error {
	c := startCluster()
	defer c.stop()
	quiet := nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {})
	connect := func(n string) (*nats.Conn, nats.JetStreamContext) {
		nc, err := nats.Connect(c.url[n], quiet, nats.MaxReconnects(-1),
			nats.ReconnectWait(100*time.Millisecond), nats.PingInterval(time.Second))
		if err != nil {
			log.Fatal(err)
		}
		js, err := nc.JetStream()
		if err != nil {
			log.Fatal(err)
		}
		return nc, js
	}
	admin, js := connect("A")
	defer admin.Close()
	st := nats.FileStorage
	if *storage == "memory" {
		st = nats.MemoryStorage
	}
	if err := retry(30*time.Second, func() error {
		_, err := js.AddStream(&nats.StreamConfig{Name: "ORDERS", Subjects: []string{"orders.>"}, Replicas: 3, Storage: st})
		return err
	}); err != nil {
		return fmt.Errorf("create stream: %w", err)
	}
	leader := ""
	if err := retry(30*time.Second, func() error {
		var err error
		leader, err = streamHealth(js)
		return err
	}); err != nil {
		return fmt.Errorf("stream not healthy before the fault: %w", err)
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var acked, failed atomic.Int64
	for w := range *writers {
		nc, wjs := connect(c.names[w%len(c.names)])
		defer nc.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Second / time.Duration(*rate))
			defer tick.Stop()
			for seq := 1; ; seq++ {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				_, err := wjs.Publish(fmt.Sprintf("orders.w-%d", w), make([]byte, 128),
					nats.MsgId(fmt.Sprintf("w-%d-%d", w, seq)), nats.AckWait(time.Second), nats.RetryAttempts(2))
				if err != nil {
					failed.Add(1)
				} else {
					acked.Add(1)
				}
			}
		}()
	}
	// A pull and a push durable, as in the scenario: their raft groups
	// move with the stream's.
	for _, mode := range []string{"pull", "push"} {
		nc, cjs := connect("B")
		defer nc.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			consume(cjs, mode, stop)
		}()
	}
	defer func() { close(stop); wg.Wait() }()

	time.Sleep(time.Second)
	fmt.Printf("trial %d: isolating %s (leader) for %v; ", i, leader, *isolated)
	c.isolate(leader, true)
	time.Sleep(*isolated)
	c.isolate(leader, false)
	healed := time.Now()
	var last error
	var newLeader string
	err := retry(*catchup, func() error {
		newLeader, last = streamHealth(js)
		return last
	})
	fmt.Printf("%d acked, %d failed publishes; ", acked.Load(), failed.Load())
	if err != nil {
		fmt.Printf("NOT CURRENT %v after the heal: %v\n", *catchup, last)
		return last
	}
	fmt.Printf("leader %s, every replica current %v after the heal\n", newLeader, time.Since(healed).Round(10*time.Millisecond))
	return nil
}

func consume(js nats.JetStreamContext, mode string, stop <-chan struct{}) {
	// Creating a consumer can time out on a loaded machine: retry.
	var sub *nats.Subscription
	if err := retry(30*time.Second, func() error {
		var err error
		if mode == "push" {
			sub, err = js.Subscribe("orders.>", func(m *nats.Msg) { _ = m.Ack() },
				nats.Durable("push"), nats.ManualAck(), nats.AckExplicit())
		} else {
			sub, err = js.PullSubscribe("orders.>", "pull")
		}
		return err
	}); err != nil {
		log.Printf("%s consumer: %v", mode, err)
		return
	}
	if mode == "push" {
		<-stop
		_ = sub.Unsubscribe()
		return
	}
	for {
		select {
		case <-stop:
			return
		default:
		}
		msgs, _ := sub.Fetch(100, nats.MaxWait(500*time.Millisecond))
		for _, m := range msgs {
			_ = m.Ack()
		}
	}
}

func main() {
	flag.Parse()
	version := "v" + server.VERSION + " (embedded)"
	if *bin != "" {
		out, err := exec.Command(*bin, "--version").Output()
		if err != nil {
			log.Fatal(err)
		}
		version = strings.TrimSpace(string(out)) + " (process)"
	}
	fmt.Printf("nats-server %s, nats.go %s, R3 %s stream, %d writers at %d/s\n", version, nats.Version, *storage, *writers, *rate)
	bad := 0
	for i := 1; i <= *trials; i++ {
		if trial(i) != nil {
			bad++
		}
	}
	fmt.Printf("%d of %d trials left a replica behind\n", bad, *trials)
	if bad > 0 {
		os.Exit(1)
	}
}
