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
	"sync"
	"sync/atomic"
	"time"

	"github.com/natschaos/natschaos/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// The releases build side by side: each build's download and link
	// leave a core idle that another can use.
	var failed atomic.Bool
	var wg sync.WaitGroup
	for _, v := range os.Args[1:] {
		if p, ok := sim.DefaultBinaries.Cached(v); ok {
			fmt.Fprintf(os.Stderr, "natschaos: nats-server %s cached: %s\n", v, p)
			continue
		}
		wg.Go(func() {
			start := time.Now()
			p, err := sim.DefaultBinaries.Path(ctx, v)
			if err != nil {
				fmt.Fprintf(os.Stderr, "natschaos: %v\n", err)
				failed.Store(true)
				return
			}
			fmt.Fprintf(os.Stderr, "natschaos: nats-server %s ready in %v: %s\n", v, time.Since(start).Round(100*time.Millisecond), p)
		})
	}
	wg.Wait()
	if failed.Load() {
		os.Exit(3)
	}
}
