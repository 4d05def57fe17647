package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/natschaos/natschaos/internal/testwait"
)

// A secured run killed with SIGKILL cannot remove its temp folders: its
// process server's configuration and its keys and seeds. The next run
// removes them, says so, and no secret is left readable under the temp dir.
func TestNextRunSweepsAKilledSecuredRun(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("leftovers are told apart only on Linux")
	}
	tmp := t.TempDir() // the runs' private TMPDIR
	env := append(os.Environ(), "TMPDIR="+tmp)
	out := t.TempDir()
	killed := exec.Command(binary, "run", "testdata/secured-slow.yaml", "--out", out)
	killed.Env = env
	if err := killed.Start(); err != nil {
		t.Fatal(err)
	}
	if !testwait.Within(60*time.Second, func() bool {
		b, _ := os.ReadFile(filepath.Join(out, "events.jsonl"))
		return bytes.Contains(b, []byte(`"kind":"step_start"`))
	}) {
		killed.Process.Kill()
		killed.Wait()
		t.Fatal("the secured run never reached its sleep")
	}
	secrets := glob(t, tmp, "natschaos-secrets-*")
	configs := glob(t, tmp, "natschaos-B-*")
	if len(secrets) != 1 || len(configs) != 1 {
		killed.Process.Kill()
		killed.Wait()
		t.Fatalf("want one secrets folder and one config folder of B in %s, got %v %v", tmp, secrets, configs)
	}
	secretLines := linesOf(t, secrets[0])
	if len(secretLines) == 0 {
		t.Fatal("the secrets folder holds no secret: nothing to look for")
	}
	killed.Process.Signal(syscall.SIGKILL)
	killed.Wait()
	if len(glob(t, tmp, "natschaos-secrets-*")) != 1 {
		t.Fatal("the killed run's secrets folder is gone already: the sweep is not shown")
	}

	next := exec.Command(binary, "run", "testdata/tiny.yaml", "--out", t.TempDir())
	next.Env = env
	var stderr bytes.Buffer
	next.Stderr = &stderr
	if err := next.Run(); err != nil {
		t.Fatalf("next run: %v\n%s", err, stderr.String())
	}
	for _, dir := range append(secrets, configs...) {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s is still there after the next run", dir)
		}
		if !strings.Contains(stderr.String(), "natschaos: removed "+dir) {
			t.Errorf("the next run does not say it removed %s:\n%s", dir, stderr.String())
		}
	}
	filepath.WalkDir(tmp, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for _, s := range secretLines {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds a secret of the killed run", path)
				break
			}
		}
		return nil
	})
}

func glob(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// linesOf lists the secret-looking lines (16 characters or more, not PEM
// armour) of every file under dir: key material, seeds, passwords.
func linesOf(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".natschaos-owner" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			t.Errorf("reading the secrets: %v", err)
			return nil
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); len(l) >= 16 && !strings.HasPrefix(l, "-----") {
				out = append(out, l)
			}
		}
		return nil
	})
	return out
}
