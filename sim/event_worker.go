package sim

// Worker events, written by the runner when client groups run in worker
// processes (package workers). Detail names the worker ("w1", or the name
// a remote worker gave), Err says why.
const (
	WorkerJoin    Kind = "worker_join"    // Detail: the worker; Target: its address
	WorkerRefused Kind = "worker_refused" // Target: the address refused; Err: why (bad token, extra worker)
	WorkerLost    Kind = "worker_lost"    // Detail: the worker; Err: how it was lost. Its clients are gone.
)
