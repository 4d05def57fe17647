//go:build !linux

package workers

import "syscall"

// sysProcAttr puts a local worker in its own process group; only Linux can
// have the kernel kill it when the runner dies (the worker also exits when
// its connection to the runner closes).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
