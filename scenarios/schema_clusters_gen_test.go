package scenarios

import (
	"slices"

	"github.com/invopop/jsonschema"
)

// superclusterSchema: a scenario declares its servers under cluster or,
// for a supercluster, under clusters (types_clusters.go).
func superclusterSchema(s *jsonschema.Schema) {
	s.Required = slices.DeleteFunc(s.Required, func(k string) bool { return k == "cluster" })
	s.AnyOf = []*jsonschema.Schema{{Required: []string{"cluster"}}, {Required: []string{"clusters"}}}
}

// JSONSchemaExtend: with clusters, cluster holds only shared settings.
func (Cluster) JSONSchemaExtend(s *jsonschema.Schema) {
	s.Required = slices.DeleteFunc(s.Required, func(k string) bool { return k == "servers" })
}
