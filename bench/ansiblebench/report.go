package main

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one tool's line of the result table.
type row struct {
	tool         string
	first, noop  time.Duration // zero when not measured
	firstChanged int           // -1 when not measured
	noopChanged  int
	base         bool   // the row the others are compared with (bp converge)
	note         string // why a row has no figures, or what is odd about it
}

// printTable prints the rows with their times and how many times longer
// than the base row (bp converge) each took.
func printTable(w io.Writer, rows []row) {
	var base *row
	for i := range rows {
		if rows[i].base {
			base = &rows[i]
		}
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "tool\tfirst converge s\tno-op converge s\tfirst ÷ bp\tno-op ÷ bp\tchanged first/no-op\t")
	for _, r := range rows {
		changed := "-"
		if r.first != 0 || r.noop != 0 {
			first := "-"
			if r.firstChanged >= 0 {
				first = strconv.Itoa(r.firstChanged)
			}
			changed = first + "/" + strconv.Itoa(r.noopChanged)
		}
		var firstRatio, noopRatio string
		if base != nil {
			firstRatio, noopRatio = ratio(r.first, base.first), ratio(r.noop, base.noop)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t", r.tool, seconds(r.first), seconds(r.noop), firstRatio, noopRatio, changed)
		if r.note != "" {
			fmt.Fprintf(tw, " %s", r.note)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		io.WriteString(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n")))
	}
}

// ratio is how many times longer d took than base, or "-".
func ratio(d, base time.Duration) string {
	if d == 0 || base == 0 {
		return "-"
	}
	x := float64(d) / float64(base)
	if x >= 10 {
		return fmt.Sprintf("%.0f×", x)
	}
	return fmt.Sprintf("%.2f×", x)
}
