package scenarios

import "time"

// StepKind says what a step does; String returns its key in the file.
type StepKind int

const (
	StepInvalid   StepKind = iota
	StepStart              // start a declared server that is not running
	StepStop               // graceful shutdown
	StepKill               // abrupt: the process dies, sockets close
	StepLameDuck           // enter lame duck mode and return at once
	StepRestart            // stop (waiting out lame duck) and start, maybe another version
	StepFault              // inject a network fault on a proxied link
	StepPartition          // cut every route between groups of servers
	StepFreeze             // the server stops answering but keeps its sockets
	StepHeal               // remove faults, partitions and freezes
	StepSleep              // let time pass
	StepWait               // wait for a condition
	StepCheck              // evaluate expectations now
	StepRemove             // stop a server if it runs and remove it for good
	StepJoin               // more clients of a group connect
	StepLeave              // clients of a group close on purpose
	StepBurst              // a group's publishers send a burst on top of their rate
	StepLeader             // act on a stream's leader, found at run time (jetstream_types.go)
)

var stepKeys = [...]string{
	StepInvalid:   "invalid",
	StepStart:     "start",
	StepStop:      "stop",
	StepKill:      "kill",
	StepLameDuck:  "lame_duck",
	StepRestart:   "restart",
	StepFault:     "fault",
	StepPartition: "partition",
	StepFreeze:    "freeze",
	StepHeal:      "heal",
	StepSleep:     "sleep",
	StepWait:      "wait",
	StepCheck:     "check",
	StepRemove:    "remove",
	StepJoin:      "join",
	StepLeave:     "leave",
	StepBurst:     "burst",
	StepLeader:    "leader",
}

func (k StepKind) String() string {
	if k < 0 || int(k) >= len(stepKeys) {
		return "invalid"
	}
	return stepKeys[k]
}

// stepKindOf maps a step key to its kind.
func stepKindOf(key string) StepKind {
	for k, s := range stepKeys {
		if s == key && k != int(StepInvalid) {
			return StepKind(k)
		}
	}
	return StepInvalid
}

// Step is one entry of `steps`: a one-key map. Kind says which field is set.
type Step struct {
	Kind StepKind `yaml:"-"`
	Pos  Pos      `yaml:"-"` // of the step's key

	Start     string        `yaml:"start" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Start a declared server that is not running."`
	Stop      string        `yaml:"stop" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Graceful shutdown."`
	Kill      string        `yaml:"kill" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Abrupt: the process dies, sockets close."`
	LameDuck  string        `yaml:"lame_duck" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Enter lame duck mode and return at once; the server exits when it ends."`
	Restart   *Restart      `yaml:"restart" jsonschema_description:"Stop (waiting for a lame duck server to exit) and start again, maybe as another version."`
	Fault     *Fault        `yaml:"fault" jsonschema_description:"A network fault on a proxied link."`
	Partition *Partition    `yaml:"partition" jsonschema_description:"Cut every route between groups of servers, nothing else."`
	Freeze    *Freeze       `yaml:"freeze" jsonschema_description:"The server stops answering but keeps its sockets open."`
	Heal      *Heal         `yaml:"heal" jsonschema_description:"all, or the name or number of a fault, partition or freeze step."`
	Sleep     time.Duration `yaml:"sleep"`
	Wait      *Wait         `yaml:"wait" jsonschema_description:"Wait for mesh, discovered, connected, balanced or healed."`
	Check     []Property    `yaml:"check" jsonschema_description:"Evaluate these expectations now, as well as at the end."`
	Remove    string        `yaml:"remove" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Stop a server if it runs (gracefully) and remove it from the cluster for good."`
	Join      *Clients      `yaml:"join" jsonschema_description:"More clients of a group connect, with the group's servers, options, subscriptions and publishing."`
	Leave     *Clients      `yaml:"leave" jsonschema_description:"Clients of a group close on purpose, the most recently joined first; nothing more is expected of them."`
	Burst     *Burst        `yaml:"burst" jsonschema_description:"Every publisher of a group sends this many messages at once, on top of its rate."`
	Leader    *LeaderStep   `yaml:"leader" jsonschema_description:"Kill, stop, lame-duck, restart or isolate the server leading a JetStream stream when the step runs."`
}

// Server returns the server a start, stop, kill, lame_duck, restart or
// freeze step acts on, else "".
func (s *Step) Server() string {
	switch s.Kind {
	case StepStart:
		return s.Start
	case StepStop:
		return s.Stop
	case StepKill:
		return s.Kill
	case StepLameDuck:
		return s.LameDuck
	case StepRestart:
		if s.Restart != nil {
			return s.Restart.Server
		}
	case StepFreeze:
		if s.Freeze != nil {
			return s.Freeze.Server
		}
	case StepRemove:
		return s.Remove
	}
	return ""
}

