package leftovers

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ownerFile, in each marked folder, holds "<pid> <start>": the owning
// process and its start time (so a reused pid is not taken for the owner).
const ownerFile = ".natschaos-owner"

// Prefix starts the name of every folder MkdirTemp makes.
const Prefix = "natschaos-"

// MkdirTemp is os.MkdirTemp in the temp dir, for pattern (which must
// start with Prefix), and records this process as the folder's owner.
func MkdirTemp(pattern string) (string, error) {
	if !strings.HasPrefix(pattern, Prefix) {
		return "", fmt.Errorf("leftovers: pattern %q does not start with %q", pattern, Prefix)
	}
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", err
	}
	pid := os.Getpid()
	owner := fmt.Sprintf("%d %s\n", pid, startTime(pid))
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(owner), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// Removed is one folder Sweep removed.
type Removed struct {
	Dir string
	PID int
}

// Sweep removes the folders MkdirTemp made, in the temp dir, whose owning
// process is gone. Folders without an owner, or whose owner is alive or
// cannot be told, are left alone.
func Sweep() ([]Removed, error) {
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), Prefix+"*"))
	if err != nil {
		return nil, err
	}
	var out []Removed
	var errs []error
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pidText, start, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || alive(pid, start) {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, Removed{Dir: dir, PID: pid})
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("leftovers: %v", errs)
	}
	return out, nil
}
