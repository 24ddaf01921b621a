// Package hostmetrics reads how busy a machine is — load average, CPU and
// memory — from the text of one shell command run on it, for the
// autoscaler metrics load_average, cpu and memory of `bp run`.
//
// Command is the command; Parse turns its output into a Snapshot of raw
// counters; a Tracker turns a host's successive snapshots into Usage
// (CPU needs two snapshots: it is busy time over elapsed time).
//
// What the figures mean, and why. On a virtual or physical machine they
// come from /proc: load average is /proc/loadavg's 1-minute figure, cpu is
// the share of non-idle time in /proc/stat between two samples (over all
// CPUs), memory is (MemTotal - MemAvailable) / MemTotal. Inside a container
// (the local provider's machines) /proc shows the host's kernel-wide
// figures, which say nothing about the container, so its own are used
// instead:
//   - cpu: the cgroup's CPU time (cgroup v2 cpu.stat usage_usec, or cgroup
//     v1 cpuacct.usage) over elapsed time × the CPUs it may use (its quota,
//     cpu.max or cpu.cfs_quota_us, capped by the CPUs it may run on);
//   - memory: the cgroup's usage less its inactive page cache (the
//     "working set", as docker stats and kubectl top report it) over its
//     limit (memory.max or memory.limit_in_bytes; the machine's memory when
//     unlimited);
//   - load_average: the container's tasks that are running or waiting for
//     CPU or disk (states R and D, as the kernel's load counts them, read
//     from the container's own /proc, without the sampling command itself),
//     averaged over the samples with the kernel's 1-minute exponential
//     decay. The kernel keeps no load average per container, so this is the
//     same quantity measured at each sample rather than every 5 s.
//
// The package only parses and computes; running the command is the
// caller's business (over SSH in `bp run`).
package hostmetrics
