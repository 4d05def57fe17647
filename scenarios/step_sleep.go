package scenarios

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/goccy/go-yaml/ast"
)

func init() {
	RegisterStep[Sleep]("sleep", "Let time pass: a duration like 2s.")
}

// Sleep lets time pass: `sleep: 2s`.
type Sleep struct {
	Duration time.Duration
	Pos      Pos
}

func (s *Sleep) decodeNode(d *decoder, n ast.Node, where string, at Pos) {
	s.Pos = at
	d.decode(n, reflect.ValueOf(&s.Duration).Elem(), where, at)
}

// Validate checks that the duration is positive.
func (s *Sleep) Validate(c *StepValidator) {
	if c.v.ok(&s.Duration, true) && s.Duration <= 0 {
		c.v.add(c.v.at(&s.Duration, c.step.Pos), "%s must be positive, got %v", c.where, s.Duration)
	}
	c.sc.slept += max(s.Duration, 0)
}

// Run sleeps, or returns early when the run is cancelled.
func (s *Sleep) Run(ctx context.Context, _ *StepEnv) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(s.Duration):
		return nil
	}
}

// Describe is "sleep: 2s".
func (s *Sleep) Describe() string { return fmt.Sprintf("sleep: %v", s.Duration) }

// Marshal writes the duration.
func (s *Sleep) Marshal(*Scenario) any { return s.Duration.String() }
