package scenarios_test

import (
	"fmt"

	"github.com/natschaos/natschaos/scenarios"
)

func ExampleParse() {
	src := `name: demo
cluster:
  servers: [A, B]
steps:
  - kill: C
  - wait: {until: meshed, timeout: 5s}
expect:
  reconect: {max: 5s}
`
	_, err := scenarios.Parse("demo.yaml", []byte(src))
	fmt.Println(err)
	// Output:
	// demo.yaml:5:11: steps[0].kill: unknown server "C" (declared: A, B)
	// demo.yaml:6:19: steps[1].wait.until: unknown wait condition "meshed"; did you mean "mesh"?
	// demo.yaml:8:3: unknown key "reconect" in expect; did you mean "reconnect"?
}

func ExampleScenario_Where() {
	s, _, err := scenarios.Builtin("seed-servers")
	if err != nil {
		panic(err)
	}
	for _, st := range s.Steps {
		fmt.Println(s.Where(st.Pos), st.Key())
	}
	for _, e := range s.Expect.List() {
		fmt.Println(s.Where(e.Position()), e.Property())
	}
	// Output:
	// builtin:seed-servers:46:5 wait
	// builtin:seed-servers:47:5 wait
	// builtin:seed-servers:48:5 sleep
	// builtin:seed-servers:51:3 mesh
	// builtin:seed-servers:52:3 discovery
	// builtin:seed-servers:53:3 no_loss
}
