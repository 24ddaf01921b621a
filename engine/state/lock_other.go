//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package state

import (
	"fmt"
	"os"
	"runtime"
)

// tryFlock is not implemented on this platform.
func tryFlock(*os.File) error {
	return fmt.Errorf("the local backend cannot lock state files on %s (no flock)", runtime.GOOS)
}
