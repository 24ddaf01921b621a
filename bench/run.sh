#!/usr/bin/env bash
# Runs the project's benchmarks and prints their figures. Each benchmark
# lives next to the code it measures (Benchmark* in *_test.go); the bench/
# directory holds the end-to-end ones and this driver.
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime=${BENCHTIME:-1x}
pkgs=$(grep -l '^func Benchmark' $(git ls-files '*_test.go') | xargs -n1 dirname | sort -u | sed 's|^|./|')
echo "== go benchmarks (benchtime=$benchtime)"
go test -run '^$' -bench . -benchmem -benchtime "$benchtime" $pkgs
