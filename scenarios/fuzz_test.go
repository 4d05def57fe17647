package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: no input makes Parse panic (even one it recovers from) or hang; every failure is a
// *ValidationError of positioned problems; every success validates again.
// The seed corpus is every example the package has.
func FuzzParse(f *testing.F) {
	for _, glob := range []string{"testdata/*.yaml", "testdata/invalid/*.yaml", "library/*.yaml"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			f.Add(mustReadF(f, file))
		}
	}
	for _, s := range []string{
		"", "-", "name: x", "[", "{a: *b}", "a: &a [*a]", "<<: *x", "name: t\n---\n", "\xff\xfe",
		"name: t\ncluster: {servers: [{name: A}]}\nsteps: [{heal: 1}, {kill: A}, {restart: A}]\n",
		"name: t\ncluster: {servers: [{name: A-B}, {name: A}, {name: B}]}\nsteps: [{fault: {target: route:A-B, kind: down}}]\n",
		"name: t\ncluster: {servers: [{name: A}]}\nclients: [{name: c, <<: {count: 2}, options: {reconnect_buf_size: 1.5GB}}]\n",
		aliasBomb(),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // big inputs only slow the fuzzer; TestInputLimits covers size
		}
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var verr *ValidationError
			if !errors.As(err, &verr) || len(verr.Problems) == 0 {
				t.Fatalf("not a *ValidationError with problems: %T %v", err, err)
			}
			for _, p := range verr.Problems {
				if p.Msg == "" || p.Line < 0 || p.Col < 0 || p.File != "fuzz.yaml" {
					t.Fatalf("bad problem %+v", p)
				}
				if strings.HasPrefix(p.Msg, "internal error") {
					t.Fatalf("Parse recovered from a panic: %s", p.Msg) // a bug to fix
				}
			}
			return
		}
		if s == nil {
			t.Fatal("nil scenario without an error")
		}
		_ = s.Expect.List()
		for i := range s.Steps {
			_ = s.Steps[i].Server()
		}
	})
}

func mustReadF(f *testing.F, path string) []byte {
	f.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return data
}
