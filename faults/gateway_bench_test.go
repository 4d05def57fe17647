package faults

import (
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// BenchmarkGatewayHeal measures, per op, one closing partition between
// clusters east (E1 E2), west (W1 W2) and north (N1): from the heal until
// every server has its outbound gateways again, through the layer. The
// cut dials were refused, so each dialler redials after nats-server's
// one-second gateway reconnect delay: expect about a second an op.
func BenchmarkGatewayHeal(b *testing.B) {
	sc, l, _ := startSupercluster(b)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		id, err := l.Partition([][]string{{"E1", "E2", "N1"}, {"W1", "W2"}}, ModeClose, 0)
		if err != nil {
			b.Fatal(err)
		}
		testwait.Until(b, 10*time.Second, "west cut off", func() bool {
			g := gatewayGraph(sc)
			return len(g["W1"]) == 0 && len(g["W2"]) == 0
		})
		start := time.Now()
		if err := l.Heal(id); err != nil {
			b.Fatal(err)
		}
		testwait.Until(b, 10*time.Second, "gateway mesh after heal", sc.GatewayMeshed)
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-mesh/op")
}
