package scenarios_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/natschaos/natschaos/assert"
	"github.com/natschaos/natschaos/scenarios"
	"github.com/natschaos/natschaos/scenariotest"
	"github.com/natschaos/natschaos/sim"
)

// authResult is the auth_consistent verdict of an outcome.
func authResult(t *testing.T, o *scenarios.Outcome) assert.Result {
	t.Helper()
	if o.Err != nil {
		t.Fatalf("run error: %v\nreplay: %s", o.Err, o.Replay)
	}
	for _, r := range o.Results {
		if r.Name == "auth_consistent" {
			return r
		}
	}
	t.Fatalf("no auth_consistent verdict in %+v", o.Results)
	return assert.Result{}
}

// The docs' warning: C joins with a different users block and
// auth_consistent fails, naming C and only C; the twin, where C carries
// the cluster's users, passes with probes refused on C too. Three runs in
// a row each under make soak, one under make test (under -short, one run
// of each with a quarter of the subscribers: the race pass makes TLS
// handshakes ten times slower; the twelve publishers stay, so that some
// move to C with odds of 4095 in 4096).
func TestAuthWarningAndTwin(t *testing.T) {
	runs, scale := scenarios.SoakRuns(3), 1.0
	if testing.Short() {
		runs, scale = 1, 0.25
	}
	keepPubs := func(groups []sim.GroupSpec) {
		for i := range groups {
			if groups[i].Name == "pubs" {
				groups[i].Count = 12
			}
		}
	}
	for i := 0; i < runs; i++ {
		sc, _, err := scenarios.Builtin("auth-warning")
		if err != nil {
			t.Fatal(err)
		}
		o := scenarios.Execute(t.Context(), sc, scenarios.Options{Out: scenariotest.OutDir(t, sc.Name), ClientsScale: scale, Groups: keepPubs})
		r := authResult(t, o)
		if r.Verdict != assert.Fail || !strings.HasPrefix(r.Evidence, "C rejected ") && !strings.Contains(r.Evidence, " on C at ") {
			t.Fatalf("run %d: auth-warning: %s (%s), want a failure naming C\nreplay: %s", i+1, r.Verdict, r.Evidence, o.Replay)
		}
		// Every problem is C's: the summary counts no other server.
		if len(r.Details) == 0 || strings.Count(r.Details[0], ": ") != strings.Count(r.Details[0], "(C: ") {
			t.Fatalf("run %d: problems on servers other than C: %v", i+1, r.Details)
		}
		t.Logf("auth-warning run %d: %s; %s", i+1, r.Evidence, r.Details[0])

		tw, _, err := scenarios.Builtin("auth-consistent")
		if err != nil {
			t.Fatal(err)
		}
		o = scenarios.Execute(t.Context(), tw, scenarios.Options{Out: scenariotest.OutDir(t, tw.Name), ClientsScale: scale, Groups: keepPubs})
		r = authResult(t, o)
		if r.Verdict != assert.Pass || !strings.Contains(r.Evidence, "all refused (by [") || !strings.Contains(r.Evidence, "C]") {
			t.Fatalf("run %d: auth-consistent: %s (%s), want a pass with probes refused on C\nreplay: %s", i+1, r.Verdict, r.Evidence, o.Replay)
		}
		if o.Verdict != scenarios.VerdictPass {
			t.Fatalf("run %d: auth-consistent: verdict %s: %+v", i+1, o.Verdict, o.Failed())
		}
	}
}

// secure turns TLS (client links and routes) and authentication on in a
// scenario: a password user for the first group, an nkey user for the
// others, each allowed what the scenario does.
func secure(sc *scenarios.Scenario) {
	yes := true
	sc.Cluster.Security = &scenarios.Security{
		TLS: &scenarios.TLSSettings{Clients: &yes, Routes: &yes},
		Users: []scenarios.User{
			{Name: "first", Kind: scenarios.KindPassword},
			{Name: "others", Kind: scenarios.KindNKey, Permissions: &scenarios.Permissions{Publish: []string{"orders.>"}, Subscribe: []string{">"}}},
		},
	}
	for i := range sc.Clients {
		sc.Clients[i].User = "others"
		if i == 0 {
			sc.Clients[i].User = "first"
		}
	}
}

