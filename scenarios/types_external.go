package scenarios

// External is an existing cluster natschaos does not start: the servers
// are still declared under cluster.servers (by their server_name), and
// described here.
type External struct {
	Servers   []ExternalServer `yaml:"servers" jsonschema:"required,minItems=1" jsonschema_description:"One entry per declared server: the URL clients dial and its monitoring URL."`
	Toxiproxy *Toxiproxy       `yaml:"toxiproxy" jsonschema_description:"A toxiproxy server in front of the cluster: fault and partition steps go through its API."`
	// Commands run process steps, through sh -c; {server} is the server's
	// name. A process step with no command is refused by validation.
	Commands ExternalCommands `yaml:"commands" jsonschema_description:"Shell commands for kill, stop, lame_duck and restart steps ({server} is the server's name)."`

	Pos Pos `yaml:"-"`
}

// ExternalServer is one server of an external cluster.
type ExternalServer struct {
	Name    string `yaml:"name" jsonschema:"required"`
	URL     string `yaml:"url" jsonschema:"required" jsonschema_description:"What clients dial: nats://host:port, usually the toxiproxy listener in front of the server."`
	Monitor string `yaml:"monitor" jsonschema:"required" jsonschema_description:"Its monitoring endpoint, http://host:8222 (/varz, /routez)."`

	Pos Pos `yaml:"-"`
}

// Toxiproxy is the toxiproxy server in front of an external cluster.
type Toxiproxy struct {
	API     string         `yaml:"api" jsonschema:"required" jsonschema_description:"Its HTTP API, http://host:8474."`
	Proxies []ToxiproxyMap `yaml:"proxies" jsonschema_description:"Which proxy carries which link."`

	Pos Pos `yaml:"-"`
}

// ToxiproxyMap says which toxiproxy proxy carries a link: client:<server>
// (its clients), or route:<A>-<B> (the route connections A dials to B:
// one proxy per direction, since a shared one cannot tell who dialled).
type ToxiproxyMap struct {
	Link  string `yaml:"link" jsonschema:"required,pattern=^(client:[A-Za-z0-9_-]+|route:[A-Za-z0-9_-]+-[A-Za-z0-9_-]+)$"`
	Proxy string `yaml:"proxy" jsonschema:"required"`

	Pos Pos `yaml:"-"`
}

// ExternalCommands are the commands of process steps.
type ExternalCommands struct {
	Kill     string `yaml:"kill" jsonschema_description:"For kill steps, e.g. kubectl delete pod {server} --grace-period=0 --force."`
	Stop     string `yaml:"stop" jsonschema_description:"For stop steps."`
	LameDuck string `yaml:"lame_duck" jsonschema_description:"For lame_duck steps, e.g. kubectl exec {server} -- nats-server --signal ldm."`
	Restart  string `yaml:"restart" jsonschema_description:"For restart steps: run before natschaos waits for the server to answer again."`

	Pos Pos `yaml:"-"`
}
