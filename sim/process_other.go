//go:build !linux

package sim

import "syscall"

// sysProcAttr puts a server in its own process group. Only Linux can have
// the kernel kill it when the runner dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
