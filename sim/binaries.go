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

	"github.com/natschaos/natschaos/internal/buildcache"
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
// release at once do it once and never see half a binary
// (internal/buildcache). The release compiled into this binary
// (EmbeddedVersion) is built with `go build` from this module when run
// inside it, which needs no download.
type Binaries struct {
	// Dir is the cache root; empty means CacheDir().
	Dir string
	// Progress receives one line when a build starts and one when it ends;
	// nil means os.Stderr.
	Progress io.Writer

	// build, when set, replaces the Go toolchain (tests).
	build func(ctx context.Context, version, gobin string) error
}

// DefaultBinaries is the cache the process backend uses unless told
// otherwise.
var DefaultBinaries = &Binaries{}

// entry is where release v's binary lives in the cache.
func (b *Binaries) entry(v string) (buildcache.Entry, error) {
	root := b.Dir
	if root == "" {
		var err error
		if root, err = CacheDir(); err != nil {
			return buildcache.Entry{}, err
		}
	}
	return buildcache.Entry{Dir: filepath.Join(root, "nats-server"), Name: v, Binary: "nats-server"}, nil
}

// Cached returns the path of a release's binary if it is in the cache.
func (b *Binaries) Cached(version string) (string, bool) {
	v, ok := NormalizeVersion(version)
	if !ok {
		return "", false
	}
	e, err := b.entry(v)
	if err != nil {
		return "", false
	}
	return e.Cached()
}

// Path returns the binary of a release, building it first when it is not
// in the cache.
func (b *Binaries) Path(ctx context.Context, version string) (string, error) {
	v, ok := NormalizeVersion(version)
	if !ok {
		return "", fmt.Errorf("%q is not a nats-server release (want vX.Y.Z): %w", version, ErrNoSuchVersion)
	}
	e, err := b.entry(v)
	if err != nil {
		return "", err
	}
	how := "go install " + natsServerModule + "@" + v
	if v == "v"+strings.TrimPrefix(EmbeddedVersion, "v") && moduleRoot() != "" {
		how = "go build " + natsServerModule + ", the release pinned in go.mod"
	}
	build := b.build
	if build != nil {
		how = "test build"
	} else {
		build = goBuild
	}
	p, _, err := buildcache.Get(ctx, buildcache.Build{
		Entry: e, What: "nats-server " + v, How: how, Out: b.Progress,
		Run: func(ctx context.Context, tmp string) error { return build(ctx, v, tmp) },
	})
	return p, err
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
