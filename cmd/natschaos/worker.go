package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/natschaos/natschaos/workers"
)

func newWorkerCmd() *cobra.Command {
	var connect, name, tokenFile string
	cmd := &cobra.Command{
		Use:   "worker --connect HOST:PORT",
		Short: "Run a share of a run's clients for a runner elsewhere",
		Long: `A worker connects to a runner (natschaos run --remote-workers N
--worker-listen ADDR), proves the run's token, runs the client groups the
runner gives it, and streams their events back. It exits when the run ends.
The token comes from --token-file or $` + workers.TokenEnv + `.`,
		Example: `  natschaos worker --connect runner.chaos.svc:7420 --token-file /var/run/natschaos/token`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			token := os.Getenv(workers.TokenEnv)
			if tokenFile != "" {
				b, err := os.ReadFile(tokenFile)
				if err != nil {
					return &exitError{code: exitInvalid, err: err}
				}
				token = strings.TrimSpace(string(b))
			}
			if connect == "" || token == "" {
				return &exitError{code: exitInvalid, err: errors.New("a worker needs --connect and a token (--token-file or $" + workers.TokenEnv + ")")}
			}
			if name == "" {
				h, _ := os.Hostname()
				name = fmt.Sprintf("%s-%d", h, os.Getpid())
			}
			if err := workers.Run(cmd.Context(), connect, token, name); err != nil {
				return &exitError{code: exitInfra, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&connect, "connect", "", "the runner's worker address (host:port)")
	cmd.Flags().StringVar(&name, "name", "", "this worker's name on the timeline (default: host-pid)")
	cmd.Flags().StringVar(&tokenFile, "token-file", "", "file holding the run's token")
	return cmd
}

// workerFlags are run's options for spreading clients over workers.
type workerFlags struct {
	local, remote int
	listen        string
	tokenFile     string
	wait          time.Duration
}

func (w *workerFlags) add(cmd *cobra.Command) {
	cmd.Flags().IntVar(&w.local, "workers", 0, "run the clients in N worker processes started on this machine")
	cmd.Flags().IntVar(&w.remote, "remote-workers", 0, "wait for N workers started elsewhere (natschaos worker --connect)")
	cmd.Flags().StringVar(&w.listen, "worker-listen", "", "address to listen on for workers (default 127.0.0.1, a fresh port)")
	cmd.Flags().StringVar(&w.tokenFile, "worker-token-file", "", "the workers' token: read from FILE, or written there (0600) when FILE does not exist")
	cmd.Flags().DurationVar(&w.wait, "worker-wait", 0, "how long to wait for every worker to connect (default 30s)")
}

// config turns the flags into a workers.Config; nil without workers.
func (w *workerFlags) config(cmd *cobra.Command) (*workers.Config, error) {
	if w.local < 0 || w.remote < 0 {
		return nil, errors.New("--workers and --remote-workers must not be negative")
	}
	if w.local+w.remote == 0 {
		if w.listen != "" || w.tokenFile != "" {
			return nil, errors.New("--worker-listen and --worker-token-file need --workers or --remote-workers")
		}
		return nil, nil
	}
	cfg := &workers.Config{Local: w.local, Remote: w.remote, Listen: w.listen, JoinWithin: w.wait}
	if w.tokenFile != "" {
		b, err := os.ReadFile(w.tokenFile)
		switch {
		case err == nil:
			cfg.Token = strings.TrimSpace(string(b))
			if cfg.Token == "" {
				return nil, fmt.Errorf("%s: empty token", w.tokenFile)
			}
		case errors.Is(err, os.ErrNotExist):
			cfg.Token = workers.NewToken()
			if err := os.WriteFile(w.tokenFile, []byte(cfg.Token+"\n"), 0o600); err != nil {
				return nil, err
			}
		default:
			return nil, err
		}
	} else if w.remote > 0 {
		return nil, errors.New("--remote-workers needs --worker-token-file: remote workers must know the token")
	}
	out := cmd.ErrOrStderr()
	cfg.OnListen = func(addr string) {
		if w.remote > 0 {
			fmt.Fprintf(out, "natschaos: waiting for %d remote worker(s) on %s\n", w.remote, addr)
		}
	}
	return cfg, nil
}
