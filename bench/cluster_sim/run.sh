#!/bin/bash
# Whole-cluster simulator over many random fault schedules (test/sim/):
# prints schedules per second and the invariant counts.
#   BUILD_DIR=build bash bench/cluster_sim/run.sh [--seeds N] [--first S]
#   BUILD_DIR=build bash bench/cluster_sim/run.sh --seed S   # replay one seed
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-build}
cmake --build "$BUILD_DIR" -j2 --target cluster_sim >/dev/null
exec "$BUILD_DIR/bench/cluster_sim/cluster_sim" "${@:---seeds}" $([ $# -eq 0 ] && echo 10000)
