package workers_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

func readEvents(t *testing.T, dir string) []sim.Event {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := sim.ReadEvents(f)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func itoa(i int) string { return strconv.Itoa(i) }
