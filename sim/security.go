package sim

import (
	"crypto/tls"
	"fmt"
	"strconv"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
)

// Security is a server's TLS and authentication setup. It lives in
// ServerOptions, so a server can be given its own (a server configured
// differently from its peers, as the docs warn against). Secrets are
// generated per run by the caller; the engine only passes them on.
type Security struct {
	// TLS, when set, holds the certificate files; ClientTLS and RouteTLS
	// say which listeners use them. Routes verify each other (mutual TLS).
	TLS       *TLSFiles
	ClientTLS bool
	RouteTLS  bool
	// Users are the accepted credentials; empty means no authentication.
	Users []User
}

// TLSFiles are PEM files of a per-run certificate authority and the
// certificate every server presents (to clients and to each other).
type TLSFiles struct {
	CA, Cert, Key string
}

// UserKind says which credential a user presents.
type UserKind string

// The credential kinds.
const (
	UserPassword UserKind = "password"
	UserToken    UserKind = "token"
	UserNKey     UserKind = "nkey"
)

// User is one user a server accepts. The server gets Password (kind
// password), Token (kind token) or NKey, the public key (kind nkey).
type User struct {
	Name     string
	Kind     UserKind
	Password string
	Token    string
	NKey     string
	// Publish and Subscribe are allow-lists; nil means no restriction.
	Publish, Subscribe []string
}

func (u User) permissions() *server.Permissions {
	if u.Publish == nil && u.Subscribe == nil {
		return nil
	}
	p := &server.Permissions{}
	if u.Publish != nil {
		p.Publish = &server.SubjectPermission{Allow: u.Publish}
	}
	if u.Subscribe != nil {
		p.Subscribe = &server.SubjectPermission{Allow: u.Subscribe}
	}
	return p
}

// applySecurity sets an in-process server's TLS and users.
func applySecurity(opts *server.Options, s *Security) error {
	if s == nil {
		return nil
	}
	if s.TLS != nil && (s.ClientTLS || s.RouteTLS) {
		if s.ClientTLS {
			tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: s.TLS.Cert, KeyFile: s.TLS.Key, CaFile: s.TLS.CA})
			if err != nil {
				return fmt.Errorf("client TLS: %w", err)
			}
			opts.TLS, opts.TLSConfig, opts.TLSTimeout = true, tc, 2
		}
		if s.RouteTLS {
			tc, err := routeTLSConfig(s.TLS)
			if err != nil {
				return err
			}
			opts.Cluster.TLSConfig, opts.Cluster.TLSTimeout = tc, 2
		}
	}
	for _, u := range s.Users {
		switch u.Kind {
		case UserToken:
			opts.Authorization = u.Token
		case UserNKey:
			opts.Nkeys = append(opts.Nkeys, &server.NkeyUser{Nkey: u.NKey, Permissions: u.permissions()})
		default:
			opts.Users = append(opts.Users, &server.User{Username: u.Name, Password: u.Password, Permissions: u.permissions()})
		}
	}
	return nil
}

// routeTLSConfig is mutual TLS: each server presents its certificate and
// verifies the peer's against the run's CA, whichever side dialled.
func routeTLSConfig(f *TLSFiles) (*tls.Config, error) {
	tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: f.Cert, KeyFile: f.Key, CaFile: f.CA, Verify: true})
	if err != nil {
		return nil, fmt.Errorf("route TLS: %w", err)
	}
	// As nats-server does for a cluster's tls block (opts.go,
	// parseTLS): a server is a TLS client too when it dials a route, and
	// verifies the peer with the same CA.
	tc.ClientAuth = tls.RequireAndVerifyClientCert
	tc.RootCAs = tc.ClientCAs
	return tc, nil
}

// securityConfig is the configuration file text of the same setup, for a
// nats-server process. The file holds secrets: its writer keeps it 0600
// in a folder of its own.
func securityConfig(s *Security) (top, cluster string) {
	if s == nil {
		return "", ""
	}
	q := strconv.Quote
	var b, c strings.Builder
	if s.TLS != nil && s.ClientTLS {
		fmt.Fprintf(&b, "tls {\n  cert_file: %s\n  key_file: %s\n  ca_file: %s\n  timeout: 2\n}\n", q(s.TLS.Cert), q(s.TLS.Key), q(s.TLS.CA))
	}
	if s.TLS != nil && s.RouteTLS {
		fmt.Fprintf(&c, "  tls {\n    cert_file: %s\n    key_file: %s\n    ca_file: %s\n    verify: true\n    timeout: 2\n  }\n", q(s.TLS.Cert), q(s.TLS.Key), q(s.TLS.CA))
	}
	if len(s.Users) == 0 {
		return b.String(), c.String()
	}
	b.WriteString("authorization {\n")
	var users []string
	for _, u := range s.Users {
		if u.Kind == UserToken {
			fmt.Fprintf(&b, "  token: %s\n", q(u.Token))
			continue
		}
		var e strings.Builder
		if u.Kind == UserNKey {
			fmt.Fprintf(&e, "{nkey: %s", q(u.NKey))
		} else {
			fmt.Fprintf(&e, "{user: %s, password: %s", q(u.Name), q(u.Password))
		}
		if u.Publish != nil || u.Subscribe != nil {
			e.WriteString(", permissions: {")
			if u.Publish != nil {
				fmt.Fprintf(&e, "publish: {allow: %s}", quoteList(u.Publish))
			}
			if u.Subscribe != nil {
				if u.Publish != nil {
					e.WriteString(", ")
				}
				fmt.Fprintf(&e, "subscribe: {allow: %s}", quoteList(u.Subscribe))
			}
			e.WriteString("}")
		}
		e.WriteString("}")
		users = append(users, e.String())
	}
	if len(users) > 0 {
		fmt.Fprintf(&b, "  users: [\n    %s\n  ]\n", strings.Join(users, "\n    "))
	}
	b.WriteString("}\n")
	return b.String(), c.String()
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
