package ports

import (
	"fmt"
	"io"
	"net"
)

// reserve claims port p among natschaos processes with a Linux abstract
// socket named after it: the name is unique per network namespace, leaves
// no file behind, and is freed by the kernel when this process dies, so a
// crashed run cannot leak a reservation.
func reserve(p int) (io.Closer, error) {
	return net.Listen("unix", abstractName(p))
}

func abstractName(p int) string { return fmt.Sprintf("@natschaos-port-%d", p) }
