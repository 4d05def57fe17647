package scenarios

import (
	"strconv"
	"time"

	"github.com/goccy/go-yaml"
)

// mapping is an ordered YAML mapping that a step's Marshal builds; the
// str and dur forms leave out unset values.
type mapping yaml.MapSlice

func (m mapping) add(key string, v any) mapping { return append(m, yaml.MapItem{Key: key, Value: v}) }

func (m mapping) str(key, v string) mapping {
	if v == "" {
		return m
	}
	return m.add(key, v)
}

func (m mapping) dur(key string, d time.Duration) mapping {
	if d == 0 {
		return m
	}
	return m.add(key, d.String())
}

// flow writes the mapping on one line: {server: A, version: v2.10.0}.
func (m mapping) flow() any { return inFlow(yaml.MapSlice(m)) }

// flowValue writes its value in flow style: short collections read better
// on one line.
type flowValue struct{ v any }

func (f flowValue) MarshalYAML() ([]byte, error) {
	return yaml.MarshalWithOptions(f.v, yaml.Flow(true))
}

func inFlow(v any) any { return flowValue{v} }

// size writes a plain number of bytes as an integer, else with its unit.
func (m mapping) size(key string, n ByteSize) mapping {
	if n == 0 {
		return m
	}
	s := n.String()
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return m.add(key, i)
	}
	return m.add(key, s)
}

// yamlMap writes the mapping in block style.
func yamlMap(m mapping) any { return yaml.MapSlice(m) }
