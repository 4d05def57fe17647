// Command binaries builds the nats-server releases given as arguments into
// natschaos's cache (see sim.Binaries), or says they are cached already:
// `make binaries` runs it before the tests so that no test waits for a
// build.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code := 0
	for _, v := range os.Args[1:] {
		if p, ok := sim.DefaultBinaries.Cached(v); ok {
			fmt.Fprintf(os.Stderr, "natschaos: nats-server %s cached: %s\n", v, p)
			continue
		}
		start := time.Now()
		p, err := sim.DefaultBinaries.Path(ctx, v)
		if err != nil {
			fmt.Fprintf(os.Stderr, "natschaos: %v\n", err)
			code = 3
			continue
		}
		fmt.Fprintf(os.Stderr, "natschaos: nats-server %s ready in %v: %s\n", v, time.Since(start).Round(100*time.Millisecond), p)
	}
	os.Exit(code)
}
