package scenarios

import (
	"time"
)

// Security is cluster.security: TLS and users for every server. Secrets
// are never written in a file: each run generates the passwords, tokens
// and nkeys of the users it names, and the CA and certificates of TLS.
type Security struct {
	TLS   *TLSSettings `yaml:"tls" jsonschema_description:"TLS with a per-run CA: clients verify servers; routes verify each other."`
	Users []User       `yaml:"users" jsonschema_description:"Users every server accepts (a server's own users: replaces this list on that server)."`

	Pos Pos `yaml:"-"`
}

// TLSSettings says which links use TLS.
type TLSSettings struct {
	Clients *bool `yaml:"clients" jsonschema_description:"TLS between clients and servers (default true)."`
	Routes  *bool `yaml:"routes" jsonschema_description:"Mutual TLS between servers (default false). Partitions, freezes and route or server faults are refused with it."`

	Pos Pos `yaml:"-"`
}

// ClientsOn says whether client links use TLS.
func (t *TLSSettings) ClientsOn() bool { return t != nil && (t.Clients == nil || *t.Clients) }

// RoutesOn says whether routes use TLS.
func (t *TLSSettings) RoutesOn() bool { return t != nil && t.Routes != nil && *t.Routes }

// UserKind is the credential a user presents.
type UserKind string

// The credential kinds.
const (
	KindPassword UserKind = "password"
	KindToken    UserKind = "token"
	KindNKey     UserKind = "nkey"
)

// UserKinds lists the valid kinds.
var UserKinds = []UserKind{KindPassword, KindToken, KindNKey}

// User is one user a server accepts.
type User struct {
	Name        string       `yaml:"name" jsonschema:"required,pattern=^[A-Za-z0-9_-]+$"`
	Kind        UserKind     `yaml:"kind" jsonschema_description:"password (default), token or nkey; the secret is generated per run."`
	Permissions *Permissions `yaml:"permissions" jsonschema_description:"Allow-lists; absent: everything allowed."`

	Pos Pos `yaml:"-"`
}

// KindOr is the user's kind, password when unset.
func (u User) KindOr() UserKind {
	if u.Kind == "" {
		return KindPassword
	}
	return u.Kind
}

// Permissions are allow-lists of subjects (wildcards allowed); a nil list
// allows everything.
type Permissions struct {
	Publish   []string `yaml:"publish" jsonschema_description:"Subjects the user may publish to."`
	Subscribe []string `yaml:"subscribe" jsonschema_description:"Subjects the user may subscribe to."`

	Pos Pos `yaml:"-"`
}

// Probe makes every client of a group publish now and then to a subject its
// user may not publish to, and record whether the server refused it: what
// auth_consistent judges privilege gains by.
type Probe struct {
	Subject string        `yaml:"subject" jsonschema:"required" jsonschema_description:"A literal subject the group's user may not publish to."`
	Every   time.Duration `yaml:"every" jsonschema_description:"Period of the probe (default 1s)."`

	Pos Pos `yaml:"-"`
}

func (*Probe) shorthandField() string { return "subject" }

// DefaultProbeEvery is Probe.Every when unset.
const DefaultProbeEvery = time.Second

// UsersFor is the users a server accepts: its own list when it has one,
// else the cluster's.
func (c *Cluster) UsersFor(server string) []User {
	for _, s := range c.Servers {
		if s.Name == server && s.Users != nil {
			return s.Users
		}
	}
	if c.Security == nil {
		return nil
	}
	return c.Security.Users
}
