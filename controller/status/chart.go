package status

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Chart geometry, in SVG user units.
const (
	chartWidth  = 640
	chartHeight = 180
	plotLeft    = 44
	plotRight   = 596
	plotTop     = 12
	plotBottom  = 150
)

// metricColors colour the metric lines in policy order.
var metricColors = []string{"#d1242f", "#8250df", "#bf8700", "#1a7f37"}

// chart is the data of one group's SVG chart: the group size as a step
// line on the left axis, and each metric as a percentage of its target on
// the right axis, where 100% is the target.
type chart struct {
	Width, Height          int
	Left, Right, Top, Bot  int
	SizePoints             string
	SizeMax                int
	SizeMaxY, TargetY      float64
	RatioMax               string
	Metrics                []chartLine
	StartLabel, EndLabel   string
	LegendY, AxisLabelY    int
	SizeColor, TargetColor string
}

type chartLine struct {
	Name, Color, Points string
	LegendX, LegendY    int
}

// newChart lays out a group's history; it needs at least one observation.
func newChart(history []GroupObservation) chart {
	c := chart{Width: chartWidth, Height: chartHeight, Left: plotLeft, Right: plotRight, Top: plotTop, Bot: plotBottom,
		LegendY: chartHeight - 4, AxisLabelY: plotBottom + 14, SizeColor: "#0969da", TargetColor: "#6e7781"}
	if len(history) == 0 {
		return c
	}
	first, last := history[0].At, history[len(history)-1].At
	span := last.Sub(first)
	x := func(t time.Time) float64 {
		if span <= 0 {
			return (plotLeft + plotRight) / 2
		}
		return plotLeft + float64(t.Sub(first))/float64(span)*(plotRight-plotLeft)
	}
	sizeMax := 1
	ratioMax := 2.0
	for _, o := range history {
		sizeMax = max(sizeMax, o.Size, o.Max)
		for _, m := range o.Metrics {
			if r := m.Observed / m.Target; !math.IsNaN(r) && !math.IsInf(r, 0) {
				ratioMax = max(ratioMax, math.Ceil(r*1.1*2)/2)
			}
		}
	}
	c.SizeMax, c.SizeMaxY = sizeMax, plotTop
	c.RatioMax = fmt.Sprintf("%g%%", ratioMax*100)
	yOf := func(v, top float64) float64 { return plotBottom - v/top*(plotBottom-plotTop) }
	c.TargetY = yOf(1, ratioMax)

	var size strings.Builder
	for i, o := range history {
		if i > 0 && o.Size != history[i-1].Size {
			fmt.Fprintf(&size, "%.1f,%.1f ", x(o.At), yOf(float64(history[i-1].Size), float64(sizeMax)))
		}
		fmt.Fprintf(&size, "%.1f,%.1f ", x(o.At), yOf(float64(o.Size), float64(sizeMax)))
	}
	c.SizePoints = strings.TrimSpace(size.String())

	// Legend entries follow each other, each about 6.5 units per character
	// of 11px text wide.
	legendX := plotLeft + 70
	for mi, m := range history[len(history)-1].Metrics {
		var pts strings.Builder
		for _, o := range history {
			for _, v := range o.Metrics {
				if v.Name != m.Name {
					continue
				}
				if r := v.Observed / v.Target; !math.IsNaN(r) && !math.IsInf(r, 0) {
					fmt.Fprintf(&pts, "%.1f,%.1f ", x(o.At), yOf(min(r, ratioMax), ratioMax))
				}
			}
		}
		c.Metrics = append(c.Metrics, chartLine{Name: m.Name, Color: metricColors[mi%len(metricColors)],
			Points: strings.TrimSpace(pts.String()), LegendX: legendX, LegendY: c.LegendY})
		legendX += int(6.5*float64(len(m.Name)+17)) + 20
	}
	c.StartLabel = first.UTC().Format("15:04:05")
	c.EndLabel = last.UTC().Format("15:04:05")
	return c
}
