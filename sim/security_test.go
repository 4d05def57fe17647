package sim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/natschaos/natschaos/internal/testwait"
)

// The run's key material is private and the certificate verifies, with
// the run's CA, for every loopback name a client or a route may dial.
func TestRunPKI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	f, err := WriteRunPKI(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("folder: %v %v", st.Mode(), err)
	}
	for _, p := range []string{f.CA, f.Cert, f.Key} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", p, st.Mode(), err)
		}
	}
	pool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(f.CA)
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA does not parse")
	}
	certPEM, _ := os.ReadFile(f.Cert)
	b, _ := pem.Decode(certPEM)
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"127.0.0.1", "localhost", "::1"} {
		for _, usage := range []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth} {
			if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: name, KeyUsages: []x509.ExtKeyUsage{usage}}); err != nil {
				t.Errorf("%s usage %v: %v", name, usage, err)
			}
		}
	}
	// Another run's CA does not verify it.
	other, err := WriteRunPKI(filepath.Join(t.TempDir(), "other"))
	if err != nil {
		t.Fatal(err)
	}
	otherPool := x509.NewCertPool()
	otherPEM, _ := os.ReadFile(other.CA)
	otherPool.AppendCertsFromPEM(otherPEM)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: otherPool, DNSName: "127.0.0.1"}); err == nil {
		t.Fatal("another run's CA verified this run's certificate")
	}
}

