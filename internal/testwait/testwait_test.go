package testwait

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fakeT records a failure instead of ending the test.
type fakeT struct {
	testing.TB
	failed string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	panic(f)
}

func run(fn func(t *fakeT)) (failed bool) {
	t := &fakeT{}
	defer func() {
		if r := recover(); r != nil {
			if r != t {
				panic(r)
			}
			failed = true
		}
	}()
	fn(t)
	return false
}

func TestUntilReturnsOnceTheConditionHolds(t *testing.T) {
	n := 0
	if run(func(ft *fakeT) { Until(ft, time.Second, "third poll", func() bool { n++; return n == 3 }) }) {
		t.Fatal("failed although the condition held on the third poll")
	}
	if n != 3 {
		t.Fatalf("polled %d times, want 3", n)
	}
}

func TestUntilFailsAtTheDeadline(t *testing.T) {
	start := time.Now()
	if !run(func(ft *fakeT) { Until(ft, 30*time.Millisecond, "never", func() bool { return false }) }) {
		t.Fatal("did not fail on a condition that never holds")
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Fatalf("failed after %v, before the deadline", d)
	}
}

func TestNoErrorFailsWithTheLastError(t *testing.T) {
	var got string
	ft := &fakeT{}
	func() {
		defer func() { _ = recover(); got = ft.failed }()
		NoError(ft, 10*time.Millisecond, "dial", func() error { return errors.New("refused") })
	}()
	if !strings.Contains(got, "dial: not within 10ms: refused") {
		t.Fatalf("failed with %q, want the last error named", got)
	}
}
