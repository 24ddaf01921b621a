package view

// style is an ANSI SGR sequence; the zero style prints text unchanged.
type style string

const (
	styleReset        = "\x1b[0m"
	styleBold   style = "\x1b[1m"
	styleRed    style = "\x1b[1;31m"
	styleYellow style = "\x1b[1;33m"
	styleGreen  style = "\x1b[1;32m"
)

// paint wraps s in st when color is on.
func paint(on bool, st style, s string) string {
	if !on || st == "" || s == "" {
		return s
	}
	return string(st) + s + styleReset
}

// Success renders the word "Success!" the way bp prints it after a command
// that found no errors: bold green when color is on.
func Success(color bool) string {
	return paint(color, styleGreen, "Success!")
}
