package reports

import (
	_ "embed"
	"encoding/json"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/natschaos/natschaos/assert"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
	"dur":   fmtDur,
}).Parse(htmlSource))

// maxRouteRows bounds the route-change table of a long run.
const maxRouteRows = 300

type htmlData struct {
	R          *Report
	Versions   []struct{ K, V string }
	Verdicts   []verdictRow
	Final      string
	Charts     []chart
	Routes     []routeChange
	RoutesMore int
	Events     int
}

type verdictRow struct {
	Name, Verdict, Evidence, At string
	Details                     []string
	Open                        bool
	Fidelity                    []string // the harness lagged while this was timed
}

// WriteHTML writes report.html: one self-contained file (inline CSS and
// SVG, no script, no URL) that opens offline — the verdicts with their
// evidence and replay command on top, then the charts.
func WriteHTML(w io.Writer, r *Judged) error {
	d := htmlData{R: r.Report, Final: finalText(r.Report.FinalClients), Events: len(r.Events)}
	var versions map[string]string
	if json.Unmarshal(r.Report.Versions, &versions) == nil {
		for _, k := range sortedKeys(versions) {
			d.Versions = append(d.Versions, struct{ K, V string }{k, versions[k]})
		}
	}
	names := caseNames(r.Report.Properties)
	for i, p := range r.Report.Properties {
		row := verdictRow{Name: names[i], Verdict: string(p.Verdict), Evidence: p.Evidence, Details: p.Details, Fidelity: p.Fidelity, Open: p.Verdict == assert.Fail && len(p.Details) <= 8}
		if p.At > 0 {
			row.At = p.At.Round(time.Millisecond).String()
		}
		d.Verdicts = append(d.Verdicts, row)
	}
	d.Charts = newFigures(r).all()
	d.Routes = routeChanges(r.Events)
	if len(d.Routes) > maxRouteRows {
		d.RoutesMore = len(d.Routes) - maxRouteRows
		d.Routes = d.Routes[:maxRouteRows]
	}
	return htmlTemplate.Execute(w, d)
}
