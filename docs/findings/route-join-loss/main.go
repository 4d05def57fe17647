// Command route-join-loss looks for messages lost across a stable route
// while a third server restarts and joins the cluster, with plain
// nats-server (embedded) and nats.go: no proxy, no fault injection.
//
// Servers A and B list each other's route; C lists both, like the
// rolling-upgrade scenario's temporary server. Subscribers to ">" sit on B
// and on C; publishers on B and on C publish numbered messages at a steady
// rate. Every cycle shuts A down and starts it again on the same ports (a
// new server ID, as after an upgrade). B and C, and their route, are never
// touched, so every subscriber must see every publisher's sequence without
// a gap. A gap is printed with its time relative to A's last restart.
//
//	go run ./docs/findings/route-join-loss -cycles 20
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

var (
	cycles   = flag.Int("cycles", 10, "how many times A restarts")
	subsPer  = flag.Int("subs", 50, "subscribers on each of B and C")
	pubsPer  = flag.Int("pubs", 4, "publishers on each of B and C")
	rate     = flag.Int("rate", 200, "messages per second per publisher")
	down     = flag.Duration("down", 300*time.Millisecond, "how long A stays down")
	up       = flag.Duration("up", 700*time.Millisecond, "how long A runs before the next shutdown")
	poolSize = flag.Int("pool-size", 0, "route pool_size (0: the server's default, -1: no pooling)")
	verbose  = flag.Bool("v", false, "server logs (route events) on stderr")
)

// node is one server's fixed ports and routes, so it can restart in place.
type node struct {
	name               string
	clientPort, rtPort int
	routes             []string
	s                  *server.Server
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (n *node) start() {
	o := &server.Options{
		ServerName: n.name,
		Host:       "127.0.0.1",
		Port:       n.clientPort,
		NoLog:      !*verbose,
		NoSigs:     true,
		Cluster: server.ClusterOpts{
			Name:     "C1",
			Host:     "127.0.0.1",
			Port:     n.rtPort,
			PoolSize: *poolSize,
		},
		Routes: server.RoutesFromStr(joinRoutes(n.routes)),
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
		log.Fatalf("%s not ready", n.name)
	}
	n.s = s
}

func joinRoutes(rs []string) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += ","
		}
		out += r
	}
	return out
}

func (n *node) routeURL() string { return fmt.Sprintf("nats-route://127.0.0.1:%d", n.rtPort) }
func (n *node) clientURL() string {
	return fmt.Sprintf("nats://127.0.0.1:%d", n.clientPort)
}

