package faults

import (
	"time"

	"github.com/Shopify/toxiproxy/v2/stream"
	"github.com/Shopify/toxiproxy/v2/toxics"
)

// bandwidth limits each touched direction of each link to rate (toxiproxy's
// bandwidth toxic, which counts in KB/s: below 1 KB/s rounds up).
func init() {
	RegisterKind(Kind{
		Name: "bandwidth",
		Doc:  "Limit each touched direction of each link to rate.",
		Params: []Param{
			{Name: "rate", Type: TypeByteRate, Required: true, Rule: positive, Doc: "bytes per second, like 64KB/s."},
		},
		Build: func(v Values) (Effect, error) {
			return Effect{Toxic: "natschaos_bandwidth", Attrs: map[string]int64{"rate": kbPerSecond(v)}}, nil
		},
		External: func(v Values) (External, error) {
			return External{Toxic: "bandwidth", Attrs: map[string]any{"rate": kbPerSecond(v)}}, nil
		},
	})
	toxics.Register("natschaos_bandwidth", new(bandwidthToxic))
}

func kbPerSecond(v Values) int64 { return max(1, v.Rate("rate")/1024) }

// bandwidthToxic is toxiproxy's bandwidth toxic without its logging: the
// stock one logs through zerolog's global logger (a line on every
// interrupt), and the layer leaves that logger to the program it is in.
type bandwidthToxic struct {
	Rate int64 `json:"rate"` // KB/s; 0 or less passes data at once
}

func (t *bandwidthToxic) Pipe(stub *toxics.ToxicStub) {
	var sleep time.Duration
	for {
		select {
		case <-stub.Interrupt:
			return
		case p := <-stub.Input:
			if p == nil {
				stub.Close()
				return
			}
			if t.Rate <= 0 {
				sleep = 0
			} else {
				sleep += time.Duration(len(p.Data)) * time.Millisecond / time.Duration(t.Rate)
			}
			// Data above 100 ms worth goes in 100 ms slices.
			for int64(len(p.Data)) > t.Rate*100 && t.Rate > 0 {
				select {
				case <-time.After(100 * time.Millisecond):
					stub.Output <- &stream.StreamChunk{Data: p.Data[:t.Rate*100], Timestamp: p.Timestamp}
					p.Data = p.Data[t.Rate*100:]
					sleep -= 100 * time.Millisecond
				case <-stub.Interrupt:
					_ = stub.WriteOutput(p, 5*time.Second) // drop nothing
					return
				}
			}
			start := time.Now()
			select {
			case <-time.After(sleep):
				sleep -= time.Since(start) // time.After's error, taken off the next sleep
				stub.Output <- p
			case <-stub.Interrupt:
				_ = stub.WriteOutput(p, 5*time.Second) // drop nothing
				return
			}
		}
	}
}
