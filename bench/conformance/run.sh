#!/usr/bin/env bash
# Pacemaker's scheduler regression inputs (cts/scheduler) through hactl's
# crm_simulate personality, compared with Pacemaker's expected Transition
# Summary, for the tests listed in bench/conformance/subset.txt.
#
# The inputs are not part of hactl: they come from Debian's pacemaker source
# package, downloaded at run time with `apt-get source --download-only
# pacemaker` into .deps/pacemaker-src/ (git-ignored; needs deb-src entries,
# which .ci/install-deps configures). Only cts/scheduler/ and
# cts/cts-scheduler.in are unpacked from the orig tarball.
#
# Each test is run as cts-scheduler runs its summary step:
#   crm_simulate -x cts/scheduler/xml/NAME.xml -S
# with the same output filter (ocf:: -> ocf:, Master/Slave -> Promoted/
# Unpromoted); the "Transition Summary:" and "Revised Cluster Status:"
# sections are compared with those of cts/scheduler/summary/NAME.summary,
# whitespace ignored as cts-scheduler's `diff --ignore-all-space
# --ignore-blank-lines` does. A test PASSES only when both sections match;
# each section's own count is printed too, and "Current cluster status" is
# compared the same way as a third, informational figure.
#
# A test whose input uses a feature hactl does not model (clone-min,
# clones of groups, interleave, bundles, remote nodes, ...; detected
# from the XML) is "unsupported" and not attempted; so is a test listed in
# not_attempted.txt beside this script, with the feature that keeps it out
# (clone scenarios whose outcome depends on a clone feature not modelled yet).
# Run with --list and every NAME of cts/scheduler/xml to measure the whole suite.
#
# usage: bench/conformance/run.sh [options] [TEST...]
#   --src DIR     a Pacemaker source tree (or its cts/scheduler dir) to use
#                 instead of the Debian source package
#   --hactl PATH  hactl binary (default: $BUILD_DIR/cmd/hactl, BUILD_DIR=build)
#   --list FILE   test names, one per line (default: subset.txt beside this script)
#   --no-download use only an already unpacked source under .deps/ (else exit 77)
#   -v            also print passing and unsupported tests
# exit: 0 every attempted test passed, 1 some failed, 77 inputs unavailable
# (skip), 2 usage or hactl missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
hactl=$build/cmd/hactl
list=$here/subset.txt
src=
download=1
verbose=0
only=()
while [ $# -gt 0 ]; do
  case $1 in
    --src) src=$2; shift 2 ;;
    --hactl) hactl=$2; shift 2 ;;
    --list) list=$2; shift 2 ;;
    --no-download) download=0; shift ;;
    -v) verbose=1; shift ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
  esac
done

[ -x "$hactl" ] || { echo "hactl not found at $hactl (build it, or pass --hactl)" >&2; exit 2; }
hactl=$(cd "$(dirname "$hactl")" && pwd)/$(basename "$hactl")

# --- locate or obtain cts/scheduler -----------------------------------------
deps=$root/.deps/pacemaker-src
find_cts() {  # prints the cts/scheduler dir of an unpacked tree under $1
  local d
  for d in "$1"/cts/scheduler "$1" "$1"/pacemaker-*/cts/scheduler; do
    [ -d "$d/xml" ] && [ -d "$d/summary" ] && { echo "$d"; return 0; }
  done
  return 1
}
if [ -n "$src" ]; then
  cts=$(find_cts "$src") || { echo "no cts/scheduler with xml/ and summary/ under $src" >&2; exit 2; }
else
  if ! cts=$(find_cts "$deps"); then
    if [ $download -eq 0 ]; then
      echo "SKIP: no unpacked pacemaker source under .deps/pacemaker-src (run without --no-download)" >&2
      exit 77
    fi
    command -v apt-get >/dev/null || { echo "SKIP: apt-get not available to fetch the pacemaker source package" >&2; exit 77; }
    mkdir -p "$deps"
    echo "fetching Debian's pacemaker source package into .deps/pacemaker-src ..." >&2
    if ! (cd "$deps" && apt-get source --download-only pacemaker) >"$deps/apt-get.log" 2>&1; then
      echo "SKIP: apt-get source --download-only pacemaker failed (deb-src entries? network?); see .deps/pacemaker-src/apt-get.log" >&2
      exit 77
    fi
    tarball=$(ls "$deps"/pacemaker_*.orig.tar.* 2>/dev/null | head -n 1)
    [ -n "$tarball" ] || { echo "SKIP: no orig tarball in .deps/pacemaker-src" >&2; exit 77; }
    top=$(tar -tf "$tarball" 2>/dev/null | head -n 1 | cut -d/ -f1)
    if ! tar -xf "$tarball" -C "$deps" "$top/cts/scheduler" "$top/cts/cts-scheduler.in"; then
      echo "SKIP: could not unpack cts/scheduler from $(basename "$tarball")" >&2
      exit 77
    fi
    cts=$(find_cts "$deps") || { echo "SKIP: unpacked tarball has no cts/scheduler" >&2; exit 77; }
  fi
