#!/usr/bin/env bash
# Seeded random-CIB differential comparison, hactl's scheduler vs Debian's
# crm_simulate, over N seeds (default 10,000) in 2 processes.
# usage: bench/differential/run.sh [N] [--first F] [--jobs J] [--history] [--no-build]
#   --history    also the generator's failure-history/on-fail/fencing knobs, as the CI test
#   --keep FILE  keep the raw per-seed output
# Environment: BUILD_DIR (default build); HACTL_ORACLE_CACHE=DIR keeps crm_simulate's
# answers in DIR so that a rerun only evaluates CIBs it has not seen before.
# Needs crm_simulate (pacemaker-cli-utils).
# Prints agreement count/rate, then each mismatch (seed, resource, both nodes,
# both allocation scores) and the mismatch classes with their counts.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
n=10000 first=1 jobs=2 build_it=1 keep= extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --first) first=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --history) extra+=(--history); shift ;;
    --no-build) build_it=0; shift ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) n=$1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ "$jobs" -ge 1 ] && [ "$jobs" -le 2 ] || { echo "--jobs must be 1 or 2" >&2; exit 2; }
[ $build_it -eq 1 ] && cmake --build "$build" --target differential_bench >&2
bench=$build/bench/differential/differential_bench
[ -x /usr/sbin/crm_simulate ] || { echo "crm_simulate not installed (pacemaker-cli-utils)" >&2; exit 77; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s)
pids=()
for ((k = 0; k < jobs; k++)); do
  "$bench" --first "$first" --count "$n" --shard "$k/$jobs" "${extra[@]}" > "$out/shard$k" &
  pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=$?; done
[ $rc -eq 0 ] || { echo "differential_bench failed (status $rc)" >&2; exit 1; }
secs=$(( $(date +%s) - start ))
cat "$out"/shard* > "$out/all"
[ -n "$keep" ] && cp "$out/all" "$keep"

awk -v n="$n" -v first="$first" -v secs="$secs" '
  /^TOTAL/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); tot[kv[1]] += kv[2] } }
  /^MISMATCH/ { seeds[$3] = 1 }
  END {
    m = 0; for (s in seeds) m++
    printf "seeds %d..%d: agree %d/%d compared (%.2f%%), %d seeds with a mismatch, %d without an oracle answer; %d s\n",
      first, first + n - 1, tot["agree"], tot["compared"], tot["compared"] ? 100 * tot["agree"] / tot["compared"] : 0,
      m, tot["nooracle"], secs
  }' "$out/all"
if grep -q '^MISMATCH' "$out/all"; then
  echo
  echo "mismatches (seed, resource, hactl vs pacemaker node; first = earliest in Pacemaker's assignment order):"
  grep '^MISMATCH' "$out/all" | sort -k3,3n -s | sed 's/^MISMATCH seed /  /'
  echo
  echo "classes of the first differing resource per seed (where / score difference pattern):"
  # Replace concrete nodes and values in the scores-differ detail with their
  # pattern (e.g. "-50/50" -> "x/-x" for a sign flip) to group like causes.
  grep '^MISMATCH' "$out/all" | awk '$8 == "first" { print $9 }' | awk '
    {
      c = $0
      if (match(c, /\[.*\]/)) {
        d = substr(c, RSTART + 1, RLENGTH - 2); c = substr(c, 1, RSTART - 1)
        k = split(d, parts, ";"); pat = ""
        for (i = 1; i <= k; i++) {
          sub(/^[^:]*:/, "", parts[i]); split(parts[i], hv, "/")
          if (hv[1] == "-" || hv[2] == "-") p = "missing"
          else if (hv[1] ~ /INFINITY/ || hv[2] ~ /INFINITY/) p = (hv[1] ~ /INFINITY/ ? hv[1] : "finite") "/" (hv[2] ~ /INFINITY/ ? hv[2] : "finite")
          else if (hv[1] + 0 == -(hv[2] + 0)) p = "sign-flip"
          else p = "finite-diff"
          if (index(pat, p) == 0) pat = pat (pat == "" ? "" : "+") p
        }
        c = c "[" pat "]"
      }
      count[c]++
    }
    END { for (c in count) printf "  %5d  %s\n", count[c], c }' | sort -rn
fi
