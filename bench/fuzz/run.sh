#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 300) and prints, per
# target, the executions and the crashes found; exits 1 if any target crashed.
#   bench/fuzz/run.sh [SECONDS] [TARGET...]
# Needs the fuzz tree (test/fuzz/README.md); builds it if missing. The work
# corpus grows in build-fuzz/corpus/<target> (seeded from test/fuzz/corpus),
# crash inputs land in build-fuzz/crashes/<target>/.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-300}
shift || true
fz=$top/build-fuzz
export CCACHE_DIR=${CCACHE_DIR:-$top/.cache/ccache}
if [ ! -f "$fz/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$top" -B "$fz" -G Ninja -DHACTL_FUZZ=ON -DHACTL_STATIC=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
mkdir -p "$fz/logs"
cmake --build "$fz" -j2 --target fuzz_all >"$fz/logs/build.log" 2>&1 || { cat "$fz/logs/build.log" >&2; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$top"/test/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=0
printf '%-22s %8s %12s %10s %8s\n' target seconds executions exec/s crashes
for t in "${targets[@]}"; do
  work=$fz/corpus/$t crashes=$fz/crashes/$t log=$fz/logs/$t.log
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  cp -n "$top/test/fuzz/corpus/$t"/* "$work"/ 2>/dev/null || true
  before=$(find "$crashes" -type f | wc -l)
  rc=0
  "$fz/test/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$work" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  found=$(( $(find "$crashes" -type f | wc -l) - before ))
  if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ]; then found=1; fi  # died without an artifact (e.g. OOM in the runner)
  printf '%-22s %8s %12s %10s %8s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$found"
  if [ "$found" -ne 0 ]; then
    failed=1
    echo "  $t crashed (log: $log, inputs: $crashes):" >&2
    grep -m3 -E 'ERROR:|runtime error|invariant failed' "$log" | sed 's/^/    /' >&2 || true
  fi
done
exit $failed
