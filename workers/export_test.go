package workers

import (
	"os"
	"strconv"
	"strings"
)

// WorkerCommand starts this test binary as a local worker.
func WorkerCommand() []string {
	_ = os.Setenv(asWorkerEnv, "1")
	return []string{os.Args[0]}
}

// KillMember kills abruptly the local worker process that joined i-th
// (the one holding slice i of every group). Local workers are named w1,
// w2, ... in launch order.
func (f *Fleet) KillMember(i int) error {
	f.mu.Lock()
	name := f.members[i].name
	f.mu.Unlock()
	n, err := strconv.Atoi(strings.TrimPrefix(name, "w"))
	if err != nil {
		return err
	}
	f.pool.mu.Lock()
	p := f.pool.procs[n-1]
	f.pool.mu.Unlock()
	return p.Process.Kill()
}
