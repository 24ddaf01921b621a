#!/usr/bin/env bash
# Runs the project's benchmarks and prints their figures. Each benchmark
# lives next to the code it measures (Benchmark* in *_test.go); the bench/
# directory holds the end-to-end ones and this driver.
#
#   BENCHTIME   go test -benchtime for the Go benchmarks (default 1x)
#   PLAN_SIZES  resource counts for the plan scale table (default 1000,10000,50000)
#   PLAN_RUNS   runs per plan case, fastest reported (default 3)
#   LOCAL_SIZES machine counts for the local provider table (default 1,3,10;
#               "none" skips it: it needs the Podman service of make setup)
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime=${BENCHTIME:-1x}
pkgs=$(grep -l '^func Benchmark' $(git ls-files '*_test.go') | xargs -n1 dirname | sort -u | sed 's|^|./|')
echo "== go benchmarks (benchtime=$benchtime)"
status=0
# A broken package must not hide the other figures: note it and go on.
go test -run '^$' -bench . -benchmem -benchtime "$benchtime" $pkgs || status=1
echo
go run ./bench/planbench -sizes "${PLAN_SIZES:-1000,10000,50000}" -runs "${PLAN_RUNS:-3}" || status=1
if [ "${LOCAL_SIZES:-}" != "none" ]; then
  echo
  echo "== local provider: apply → all machines SSH-ready, destroy, idle memory"
  go run ./bench/localbench -counts "${LOCAL_SIZES:-1,3,10}" || status=1
fi
exit $status
