#!/usr/bin/env bash
# The demo: apply the example web stack (examples/webapp) on the embedded
# local provider — web machines, an HAProxy load balancer and a PowerDNS
# server, all system containers on this host configured over SSH by
# bp-agent — and show that it answers. `make demo-destroy` removes it again.
set -euo pipefail
cd "$(dirname "$0")/.."
bp="$PWD/bin/bp"
cd examples/webapp
echo "== bp apply examples/webapp"
"$bp" apply -auto-approve
url=$("$bp" output -raw url)
dns=$("$bp" output -raw dns_server)
echo
echo "== Through the load balancer, requests go to every web machine:"
echo "   curl $url"
for _ in 1 2 3 4; do
  curl -fsS --max-time 10 "$url" | sed -n 's:.*<h1>\(.*\)</h1>.*:     → \1:p'
done
echo
echo "== DNS: www.example.test is the load balancer:"
echo "   dig @$dns www.example.test +short"
www=$(dig @"$dns" www.example.test +short +time=3 +tries=2)
echo "     → $www"
echo "   curl --resolve www.example.test:80:$www http://www.example.test/"
curl -fsS --max-time 10 --resolve "www.example.test:80:$www" http://www.example.test/ | sed -n 's:.*<h1>\(.*\)</h1>.*:     → \1:p'
[ -n "$www" ] || { echo "demo: www.example.test did not resolve" >&2; exit 1; }
echo
echo "Plan again (nothing to do):  (cd examples/webapp && ../../bin/bp plan)"
echo "Keep it sized to its load:   (cd examples/webapp && ../../bin/bp run -listen 127.0.0.1:8080)   # status page on http://127.0.0.1:8080/"
echo "Put load on it:              ab -t 120 -n 10000000 -c 20 '$("$bp" output -raw url)'"
echo "Start with 3 web machines:   (cd examples/webapp && ../../bin/bp apply -var web_desired=3)"
echo "Load balancer statistics:    curl '$("$bp" output -raw stats_url)'"
echo "Open a shell on a machine:   (cd examples/webapp && ../../bin/bp ssh 'module.machine_group:web.machine.member[0]')"
echo "Remove everything:           make demo-destroy"