// Routes with TLS mesh when both servers share the CA; a server with
// another CA never joins, which shows the routes really verify each other.
func TestRouteTLS(t *testing.T) {
	pki, err := WriteRunPKI(filepath.Join(t.TempDir(), "a"))
	if err != nil {
		t.Fatal(err)
	}
	sec := &Security{TLS: pki, RouteTLS: true}
	c, _ := newTestCluster(t, ClusterSpec{Servers: names(2), Options: ServerOptions{Security: sec}, ObserveEvery: -1}, nil)
	testwait.Until(t, 5*time.Second, "route TLS mesh", func() bool { return fullMesh(c) })
	other, err := WriteRunPKI(filepath.Join(t.TempDir(), "b"))
	if err != nil {
		t.Fatal(err)
	}
	bad := ServerOptions{Security: &Security{TLS: other, RouteTLS: true}}
	c2, _ := newTestCluster(t, ClusterSpec{Servers: []ServerSpec{{Name: "A"}, {Name: "B", Options: &bad}}, Options: ServerOptions{Security: sec}, ObserveEvery: -1}, nil)
	// Bounded: each side retries its route every second; two rounds.
	deadline := time.Now().Add(2500 * time.Millisecond)
	for time.Now().Before(deadline) {
		if fullMesh(c2) {
			t.Fatal("servers with different CAs meshed")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The configuration file of a process server carries the same setup, and
// nats-server accepts it as meant.
func TestProcessSecurityConfig(t *testing.T) {
	pki, err := WriteRunPKI(filepath.Join(t.TempDir(), "tls"))
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := nkeys.CreateUser()
	pub, _ := kp.PublicKey()
	sec := &Security{TLS: pki, ClientTLS: true, RouteTLS: true, Users: []User{
		{Name: "p", Kind: UserPassword, Password: "pw-1", Publish: []string{"ok.>"}, Subscribe: []string{"in.*"}},
		{Name: "n", Kind: UserNKey, NKey: pub},
	}}
	work := t.TempDir()
	text := processConfig(LaunchConfig{Name: "A", Cluster: "C1", Options: ServerOptions{Security: sec}}, work)
	path := filepath.Join(work, "nats-server.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	o, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if o.TLSConfig == nil || o.Cluster.TLSConfig == nil || o.Cluster.TLSConfig.ClientAuth != tls.RequireAndVerifyClientCert {
		t.Fatalf("TLS: client %v route %v", o.TLSConfig != nil, o.Cluster.TLSConfig)
	}
	if len(o.Users) != 1 || o.Users[0].Username != "p" || o.Users[0].Password != "pw-1" ||
		o.Users[0].Permissions == nil || strings.Join(o.Users[0].Permissions.Publish.Allow, ",") != "ok.>" ||
		strings.Join(o.Users[0].Permissions.Subscribe.Allow, ",") != "in.*" {
		t.Fatalf("users: %+v", o.Users)
	}
	if len(o.Nkeys) != 1 || o.Nkeys[0].Nkey != pub || o.Nkeys[0].Permissions != nil {
		t.Fatalf("nkeys: %+v", o.Nkeys)
	}
	tok := processConfig(LaunchConfig{Name: "A", Options: ServerOptions{Security: &Security{Users: []User{{Name: "t", Kind: UserToken, Token: "tok-1"}}}}}, work)
	if err := os.WriteFile(path, []byte(tok), 0o600); err != nil {
		t.Fatal(err)
	}
	if o, err := server.ProcessConfigFile(path); err != nil || o.Authorization != "tok-1" {
		t.Fatalf("token: %v %q", err, o.Authorization)
	}
}

// Clients present their credentials; probes see a forbidden publish
// refused where it is forbidden and let through where it is not; a
// client rejected while reconnecting is recorded with the server that
// rejected it.
func TestClientCredentialsProbesAndRejections(t *testing.T) {
	dir := t.TempDir()
	pki, err := WriteRunPKI(filepath.Join(dir, "tls"))
	if err != nil {
		t.Fatal(err)
	}
	kp, _ := nkeys.CreateUser()
	pub, _ := kp.PublicKey()
	seed, _ := kp.Seed()
	seedFile := filepath.Join(dir, "n.seed")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	users := []User{
		{Name: "p", Kind: UserPassword, Password: "pw-1", Publish: []string{"ok.>"}},
		{Name: "n", Kind: UserNKey, NKey: pub},
	}
	// B knows only the nkey user, with no permissions.
	bOpts := ServerOptions{Security: &Security{TLS: pki, ClientTLS: true, Users: users[1:]}}
	c, tl := newTestCluster(t, ClusterSpec{
		Servers: []ServerSpec{{Name: "A"}, {Name: "B", Options: &bOpts}},
		Options: ServerOptions{Security: &Security{TLS: pki, ClientTLS: true, Users: users}}, ObserveEvery: -1,
	}, nil)
	testwait.Until(t, 5*time.Second, "mesh", func() bool { return fullMesh(c) })
	probe := &Probe{Subject: "no.x", Every: 50 * time.Millisecond}
	f, err := NewFleet(c, tl, []GroupSpec{
		{Name: "pw", Count: 1, Servers: []string{"A", "B"}, Options: ClientOptions{NoRandomize: true, ReconnectWait: 50 * time.Millisecond},
			Security: &ClientSecurity{CA: pki.CA, User: "p", Kind: UserPassword, Password: "pw-1", Probe: probe}},
		{Name: "nk", Count: 1, Servers: []string{"B"},
			Security: &ClientSecurity{CA: pki.CA, User: "n", Kind: UserNKey, NKeySeedFile: seedFile, Probe: probe}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	find := func(kind Kind, client, server, detail string) bool {
		for _, ev := range tl.Events() {
			if ev.Kind == kind && ev.Client == client && ev.Server == server && (detail == "" || strings.Contains(ev.Detail+ev.Err, detail)) {
				return true
			}
		}
		return false
	}
	testwait.Until(t, 5*time.Second, "pw-0 connected to A over TLS with its password", func() bool { return find(ClientConnect, "pw-0", "A", "") })
	testwait.Until(t, 5*time.Second, "nk-0 connected to B with its nkey", func() bool { return find(ClientConnect, "nk-0", "B", "") })
	testwait.Until(t, 5*time.Second, "pw-0's probe refused on A", func() bool { return find(ProbeResult, "pw-0", "A", "refused") })
	testwait.Until(t, 5*time.Second, "nk-0's probe let through on B", func() bool { return find(ProbeResult, "nk-0", "B", "allowed") })
	if find(ProbeResult, "pw-0", "A", "allowed") || find(ProbeResult, "nk-0", "B", "refused") {
		t.Fatal("a probe recorded the wrong outcome")
	}
	// A goes: pw-0 tries B, which does not know its user.
	if err := c.Kill("A"); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "pw-0 rejected by B", func() bool { return find(ClientRejected, "pw-0", "B", "authorization violation") })
	if find(ClientRejected, "pw-0", "A", "") || find(ClientRejected, "pw-0", "", "") {
		t.Fatal("a rejection credited to the wrong server")
	}
}

// With client TLS, nats.go sleeps ReconnectJitterTLS instead of
// ReconnectJitter after a full pass of its list (nats.go doReconnect): 20
// clients that know only A, after A restarts, come back within a few
// tens of milliseconds in plain text, and spread over the TLS jitter (2s
// here) with TLS.
func TestTLSReconnectJitterInEffect(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the TLS jitter")
	}
	pki, err := WriteRunPKI(filepath.Join(t.TempDir(), "tls"))
	if err != nil {
		t.Fatal(err)
	}
	spread := func(secure bool) time.Duration {
		spec := ClusterSpec{Servers: names(1), ObserveEvery: -1}
		g := GroupSpec{Name: "c", Count: 20, Servers: []string{"A"}, Options: ClientOptions{
			ReconnectWait: 20 * time.Millisecond, ReconnectJitter: time.Nanosecond, ReconnectJitterTLS: 2 * time.Second,
			IgnoreDiscoveredServers: true, MaxReconnects: ptrTo(-1)}}
		if secure {
			spec.Options.Security = &Security{TLS: pki, ClientTLS: true}
			g.Security = &ClientSecurity{CA: pki.CA}
		}
		c, tl := newTestCluster(t, spec, nil)
		f, err := NewFleet(c, tl, []GroupSpec{g})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := c.Kill("A"); err != nil {
			t.Fatal(err)
		}
		if err := c.Restart("A", ""); err != nil {
			t.Fatal(err)
		}
		var times []time.Duration
		testwait.Until(t, 10*time.Second, "every client back", func() bool {
			times = times[:0]
			for _, ev := range tl.Events() {
				if ev.Kind == ClientReconnect {
					times = append(times, ev.T)
				}
			}
			return len(times) == 20
		})
		return slices.Max(times) - slices.Min(times)
	}
	plain, secure := spread(false), spread(true)
	t.Logf("reconnect spread after a restart: plain %v, TLS %v", plain, secure)
	if plain > 300*time.Millisecond || secure < 500*time.Millisecond {
		t.Fatalf("spread: plain %v (want < 300ms), TLS %v (want > 500ms)", plain, secure)
	}
}

func ptrTo[T any](v T) *T { return &v }

// A token user connects with its token; a client with the wrong token is
// refused at its first connect, which nats.go reports to no callback: the
// fleet records it when the library moves on (a silent rejection by A), or
// when the library gives up after A refused it twice and closes (its last
// error), whichever the timing allows; either way exactly as a rejection
// by A.
func TestTokenUser(t *testing.T) {
	sec := &Security{Users: []User{{Name: "t", Kind: UserToken, Token: "tok-right"}}}
	c, tl := newTestCluster(t, ClusterSpec{Servers: names(1), Options: ServerOptions{Security: sec}, ObserveEvery: -1}, nil)
	opts := ClientOptions{ReconnectWait: 20 * time.Millisecond, MaxReconnects: ptrTo(-1)}
	f, err := NewFleet(c, tl, []GroupSpec{
		{Name: "ok", Count: 1, Options: opts, Security: &ClientSecurity{User: "t", Kind: UserToken, Token: "tok-right"}},
		{Name: "bad", Count: 1, Options: opts, Security: &ClientSecurity{User: "t", Kind: UserToken, Token: "tok-wrong"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	has := func(kind Kind, client, server string) bool {
		for _, ev := range tl.Events() {
			if ev.Kind == kind && ev.Client == client && ev.Server == server {
				return true
			}
		}
		return false
	}
	testwait.Until(t, 5*time.Second, "ok-0 connected with its token", func() bool { return has(ClientConnect, "ok-0", "A") })
	testwait.Until(t, 5*time.Second, "bad-0 rejected by A", func() bool { return has(ClientRejected, "bad-0", "A") })
	if has(ClientConnect, "bad-0", "A") || has(ClientRejected, "ok-0", "A") {
		t.Fatal("the wrong token was accepted or the right one rejected")
	}
}
