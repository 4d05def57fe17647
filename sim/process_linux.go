package sim

import "syscall"

// sysProcAttr puts a server in its own process group and has the kernel
// kill it when the runner dies, however it dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
