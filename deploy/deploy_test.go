package deploy

import (
	"bytes"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// The official chart (nats-io/k8s, chart "nats" 2.x) as far as these rules
// need it, from its templates:
//   - files/stateful-set/nats-container.yaml lists env POD_NAME first, then
//     includes "nats.env" of container.env, which ranges over the map: Go
//     templates range over a map in key order;
//   - files/config/cluster.yaml writes `no_advertise: true`, which
//     config.cluster.merge overrides;
//   - the pid file is /var/run/nats/nats.pid with reloader.enabled (the
//     default, which also shares the pod's process namespace, so PID 1 is
//     the pause process), /var/run/nats.pid without; the chart's preStop
//     hook signals through it.
const (
	chartFirstEnv        = "POD_NAME"
	chartPidFileReloader = "/var/run/nats/nats.pid"
	chartPidFilePlain    = "/var/run/nats.pid"
)

type values struct {
	Config struct {
		Cluster struct {
			Merge map[string]any `yaml:"merge"`
		} `yaml:"cluster"`
		Merge map[string]any `yaml:"merge"`
	} `yaml:"config"`
	Reloader struct {
		Enabled *bool `yaml:"enabled"`
	} `yaml:"reloader"`
	Container struct {
		Env map[string]any `yaml:"env"`
	} `yaml:"container"`
}

func readValues(t *testing.T) values {
	t.Helper()
	var v values
	if err := yaml.Unmarshal(readFile(t, "nats-values.yaml"), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// renderedEnvOrder is the order of the nats container's env as the chart
// renders it: its own POD_NAME, then container.env sorted by key.
func renderedEnvOrder(env map[string]any) []string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return append([]string{chartFirstEnv}, keys...)
}

var envReference = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// undefinedReferences lists each $(VAR) that Kubernetes would leave as it
// is: it expands a reference only to a variable defined earlier in the list.
func undefinedReferences(order []string, env map[string]any) []string {
	defined := map[string]bool{}
	var bad []string
	for _, name := range order {
		if s, ok := env[name].(string); ok {
			for _, m := range envReference.FindAllStringSubmatch(s, -1) {
				if !defined[m[1]] {
					bad = append(bad, name+" uses $("+m[1]+"), defined later or not at all")
				}
			}
		}
		defined[name] = true
	}
	return bad
}

func TestEnvReferencesExpandUnderTheChartsKeyOrder(t *testing.T) {
	v := readValues(t)
	if len(v.Container.Env) == 0 {
		t.Fatal("nats-values.yaml sets no container.env")
	}
	order := renderedEnvOrder(v.Container.Env)
	for _, bad := range undefinedReferences(order, v.Container.Env) {
		t.Errorf("rendered env order %v: %s", order, bad)
	}
	// Every $VAR the server's config reads must be in the env.
	var config bytes.Buffer
	for _, m := range []map[string]any{v.Config.Cluster.Merge, v.Config.Merge} {
		b, _ := yaml.Marshal(m)
		config.Write(b)
	}
	for _, m := range regexp.MustCompile(`<<\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*>>`).FindAllStringSubmatch(config.String(), -1) {
		if _, ok := v.Container.Env[m[1]]; !ok && m[1] != chartFirstEnv {
			t.Errorf("the config reads $%s, which container.env does not set", m[1])
		}
	}
}

// The rule itself, on the recipe as it was: CLIENT_ADVERTISE sorts before
// POD_ORDINAL, so its reference stays unexpanded.
func TestUndefinedReferencesCatchesAReferenceThatSortsFirst(t *testing.T) {
	env := map[string]any{
		"POD_ORDINAL":      map[string]any{"valueFrom": "label"},
		"CLIENT_ADVERTISE": "toxiproxy:1422$(POD_ORDINAL)",
		"ROUTES":           "[toxiproxy:150$(POD_ORDINAL)0]",
		"NAME":             "$(POD_NAME)",
	}
	bad := undefinedReferences(renderedEnvOrder(env), env)
	if len(bad) != 1 || !strings.HasPrefix(bad[0], "CLIENT_ADVERTISE uses $(POD_ORDINAL)") {
		t.Fatalf("want only CLIENT_ADVERTISE reported, got %q", bad)
	}
}

func TestGossipIsOn(t *testing.T) {
	v := readValues(t)
	if na, ok := v.Config.Cluster.Merge["no_advertise"].(bool); !ok || na {
		t.Errorf("config.cluster.merge.no_advertise is %v: the chart writes no_advertise: true, "+
			"clients are then told of no peers; set it to false", v.Config.Cluster.Merge["no_advertise"])
	}
}

type scenarioCommands struct {
	Cluster struct {
		External struct {
			Commands map[string]string `yaml:"commands"`
		} `yaml:"external"`
	} `yaml:"cluster"`
}

func TestSignalsGoThroughThePidFile(t *testing.T) {
	v := readValues(t)
	pidFile := chartPidFileReloader
	if v.Reloader.Enabled != nil && !*v.Reloader.Enabled {
		pidFile = chartPidFilePlain
	}
	var s scenarioCommands
	if err := yaml.Unmarshal(readFile(t, "scenario.yaml"), &s); err != nil {
		t.Fatal(err)
	}
	// nats-server's signal names: stop is SIGKILL, quit is SIGINT, ldm is
	// SIGUSR2. Deleting the pod would run the chart's preStop lame duck
	// first, so neither kill nor stop may delete it.
	want := map[string]string{"kill": "stop", "stop": "quit", "lame_duck": "ldm"}
	for step, signal := range want {
		cmd := s.Cluster.External.Commands[step]
		if !strings.Contains(cmd, "--signal "+signal+"="+pidFile) {
			t.Errorf("commands.%s = %q: want nats-server --signal %s=%s", step, cmd, signal, pidFile)
		}
		if strings.Contains(cmd, "delete pod") {
			t.Errorf("commands.%s = %q deletes the pod, which runs the chart's preStop lame duck first", step, cmd)
		}
	}
}

type jobs struct {
	Kind string `yaml:"kind"`
	Spec struct {
		Template struct {
			Spec struct {
				Containers []struct {
					Name    string   `yaml:"name"`
					Image   string   `yaml:"image"`
					Command []string `yaml:"command"`
				} `yaml:"containers"`
				Volumes []struct {
					Name     string         `yaml:"name"`
					EmptyDir map[string]any `yaml:"emptyDir"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// The runner runs process steps with `sh -c` and kubectl: its image needs
// both, so not distroless; the Jobs set their command, not only args; the
// outputs outlive the Job.
func TestRunnerImageHasAShellAndKubectl(t *testing.T) {
	dockerfile := string(readFile(t, "Dockerfile"))
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(dockerfile, -1)
	if len(froms) == 0 {
		t.Fatal("Dockerfile has no FROM")
	}
	final := froms[len(froms)-1][1]
	if strings.Contains(final, "distroless") || final == "scratch" {
		t.Errorf("the final image is %s, which has no shell", final)
	}
	if !strings.Contains(dockerfile, "kubectl") {
		t.Error("the Dockerfile does not install kubectl")
	}
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, "natschaos.yaml")))
	var seen int
	for {
		var j jobs
		if err := dec.Decode(&j); err != nil {
			break
		}
		if j.Kind != "Job" {
			continue
		}
		seen++
		for _, c := range j.Spec.Template.Spec.Containers {
			if c.Image != "natschaos:latest" {
				t.Errorf("container %s runs %s, not the image of deploy/Dockerfile", c.Name, c.Image)
			}
			if len(c.Command) == 0 {
				t.Errorf("container %s sets only args: the image's entrypoint decides what runs", c.Name)
			}
		}
		for _, vol := range j.Spec.Template.Spec.Volumes {
			if vol.Name == "out" && vol.EmptyDir != nil {
				t.Error("the runner's outputs are in an emptyDir, gone with the Job's pod")
			}
		}
	}
	if seen != 2 {
		t.Errorf("natschaos.yaml has %d Jobs, want the runner and the workers", seen)
	}
}
