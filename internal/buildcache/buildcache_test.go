package buildcache

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func writeBinary(tmp string) error {
	return os.WriteFile(filepath.Join(tmp, "tool"), []byte("#!/bin/sh\n"), 0o755)
}

func entry(t *testing.T) Entry {
	return Entry{Dir: filepath.Join(t.TempDir(), "tools"), Name: "v1.2.3", Binary: "tool"}
}

// Many builders of one entry at once, each with its own Build value as
// separate processes would have: one build, every caller gets the binary.
func TestOneBuildForConcurrentCallers(t *testing.T) {
	e := entry(t)
	var runs, builtBy atomic.Int32
	var wg sync.WaitGroup
	paths := make([]string, 8)
	for i := range paths {
		wg.Go(func() {
			p, built, err := Get(context.Background(), Build{Entry: e, What: "tool", How: "test", Out: &bytes.Buffer{},
				Run: func(_ context.Context, tmp string) error { runs.Add(1); return writeBinary(tmp) }})
			if err != nil {
				t.Error(err)
			}
			if built {
				builtBy.Add(1)
			}
			paths[i] = p
		})
	}
	wg.Wait()
	if runs.Load() != 1 || builtBy.Load() != 1 {
		t.Errorf("%d builds, %d callers say they built: want 1 and 1", runs.Load(), builtBy.Load())
	}
	for _, p := range paths {
		if p != e.Path() {
			t.Errorf("path %q, want %q", p, e.Path())
		}
	}
	if _, ok := e.Cached(); !ok {
		t.Error("not cached after the build")
	}
}

// A failed build leaves nothing behind (no entry, no temporary folder),
// says so on Out, and the next call builds again.
func TestFailedBuildLeavesNothing(t *testing.T) {
	e := entry(t)
	boom := errors.New("boom")
	var out bytes.Buffer
	_, _, err := Get(context.Background(), Build{Entry: e, What: "tool v1.2.3", How: "test", Out: &out,
		Run: func(_ context.Context, tmp string) error { _ = writeBinary(tmp); return boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want the build's", err)
	}
	if !strings.Contains(out.String(), "tool v1.2.3: build failed after") {
		t.Errorf("progress: %q", out.String())
	}
	left, _ := filepath.Glob(filepath.Join(e.Dir, "*"))
	for _, f := range left {
		if !strings.HasSuffix(f, ".lock") {
			t.Errorf("left behind: %s", f)
		}
	}
	p, built, err := Get(context.Background(), Build{Entry: e, What: "tool", How: "test", Out: &out,
		Run: func(_ context.Context, tmp string) error { return writeBinary(tmp) }})
	if err != nil || !built || p != e.Path() {
		t.Errorf("second try: %q built=%v %v", p, built, err)
	}
}

// A build that exits cleanly but leaves no binary is an error, not an
// empty entry.
func TestBuildWithoutBinaryFails(t *testing.T) {
	e := entry(t)
	_, _, err := Get(context.Background(), Build{Entry: e, What: "tool", How: "test", Out: &bytes.Buffer{},
		Run: func(context.Context, string) error { return nil }})
	if err == nil || !strings.Contains(err.Error(), "left no binary") {
		t.Fatalf("error %v", err)
	}
	if _, ok := e.Cached(); ok {
		t.Error("an entry without a binary counts as cached")
	}
}

// A cached entry is returned as it is: Run is never called.
func TestCachedEntryIsNotRebuilt(t *testing.T) {
	e := entry(t)
	if err := os.MkdirAll(filepath.Join(e.Dir, e.Name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeBinary(filepath.Join(e.Dir, e.Name)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	p, built, err := Get(context.Background(), Build{Entry: e, What: "tool", How: "test", Out: &out,
		Run: func(context.Context, string) error { t.Error("rebuilt a cached entry"); return nil }})
	if err != nil || built || p != e.Path() || out.Len() != 0 {
		t.Errorf("%q built=%v %v, progress %q", p, built, err, out.String())
	}
}