func waitFor(what string, d time.Duration, ok func() bool) {
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			log.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// gap is a run of missing seqs one subscriber noticed.
type gap struct {
	sub, pub    string
	first, last uint32
	published   time.Time // of the first missing message's successor's predecessor: see receive
}

type subscriber struct {
	name string
	mu   sync.Mutex
	next map[string]uint32 // per publisher subject: the seq expected next
	gaps []gap
}

func (s *subscriber) receive(m *nats.Msg) {
	if len(m.Data) < 12 {
		return
	}
	seq := binary.BigEndian.Uint32(m.Data[0:4])
	sent := time.Unix(0, int64(binary.BigEndian.Uint64(m.Data[4:12])))
	s.mu.Lock()
	defer s.mu.Unlock()
	want, ok := s.next[m.Subject]
	if ok && seq > want {
		// Messages between two received ones were published between
		// their times; the later one's time bounds the gap.
		s.gaps = append(s.gaps, gap{sub: s.name, pub: m.Subject, first: want, last: seq - 1, published: sent})
	}
	if !ok || seq >= want {
		s.next[m.Subject] = seq + 1
	}
}

func main() {
	flag.Parse()
	fmt.Printf("nats-server %s, nats.go %s, pool_size %d, %d cycles, %d subs and %d pubs at %d/s on each of B and C\n",
		server.VERSION, nats.Version, *poolSize, *cycles, *subsPer, *pubsPer, *rate)
	a := &node{name: "A", clientPort: freePort(), rtPort: freePort()}
	b := &node{name: "B", clientPort: freePort(), rtPort: freePort()}
	c := &node{name: "C", clientPort: freePort(), rtPort: freePort()}
	a.routes = []string{b.routeURL()}
	b.routes = []string{a.routeURL()}
	c.routes = []string{a.routeURL(), b.routeURL()}
	a.start()
	b.start()
	waitFor("A-B mesh", 5*time.Second, func() bool { return a.s.NumRemotes() == 1 && b.s.NumRemotes() == 1 })
	c.start()
	waitFor("full mesh", 5*time.Second, func() bool {
		return a.s.NumRemotes() == 2 && b.s.NumRemotes() == 2 && c.s.NumRemotes() == 2
	})
	defer b.s.Shutdown()
	defer c.s.Shutdown()

	var conns []*nats.Conn
	defer func() {
		for _, nc := range conns {
			nc.Close()
		}
	}()
	quiet := nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {})
	var subs []*subscriber
	var disconnects atomic.Int32
	for _, n := range []*node{b, c} {
		for i := range *subsPer {
			s := &subscriber{name: fmt.Sprintf("sub-%s-%d", n.name, i), next: map[string]uint32{}}
			nc, err := nats.Connect(n.clientURL(), nats.IgnoreDiscoveredServers(), quiet,
				nats.DisconnectErrHandler(func(*nats.Conn, error) { disconnects.Add(1) }))
			if err != nil {
				log.Fatal(err)
			}
			if _, err := nc.Subscribe(">", s.receive); err != nil {
				log.Fatal(err)
			}
			if err := nc.Flush(); err != nil {
				log.Fatal(err)
			}
			conns = append(conns, nc)
			subs = append(subs, s)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, n := range []*node{b, c} {
		for i := range *pubsPer {
			nc, err := nats.Connect(n.clientURL(), nats.IgnoreDiscoveredServers(), quiet,
				nats.DisconnectErrHandler(func(*nats.Conn, error) { disconnects.Add(1) }))
			if err != nil {
				log.Fatal(err)
			}
			conns = append(conns, nc)
			wg.Add(1)
			go func() {
				defer wg.Done()
				publish(nc, fmt.Sprintf("p.%s.%d", n.name, i), stop)
			}()
		}
	}

	var restarts []time.Time
	for range *cycles {
		time.Sleep(*up)
		a.s.Shutdown()
		a.s.WaitForShutdown()
		waitFor("B and C to drop A", 10*time.Second, func() bool { return b.s.NumRemotes() == 1 && c.s.NumRemotes() == 1 })
		time.Sleep(*down)
		restarts = append(restarts, time.Now())
		a.start()
		waitFor("full mesh after A's restart", 20*time.Second, func() bool {
			return a.s.NumRemotes() == 2 && b.s.NumRemotes() == 2 && c.s.NumRemotes() == 2
		})
	}
	time.Sleep(*up)
	close(stop)
	wg.Wait()
	time.Sleep(500 * time.Millisecond)
	a.s.Shutdown()

	report(subs, restarts, int(disconnects.Load()))
}

// publish sends seq 1, 2, ... at the rate, each message carrying its seq
// and publish time.
func publish(nc *nats.Conn, subj string, stop <-chan struct{}) {
	buf := make([]byte, 64)
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	for seq := uint32(1); ; seq++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		binary.BigEndian.PutUint32(buf[0:4], seq)
		binary.BigEndian.PutUint64(buf[4:12], uint64(time.Now().UnixNano()))
		_ = nc.Publish(subj, buf)
	}
}

func report(subs []*subscriber, restarts []time.Time, disconnects int) {
	type key struct {
		pub         string
		first, last uint32
		side        byte
	}
	byMsg := map[key][]gap{}
	for _, s := range subs {
		s.mu.Lock()
		for _, g := range s.gaps {
			k := key{g.pub, g.first, g.last, g.sub[4]}
			byMsg[k] = append(byMsg[k], g)
		}
		s.mu.Unlock()
	}
	if disconnects > 0 {
		fmt.Printf("warning: %d client disconnects (a client on B or C lost its server)\n", disconnects)
	}
	if len(byMsg) == 0 {
		fmt.Printf("no gaps in %d restarts of A\n", len(restarts))
		return
	}
	keys := make([]key, 0, len(byMsg))
	for k := range byMsg {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return byMsg[keys[i]][0].published.Before(byMsg[keys[j]][0].published) })
	lost := 0
	for _, k := range keys {
		gs := byMsg[k]
		t := gs[0].published
		since := "before the first restart"
		for i := len(restarts) - 1; i >= 0; i-- {
			if !t.Before(restarts[i]) {
				since = fmt.Sprintf("%v after restart %d", t.Sub(restarts[i]).Round(time.Millisecond), i+1)
				break
			}
		}
		lost += len(gs) * int(k.last-k.first+1)
		fmt.Printf("LOST %s seq %d-%d at %d subscribers on %c (next message published %s)\n",
			k.pub, k.first, k.last, len(gs), k.side, since)
	}
	fmt.Printf("%d messages lost across %d gaps in %d restarts of A\n", lost, len(keys), len(restarts))
	os.Exit(1)
}
