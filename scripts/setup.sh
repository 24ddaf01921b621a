#!/usr/bin/env bash
# Installs what Blueprint and its tests need on a Debian machine. Safe to run
# again: it installs only what is missing.
set -euo pipefail

# Debian packages the project needs, one per line with what needs it.
packages=(
  git   # version stamping and the testscript tests
  make  # the entry points
  gcc   # cgo, for the race detector in `make test`
  openssh-server        # real sshd test hosts (convergence tests)
  openssh-client        # ssh-keygen in tests, `bp ssh` fallback
  podman                # the local provider's engine (Docker API service)
  runc                  # podman's runtime here (crun cannot run on hybrid cgroups)
  debootstrap           # builds the local provider's machine image
  pdns-server           # PowerDNS authoritative, for the DNS provider's tests
  pdns-backend-sqlite3  # its sqlite3 backend
  sqlite3               # to create the PowerDNS schema
  curl                  # the podman API ping in local-engine.sh, and the demo
  haproxy               # the load balancer's config check and the controller's stats tests
  bind9-dnsutils        # dig, which the demo prints for its DNS name
  apache2-utils         # ab, to put load on the demo (README, bp run)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  echo "setup: Go is not installed; install Go 1.24 or newer (https://go.dev/doc/install)" >&2
  exit 1
fi
# The local provider's container engine (Podman's Docker API service).
bash "$(dirname "$0")/local-engine.sh"
echo "setup: ok"
