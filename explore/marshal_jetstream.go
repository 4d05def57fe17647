package explore

import (
	"github.com/goccy/go-yaml"

	"github.com/natschaos/natschaos/scenarios"
)

// jetStreamTree writes the jetstream section.
func jetStreamTree(js *scenarios.JetStream) tree {
	var t tree
	var streams []any
	for _, s := range js.Streams {
		var st tree
		st.add("name", s.Name)
		st.add("subjects", flow{append([]string{}, s.Subjects...)})
		if s.Replicas != 0 {
			st.add("replicas", s.Replicas)
		}
		st.str("storage", string(s.Storage))
		st.dur("duplicate_window", s.DuplicateWindow)
		streams = append(streams, flow{yaml.MapSlice(st)})
	}
	t.add("streams", streams)
	if len(js.Publishers) > 0 {
		var ps []any
		for i := range js.Publishers {
			p := &js.Publishers[i]
			var pt tree
			pt.add("name", p.Name)
			if p.Count != 0 {
				pt.add("count", p.Count)
			}
			if p.Servers != nil {
				pt.add("servers", flow{append([]string{}, p.Servers...)})
			}
			pt.sub("options", clientOptionsTree(&p.Options))
			pt.add("stream", p.Stream)
			pt.add("subject", p.Subject)
			pt.add("rate", p.Rate.String())
			pt.size("size", p.Size)
			pt.dur("ack_timeout", p.AckTimeout)
			pt.intp("retries", p.Retries)
			ps = append(ps, yaml.MapSlice(pt))
		}
		t.add("publishers", ps)
	}
	if len(js.Consumers) > 0 {
		var cs []any
		for i := range js.Consumers {
			c := &js.Consumers[i]
			var ct tree
			ct.add("name", c.Name)
			ct.add("stream", c.Stream)
			ct.str("mode", string(c.Mode))
			if c.Servers != nil {
				ct.add("servers", flow{append([]string{}, c.Servers...)})
			}
			ct.sub("options", clientOptionsTree(&c.Options))
			cs = append(cs, yaml.MapSlice(ct))
		}
		t.add("consumers", cs)
	}
	return t
}
