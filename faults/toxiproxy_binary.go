package faults

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

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
	dir := filepath.Join(root, "toxiproxy", ToxiproxyVersion)
	bin := filepath.Join(dir, "toxiproxy-server")
	if st, err := os.Stat(bin); err == nil && st.Mode().IsRegular() {
		return bin, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "go", "install", toxiproxyServerModule+"@"+ToxiproxyVersion)
	cmd.Dir = os.TempDir() // outside any module: the release's own go.mod decides
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "CGO_ENABLED=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building toxiproxy %s: %w: %s", ToxiproxyVersion, err, out.String())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Rename is atomic: a concurrent build's result is as good as ours.
	if err := os.Rename(filepath.Join(tmp, "server"), bin); err != nil {
		return "", err
	}
	return bin, nil
}
