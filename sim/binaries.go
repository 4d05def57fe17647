package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// natsServerModule is the module the process backend builds its binaries
// from, one release at a time.
const natsServerModule = "github.com/nats-io/nats-server/v2"

// CacheEnv names the environment variable that overrides the binaries'
// cache folder (default: the user's cache folder + "/natschaos").
const CacheEnv = "NATSCHAOS_CACHE"

// ErrNoSuchVersion is returned when a nats-server release does not exist
// (or cannot be built): the run cannot start.
var ErrNoSuchVersion = errors.New("no such nats-server release")

var releaseRE = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)

// NormalizeVersion turns "2.14.9" and "v2.14.9" into "v2.14.9"; ok is false
// for anything that is not a release.
func NormalizeVersion(v string) (string, bool) {
	if !releaseRE.MatchString(v) {
		return "", false
	}
	if !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return v, true
}

// CacheDir is the binaries' cache folder: $NATSCHAOS_CACHE, or the user's
// cache folder + "/natschaos".
func CacheDir() (string, error) {
	if d := os.Getenv(CacheEnv); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for nats-server binaries (set %s): %w", CacheEnv, err)
	}
	return filepath.Join(d, "natschaos"), nil
}

// Binaries builds nats-server releases through the Go toolchain (go install
// module@version) into a cache folder, once per version:
//
//	<Dir>/nats-server/v2.14.9/nats-server
//
// A build goes to a temporary folder next to its final place and is renamed
// there when complete, under a file lock, so two runs building the same
// release at once do it once and never see half a binary. The release
// compiled into this binary (EmbeddedVersion) is built with `go build` from
// this module when run inside it, which needs no download.
type Binaries struct {
	// Dir is the cache root; empty means CacheDir().
	Dir string
	// Progress receives one line when a build starts and one when it ends;
	// nil means os.Stderr.
	Progress io.Writer

	// build, when set, replaces the Go toolchain (tests).
	build func(ctx context.Context, version, gobin string) error

	mu       sync.Mutex
	building map[string]*sync.Mutex
}

// DefaultBinaries is the cache the process backend uses unless told
// otherwise.
var DefaultBinaries = &Binaries{}

func (b *Binaries) root() (string, error) {
	if b.Dir != "" {
		return b.Dir, nil
	}
	return CacheDir()
}

// Cached returns the path of a release's binary if it is in the cache.
func (b *Binaries) Cached(version string) (string, bool) {
	v, ok := NormalizeVersion(version)
	if !ok {
		return "", false
	}
	root, err := b.root()
	if err != nil {
		return "", false
	}
	p := filepath.Join(root, "nats-server", v, "nats-server")
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p, true
	}
	return "", false
}

// Path returns the binary of a release, building it first when it is not
// in the cache.
func (b *Binaries) Path(ctx context.Context, version string) (string, error) {
	v, ok := NormalizeVersion(version)
	if !ok {
		return "", fmt.Errorf("%q is not a nats-server release (want vX.Y.Z): %w", version, ErrNoSuchVersion)
	}
	if p, ok := b.Cached(v); ok {
		return p, nil
	}
	// One build per version in this process ...
	b.mu.Lock()
	if b.building == nil {
		b.building = map[string]*sync.Mutex{}
	}
	vm := b.building[v]
	if vm == nil {
		vm = &sync.Mutex{}
		b.building[v] = vm
	}
	b.mu.Unlock()
	vm.Lock()
	defer vm.Unlock()
	if p, ok := b.Cached(v); ok {
		return p, nil
	}
	root, err := b.root()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "nats-server")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// ... and across processes.
	unlock, err := lockFile(filepath.Join(dir, v+".lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if p, ok := b.Cached(v); ok {
		return p, nil
	}
	return b.buildLocked(ctx, v, dir)
}