fi
version=$(ls "$deps"/pacemaker_*.dsc 2>/dev/null | head -n 1 | sed 's/.*pacemaker_//; s/\.dsc$//')
[ -n "$src" ] && version="from $src"
echo "inputs: Pacemaker cts/scheduler (${version:-unknown version}); hactl: $hactl"

# hactl picks its crm_simulate personality from the name it is invoked by.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$hactl" "$work/crm_simulate"

# --- feature detection --------------------------------------------------------
# reason|extended regex on the input XML (the research inventory's rules).
features=(
  'bundle|<bundle\b'
  'interleaved clone|name="interleave"[^>]*value="(true|yes|1)"'
  'clone-min / require-all|name="clone-min"|require-all'
  # templates are modelled (core/cib_references.cpp)
  # tags are modelled (core/cib_references.cpp)
  # utilization and placement-strategy are modelled (core/scheduler/utilization.cpp)
  'remote/guest node|type="remote"|remote-node|name="container"|remote_node=|<node [^>]*type="(remote|ping)"'
  'resource set with require-all=false (one-or-more)|<resource_set\b[^>]*require-all="(false|0|no|off)"'
  # tickets are modelled (core/scheduler/tickets.cpp)
  # live migration of moving primitives is modelled (core/scheduler/migration.cpp); migrations in the history are not
  'live migration in the history (partial or dangling migrations)|operation="migrate_(to|from)"|migration-limit'
  'rsc-pattern|rsc-pattern'
  'node health|node-health'
  'shutdown lock|shutdown-lock'
  'unfencing|unfencing'
)
# Features that need more than one line to see (grep -z over the whole file).
multiline_features=(
  'clone of a group|(?s)<(clone|master)\b[^>]*>\s*(<meta_attributes\b.*?</meta_attributes>\s*)?<group\b'
)
unsupported_reasons() {  # prints "reason, reason" for the features $1 uses
  local f reason re out=
  for f in "${features[@]}"; do
    reason=${f%%|*}; re=${f#*|}
    if grep -Eq "$re" "$1"; then out="${out:+$out, }$reason"; fi
  done
  for f in "${multiline_features[@]}"; do
    reason=${f%%|*}; re=${f#*|}
    if grep -Pzq "$re" "$1"; then out="${out:+$out, }$reason"; fi
  done
  # Scenarios that use only modelled features but still differ, with the
  # difference that keeps them out: not_attempted.txt (one "NAME reason" a line).
  local name; name=$(basename "$1" .xml)
  if [ -f "$here/not_attempted.txt" ]; then
    local why; why=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "$here/not_attempted.txt")
    [ -n "$why" ] && out="${out:+$out, }$why"
  fi
  printf '%s' "$out"
}

# --- output handling ----------------------------------------------------------
cts_filter() {  # the sed cts-scheduler applies to crm_simulate's output
  sed -E -e 's/ocf::/ocf:/g' -e 's/Masters:/Promoted:/' -e 's/Slaves:/Unpromoted:/' \
         -e 's/ Master( |\[|$)/ Promoted\1/' -e 's/ Slave / Unpromoted /'
}
section() {  # $1 = header; prints that section's non-blank lines, whitespace collapsed
  awk -v h="$1" '
    /^(Current cluster status|Transition Summary|Executing Cluster Transition|Revised Cluster Status):[[:space:]]*$/ {
      sub(/:[[:space:]]*$/, ""); f = ($0 == h); next }
    f && NF { $1 = $1; print }'
}
squash() { tr -d ' \t'; }  # --ignore-all-space

names=()
if [ ${#only[@]} -gt 0 ]; then
  names=("${only[@]}")
else
  while IFS= read -r line; do
    line=${line%%#*}; line=$(printf '%s' "$line" | tr -d ' \t\r')
    [ -n "$line" ] && names+=("$line")
  done < "$list"
fi

pass=0 attempted=0 fail=0 order_only=0 summary_ok=0 revised_ok=0 current_ok=0 missing=0
declare -A unsup_count=()
failures=()
for name in "${names[@]}"; do
  xml=$cts/xml/$name.xml
  exp=$cts/summary/$name.summary
  if [ ! -f "$xml" ] || [ ! -f "$exp" ]; then
    missing=$((missing + 1))
    echo "MISSING $name (no xml/$name.xml or summary/$name.summary)"
    continue
  fi
  reasons=$(unsupported_reasons "$xml")
  if [ -n "$reasons" ]; then
    IFS=',' read -ra rs <<< "$reasons"
    for r in "${rs[@]}"; do r=${r# }; unsup_count[$r]=$(( ${unsup_count[$r]:-0} + 1 )); done
    [ $verbose -eq 1 ] && echo "UNSUPPORTED $name: $reasons"
    continue
  fi
  attempted=$((attempted + 1))
  out=$work/$name.out
  (cd "$work" && exec timeout 60 ./crm_simulate -x "$xml" -S >"$out.raw" 2>"$work/$name.err")
  rc=$?
  cts_filter < "$out.raw" > "$out"
  section "Transition Summary" < "$exp" > "$work/exp.ts"
  section "Transition Summary" < "$out" > "$work/got.ts"
  section "Revised Cluster Status" < "$exp" > "$work/exp.rs"
  section "Revised Cluster Status" < "$out" > "$work/got.rs"
  section "Current cluster status" < "$exp" > "$work/exp.cs"
  section "Current cluster status" < "$out" > "$work/got.cs"
  ts_ok=0 rs_ok=0
  if [ "$rc" -lt 124 ]; then
    [ "$(squash < "$work/exp.ts")" = "$(squash < "$work/got.ts")" ] && ts_ok=1
    [ "$(squash < "$work/exp.rs")" = "$(squash < "$work/got.rs")" ] && rs_ok=1
    [ "$(squash < "$work/exp.cs")" = "$(squash < "$work/got.cs")" ] && current_ok=$((current_ok + 1))
  fi
  summary_ok=$((summary_ok + ts_ok)) revised_ok=$((revised_ok + rs_ok))
  if [ $ts_ok -eq 1 ] && [ $rs_ok -eq 1 ]; then
    pass=$((pass + 1))
    [ $verbose -eq 1 ] && echo "PASS $name"
    continue
  fi
  fail=$((fail + 1))
  if [ "$rc" -ge 124 ]; then
    what="hactl exited with status $rc"
  elif [ $ts_ok -eq 0 ]; then
    what="transition summary differs"
    if [ "$(squash < "$work/exp.ts" | sort)" = "$(squash < "$work/got.ts" | sort)" ]; then
      what="transition summary: same lines, different order"; order_only=$((order_only + 1))
    fi
    [ $rs_ok -eq 0 ] && what="$what; revised status differs"
  else
    what="revised status differs"
  fi
  echo "FAIL $name: $what"
  if [ $ts_ok -eq 0 ]; then
    diff -U0 "$work/exp.ts" "$work/got.ts" | grep -E '^[-+][^-+]' | head -n 12 | sed 's/^-/    expected: /; s/^+/    hactl:    /'
  fi
  if [ $rs_ok -eq 0 ]; then
    diff -U0 "$work/exp.rs" "$work/got.rs" | grep -E '^[-+][^-+]' | head -n 12 | sed 's/^-/    expected: /; s/^+/    hactl:    /'
  fi
  if [ -s "$work/$name.err" ]; then head -n 3 "$work/$name.err" | sed 's/^/    stderr:   /'; fi
  failures+=("$name")
done

echo
echo "passed (Transition Summary and Revised Cluster Status identical): $pass/$attempted attempted (${#names[@]} listed)"
echo "Transition Summary identical: $summary_ok/$attempted attempted"
echo "Revised Cluster Status identical: $revised_ok/$attempted attempted"
echo "Current cluster status identical: $current_ok/$attempted attempted"
if [ $fail -gt 0 ]; then
  echo "failed ($fail, $order_only of them only in line order): ${failures[*]}"
fi
if [ ${#unsup_count[@]} -gt 0 ]; then
  echo "unsupported (not attempted), by reason (a test may have several):"
  for r in "${!unsup_count[@]}"; do echo "  $r: ${unsup_count[$r]}"; done | sort
else
  echo "unsupported (not attempted): 0"
fi
[ $missing -gt 0 ] && echo "missing inputs: $missing"
[ $fail -eq 0 ] && [ $missing -eq 0 ] && exit 0
exit 1
