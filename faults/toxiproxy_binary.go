package faults

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/natschaos/natschaos/internal/buildcache"
	"github.com/natschaos/natschaos/sim"
)

// ToxiproxyVersion is the toxiproxy release in go.mod: the in-process
// layer's library, and the server binary ToxiproxyServer builds.
const ToxiproxyVersion = "v2.12.0"

const toxiproxyServerModule = "github.com/Shopify/toxiproxy/v2/cmd/server"

// ToxiproxyServer returns the stock toxiproxy server binary, built from
// the Go module proxy with `go install` into the binaries' cache
// (<cache>/toxiproxy/<version>/toxiproxy-server) the first time, as the
// process backend builds nats-server.
func ToxiproxyServer(ctx context.Context) (string, error) {
	root, err := sim.CacheDir()
	if err != nil {
		return "", err
	}
	bin, _, err := buildcache.Get(ctx, buildcache.Build{
		Entry: buildcache.Entry{Dir: filepath.Join(root, "toxiproxy"), Name: ToxiproxyVersion, Binary: "toxiproxy-server"},
		What:  "toxiproxy-server " + ToxiproxyVersion,
		How:   "go install " + toxiproxyServerModule + "@" + ToxiproxyVersion,
		Run:   buildToxiproxy,
	})
	return bin, err
}

// buildToxiproxy installs the toxiproxy server into tmp as
// toxiproxy-server.
func buildToxiproxy(ctx context.Context, tmp string) error {
	cmd := exec.CommandContext(ctx, "go", "install", toxiproxyServerModule+"@"+ToxiproxyVersion)
	cmd.Dir = os.TempDir() // outside any module: the release's own go.mod decides
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "CGO_ENABLED=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building toxiproxy %s: %w: %s", ToxiproxyVersion, err, out.String())
	}
	return os.Rename(filepath.Join(tmp, "server"), filepath.Join(tmp, "toxiproxy-server"))
}
