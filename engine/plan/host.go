package plan

// HostChange is what converging one host of a configure block would do, as
// the agent's check mode found it, or, for a machine that does not exist
// yet, which roles will run on it once it does.
type HostChange struct {
	// Configure is the block's address, "configure.web".
	Configure string `json:"configure"`
	// Host is the address of the machine, "machine.web[0]".
	Host    string   `json:"host"`
	Address string   `json:"address,omitempty"`
	Roles   []string `json:"roles,omitempty"`
	// Pending means the machine is created (or replaced) by this plan, so
	// its roles run after that; nothing could be checked yet.
	Pending bool `json:"pending,omitempty"`
	// Unchecked says why the host was not checked (refresh skipped), when
	// it was not.
	Unchecked string `json:"unchecked,omitempty"`
	// Resources lists the host resources that would change, fail or that
	// cannot be known before apply; unchanged ones are left out.
	Resources []HostResourceChange `json:"resources,omitempty"`
	// Handlers lists the services that would be restarted or reloaded.
	Handlers []HostResourceChange `json:"handlers,omitempty"`
	// Unchanged counts the host resources already as they must be.
	Unchanged int `json:"unchanged,omitempty"`
	// Error is set when the host could not be checked.
	Error string `json:"error,omitempty"`
}

// HostResourceChange is one host resource's pending change.
type HostResourceChange struct {
	// ID is "ROLE/KIND.NAME".
	ID string `json:"id"`
	// Status is "changed" (would change), "failed" (the check failed),
	// or "unknown" (its arguments are known only after apply).
	Status  string   `json:"status"`
	Changes []string `json:"changes,omitempty"`
	// Diff is a unified diff of file content, "(sensitive)" when hidden.
	Diff   string `json:"diff,omitempty"`
	Error  string `json:"error,omitempty"`
	Action string `json:"action,omitempty"`
	// Source is where the resource is declared, "main.bp.hcl:42".
	Source string `json:"source,omitempty"`
}

// HasChanges reports whether the host would change.
func (h *HostChange) HasChanges() bool {
	return h.Pending || len(h.Resources) > 0 || len(h.Handlers) > 0
}

// HostCounts returns how many hosts would change and how many host
// resources would change on them.
func (p *Plan) HostCounts() (hosts, resources int) {
	for _, h := range p.HostChanges {
		if h.HasChanges() {
			hosts++
		}
		resources += len(h.Resources)
	}
	return hosts, resources
}
