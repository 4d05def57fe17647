package qualify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/natschaos/natschaos/internal/buildcache"
	"github.com/natschaos/natschaos/sim"
)

// natsGoModule is the client library a worker binary is built against.
const natsGoModule = "github.com/nats-io/nats.go"

// ClientBinaries builds natschaos itself against a nats.go release, once
// per release and source, into the binaries' cache:
//
//	<cache>/natschaos-worker/<nats.go release>-<source hash>/natschaos
//
// Its `worker` command then runs a qualification side's client fleets. It
// builds from the natschaos module the working directory is in (go build
// -modfile with nats.go moved to the release, so go.mod stays as it is);
// outside a checkout there is no source to build.
type ClientBinaries struct {
	// Dir is the cache root; empty means sim.CacheDir().
	Dir string
	// Progress receives a line when a build starts and ends; nil: stderr.
	Progress io.Writer
}

// EmbeddedClientVersion is the nats.go release this binary was built
// with, else the one the go.mod of the checkout it runs in requires (a
// test binary records no dependencies); "" when neither is known.
func EmbeddedClientVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == natsGoModule {
				return d.Version
			}
		}
	}
	root := sim.ModuleRoot()
	if root == "" {
		return ""
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return ""
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return ""
	}
	for _, r := range f.Require {
		if r.Mod.Path == natsGoModule {
			return r.Mod.Version
		}
	}
	return ""
}

// Path returns the worker binary for a nats.go release, building it when
// the cache lacks it.
func (b *ClientBinaries) Path(ctx context.Context, version string) (string, error) {
	v, ok := sim.NormalizeVersion(version)
	if !ok {
		return "", fmt.Errorf("%q is not a nats.go release (like v1.55.0)", version)
	}
	root := sim.ModuleRoot()
	if root == "" {
		return "", fmt.Errorf("nats.go %s: client qualification builds natschaos from its source: run it inside a natschaos checkout", v)
	}
	src, err := sourceHash(root)
	if err != nil {
		return "", err
	}
	cache := b.Dir
	if cache == "" {
		if cache, err = sim.CacheDir(); err != nil {
			return "", err
		}
	}
	bin, _, err := buildcache.Get(ctx, buildcache.Build{
		Entry: buildcache.Entry{Dir: filepath.Join(cache, "natschaos-worker"), Name: v + "-" + src, Binary: "natschaos"},
		What:  "the natschaos worker against nats.go " + v,
		How:   "go build -modfile with nats.go moved to " + v,
		Out:   b.Progress,
		Run:   func(ctx context.Context, tmp string) error { return buildWorker(ctx, root, tmp, v) },
	})
	return bin, err
}

// buildWorker builds cmd/natschaos into tmp with a copy of go.mod that
// requires nats.go at v (go get moves the companions it needs).
func buildWorker(ctx context.Context, root, tmp, v string) error {
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, f), data, 0o644); err != nil {
			return err
		}
	}
	modfile := "-modfile=" + filepath.Join(tmp, "go.mod")
	for _, args := range [][]string{
		{"get", modfile, natsGoModule + "@" + v},
		{"build", modfile, "-o", filepath.Join(tmp, "natschaos"), "./cmd/natschaos"},
	} {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		var msg bytes.Buffer
		cmd.Stdout, cmd.Stderr = &msg, &msg
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("nats.go %s: go %s failed: %w: %s", v, args[0], err, strings.TrimSpace(msg.String()))
		}
	}
	return nil
}

// sourceHash names the natschaos source a worker is built from, so a
// changed runner never talks to a stale worker.
func sourceHash(root string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "out") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && name != "go.mod" && name != "go.sum" || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s %d\n", rel, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}
