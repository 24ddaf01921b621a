package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errNoAnswer is returned by confirm when standard input ends before a line
// was read: there is nobody to ask.
var errNoAnswer = errors.New("no answer")

// confirm prints question on standard output and reads one line from
// standard input. It reports whether the answer was exactly "yes". It
// returns errNoAnswer when standard input is closed or empty, and ctx's
// error when ctx ends (an interrupt) first.
func (c *cli) confirm(ctx context.Context, question string) (bool, error) {
	fmt.Fprintf(c.stdout, "\n%s Only 'yes' will be accepted: ", question)
	type answer struct {
		line string
		err  error
	}
	answers := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		answers <- answer{line, err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(c.stdout)
		return false, ctx.Err()
	case a := <-answers:
		fmt.Fprintln(c.stdout)
		if a.err != nil && (a.line == "" || !errors.Is(a.err, io.EOF)) {
			if errors.Is(a.err, io.EOF) {
				return false, errNoAnswer
			}
			return false, a.err
		}
		return strings.TrimSpace(a.line) == "yes", nil
	}
}
