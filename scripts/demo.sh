#!/usr/bin/env bash
# The demo: validate the example web stack. Applying it for real comes with
# the local provider; until then the demo shows the blueprint is valid.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== bp validate examples/webapp"
bin/bp validate examples/webapp
