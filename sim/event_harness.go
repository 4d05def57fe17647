package sim

import "time"

// Harness events: the harness watching itself (see WatchHarness).
const (
	// HarnessLag summarises one interval of a process's own scheduling:
	// Detail names the process ("runner", or the worker's name), Harness
	// holds the figures. The event's T is the end of the interval.
	HarnessLag Kind = "harness_lag"
	// Fidelity: Detail is the JSON of how the run judges harness lag
	// (the bound and the policy), written once by the runner at the
	// start so the timeline alone can be judged again.
	Fidelity Kind = "fidelity"
)

// HarnessRunner names the runner's own HarnessLag events; a worker's
// carry its name.
const HarnessRunner = "runner"

// HarnessSample is what one process measured of itself over an interval:
// how late a timer asking to wake at a deadline actually ran, how long
// goroutines waited to run, and how much CPU the process used.
type HarnessSample struct {
	// From is when the interval began, on the run's clock.
	From time.Duration `json:"from"`
	// Ticks counts the timer's wake-ups in the interval.
	Ticks int `json:"ticks"`
	// TimerLate is the latest wake-up past its deadline.
	TimerLate time.Duration `json:"timer_late"`
	// SchedP99 is the 99th percentile of the time goroutines waited,
	// runnable, before they ran (runtime/metrics /sched/latencies), at
	// its bucket's lower bound.
	SchedP99 time.Duration `json:"sched_p99"`
	// CPU is the process's CPU time over the interval's wall time: the
	// cores it kept busy. MachineCPU is the same for every process on
	// the machine, where the platform tells (Linux), else 0.
	CPU        float64 `json:"cpu"`
	MachineCPU float64 `json:"machine_cpu,omitempty"`
	Cores      int     `json:"cores"`
}

// Lag is the interval's scheduling lag: the larger of the timer's
// lateness and the goroutines' p99 wait.
func (s HarnessSample) Lag() time.Duration { return max(s.TimerLate, s.SchedP99) }
