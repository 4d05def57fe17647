package faults

import (
	"io"
	"net"
	"testing"
)

// BenchmarkProxyLink measures raw throughput of one proxied client link
// with no toxic, 32KB writes into a server that discards.
func BenchmarkProxyLink(b *testing.B) {
	l, _ := newLayer(b, true)
	sink := newTCPServer(b, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	ca, _, err := l.Attach("A")
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Up("A", "ID-A", sink.addr(), sink.addr()); err != nil {
		b.Fatal(err)
	}
	c := dialTCP(b, ca)
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
}
