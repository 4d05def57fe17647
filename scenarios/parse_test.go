package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/natschaos/natschaos/assert"
)

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParse(t *testing.T, name string, data []byte) *Scenario {
	t.Helper()
	s, err := Parse(name, data)
	if err != nil {
		t.Fatalf("Parse(%s):\n%v", name, err)
	}
	return s
}

func TestContractExample(t *testing.T) {
	s := mustParse(t, "contract.yaml", mustRead(t, "testdata/contract.yaml"))

	if s.Name != "rolling-upgrade" || s.Seed == nil || *s.Seed != 42 || s.Timeout != 2*time.Minute {
		t.Errorf("header: name=%q seed=%v timeout=%v", s.Name, s.Seed, s.Timeout)
	}
	c := s.Cluster
	if c.Name != "C1" || c.Topology != TopologyFull || len(c.Servers) != 3 {
		t.Fatalf("cluster: %+v", c)
	}
	if !c.Servers[0].StartsAtBoot() || c.Servers[2].StartsAtBoot() || c.Servers[2].Version != "v2.14.9" || c.Servers[0].Version != DefaultVersion {
		t.Errorf("servers: %+v", c.Servers)
	}
	if o := c.ServerOptions; *o.LameDuckDuration != 2*time.Second || *o.LameDuckGracePeriod != 500*time.Millisecond || *o.JetStream {
		t.Errorf("server options: %+v", o)
	}
	if got := s.ServerNames(); strings.Join(got, ",") != "A,B,C" {
		t.Errorf("ServerNames = %v", got)
	}

	subs, pubs := s.Clients[0], s.Clients[1]
	o := subs.Options
	if subs.Count != 200 || strings.Join(subs.Servers, ",") != "A" ||
		*o.ReconnectWait != 100*time.Millisecond || *o.ReconnectJitter != 50*time.Millisecond ||
		*o.MaxReconnects != -1 || *o.NoRandomize || *o.IgnoreDiscoveredServers ||
		*o.ReconnectBufSize != 8<<20 || *o.PingInterval != time.Second || *o.MaxPingsOut != 2 {
		t.Errorf("subs: %+v options %+v", subs, o)
	}
	if len(subs.Subscribe) != 1 || subs.Subscribe[0].Subject != ">" {
		t.Errorf("subscribe: %+v", subs.Subscribe)
	}
	if pubs.Count != 4 || pubs.Publish == nil || pubs.Publish.Subject != "orders.{client}" || pubs.Publish.Rate != 500 || pubs.Publish.Size != 128 {
		t.Errorf("pubs: %+v %+v", pubs, pubs.Publish)
	}
	if got := pubs.Publish.SubjectFor(pubs.ClientName(3)); got != "orders.pubs-3" {
		t.Errorf("SubjectFor = %q", got)
	}
	if got := s.InitialServers(&pubs); strings.Join(got, ",") != "A,B" {
		t.Errorf("InitialServers(pubs) = %v", got)
	}

	var kinds []string
	for _, st := range s.Steps {
		kinds = append(kinds, st.Key())
	}
	want := "wait start wait kill wait restart lame_duck restart stop fault partition freeze heal wait join leave burst remove sleep check"
	if strings.Join(kinds, " ") != want {
		t.Errorf("steps:\n got %s\nwant %s", strings.Join(kinds, " "), want)
	}
	st := s.Steps
	if st[0].Pos != (Pos{Line: 40, Col: 5}) || s.Where(st[0].Pos) != "contract.yaml:40:5" {
		t.Errorf("first step at %v", st[0].Pos)
	}
	if w := stepOf[Wait](t, st[0]); w.Until != WaitMesh || w.Timeout != 5*time.Second {
		t.Errorf("wait: %+v", w)
	}
	if r, r2 := stepOf[Restart](t, st[5]), stepOf[Restart](t, st[7]); r.Server != "A" || r.Version != "v2.15.2" || r2.Server != "B" || r2.Version != "" {
		t.Errorf("restarts: %+v %+v", r, r2)
	}
	f := stepOf[Fault](t, st[9])
	if f.Link != (Link{Kind: LinkClient, Server: "A"}) || f.Kind != FaultLatency || f.Values()["latency"] != 200*time.Millisecond ||
		f.Values()["jitter"] != 50*time.Millisecond || f.Direction != DirectionBoth || f.Duration != 5*time.Second {
		t.Errorf("fault: %+v", f)
	}
	p := stepOf[Partition](t, st[10])
	if len(p.Groups) != 2 || strings.Join(p.Groups[1], ",") != "B,C" || p.Duration != 3*time.Second || p.Mode != PartitionClose {
		t.Errorf("partition: %+v", p)
	}
	if fr, h, sl := stepOf[Freeze](t, st[11]), stepOf[Heal](t, st[12]), stepOf[Sleep](t, st[18]); fr.Server != "B" || !h.All || h.Step != -1 || sl.Duration != 2*time.Second {
		t.Errorf("freeze/heal/sleep: %+v %+v %v", fr, h, sl.Duration)
	}
	if w := stepOf[Wait](t, st[13]); w.Until != WaitHealed || w.Timeout != 10*time.Second {
		t.Errorf("healed wait: %+v", w)
	}
	if j, l, b := stepOf[Join](t, st[14]), stepOf[Leave](t, st[15]), stepOf[Burst](t, st[16]); j.Group != "subs" || j.Count != 20 || l.Group != "subs" || l.Count != 5 ||
		b.Group != "pubs" || b.Messages != 5000 || stepOf[Remove](t, st[17]).Server != "C" {
		t.Errorf("join/leave/burst/remove: %+v %+v %+v %q", j, l, b, st[17].Server())
	}
	if got := stepOf[Check](t, st[19]).Properties; len(got) != 2 || got[0] != PropMesh || got[1] != PropBalance {
		t.Errorf("check: %v", got)
	}
	for i, step := range st {
		if step.Pos.IsZero() {
			t.Errorf("step %d has no position", i)
		}
	}

	e := s.Expect
	mesh, _ := ExpectParams[assert.MeshParams](e, PropMesh)
	disc, _ := ExpectParams[assert.DiscoveryParams](e, PropDiscovery)
	bal, _ := ExpectParams[assert.BalanceParams](e, PropBalance)
	rec, _ := ExpectParams[assert.ReconnectParams](e, PropReconnect)
	loss, _ := ExpectParams[assert.NoLossParams](e, PropNoLoss)
	herd, _ := ExpectParams[assert.HerdParams](e, PropHerd)
	if mesh.Within != 2*time.Second || disc.Within != 2*time.Second || bal.MaxSkew != 0.25 ||
		rec.Max != 5*time.Second || rec.P99 != 3*time.Second || rec.MaxPerClient == nil || *rec.MaxPerClient != 1 ||
		loss.Strict || loss.AllowSlowConsumer || herd.Window != 100*time.Millisecond || herd.MaxPerServer != 50 {
		t.Errorf("expect: %+v %+v %+v %+v %+v %+v", mesh, disc, bal, rec, loss, herd)
	}
	var props []string
	for _, x := range e.List() {
		props = append(props, string(x.Property()))
		if x.Position().IsZero() || x.Warning() {
			t.Errorf("%s: pos %v warn %v", x.Property(), x.Position(), x.Warning())
		}
	}
	if strings.Join(props, " ") != "mesh discovery balance reconnect no_loss no_duplicates ordered herd" {
		t.Errorf("expectations in order: %v", props)
	}
	if m := e.Get(PropMesh); m.Pos != (Pos{Line: 69, Col: 3}) {
		t.Errorf("mesh at %v", m.Pos)
	}
	if !s.UsesClientProxies() {
		t.Error("a client: fault needs client proxies")
	}
}

