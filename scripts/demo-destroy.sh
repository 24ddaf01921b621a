#!/usr/bin/env bash
# Destroys what `make demo` created.
set -euo pipefail
cd "$(dirname "$0")/../examples/webapp"
../../bin/bp destroy -auto-approve
