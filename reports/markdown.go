package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/natschaos/natschaos/assert"
)

// mdMaxDetails bounds the details a failure shows in a pull-request
// comment; report.html and junit.xml carry all of them.
const mdMaxDetails = 12

var verdictIcon = map[string]string{
	"pass": "✅", "fail": "❌", "error": "💥", "invalid": "⛔",
	string(assert.Warn): "⚠️", string(assert.NotEvaluated): "➖",
}

// WriteSummaryMarkdown writes summary.md, sized for a pull-request
// comment: the verdict, one table row per expectation, the details of what
// failed, the replay command and the final client distribution.
func WriteSummaryMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s `%s` — %s\n\n", verdictIcon[r.Verdict], r.Scenario, strings.ToUpper(r.Verdict))
	fmt.Fprintf(&b, "seed `%d` · %s", r.Seed, r.Elapsed)
	var versions map[string]string
	if json.Unmarshal(r.Versions, &versions) == nil {
		for _, k := range sortedKeys(versions) {
			fmt.Fprintf(&b, " · %s %s", k, versions[k])
		}
	}
	b.WriteString("\n\n")
	if r.Error != "" {
		fmt.Fprintf(&b, "> **Error:** %s\n\n", mdInline(r.Error))
	}
	if len(r.Properties) > 0 {
		b.WriteString("| | property | evidence |\n|---|---|---|\n")
		names := caseNames(r.Properties)
		for i, p := range r.Properties {
			fmt.Fprintf(&b, "| %s %s | `%s` | %s |\n", verdictIcon[string(p.Verdict)], p.Verdict, names[i], mdInline(p.Evidence))
		}
		b.WriteString("\n")
	}
	for i, p := range r.Properties {
		for _, f := range p.Fidelity {
			fmt.Fprintf(&b, "> ⚠️ fidelity of `%s`: %s\n", caseNames(r.Properties)[i], mdInline(f))
		}
	}
	if hasFidelity(r.Properties) {
		b.WriteString("\n")
	}
	for i, p := range r.Properties {
		if p.Verdict != assert.Fail || len(p.Details) == 0 {
			continue
		}
		fmt.Fprintf(&b, "<details><summary><code>%s</code>: %d more lines</summary>\n\n```\n", caseNames(r.Properties)[i], len(p.Details))
		for j, d := range p.Details {
			if j == mdMaxDetails {
				fmt.Fprintf(&b, "… %d more in report.html\n", len(p.Details)-j)
				break
			}
			b.WriteString(strings.ReplaceAll(d, "```", "'''") + "\n")
		}
		b.WriteString("```\n</details>\n\n")
	}
	if notes := StepNotes(r.Steps); len(notes) > 0 {
		b.WriteString("Notes on the steps:\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", mdInline(n))
		}
		b.WriteString("\n")
	}
	if f := finalText(r.FinalClients); f != "" {
		fmt.Fprintf(&b, "Clients per server at the end: `%s`\n\n", f)
	}
	if r.Replay != "" {
		fmt.Fprintf(&b, "Replay:\n```sh\n%s\n```\n", r.Replay)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdInline keeps text on one table row: pipes would split cells, newlines
// would end the row, and angle brackets would open HTML tags.
func mdInline(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", "", "<", "&lt;", ">", "&gt;").Replace(s)
}

// StepNotes are the steps' notes, each after its step: "step 3 (wait:
// mesh): held at once only because ...".
func StepNotes(steps []Step) []string {
	var out []string
	for _, s := range steps {
		if s.Note != "" {
			out = append(out, fmt.Sprintf("step %d (%s): %s", s.Index, s.Text, s.Note))
		}
	}
	return out
}

// hasFidelity says whether any verdict carries a fidelity warning.
func hasFidelity(props []assert.Result) bool {
	for _, p := range props {
		if len(p.Fidelity) > 0 {
			return true
		}
	}
	return false
}
