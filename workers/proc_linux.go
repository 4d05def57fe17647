package workers

import "syscall"

// sysProcAttr has the kernel kill a local worker when the runner dies,
// however it dies, as for server processes.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