func TestSubscriptionExample(t *testing.T) {
	s := mustParse(t, "subscriptions.yaml", mustRead(t, "testdata/subscriptions.yaml"))
	subs := s.Clients[0].Subscribe
	if len(subs) != 2 || subs[0].Subject != ">" || subs[0].Queue != "" {
		t.Fatalf("subscribe: %+v", subs)
	}
	q := subs[1]
	if q.Subject != "orders.>" || q.Queue != "workers" || *q.PendingMsgs != 1000 || *q.PendingBytes != 1<<20 || q.Delay != 2*time.Millisecond {
		t.Errorf("queue subscription: %+v", q)
	}
	if q.Pos != (Pos{Line: 12, Col: 9}) {
		t.Errorf("queue subscription at %v", q.Pos)
	}
}

// Every YAML file under testdata except invalid ones parses.
func TestTestdataParses(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	if len(files) < 2 {
		t.Fatalf("testdata has %d files", len(files))
	}
	for _, f := range files {
		mustParse(t, f, mustRead(t, f))
	}
}

func TestValidationErrorFormat(t *testing.T) {
	_, err := Parse("x.yaml", []byte("name: a b\ncluster: {servers: [{name: A}]}\nstesp: []\n"))
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want *ValidationError, got %T %v", err, err)
	}
	want := `x.yaml:1:7: name "a b" is not a valid name: use letters, digits, _ and -` + "\n" +
		`x.yaml:3:1: unknown key "stesp"; did you mean "steps"?`
	if err.Error() != want {
		t.Errorf("got:\n%s\nwant:\n%s", err, want)
	}
	if p := verr.Problems[1]; p.File != "x.yaml" || p.Line != 3 || p.Col != 1 {
		t.Errorf("problem: %+v", p)
	}
}
