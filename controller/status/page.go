package status

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"time"
)

//go:embed templates/page.html.tmpl
var pageSource string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"stamp": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") },
	"num": func(v float64) string {
		if math.IsNaN(v) {
			return "no data"
		}
		return fmt.Sprintf("%.4g", v)
	},
	"metric": func(m map[string]float64, name, unit string) string {
		v, ok := m[name]
		if !ok {
			return "no data"
		}
		return fmt.Sprintf("%.3g%s", v, unit)
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
}).Parse(pageSource))

// pageData is what the template renders.
type pageData struct {
	Snapshot
	Charts []groupChart
}

type groupChart struct {
	Group string
	Chart chart
}

// RenderPage writes the status page of a snapshot. The output depends only
// on the snapshot.
func RenderPage(w io.Writer, s Snapshot) error {
	d := pageData{Snapshot: s}
	for _, g := range s.Groups {
		if len(g.History) > 0 {
			d.Charts = append(d.Charts, groupChart{Group: g.Group, Chart: newChart(g.History)})
		}
	}
	// Render to a buffer so a template error never sends half a page.
	var buf bytes.Buffer
	if err := page.Execute(&buf, d); err != nil {
		return fmt.Errorf("rendering the status page: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}
