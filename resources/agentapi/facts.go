package agentapi

// Facts describe a host as the agent sees it. bp exposes them to roles as
// host.facts. Fields the agent cannot determine are left at their zero
// value; they are never guessed.
type Facts struct {
	// Hostname is the kernel host name.
	Hostname string `json:"hostname"`
	// OS is the ID from /etc/os-release, such as "debian" or "ubuntu".
	OS string `json:"os"`
	// OSVersion is VERSION_ID from /etc/os-release, such as "12".
	OSVersion string `json:"os_version"`
	// OSFamily is the first of ID_LIKE (or ID when there is no ID_LIKE):
	// "debian" for Ubuntu, "rhel"/"fedora" for Rocky, and so on.
	OSFamily string `json:"os_family"`
	// Arch is the agent's GOARCH: "amd64" or "arm64".
	Arch string `json:"arch"`
	// Kernel is the kernel release (uname -r).
	Kernel string `json:"kernel"`
	// Init is "systemd" when systemd is the running init system, else "other".
	Init string `json:"init"`
	// PackageManager is "apt", "dnf", "apk", or "" when none is found.
	PackageManager string `json:"package_manager"`
	// CPUs is the number of online CPUs.
	CPUs int `json:"cpus"`
	// MemoryMB is the total memory in MiB.
	MemoryMB int `json:"memory_mb"`
	// Addresses are the host's non-loopback IP addresses.
	Addresses []string `json:"addresses"`
	// AgentVersion is the version of the agent that gathered the facts.
	AgentVersion string `json:"agent_version"`
}
