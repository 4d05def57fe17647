package scenarios

// ExpectedVerdicts are the verdicts a scenario may say it is meant to
// reach: a run that errs or is invalid is never what a scenario shows.
var ExpectedVerdicts = []RunVerdict{VerdictPass, VerdictFail}

func (v *validator) expectedVerdict() {
	enum(v, &v.s.ExpectedVerdict, "expected_verdict", "verdict", ExpectedVerdicts, fileStart)
}

// Expected is the verdict the scenario states it is meant to reach; a
// scenario that states none is meant to pass.
func (s *Scenario) Expected() RunVerdict {
	if s.ExpectedVerdict == "" {
		return VerdictPass
	}
	return s.ExpectedVerdict
}

// AsExpected says whether an outcome is the verdict its scenario states it
// is meant to reach.
func (o *Outcome) AsExpected(sc *Scenario) bool { return o.Verdict == sc.Expected() }
