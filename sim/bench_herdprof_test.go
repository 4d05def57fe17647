//go:build unix

package sim_test

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"testing"
)

// herdCPUProfile profiles each kill of BenchmarkHerdKill* alone, from the
// kill to the last reconnection, into PATH.1, PATH.2, ...: -cpuprofile
// would mostly show the fleet connecting.
var herdCPUProfile = flag.String("herd-cpuprofile", "", "write a CPU profile of each herd kill to `path`.N")

var herdProfiles int

// startHerdProfile starts the profile of one kill, if asked for; the
// returned func stops it (once, however often it is called).
func startHerdProfile(b *testing.B) (stop func()) {
	if *herdCPUProfile == "" {
		return func() {}
	}
	herdProfiles++
	f, err := os.Create(fmt.Sprintf("%s.%d", *herdCPUProfile, herdProfiles))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		b.Fatal(err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				b.Error(err)
			}
		})
	}
}
