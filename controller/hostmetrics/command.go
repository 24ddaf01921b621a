package hostmetrics

// Command is the POSIX shell command whose output Parse reads: sections
// headed "==> NAME", one per file read, with the cgroup files and the task
// states only inside a container. It writes nothing on the host and needs
// only coreutils and sed.
const Command = `export LC_ALL=C
s() { printf '==> %s\n' "$1"; }
s uptime; cat /proc/uptime
s loadavg; cat /proc/loadavg
s stat; head -n 1 /proc/stat
s meminfo; cat /proc/meminfo
s nproc; nproc
if [ -e /run/.containerenv ] || [ -e /.dockerenv ] || tr '\0' '\n' </proc/1/environ 2>/dev/null | grep -q '^container='; then
  s container
  for f in /sys/fs/cgroup/cpu.stat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/memory.current /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.stat \
    /sys/fs/cgroup/cpuacct/cpuacct.usage /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us \
    /sys/fs/cgroup/memory/memory.usage_in_bytes /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.stat; do
    if [ -r "$f" ]; then s "$f"; cat "$f"; fi
  done
  s self; cat /proc/$$/stat
  s tasks; cat /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null | sed -n 's/^.*) \([A-Za-z]\) [0-9-]* [0-9-]* \([0-9-]*\) .*$/\1 \2/p'
fi
s end
`
