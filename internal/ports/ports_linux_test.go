package ports

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// narrow makes Pick choose among n ports only, so that two processes must
// collide unless the reservation keeps them apart.
func narrow(t *testing.T, n int) {
	t.Helper()
	l, s := low, span
	low, span = 23000, n
	// This process's memory of recent picks would refuse the narrow
	// range's ports on a second run (-count): start it afresh.
	mu.Lock()
	is, r := issued, ring
	issued, ring = map[int]bool{}, nil
	mu.Unlock()
	t.Cleanup(func() {
		mu.Lock()
		low, span, issued, ring = l, s, is, r
		mu.Unlock()
	})
}

// TestPickSkipsPortsAnotherProcessReserved runs a second process that
// picks two of four ports and holds them; this one then gets the other
// two, and no third.
func TestPickSkipsPortsAnotherProcessReserved(t *testing.T) {
	if os.Getenv("NATSCHAOS_PORTS_CHILD") != "" {
		return // the child's work is in TestMain
	}
	narrow(t, 4)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "NATSCHAOS_PORTS_CHILD=1")
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close() // the child releases and exits
		if err := child.Wait(); err != nil {
			t.Errorf("child: %v", err)
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the child's ports: %v", err)
	}
	theirs := map[int]bool{}
	for _, f := range strings.Fields(line) {
		p, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("child said %q", line)
		}
		theirs[p] = true
	}
	if len(theirs) != 2 {
		t.Fatalf("child picked %v, want two ports", theirs)
	}
	var mine []int
	for i := 0; i < 2; i++ {
		p, err := Pick()
		if err != nil {
			t.Fatalf("pick %d: %v", i+1, err)
		}
		if theirs[p] {
			t.Fatalf("picked %d, which the other process holds reserved", p)
		}
		mine = append(mine, p)
	}
	defer func() {
		for _, p := range mine {
			Release(p)
		}
	}()
	if p, err := Pick(); err == nil {
		Release(p)
		t.Fatalf("a third pick among four ports returned %d; the other process holds %v, this one %v", p, theirs, mine)
	}
}

func TestReleaseFreesTheReservation(t *testing.T) {
	narrow(t, 1)
	before := Reserved()
	p, err := Pick()
	if err != nil {
		t.Fatal(err)
	}
	if Reserved() != before+1 {
		t.Fatalf("%d reserved after a pick, want %d", Reserved(), before+1)
	}
	if _, err := reserve(p); err == nil {
		t.Fatalf("port %d could be reserved twice", p)
	}
	Release(p)
	if Reserved() != before {
		t.Fatalf("%d reserved after release, want %d", Reserved(), before)
	}
	hold, err := reserve(p)
	if err != nil {
		t.Fatalf("port %d still reserved after Release: %v", p, err)
	}
	hold.Close()
}

// TestMain is also the child of TestPickSkipsPortsAnotherProcessReserved:
// it picks two ports of the same four, prints them, and holds them until
// its stdin closes.
func TestMain(m *testing.M) {
	if os.Getenv("NATSCHAOS_PORTS_CHILD") == "" {
		os.Exit(m.Run())
	}
	low, span = 23000, 4
	a, err1 := Pick()
	b, err2 := Pick()
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, err1, err2)
		os.Exit(1)
	}
	fmt.Printf("%d %d\n", a, b)
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // EOF when the parent is done
	os.Exit(0)
}
