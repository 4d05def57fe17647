package sim

import (
	"time"

	"github.com/nats-io/nats.go"
)

// ClientOptions are nats.go's own reconnect options; zero values keep the
// library's defaults, so a scenario that sets nothing tests what users get.
type ClientOptions struct {
	ReconnectWait      time.Duration
	ReconnectJitter    time.Duration
	ReconnectJitterTLS time.Duration
	// MaxReconnects: nil keeps the library default (60); -1 is forever.
	MaxReconnects           *int
	NoRandomize             bool
	IgnoreDiscoveredServers bool
	// ReconnectBufSize: 0 keeps the default (8 MB); -1 disables buffering.
	ReconnectBufSize int
	PingInterval     time.Duration
	MaxPingsOut      int
	Timeout          time.Duration
	NoReconnect      bool // nats.NoReconnect: the connection closes on the first disconnect
	DrainTimeout     time.Duration
	FlusherTimeout   time.Duration
	NoEcho           bool
	// ReconnectDelay, when set, replaces the library's wait and jitter
	// after a full pass of the server list (nats.CustomReconnectDelay):
	// the hook for mitigation strategies.
	ReconnectDelay func(attempts int) time.Duration `json:"-"`
	// Strategy is a shipped mitigation (strategy.go); its hooks replace
	// ReconnectDelay when both are set.
	Strategy Strategy
}

// natsOptions turns the options into nats.go options. The fleet adds its
// own handlers after these.
func (o ClientOptions) natsOptions() []nats.Option {
	var out []nats.Option
	if o.ReconnectWait > 0 {
		out = append(out, nats.ReconnectWait(o.ReconnectWait))
	}
	if o.ReconnectJitter > 0 || o.ReconnectJitterTLS > 0 {
		tls := o.ReconnectJitterTLS
		if tls == 0 {
			tls = nats.DefaultReconnectJitterTLS
		}
		out = append(out, nats.ReconnectJitter(o.ReconnectJitter, tls))
	}
	if o.MaxReconnects != nil {
		out = append(out, nats.MaxReconnects(*o.MaxReconnects))
	}
	if o.NoRandomize {
		out = append(out, nats.DontRandomize())
	}
	if o.IgnoreDiscoveredServers {
		out = append(out, nats.IgnoreDiscoveredServers())
	}
	if o.ReconnectBufSize != 0 {
		out = append(out, nats.ReconnectBufSize(o.ReconnectBufSize))
	}
	if o.PingInterval > 0 {
		out = append(out, nats.PingInterval(o.PingInterval))
	}
	if o.MaxPingsOut > 0 {
		out = append(out, nats.MaxPingsOutstanding(o.MaxPingsOut))
	}
	if o.Timeout > 0 {
		out = append(out, nats.Timeout(o.Timeout))
	}
	if o.NoReconnect {
		out = append(out, nats.NoReconnect())
	}
	if o.DrainTimeout > 0 {
		out = append(out, nats.DrainTimeout(o.DrainTimeout))
	}
	if o.FlusherTimeout > 0 {
		out = append(out, nats.FlusherTimeout(o.FlusherTimeout))
	}
	if o.NoEcho {
		out = append(out, nats.NoEcho())
	}
	if o.ReconnectDelay != nil {
		out = append(out, nats.CustomReconnectDelay(o.ReconnectDelay))
	}
	return out
}
