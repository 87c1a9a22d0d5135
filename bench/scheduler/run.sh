#!/bin/sh
# Builds and runs the scheduler benchmark (hactl vs Pacemaker's crm_simulate).
# usage: bench/scheduler/run.sh [scheduler_bench options, e.g. --sizes 100x8,500x16 --mode S]
# Environment: BUILD_DIR (default build), CRM_SIMULATE (default: crm_simulate on PATH or sbin).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
cmake --build "$build" --target scheduler_bench hactl
crm=${CRM_SIMULATE:-$(PATH="$PATH:/usr/sbin:/sbin" command -v crm_simulate || true)}
if [ -z "$crm" ]; then
  echo "crm_simulate not found (install pacemaker-cli-utils or set CRM_SIMULATE); timing hactl only" >&2
  exec "$build/bench/scheduler_bench" --hactl "$build/cmd/hactl" "$@"
fi
exec "$build/bench/scheduler_bench" --hactl "$build/cmd/hactl" --crm-simulate "$crm" "$@"
