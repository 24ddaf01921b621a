#!/usr/bin/env bash
# Makes a Docker Engine API endpoint available for the `local` provider.
# Safe to run again: it changes nothing when an engine already answers.
#
# Order of preference:
#   1. $DOCKER_HOST, when set: it must answer /_ping (bp uses only it then).
#   2. /var/run/docker.sock (a Docker daemon on a laptop): nothing to do.
#   3. The project's Podman API service on unix:///run/bp/podman.sock,
#      started here in the background with the project's containers.conf.
#
# What rootful Podman 4.3 needs on our Debian 12 machines (learned the hard
# way, kept here so nobody has to again):
#   - runtime runc: crun fails with "cgroups in hybrid mode not supported"
#     (the hosts mount cgroup v1 controllers plus a cgroup2 "unified" tree).
#   - ulimits within the host's hard limits: Podman's built-in default asks
#     for nofile=1048576, which fails when `ulimit -Hn` is lower (20000 here).
#     default_ulimits below is computed from this shell's hard limits.
#   - cgroup_manager cgroupfs: there is no systemd (no D-Bus) on the hosts.
#   - events_logger file: journald is not running either.
#   - storage: native overlay works on ext4 (d_type supported); kept at the
#     default /etc/containers/storage.conf, nothing to write.
#   - network backend netavark (the Debian default with podman 4.3;
#     containers on one bridge network reach each other and the host reaches
#     their addresses directly).
# The file lives in a machine-wide place so that bp run from any directory
# (and the tests) finds the same engine and the same images.
set -euo pipefail

conf_dir=/var/lib/bp/podman
conf=$conf_dir/containers.conf
sock_dir=/run/bp
sock=$sock_dir/podman.sock
log=/var/log/bp-podman.log

# ping_unix PATH: does a Docker API answer on this socket? curl when there
# is one; otherwise the podman client, which speaks to Podman services only.
ping_unix() {
  [ -S "$1" ] || return 1
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 2 --unix-socket "$1" http://d/_ping >/dev/null 2>&1
  else
    timeout 5 podman --remote --url "unix://$1" version >/dev/null 2>&1
  fi
}

if [ -n "${DOCKER_HOST:-}" ]; then
  case "$DOCKER_HOST" in
    unix://*) if ping_unix "${DOCKER_HOST#unix://}"; then echo "local-engine: using DOCKER_HOST=$DOCKER_HOST"; exit 0; fi ;;
    tcp://*) if command -v curl >/dev/null 2>&1 && curl -fsS --max-time 2 "http://${DOCKER_HOST#tcp://}/_ping" >/dev/null 2>&1; then echo "local-engine: using DOCKER_HOST=$DOCKER_HOST"; exit 0; fi ;;
  esac
  echo "local-engine: DOCKER_HOST=$DOCKER_HOST does not answer a Docker API ping; start that engine, or unset DOCKER_HOST to use the project's Podman service" >&2
  exit 1
fi
if ping_unix /var/run/docker.sock; then
  echo "local-engine: using the Docker daemon at /var/run/docker.sock"
  exit 0
fi

if ! command -v podman >/dev/null 2>&1; then
  echo "local-engine: podman is not installed; run scripts/setup.sh (make setup) first" >&2
  exit 1
fi

nofile=$(ulimit -Hn)
if [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ]; then nofile=1048576; fi
nproc=$(ulimit -Hu)
if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi

mkdir -p "$conf_dir" "$sock_dir"
tmp=$(mktemp "$conf_dir/containers.conf.XXXXXX")
cat >"$tmp" <<EOF
# Written by scripts/local-engine.sh (Blueprint); rewritten on every run.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_backend = "netavark"
EOF
if cmp -s "$tmp" "$conf"; then rm -f "$tmp"; else mv "$tmp" "$conf"; chmod 0644 "$conf"; fi

if ping_unix "$sock"; then
  echo "local-engine: Podman API service answers on unix://$sock"
  exit 0
fi
rm -f "$sock"
echo "local-engine: starting the Podman API service on unix://$sock (log: $log)"
CONTAINERS_CONF=$conf nohup setsid podman system service --time=0 "unix://$sock" >>"$log" 2>&1 </dev/null &
for _ in $(seq 1 100); do
  if ping_unix "$sock"; then
    echo "local-engine: ok"
    exit 0
  fi
  sleep 0.1
done
echo "local-engine: the Podman API service did not answer on unix://$sock within 10s; see $log" >&2
tail -n 20 "$log" >&2 || true
exit 1
