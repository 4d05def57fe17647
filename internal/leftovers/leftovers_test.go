package leftovers

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

func TestSweepRemovesOnlyFoldersOfGoneProcesses(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("owners are told apart only on Linux")
	}
	t.Setenv("TMPDIR", t.TempDir())
	mine, err := MkdirTemp("natschaos-mine-")
	if err != nil {
		t.Fatal(err)
	}
	// A folder owned by a process that has ended.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(os.TempDir(), "natschaos-gone-1")
	os.Mkdir(gone, 0o700)
	os.WriteFile(filepath.Join(gone, ownerFile), []byte(strconv.Itoa(cmd.Process.Pid)+" 1\n"), 0o600)
	os.WriteFile(filepath.Join(gone, "seed.nk"), []byte("SUAsecret"), 0o600)
	// A reused pid: this process's, with another start time.
	reused := filepath.Join(os.TempDir(), "natschaos-reused-1")
	os.Mkdir(reused, 0o700)
	os.WriteFile(filepath.Join(reused, ownerFile), []byte(strconv.Itoa(os.Getpid())+" 1\n"), 0o600)
	// Not ours to judge: no owner file.
	unowned := filepath.Join(os.TempDir(), "natschaos-unowned-1")
	os.Mkdir(unowned, 0o700)

	removed, err := Sweep()
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Fatalf("removed %+v, want the gone and the reused owners' folders", removed)
	}
	for _, d := range []string{gone, reused} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s is still there", d)
		}
	}
	for _, d := range []string{mine, unowned} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
}
