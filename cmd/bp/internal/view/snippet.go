package view

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// maxSnippetLines bounds how many source lines one diagnostic shows; a range
// covering a whole block would otherwise print the block.
const maxSnippetLines = 3

// snippet renders the source lines rng covers, each followed by a line of
// carets under the covered characters. Line numbers are counted from src so
// they always match the text shown. It returns "" when rng does not fit src.
func snippet(src []byte, rng hcl.Range, color bool, st style) string {
	start, end := rng.Start.Byte, rng.End.Byte
	if start < 0 || start > len(src) || end < start {
		return ""
	}
	end = min(end, len(src))

	type line struct {
		no              int
		text, underline string
	}
	var lines []line
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	lineNo := 1 + bytes.Count(src[:lineStart], []byte{'\n'})
	for len(lines) < maxSnippetLines && lineStart <= len(src) {
		lineEnd := len(src)
		if i := bytes.IndexByte(src[lineStart:], '\n'); i >= 0 {
			lineEnd = lineStart + i
		}
		segStart, segEnd := max(start, lineStart), min(end, lineEnd)
		first := len(lines) == 0
		if !first {
			if end <= lineStart {
				break // the range ends before this line
			}
			// On continuation lines, indentation is not part of what is wrong.
			for segStart < segEnd && (src[segStart] == ' ' || src[segStart] == '\t') {
				segStart++
			}
		}
		text, underline := renderLine(src[lineStart:lineEnd], segStart-lineStart, segEnd-lineStart, first)
		lines = append(lines, line{lineNo, text, underline})
		if lineEnd >= len(src) {
			break
		}
		lineStart, lineNo = lineEnd+1, lineNo+1
	}

	width := len(fmt.Sprint(lines[len(lines)-1].no))
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "    %*d:", width, l.no)
		if l.text != "" {
			b.WriteString(" " + l.text)
		}
		b.WriteString("\n")
		if l.underline != "" {
			fmt.Fprintf(&b, "    %*s  %s\n", width, "", paintUnderline(color, st, l.underline))
		}
	}
	return b.String()
}

// renderLine returns a source line made safe to print and the underline for
// the bytes [from, to) of it. The underline copies tabs from the line so the
// carets stay aligned. With pointEmpty, an empty range (such as "unexpected
// end of file") still gets one caret; otherwise it gets no underline at all.
func renderLine(src []byte, from, to int, pointEmpty bool) (text, underline string) {
	src = bytes.TrimSuffix(src, []byte{'\r'})
	to = min(to, len(src))
	var t, u strings.Builder
	carets := 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		r = safeRune(r, false)
		t.WriteRune(r)
		switch {
		case i < from && r == '\t':
			u.WriteByte('\t')
		case i < from:
			u.WriteByte(' ')
		case i < to:
			carets++
		}
		i += size
	}
	if carets == 0 && !pointEmpty {
		return t.String(), ""
	}
	if from > len(src) {
		// An empty range just past the text: point after the last character.
		u.WriteByte(' ')
	}
	u.WriteString(strings.Repeat("^", max(carets, 1)))
	return t.String(), u.String()
}

// paintUnderline colors only the carets, leaving the alignment prefix plain.
func paintUnderline(color bool, st style, underline string) string {
	i := strings.IndexByte(underline, '^')
	return underline[:i] + paint(color, st, underline[i:])
}
