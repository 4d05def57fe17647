package scenarios

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nats-io/nkeys"

	"github.com/natschaos/natschaos/internal/leftovers"
	"github.com/natschaos/natschaos/sim"
)

// runSecurity is one run's generated security material. It lives in a
// folder of its own (0700, files 0600) outside the output folder, removed
// when the run ends: the outputs never hold a secret.
type runSecurity struct {
	dir   string
	tls   *sim.TLSFiles
	creds map[string]*credential // by user name and kind: see credKey
}

type credential struct {
	kind     sim.UserKind
	password string
	token    string
	seed     []byte
	seedFile string
	public   string
}

func credKey(u User) string { return u.Name + "/" + string(u.KindOr()) }

// newRunSecurity generates what the scenario's security section needs:
// nothing (nil) without one.
func newRunSecurity(sc *Scenario) (rs *runSecurity, err error) {
	sec := sc.Cluster.Security
	if sec == nil {
		return nil, nil
	}
	dir, err := leftovers.MkdirTemp("natschaos-secrets-")
	if err != nil {
		return nil, err
	}
	rs = &runSecurity{dir: dir, creds: map[string]*credential{}}
	defer func() {
		if err != nil {
			rs.remove()
			rs = nil
		}
	}()
	if sec.TLS.ClientsOn() || sec.TLS.RoutesOn() {
		if rs.tls, err = sim.WriteRunPKI(filepath.Join(dir, "tls")); err != nil {
			return nil, fmt.Errorf("security: %w", err)
		}
	}
	lists := [][]User{sec.Users}
	for _, s := range sc.Cluster.Servers {
		lists = append(lists, s.Users)
	}
	for _, l := range lists {
		for _, u := range l {
			if rs.creds[credKey(u)] != nil {
				continue
			}
			c, err := rs.generate(u)
			if err != nil {
				return nil, fmt.Errorf("security: user %s: %w", u.Name, err)
			}
			rs.creds[credKey(u)] = c
		}
	}
	return rs, nil
}

func (rs *runSecurity) generate(u User) (*credential, error) {
	c := &credential{kind: sim.UserKind(u.KindOr())}
	switch u.KindOr() {
	case KindToken:
		c.token = randomSecret(32)
	case KindNKey:
		kp, err := nkeys.CreateUser()
		if err != nil {
			return nil, err
		}
		if c.seed, err = kp.Seed(); err != nil {
			return nil, err
		}
		if c.public, err = kp.PublicKey(); err != nil {
			return nil, err
		}
		c.seedFile = filepath.Join(rs.dir, "nkey-"+u.Name+".seed")
		if err := os.WriteFile(c.seedFile, c.seed, 0o600); err != nil {
			return nil, err
		}
	default:
		c.password = randomSecret(24)
	}
	return c, nil
}

// randomSecret is n random bytes from crypto/rand, base64url.
func randomSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// secrets lists every generated secret.
func (rs *runSecurity) secrets() []string {
	if rs == nil {
		return nil
	}
	var out []string
	for _, c := range rs.creds {
		for _, s := range []string{c.password, c.token, string(c.seed)} {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (rs *runSecurity) remove() {
	if rs != nil {
		os.RemoveAll(rs.dir)
	}
}

// engineUsers maps users onto the engine's, with their secrets.
func (rs *runSecurity) engineUsers(users []User) []sim.User {
	out := []sim.User{}
	for _, u := range users {
		c := rs.creds[credKey(u)]
		eu := sim.User{Name: u.Name, Kind: c.kind, Password: c.password, Token: c.token, NKey: c.public}
		if p := u.Permissions; p != nil {
			eu.Publish, eu.Subscribe = p.Publish, p.Subscribe
		}
		out = append(out, eu)
	}
	return out
}

// apply sets every server's security: the cluster's users, or the
// server's own list.
func (rs *runSecurity) apply(sc *Scenario, spec *sim.ClusterSpec) {
	if rs == nil {
		return
	}
	sec := sc.Cluster.Security
	forServer := func(name string) *sim.Security {
		return &sim.Security{TLS: rs.tls, ClientTLS: sec.TLS.ClientsOn(), RouteTLS: sec.TLS.RoutesOn(),
			Users: rs.engineUsers(sc.Cluster.UsersFor(name))}
	}
	spec.Options.Security = &sim.Security{TLS: rs.tls, ClientTLS: sec.TLS.ClientsOn(), RouteTLS: sec.TLS.RoutesOn(),
		Users: rs.engineUsers(sec.Users)}
	for i := range spec.Servers {
		ss := &spec.Servers[i]
		own := sc.Cluster.Servers[i].Users != nil
		if ss.Options == nil && !own {
			continue
		}
		if ss.Options == nil {
			o := spec.Options
			ss.Options = &o
		}
		ss.Options.Security = forServer(ss.Name)
	}
}

// applyClients gives each group its credentials, CA and probe.
func (rs *runSecurity) applyClients(sc *Scenario, groups []sim.GroupSpec) {
	if rs == nil {
		return
	}
	sec := sc.Cluster.Security
	for i := range groups {
		g := &sc.Clients[i]
		cs := &sim.ClientSecurity{User: g.User}
		if sec.TLS.ClientsOn() {
			cs.CA = rs.tls.CA
		}
		for _, u := range sec.Users {
			if u.Name != g.User {
				continue
			}
			c := rs.creds[credKey(u)]
			cs.Kind, cs.Password, cs.Token, cs.NKeySeedFile = c.kind, c.password, c.token, c.seedFile
		}
		if p := g.Probe; p != nil {
			every := p.Every
			if every == 0 {
				every = DefaultProbeEvery
			}
			cs.Probe = &sim.Probe{Subject: p.Subject, Every: every}
		}
		groups[i].Security = cs
	}
}

// routeTLS says whether routes use TLS: the fault layer then passes route
// dials without identifying them (validation refused the steps that would
// need it).
func routeTLS(sc *Scenario) bool {
	return sc.Cluster.Security != nil && sc.Cluster.Security.TLS.RoutesOn()
}
