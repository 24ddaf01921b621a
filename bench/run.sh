#!/usr/bin/env bash
# Runs the project's benchmarks and prints their figures. Each benchmark
# lives next to the code it measures (Benchmark* in *_test.go); the bench/
# directory holds the end-to-end ones and this driver.
#
#   BENCHTIME   go test -benchtime for the Go benchmarks (default 1x)
#   PLAN_SIZES  resource counts for the plan scale table (default 1000,10000,50000)
#   PLAN_RUNS   runs per plan case, fastest reported (default 3)
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
exit $status
