package sim

import (
	"context"
	"time"
)

// ClientFleet is what the runner asks of a client fleet: a Fleet in this
// process, or one spread over worker processes (package workers).
type ClientFleet interface {
	Start(ctx context.Context) error
	Join(ctx context.Context, group string, count int) error
	Leave(group string, count int) (int, error)
	Burst(group string, messages int) (int, error)
	StopPublishing()
	Quiesce(quiet, within time.Duration)
	Close()
	ConnectedTo() map[string]int
}

var _ ClientFleet = (*Fleet)(nil)
