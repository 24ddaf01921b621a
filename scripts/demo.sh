#!/usr/bin/env bash
# The demo: apply the example web stack (examples/webapp) on the embedded
# local provider — machines as system containers on this host, configured
# over SSH by bp-agent — and say how to reach it. `make demo-destroy`
# removes it again.
set -euo pipefail
cd "$(dirname "$0")/.."
bp="$PWD/bin/bp"
cd examples/webapp
echo "== bp apply examples/webapp"
"$bp" apply -auto-approve
echo
echo "== The web machines answer:"
for url in $("$bp" output -json urls | tr -d '[]"' | tr ',' ' '); do
  echo "   curl $url"
  curl -fsS --max-time 10 "$url" | sed -n 's:.*<h1>\(.*\)</h1>.*:     → \1:p'
done
echo
echo "Open a shell on a machine:  (cd examples/webapp && ../../bin/bp ssh 'machine.web[0]')"
echo "Remove everything:          make demo-destroy"
