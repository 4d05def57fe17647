package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// exitTerminated is the exit code after SIGTERM (128 + 15), the signal
// Kubernetes and systemd send; Ctrl-C (SIGINT) keeps exitInterrupted.
const exitTerminated = 143

// stopSignals is a context cancelled by the first SIGINT or SIGTERM, and
// remembers which one came, for the exit code.
type stopSignals struct {
	ctx  context.Context
	got  atomic.Value // os.Signal
	stop func()
}

func notifyStop() *stopSignals {
	ctx, cancel := context.WithCancel(context.Background())
	s := &stopSignals{ctx: ctx}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			s.got.Store(sig)
			cancel()
		case <-done:
		}
	}()
	s.stop = func() {
		signal.Stop(ch)
		select {
		case <-done:
		default:
			close(done)
		}
		cancel()
	}
	return s
}

// interruptedCode is the exit code of a run stopped by a signal.
func (s *stopSignals) interruptedCode() int {
	if sig, _ := s.got.Load().(os.Signal); sig == syscall.SIGTERM {
		return exitTerminated
	}
	return exitInterrupted
}
