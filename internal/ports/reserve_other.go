//go:build !linux

package ports

import "io"

// reserve is a no-op where there are no abstract sockets: ports are then
// coordinated within one process only.
func reserve(int) (io.Closer, error) { return nil, nil }
