package assert

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/natschaos/natschaos/sim"
)

// Sequence arithmetic on inclusive ranges. no_loss never expands a range
// into messages: its memory follows the number of gaps and fault windows,
// not the number of messages.

// forEachGap calls fn for every maximal run of [lo, hi] covered by none
// of the ranges in a and b (each sorted and disjoint; a and b may overlap).
func forEachGap(lo, hi uint64, a, b []sim.Range, fn func(first, last uint64)) {
	i, j := 0, 0
	for cur := lo; cur <= hi; {
		for i < len(a) && a[i].Last < cur {
			i++
		}
		for j < len(b) && b[j].Last < cur {
			j++
		}
		cover := uint64(0)
		covered := false
		if i < len(a) && a[i].First <= cur {
			cover, covered = a[i].Last, true
		}
		if j < len(b) && b[j].First <= cur && (!covered || b[j].Last > cover) {
			cover, covered = b[j].Last, true
		}
		if covered {
			if cover >= hi {
				return
			}
			cur = cover + 1
			continue
		}
		next := hi
		if i < len(a) && a[i].First-1 < next {
			next = a[i].First - 1
		}
		if j < len(b) && b[j].First-1 < next {
			next = b[j].First - 1
		}
		fn(cur, next)
		if next == math.MaxUint64 {
			return
		}
		cur = next + 1
	}
}

// normalized returns rs sorted and merged, adjacent ranges included (1–5
// and 6–10 are 1–10: a JetStream publisher records its acks in runs); it
// copies only when rs is not already sorted, disjoint and apart.
func normalized(rs []sim.Range) []sim.Range {
	ok := true
	for i := 1; i < len(rs) && ok; i++ {
		ok = rs[i].First > rs[i-1].Last && rs[i].First-rs[i-1].Last > 1
	}
	if ok {
		return rs
	}
	out := append([]sim.Range(nil), rs...)
	sort.Slice(out, func(i, j int) bool { return out[i].First < out[j].First })
	merged := out[:1]
	for _, r := range out[1:] {
		if last := &merged[len(merged)-1]; r.First <= last.Last || r.First-last.Last == 1 {
			last.Last = max(last.Last, r.Last)
		} else {
			merged = append(merged, r)
		}
	}
	return merged
}

// countIn is how many sequences of rs fall in [lo, hi].
func countIn(rs []sim.Range, lo, hi uint64) uint64 {
	var n uint64
	for _, r := range rs {
		if f, l := max(r.First, lo), min(r.Last, hi); f <= l {
			n += l - f + 1
		}
	}
	return n
}

// reasonRange is a run of sequences with why they may be missing.
type reasonRange struct {
	first, last uint64
	why         string
}

// mergeReasons sorts and merges overlapping or adjacent ranges, in place;
// a merged range keeps the reason of its lowest part, the first given on a
// tie. whyOf names the parts a gap really lies in.
func mergeReasons(rs []reasonRange) []reasonRange {
	if len(rs) == 0 {
		return nil
	}
	sortReasons(rs)
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if last.last == math.MaxUint64 || r.first <= last.last+1 {
			last.last = max(last.last, r.last)
		} else {
			out = append(out, r)
		}
	}
	return out
}

// sortReasons sorts ranges by their first sequence, keeping the given
// order on a tie.
func sortReasons(rs []reasonRange) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].first < rs[j].first })
}

// whyOf is why [a, b] may be missing: the reasons of every range in parts
// (sorted by first, as mergeReasons leaves them, but not merged) that
// overlaps it, each once, in order. A gap inside a merged range is named
// by the windows it lies in, not by the merged range's first one (a
// subscription still propagating when "stop C" is what explains it).
func whyOf(parts []reasonRange, a, b uint64) string {
	var whys []string
	for _, r := range parts {
		if r.first > b {
			break
		}
		if r.last >= a && !slices.Contains(whys, r.why) {
			whys = append(whys, r.why)
		}
	}
	return strings.Join(whys, "; ")
}

// split walks [a, b] against merged ranges: in gets the parts inside one
// (with its reason), out the parts outside all.
func split(a, b uint64, rs []reasonRange, in func(first, last uint64, why string), out func(first, last uint64)) {
	i := sort.Search(len(rs), func(i int) bool { return rs[i].last >= a })
	for cur := a; cur <= b; {
		if i >= len(rs) || rs[i].first > b {
			out(cur, b)
			return
		}
		r := rs[i]
		if r.first > cur {
			out(cur, r.first-1)
			cur = r.first
		}
		l := min(r.last, b)
		in(cur, l, r.why)
		if l == b {
			return
		}
		cur, i = l+1, i+1
	}
}

// sample is a publish progress point: every sequence ≤ seq was published
// by t, and (the sampler reads its counter when it writes) none above it.
type sample struct {
	seq uint64
	t   time.Duration
}

// seqWindow maps a time window to the sequences possibly published in it:
// from the first not known to be published before from, to the last not
// known to be published after to. The bounds are as loose as the samples,
// so a fault window explains every message that may have been sent in it.
func seqWindow(s []sample, from, to time.Duration) (uint64, uint64) {
	k := sort.Search(len(s), func(i int) bool { return s[i].t >= from })
	lo := uint64(1)
	if k > 0 {
		lo = s[k-1].seq + 1
	}
	hi := uint64(math.MaxUint64)
	if to != forever {
		if k := sort.Search(len(s), func(i int) bool { return s[i].t >= to }); k < len(s) {
			hi = s[k].seq
		}
	}
	return lo, hi
}

// publishedBy is when seq was surely published: the first sample that
// covers it (0 if none does).
func publishedBy(s []sample, seq uint64) time.Duration {
	k := sort.Search(len(s), func(i int) bool { return s[i].seq >= seq })
	if k < len(s) {
		return s[k].t
	}
	return 0
}

// lastBy is the last sequence possibly published by t: what the first
// sample at or after t had reached (everything, if no sample is that late).
func lastBy(s []sample, t time.Duration) uint64 {
	k := sort.Search(len(s), func(i int) bool { return s[i].t >= t })
	if k < len(s) {
		return s[k].seq
	}
	return math.MaxUint64
}

// firstAfter is the first sequence surely published after t: above what
// the first sample at or after t had reached.
func firstAfter(s []sample, t time.Duration) uint64 {
	k := sort.Search(len(s), func(i int) bool { return s[i].t >= t })
	if k < len(s) {
		return s[k].seq + 1
	}
	return math.MaxUint64
}
