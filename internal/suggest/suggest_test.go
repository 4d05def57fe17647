package suggest

import "testing"

func TestNearest(t *testing.T) {
	keys := []string{"reconnect_wait", "reconnect_jitter", "max_reconnects", "kill", "lame_duck"}
	for in, want := range map[string]string{
		"reconect_wait": "reconnect_wait", "kil": "kill", "lame-duck": "lame_duck",
		"max_reconects": "max_reconnects", "zzz": "", "reconnect_wait": "",
	} {
		if got := Nearest(in, keys); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Nearest("D", []string{"A", "B"}); got != "" {
		t.Errorf("Nearest(D) = %q", got)
	}
	if got := Nearest("a", []string{"A", "B"}); got != "A" {
		t.Errorf("Nearest(a) = %q", got)
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance = %d", d)
	}
	if d := editDistance("ab", "ba"); d != 1 {
		t.Errorf("a transposition is one edit, got %d", d)
	}
}
