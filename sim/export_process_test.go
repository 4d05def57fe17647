package sim

import "context"

// PIDForTest is the process ID of a running process server, 0 otherwise.
func (c *Cluster) PIDForTest(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.members[name]
	if m == nil || m.inst == nil || (m.phase != phaseRunning && m.phase != phaseLameDuck) {
		return 0
	}
	if p, ok := m.inst.(*processInstance); ok {
		return p.PID()
	}
	return 0
}

// SetBuildForTest replaces the Go toolchain of a cache.
func (b *Binaries) SetBuildForTest(build func(dir, version, gobin string) error) {
	b.build = func(_ context.Context, version, gobin string) error { return build(b.Dir, version, gobin) }
}