func (b *Binaries) buildLocked(ctx context.Context, v, dir string) (string, error) {
	tmp, err := os.MkdirTemp(dir, ".build-"+v+"-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	out := b.Progress
	if out == nil {
		out = os.Stderr
	}
	how := "go install " + natsServerModule + "@" + v
	if v == "v"+strings.TrimPrefix(EmbeddedVersion, "v") && moduleRoot() != "" {
		how = "go build " + natsServerModule + " (the release pinned in go.mod)"
	}
	if b.build != nil {
		how = "test build"
	}
	fmt.Fprintf(out, "natschaos: building nats-server %s (%s) into %s ...\n", v, how, dir)
	start := time.Now()
	build := b.build
	if build == nil {
		build = goBuild
	}
	if err := build(ctx, v, tmp); err != nil {
		fmt.Fprintf(out, "natschaos: nats-server %s: build failed after %v\n", v, time.Since(start).Round(100*time.Millisecond))
		return "", err
	}
	if _, err := os.Stat(filepath.Join(tmp, "nats-server")); err != nil {
		return "", fmt.Errorf("nats-server %s: the build left no binary: %w", v, err)
	}
	final := filepath.Join(dir, v)
	if err := os.Rename(tmp, final); err != nil {
		if p, ok := b.Cached(v); ok { // someone else won the race
			return p, nil
		}
		return "", fmt.Errorf("nats-server %s: %w", v, err)
	}
	fmt.Fprintf(out, "natschaos: built nats-server %s in %v\n", v, time.Since(start).Round(100*time.Millisecond))
	return filepath.Join(final, "nats-server"), nil
}

// goBuild builds release v into gobin with the Go toolchain.
func goBuild(ctx context.Context, v, gobin string) error {
	goBin := "go"
	if p, err := exec.LookPath("go"); err == nil {
		goBin = p
	} else if p := filepath.Join(os.Getenv("GOROOT"), "bin", "go"); os.Getenv("GOROOT") != "" {
		goBin = p
	}
	var cmd *exec.Cmd
	if root := moduleRoot(); root != "" && v == "v"+strings.TrimPrefix(EmbeddedVersion, "v") {
		cmd = exec.CommandContext(ctx, goBin, "build", "-o", filepath.Join(gobin, "nats-server"), natsServerModule)
		cmd.Dir = root
	} else {
		cmd = exec.CommandContext(ctx, goBin, "install", natsServerModule+"@"+v)
		cmd.Dir = os.TempDir() // outside any module: the release's own go.mod decides
	}
	cmd.Env = append(os.Environ(), "GOBIN="+gobin, "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if ctx.Err() != nil {
			return fmt.Errorf("nats-server %s: build interrupted: %w", v, ctx.Err())
		}
		if strings.Contains(msg, "unknown revision") || strings.Contains(msg, "invalid version") ||
			strings.Contains(msg, "no matching versions") || strings.Contains(msg, "not found") ||
			strings.Contains(msg, "not available") || strings.Contains(msg, "404") || strings.Contains(msg, "410") {
			return fmt.Errorf("nats-server %s: %w: go install %s@%s: %s", v, ErrNoSuchVersion, natsServerModule, v, lastLine(msg))
		}
		return fmt.Errorf("nats-server %s: %s failed: %w: %s", v, strings.Join(cmd.Args[1:3], " "), err, msg)
	}
	return nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

var (
	modRootOnce sync.Once
	modRoot     string
)

// moduleRoot is the folder of this module when the working directory is
// inside it (tests, `make`), else "": there `go build` of nats-server
// builds exactly the release in go.mod, from the module cache.
func moduleRoot() string {
	modRootOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			return
		}
		gomod := strings.TrimSpace(string(out))
		data, err := os.ReadFile(gomod)
		if err != nil || !bytes.Contains(data, []byte("module github.com/natschaos/natschaos\n")) {
			return
		}
		modRoot = filepath.Dir(gomod)
	})
	return modRoot
}

// lockFile takes an exclusive lock on path, waiting for it.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
