package sim

import (
	"reflect"
	"testing"
)

func TestSeqSet(t *testing.T) {
	cases := []struct {
		name      string
		in        []uint64
		want      []Range
		dups, reo uint64
		dupSeqs   Range
	}{
		{"in order", []uint64{1, 2, 3}, []Range{{1, 3}}, 0, 0, Range{}},
		{"gap", []uint64{1, 2, 5, 6}, []Range{{1, 2}, {5, 6}}, 0, 0, Range{}},
		{"late fill merges", []uint64{1, 3, 2}, []Range{{1, 3}}, 0, 1, Range{}},
		{"duplicate", []uint64{1, 2, 2, 1}, []Range{{1, 2}}, 2, 0, Range{1, 2}},
		{"duplicates span", []uint64{1, 2, 3, 4, 5, 3, 3, 4}, []Range{{1, 5}}, 3, 0, Range{3, 4}},
		{"late into middle", []uint64{1, 10, 5}, []Range{{1, 1}, {5, 5}, {10, 10}}, 0, 1, Range{}},
		{"extend next range down", []uint64{1, 10, 9}, []Range{{1, 1}, {9, 10}}, 0, 1, Range{}},
		{"starts late", []uint64{7, 8}, []Range{{7, 8}}, 0, 0, Range{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s seqSet
			for _, q := range c.in {
				s.add(q)
			}
			if !reflect.DeepEqual(s.ranges, c.want) || s.duplicates != c.dups || s.reordered != c.reo || s.dupSeqs != c.dupSeqs {
				t.Fatalf("got %v dups %d %v reordered %d; want %v dups %d %v reordered %d", s.ranges, s.duplicates, s.dupSeqs, s.reordered, c.want, c.dups, c.dupSeqs, c.reo)
			}
		})
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	buf := make([]byte, headerSize)
	encodeHeader(buf, 7, 1<<40+3)
	p, q, err := decodeHeader(buf)
	if err != nil || p != 7 || q != 1<<40+3 {
		t.Fatalf("got %d %d %v", p, q, err)
	}
	if _, _, err := decodeHeader([]byte("short")); err == nil {
		t.Fatal("short payload decoded")
	}
}
