#!/bin/sh
# Per-action latency (start, monitor, stop) of hactl's built-in Dummy and IPaddr2
# against resource-agents' scripts, median of RUNS, side by side with the ratio.
# IPaddr2 runs in a network namespace this script creates (a veth pair inside it)
# and deletes on exit; the root namespace is never touched. Needs root for that;
# without root only Dummy is measured.
# usage: bench/agents/run.sh [RUNS]        (default 11)
# Environment: BUILD_DIR (default build).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$top/build}
runs=${1:-11}
cmake --build "$build" --target agents_bench
bench="$build/bench/agents_bench"
work=$(mktemp -d)
ns="hactl-bench-$$"
cleanup() {
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
  echo "not root (or no iproute2): Dummy only" >&2
  exec_dummy_only=1
else
  exec_dummy_only=0
fi

if [ "$exec_dummy_only" = 1 ]; then
  "$bench" --runs "$runs" --agents dummy --state-dir "$work"
  exit 0
fi

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add bench0 type veth peer name bench1
ip -n "$ns" addr add 198.51.100.1/24 dev bench0
ip -n "$ns" link set bench0 up
ip -n "$ns" link set bench1 up
# Everything below runs inside the namespace: the address goes on its bench0.
ip netns exec "$ns" "$bench" --runs "$runs" --agents dummy,ipaddr2 --state-dir "$work" \
  --ip 198.51.100.10 --cidr 24 --nic bench0
