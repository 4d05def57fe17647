package assert

func intp(v int) *int { return &v }
