package scenarios

import (
	"strings"
	"testing"
)

// jsHead is a valid scenario with a JetStream section, lines 1 to 11.
const jsHead = `name: t
cluster:
  servers: [A, B, C]
jetstream:
  streams:
    - {name: ORDERS, subjects: ["orders.>"], replicas: 3}
  publishers:
    - {name: w, stream: ORDERS, subject: "orders.{client}", rate: 10/s}
  consumers:
    - {name: proc, stream: ORDERS, mode: push}
steps:
`

func TestJetStreamValid(t *testing.T) {
	src := jsHead + `  - leader: {stream: ORDERS, do: isolate, name: cut}
  - heal: cut
  - leader: {stream: ORDERS, do: kill, restart_after: 1s}
  - wait: {until: js_current, timeout: 20s}
expect:
  js_no_loss: {}
  js_no_duplicates: {warn: true}
`
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if h := stepOf[Heal](t, s.Steps[1]); h.Step != 0 || stepOf[LeaderStep](t, s.Steps[0]).Do != LeaderIsolate {
		t.Errorf("heal: cut resolved to step %d", h.Step)
	}
	spec := jetStreamSpec(s)
	if p := spec.Publishers[0]; p.Retries != DefaultRetries || p.AckTimeout != DefaultAckTimeout || p.Count != 1 || !spec.Consumers[0].Push {
		t.Errorf("engine spec %+v", spec)
	}
	if e := s.Expect.Get(PropJSNoDuplicates); e == nil || !e.Warning() {
		t.Errorf("js_no_duplicates: %+v", e)
	}
}

func TestJetStreamInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		{"unknown stream in a leader step", jsHead + "  - leader: {stream: ORDER, do: kill}\n",
			[]string{`12:22: steps[0].leader.stream: unknown stream "ORDER"; did you mean "ORDERS"?`}},
		{"unknown leader action", jsHead + "  - leader: {stream: ORDERS, do: kil}\n",
			[]string{`12:34: steps[0].leader.do: unknown leader action "kil"; did you mean "kill"?`}},
		{"option of another action", jsHead + "  - leader: {stream: ORDERS, do: kill, duration: 2s}\n",
			[]string{`12:40: steps[0].leader.duration applies to do: isolate, not kill`}},
		{"leader step without jetstream", "name: t\ncluster: {servers: [A, B]}\nsteps:\n  - leader: {stream: S, do: kill}\n",
			[]string{`4:22: steps[0].leader.stream: no jetstream section declares stream "S"`}},
		{"js_current without jetstream", "name: t\ncluster: {servers: [A]}\nsteps:\n  - wait: js_current\n",
			[]string{`4:11: steps[0].wait: js_current needs a jetstream section`}},
		{"js_no_loss without jetstream", "name: t\ncluster: {servers: [A]}\nexpect:\n  js_no_loss: {}\n",
			[]string{`4:3: expect.js_no_loss needs a jetstream section`}},
		{"bad replicas", strings.Replace(jsHead, "replicas: 3", "replicas: 2", 1),
			[]string{`6:56: jetstream.streams[0].replicas must be 1, 3 or 5, got 2`}},
		{"more replicas than servers", strings.Replace(jsHead, "replicas: 3", "replicas: 5", 1),
			[]string{`6:56: jetstream.streams[0].replicas: 5 replicas need 5 servers at boot, the scenario starts 3`}},
		{"bad storage", strings.Replace(jsHead, "replicas: 3", "storage: disk", 1),
			[]string{`6:55: jetstream.streams[0].storage: unknown storage "disk"`}},
		{"subject outside the stream", strings.Replace(jsHead, `subject: "orders.{client}"`, `subject: "order.{client}"`, 1),
			[]string{`8:42: jetstream.publishers[0].subject "order.{client}" is not one of stream ORDERS's subjects (orders.>)`}},
		{"publisher on an unknown stream", strings.Replace(jsHead, "{name: w, stream: ORDERS", "{name: w, stream: ORDRS", 1),
			[]string{`8:25: jetstream.publishers[0].stream: unknown stream "ORDRS"; did you mean "ORDERS"?`}},
		{"bad consumer mode", strings.Replace(jsHead, "mode: push", "mode: pul", 1),
			[]string{`10:42: jetstream.consumers[0].mode: unknown consumer mode "pul"; did you mean "pull"?`}},
		{"publisher without rate", strings.Replace(jsHead, ", rate: 10/s", "", 1),
			[]string{`8:7: jetstream.publishers[0].rate is required`}},
		{"jetstream turned off", strings.Replace(jsHead, "  servers: [A, B, C]\n", "  servers: [A, B, C]\n  server_options: {jetstream: false}\n", 1),
			[]string{`4:31: cluster.server_options.jetstream is false, but the jetstream section needs it`}},
		{"duplicate window too short", strings.Replace(jsHead, "replicas: 3", "replicas: 3, duplicate_window: 10ms", 1),
			[]string{`6:77: jetstream.streams[0].duplicate_window must be at least 100ms`}},
	} {
		t.Run(tc.name, func(t *testing.T) { wantProblems(t, tc.src, tc.want) })
	}
}

func TestJetStreamRefusesSecurityForNow(t *testing.T) {
	src := strings.Replace(jsHead, "  servers: [A, B, C]\n", "  servers: [A, B, C]\n  security:\n    tls: {clients: true}\n", 1)
	got := problemsOf(t, src)
	if len(got) != 1 || !strings.HasPrefix(got[0], "4:3: cluster.security cannot be combined with a jetstream section yet") {
		t.Fatalf("problems: %v", got)
	}
}
