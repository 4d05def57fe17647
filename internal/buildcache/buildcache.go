package buildcache

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Entry is one cached binary: <Dir>/<Name>/<Binary>.
type Entry struct {
	// Dir holds the entries (and their lock files).
	Dir string
	// Name is the entry's folder: a release, with whatever else decides
	// what the binary is (a source hash).
	Name string
	// Binary is the executable's file name inside the entry.
	Binary string
}

// Path is where the entry's binary is once built.
func (e Entry) Path() string { return filepath.Join(e.Dir, e.Name, e.Binary) }

// Cached returns the entry's binary if it is in the cache.
func (e Entry) Cached() (string, bool) {
	p := e.Path()
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p, true
	}
	return "", false
}

// Build says how to build an entry that is not cached.
type Build struct {
	Entry
	// What names the binary in the progress lines ("nats-server v2.14.9").
	What string
	// How says how it is built, in the first progress line.
	How string
	// Out receives a line when a build starts and one when it ends; nil
	// means os.Stderr.
	Out io.Writer
	// Run builds Binary into the folder tmp.
	Run func(ctx context.Context, tmp string) error
}

// Get returns the entry's binary, building it with b.Run first when the
// cache lacks it; built says whether this call built it.
func Get(ctx context.Context, b Build) (path string, built bool, err error) {
	if p, ok := b.Cached(); ok {
		return p, false, nil
	}
	if err := os.MkdirAll(b.Dir, 0o755); err != nil {
		return "", false, err
	}
	unlock, err := lockFile(filepath.Join(b.Dir, b.Name+".lock"))
	if err != nil {
		return "", false, err
	}
	defer unlock()
	if p, ok := b.Cached(); ok { // built by whoever held the lock
		return p, false, nil
	}
	return buildLocked(ctx, b)
}

func buildLocked(ctx context.Context, b Build) (string, bool, error) {
	tmp, err := os.MkdirTemp(b.Dir, ".build-"+b.Name+"-")
	if err != nil {
		return "", false, err
	}
	defer os.RemoveAll(tmp)
	out := b.Out
	if out == nil {
		out = os.Stderr
	}
	final := filepath.Join(b.Dir, b.Name)
	fmt.Fprintf(out, "natschaos: building %s (%s) into %s ...\n", b.What, b.How, final)
	start := time.Now()
	if err := b.Run(ctx, tmp); err != nil {
		fmt.Fprintf(out, "natschaos: %s: build failed after %v\n", b.What, time.Since(start).Round(100*time.Millisecond))
		return "", false, err
	}
	if _, err := os.Stat(filepath.Join(tmp, b.Binary)); err != nil {
		return "", false, fmt.Errorf("%s: the build left no binary: %w", b.What, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		if p, ok := b.Cached(); ok { // a cache without this lock won the race
			return p, false, nil
		}
		return "", false, fmt.Errorf("%s: %w", b.What, err)
	}
	fmt.Fprintf(out, "natschaos: built %s in %v\n", b.What, time.Since(start).Round(100*time.Millisecond))
	return b.Path(), true, nil
}
