package faults

// slicer cuts the stream into small writes of average_size ± size_variation
// bytes, delay apart (toxiproxy's slicer toxic): parsers see torn frames.
func init() {
	RegisterKind(Kind{
		Name: "slicer",
		Doc:  "Cut the stream into small writes, delay apart.",
		Params: []Param{
			{Name: "average_size", Type: TypeByteSize, Required: true, Rule: positive, Doc: "average chunk size."},
			{Name: "size_variation", Type: TypeByteSize, Rule: nonNegative, Doc: "chunk size variation."},
			{Name: "delay", Type: TypeDuration, Rule: nonNegative, Doc: "delay between chunks."},
		},
		Check: func(v Values) error {
			if v.Bytes("size_variation") >= v.Bytes("average_size") && v.Bytes("size_variation") > 0 {
				return ParamErrorf("size_variation", "must be below average_size")
			}
			return nil
		},
		Build: func(v Values) (Effect, error) {
			return Effect{Toxic: "slicer", Attrs: slicerAttrs(v)}, nil
		},
		External: func(v Values) (External, error) {
			return External{Toxic: "slicer", Attrs: anyAttrs(slicerAttrs(v))}, nil
		},
	})
}

func slicerAttrs(v Values) map[string]int64 {
	return map[string]int64{
		"average_size": v.Bytes("average_size"), "size_variation": v.Bytes("size_variation"),
		"delay": v.Duration("delay").Microseconds(),
	}
}