// The rolling upgrade after the docs, with TLS on client links and routes
// and every client authenticated, passes as the plain one does.
func TestRollingUpgradeWithTLSAndAuth(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real cluster")
	}
	sc, _, err := scenarios.Builtin("rolling-upgrade")
	if err != nil {
		t.Fatal(err)
	}
	secure(sc)
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	var groups []sim.GroupSpec
	o := scenariotest.RunScenario(t, sc, scenarios.Options{Groups: func(g []sim.GroupSpec) { groups = g }})
	if o.Verdict != scenarios.VerdictPass {
		t.Fatalf("verdict %s", o.Verdict)
	}
	// The run really was secure: clients verified a CA and presented
	// credentials of both kinds.
	kinds := map[sim.UserKind]bool{}
	for _, g := range groups {
		if g.Security == nil || g.Security.CA == "" {
			t.Fatalf("group %s without TLS", g.Name)
		}
		kinds[g.Security.Kind] = true
	}
	if !kinds[sim.UserPassword] || !kinds[sim.UserNKey] {
		t.Fatalf("credential kinds used: %v", kinds)
	}
}

// No output of an auth scenario holds a generated secret: every file under
// the output folder (events, reports, server logs of process servers) is
// searched for every password, token and nkey seed. The secrets' folder is
// private while the run lasts and gone after it.
func TestSecretsStayOutOfOutputs(t *testing.T) {
	cases := []struct {
		name, version string
	}{{"embedded", ""}, {"process", "v2.15.2"}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.version != "" && testing.Short() {
				t.Skip("runs nats-server processes")
			}
			sc, _, err := scenarios.Builtin("auth-warning")
			if err != nil {
				t.Fatal(err)
			}
			for i := range sc.Cluster.Servers {
				sc.Cluster.Servers[i].Version = c.version
			}
			var secrets []string
			var secretDir string
			var modes []string
			opts := scenarios.Options{
				Out:          t.TempDir(),
				ClientsScale: 0.25, // 13 clients: every kind of secret is still used
				Secrets:      func(s []string) { secrets = s },
				Groups: func(groups []sim.GroupSpec) {
					for _, g := range groups {
						if g.Security != nil && g.Security.NKeySeedFile != "" {
							secretDir = filepath.Dir(g.Security.NKeySeedFile)
						}
					}
					_ = filepath.WalkDir(secretDir, func(p string, d fs.DirEntry, err error) error {
						if err == nil {
							if info, err := d.Info(); err == nil {
								modes = append(modes, filepath.Base(p)+" "+info.Mode().Perm().String())
							}
						}
						return nil
					})
				},
			}
			o := scenarios.Execute(t.Context(), sc, opts)
			if o.Err != nil {
				t.Fatalf("run error: %v", o.Err)
			}
			if len(secrets) < 2 || secretDir == "" {
				t.Fatalf("secrets %d, folder %q: the hooks saw nothing", len(secrets), secretDir)
			}
			for _, m := range modes {
				if !strings.HasSuffix(m, " -rw-------") && !strings.HasSuffix(m, " -rwx------") {
					t.Errorf("secret file or folder readable by others: %s", m)
				}
			}
			if _, err := os.Stat(secretDir); !os.IsNotExist(err) {
				t.Errorf("secrets folder %s still there after the run: %v", secretDir, err)
			}
			hits, files, logs := searchSecrets(t, opts.Out, secrets)
			for _, h := range hits {
				t.Errorf("%s holds a generated secret", h)
			}
			if files < 4 || c.version != "" && logs < 3 {
				t.Fatalf("searched %d files (%d server logs): the outputs are missing", files, logs)
			}
			// The search can fail: a secret planted in a log is found.
			planted := filepath.Join(opts.Out, "servers", "planted.log")
			if err := os.MkdirAll(filepath.Dir(planted), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(planted, []byte("user "+secrets[len(secrets)-1]+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if hits, _, _ := searchSecrets(t, opts.Out, secrets); len(hits) != 1 || hits[0] != planted {
				t.Fatalf("planted secret: hits %v", hits)
			}
			t.Logf("searched %d files (%d server logs) for %d secrets", files, logs, len(secrets))
		})
	}
}

// searchSecrets reads every file under dir and lists those holding any
// of the secrets, with how many files (and .log files) it read.
func searchSecrets(t *testing.T, dir string, secrets []string) (hits []string, files, logs int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		if strings.HasSuffix(p, ".log") {
			logs++
		}
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				hits = append(hits, p)
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits, files, logs
}
