package sim

// Receipt tracking for the external benchmarks in package sim_test.

type TrackerForTest = tracker

func NewTrackerForTest() *tracker { return newTracker("bench", "bench", ">", "", nil) }

func (t *tracker) Record(data []byte) { t.record(data) }
func (t *tracker) Received() uint64   { return t.received() }

func EncodeHeaderForTest(buf []byte, pub int, seq uint64) { encodeHeader(buf, pub, seq) }