// Group returns the client group a join, leave or burst step acts on.
func (s *Step) Group() string {
	switch {
	case s.Kind == StepJoin && s.Join != nil:
		return s.Join.Group
	case s.Kind == StepLeave && s.Leave != nil:
		return s.Leave.Group
	case s.Kind == StepBurst && s.Burst != nil:
		return s.Burst.Group
	}
	return ""
}

// payload returns the struct a step's key holds, or nil for steps that
// take a scalar or a list.
func (s *Step) payload() any {
	switch s.Kind {
	case StepRestart:
		return s.Restart
	case StepFault:
		return s.Fault
	case StepPartition:
		return s.Partition
	case StepFreeze:
		return s.Freeze
	case StepHeal:
		return s.Heal
	case StepWait:
		return s.Wait
	case StepJoin:
		return s.Join
	case StepLeave:
		return s.Leave
	case StepBurst:
		return s.Burst
	case StepLeader:
		return s.Leader
	}
	return nil
}

// hasPayload reports whether the field Kind names is set (always true for
// steps that take a scalar: their checks report empty values).
func (s *Step) hasPayload() bool {
	p := s.payload()
	if p == nil {
		return true
	}
	return !isNilPointer(p)
}

// Restart stops a server and starts it again. `restart: A` is short for
// `restart: {server: A}`.
type Restart struct {
	Server string `yaml:"server" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Version, when set, restarts as that release: an upgrade or downgrade.
	Version string `yaml:"version" jsonschema:"pattern=^(embedded|v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?)$"`

	Pos Pos `yaml:"-"`
}

func (*Restart) shorthandField() string { return "server" }

// Freeze makes a server stop answering while keeping its sockets open.
// `freeze: B` is short for `freeze: {server: B}`.
type Freeze struct {
	Server string `yaml:"server" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Duration, when set, thaws the server after it; else a heal step does.
	Duration time.Duration `yaml:"duration" jsonschema_description:"Absent: until a heal step."`
	Name     string        `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Name for heal."`

	Pos Pos `yaml:"-"`
}

func (*Freeze) shorthandField() string { return "server" }

// Wait blocks until a condition holds or Timeout passes. `wait: mesh` is
// short for `wait: {until: mesh}`.
type Wait struct {
	Until   WaitCondition `yaml:"until" jsonschema:"required"`
	Timeout time.Duration `yaml:"timeout" jsonschema_description:"Default 30s. Timing out fails the property waited for."`

	Pos Pos `yaml:"-"`
}

func (*Wait) shorthandField() string { return "until" }

// Partition cuts every route between groups of servers, nothing else.
type Partition struct {
	// Groups lists every declared server exactly once.
	Groups   [][]string    `yaml:"groups" jsonschema:"required,minItems=2"`
	Duration time.Duration `yaml:"duration" jsonschema_description:"Absent: until a heal step."`
	// Mode is close (default: cut links reset at once) or stall (silent;
	// found by pings).
	Mode PartitionMode `yaml:"mode"`
	Name string        `yaml:"name" jsonschema:"pattern=^[A-Za-z0-9_-]+$" jsonschema_description:"Name for heal."`

	Pos Pos `yaml:"-"`
}

// Heal removes faults. Exactly one of All, Name and Index is set: `heal: all`,
// `heal: <name>` (a named fault, partition or freeze step) or `heal: <N>`
// (the N-th fault, partition or freeze step, counting from 1).
type Heal struct {
	All   bool
	Name  string
	Index int

	// Step is the index in Scenario.Steps of the step healed, or -1 for all;
	// Parse resolves it.
	Step int

	Pos Pos
}

// Clients names some clients of a group: `join: {group: subs, count: 20}`.
// `join: subs` is short for one client.
type Clients struct {
	Group string `yaml:"group" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	// Count is how many (default 1); --clients-scale scales it as it
	// scales the group.
	Count int `yaml:"count" jsonschema:"minimum=1" jsonschema_description:"How many clients (default 1); --clients-scale scales it."`

	Pos Pos `yaml:"-"`
}

func (*Clients) shorthandField() string { return "group" }

// Burst makes every publisher of a group send Messages at once, back to
// back, on top of its rate.
type Burst struct {
	Group    string `yaml:"group" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Messages int    `yaml:"messages" jsonschema:"required,minimum=1" jsonschema_description:"Messages each publisher of the group sends at once."`

	Pos Pos `yaml:"-"`
}
