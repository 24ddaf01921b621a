package view

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mitchellh/go-wordwrap"
)

// wrap wraps each paragraph line of s at width columns. Lines that start with
// a space or a tab are preformatted (lists, code) and kept as they are.
func wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			continue
		}
		lines[i] = wordwrap.WrapString(l, uint(width))
	}
	return strings.Join(lines, "\n")
}

// sanitize replaces control characters and invalid UTF-8 in s, so that text
// taken from a blueprint cannot send escape sequences to the terminal.
// Newlines are kept when multiline is set; tabs are always kept.
func sanitize(s string, multiline bool) string {
	ok := true
	for _, r := range s {
		if safeRune(r, multiline) != r {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune { return safeRune(r, multiline) }, s)
}

// safeRune maps a rune that must not reach a terminal to U+FFFD.
func safeRune(r rune, newline bool) rune {
	switch {
	case r == '\t', r == '\n' && newline:
		return r
	case r == utf8.RuneError, unicode.IsControl(r):
		return utf8.RuneError
	}
	return r
}
