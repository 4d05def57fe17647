package scenarios

import (
	"strings"
	"testing"
	"time"
)

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{
		"128": 128, "0": 0, "-1": -1, "1B": 1, "8MB": 8 << 20, "8mb": 8 << 20, "1MiB": 1 << 20,
		"64KB": 64 << 10, "64k": 64 << 10, "1.5MB": 3 << 19, "2GB": 2 << 30, "1 KB": 1 << 10,
	} {
		got, err := ParseByteSize(in)
		if err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "8XB", "1e3", "0x10", "9999999999GB", "1_000", "NaN", "Inf", "--1", " 1KB", "1  KB"} {
		if got, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) = %d, want an error", in, got)
		}
	}
	if s := ByteSize(8 << 20).String(); s != "8MB" {
		t.Errorf("String = %q", s)
	}
	var b ByteSize
	if err := b.UnmarshalText([]byte("1KB")); err != nil || b != 1024 {
		t.Errorf("UnmarshalText: %d %v", b, err)
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]Rate{"500/s": 500, "0.5/s": 0.5, "0/s": 0} {
		got, err := ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"500", "500/m", "/s", "x/s", "Inf/s", "NaN/s", "1e400/s", "-1/s", " 10 /s"} {
		if got, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) = %v, want an error", in, got)
		}
	}
	if r := Rate(500); r.String() != "500/s" || r.Interval() != 2*time.Millisecond || Rate(0).Interval() != 0 {
		t.Errorf("Rate(500): %s %v", r, r.Interval())
	}
	if b, err := ParseByteRate("64KB/s"); err != nil || b != 64<<10 || b.String() != "64KB/s" {
		t.Errorf("ParseByteRate: %v %v", b, err)
	}
	if _, err := ParseByteRate("64KB"); err == nil {
		t.Error("ParseByteRate without /s")
	}
}

func TestParseDuration(t *testing.T) {
	if d, err := parseDuration("1m30s"); err != nil || d != 90*time.Second {
		t.Errorf("1m30s: %v %v", d, err)
	}
	if _, err := parseDuration("5"); err == nil || !strings.Contains(err.Error(), "has no unit") {
		t.Errorf("5: %v", err)
	}
	if _, err := parseDuration("soon"); err == nil || !strings.Contains(err.Error(), "Go syntax") {
		t.Errorf("soon: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"reconnect_wait", "reconnect_jitter", "max_reconnects", "ping_interval"}
	for in, want := range map[string]string{
		"reconect_wait":  "reconnect_wait", // deletion
		"reconnectwait":  "reconnect_wait",
		"recnonect_wait": "reconnect_wait", // transposition
		"max_reconnect":  "max_reconnects",
		"PING_INTERVAL":  "ping_interval", // case
		"timeout":        "",              // nothing close
		"":               "",
	} {
		if got := suggest(in, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
	// One- and two-letter words only match by case: "D" is not a typo of "A".
	if got := suggest("D", []string{"A", "B"}); got != "" {
		t.Errorf("suggest(D) = %q", got)
	}
	if got := suggest("a", []string{"A", "B"}); got != "A" {
		t.Errorf("suggest(a) = %q", got)
	}
	if got := didYouMean("ful", strs(Topologies)); got != `; did you mean "full"?` {
		t.Errorf("didYouMean = %q", got)
	}
	if got := didYouMean("zzz", strs(Topologies)); got != " (want one of: full, seed)" {
		t.Errorf("didYouMean = %q", got)
	}
}

func TestProblemFormat(t *testing.T) {
	p := Problem{File: "a.yaml", Line: 3, Col: 7, Msg: "bad"}
	if p.String() != "a.yaml:3:7: bad" || (Problem{Msg: "x"}).String() != "<scenario>: x" {
		t.Errorf("%s / %s", p, Problem{Msg: "x"})
	}
	e := &ValidationError{Problems: []Problem{p, {File: "a.yaml", Line: 4, Col: 1, Msg: "worse"}}}
	if e.Error() != "a.yaml:3:7: bad\na.yaml:4:1: worse" {
		t.Errorf("Error() = %q", e.Error())
	}
	if (Pos{}).String() != "-" || (Pos{Line: 2, Col: 5}).String() != "2:5" {
		t.Error("Pos.String")
	}
}
