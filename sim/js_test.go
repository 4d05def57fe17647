package sim

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// A 3-server JetStream cluster: an R3 stream is created and led, a
// publisher's acks and a durable's deliveries are recorded as ranges, the
// stream read back holds every acknowledged message once, and the stores
// are gone after Close.
func TestJetStreamRecordsAcksDeliveriesAndReadBack(t *testing.T) {
	if testing.Short() {
		t.Skip("JetStream cluster: a few seconds")
	}
	spec := ClusterSpec{Name: "JS", Servers: names(3), Options: ServerOptions{JetStream: true}, ObserveEvery: -1}
	c, tl := newTestCluster(t, spec, nil)
	testwait.Until(t, 5*time.Second, "mesh", func() bool { return fullMesh(c) })
	root := c.stores.root
	if root == "" {
		t.Fatal("no JetStream store folder made")
	}
	js, err := NewJetStream(c, tl, JetStreamSpec{
		Streams:    []StreamSpec{{Name: "ORDERS", Subjects: []string{"orders.>"}, Replicas: 3}},
		Publishers: []JSPublisherSpec{{Name: "w", Count: 1, Stream: "ORDERS", Subject: "orders.{client}", Rate: 200, Size: 64}},
		Consumers:  []JSConsumerSpec{{Name: "pull", Stream: "ORDERS"}, {Name: "push", Stream: "ORDERS", Push: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := js.Start(ctx, 30*time.Second); err != nil {
		js.Close()
		t.Fatal(err)
	}
	testwait.Until(t, 10*time.Second, "some acks", func() bool {
		for _, ev := range tl.Events() {
			if ev.Kind == JSPublish && ev.Detail == JSAck {
				return true
			}
		}
		return false
	})
	js.Finish(ctx, 20*time.Second)
	var acked, end uint64
	reads, deliveries := map[string][]Range{}, map[string][]Range{}
	for _, ev := range tl.Events() {
		switch ev.Kind {
		case JSPublish:
			if ev.Detail == JSAck {
				acked += ev.Count
			} else {
				t.Errorf("unexpected outcome %s %s at %d: %s", ev.Client, ev.Detail, ev.Seq, ev.Err)
			}
		case JSPublishEnd:
			end = ev.Seq
		case JSStreamRead:
			if ev.Err != "" {
				t.Errorf("read back: %s", ev.Err)
			}
			if ev.Client != "" {
				reads[ev.Client] = ev.Received
				if ev.Duplicates != 0 {
					t.Errorf("stream holds duplicates: %v", ev.Repeated)
				}
			}
		case JSDelivery:
			deliveries[ev.Sub] = ev.Received
		}
	}
	if acked == 0 || acked != end {
		t.Fatalf("acked %d of %d", acked, end)
	}
	want := []Range{{1, end}}
	if got := reads["w-0"]; !rangesEqual(got, want) {
		t.Errorf("stream holds %v, want %v", got, want)
	}
	for _, d := range []string{"pull", "push"} {
		if got := deliveries[d]; !rangesCover(got, want) {
			t.Errorf("%s delivered %v, want %v", d, got, want)
		}
	}
	c.Close()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("store folder %s left behind: %v", filepath.Base(root), err)
	}
}

func rangesEqual(a, b []Range) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMsgIDRoundTrip(t *testing.T) {
	c, s, ok := ParseMsgID(MsgID("writers-3", 42))
	if !ok || c != "writers-3" || s != 42 {
		t.Fatalf("got %q %d %v", c, s, ok)
	}
	for _, bad := range []string{"", "x", ":1", "a:0", "a:b"} {
		if _, _, ok := ParseMsgID(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
