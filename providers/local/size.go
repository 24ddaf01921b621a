package local

import "fmt"

// sizes maps a machine's size argument to its container limits.
var sizes = map[string]machineSize{
	"small":  {cpus: 1, memory: 1 << 30},
	"medium": {cpus: 2, memory: 4 << 30},
	"large":  {cpus: 4, memory: 8 << 30},
}

// defaultSize is the size of a machine whose size argument is not set.
const defaultSize = "small"

// machineSize is the CPU and memory limit of a size.
type machineSize struct {
	cpus   int
	memory int64 // bytes
}

// lookupSize returns the limits of a size name, with CPUs capped at the
// engine's ncpu (engines refuse limits above what the host has).
func lookupSize(name string, ncpu int) (machineSize, error) {
	s, ok := sizes[name]
	if !ok {
		return machineSize{}, fmt.Errorf("unknown size %q; use %s", name, quoteList(sizeNames()))
	}
	if ncpu > 0 && s.cpus > ncpu {
		s.cpus = ncpu
	}
	return s, nil
}

// nanoCPUs is the CPU limit in the Docker API's unit.
func (s machineSize) nanoCPUs() int64 { return int64(s.cpus) * 1e9 }

func sizeNames() []string { return []string{"small", "medium", "large"} }
