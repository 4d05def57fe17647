package workers_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/natschaos/natschaos/sim"
)

func readEvents(t *testing.T, dir string) []sim.Event {
	t.Helper()
	evs, err := sim.ReadEventsFile(filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func itoa(i int) string { return strconv.Itoa(i) }
