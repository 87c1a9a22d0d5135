#!/usr/bin/env bash
# Regenerates the seed corpora under test/fuzz/corpus/ with hactl itself:
#   make_seeds.sh HACTL_BINARY FUZZ_SEEDS_BINARY
# (build/cmd/hactl and build-fuzz/test/fuzz/fuzz_seeds). Files named crash-*
# (regressions) are kept; seeds are overwritten.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hactl=$(realpath "$1"); seeds_tool=$(realpath "$2")
corpus=$here/corpus
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
export HACTL_ROOT=$work/root
mkdir -p "$corpus"/{fuzz_cib,fuzz_cluster_conf,fuzz_invocation,fuzz_ocf_metadata,fuzz_frame_wire,fuzz_frame_payload}

# cluster.conf files from `cluster setup`.
"$hactl" cluster setup demo n1 addr=10.0.0.1 n2 addr=10.0.0.2 >/dev/null 2>&1
cp root/etc/hactl/cluster.conf "$corpus/fuzz_cluster_conf/two-node"
cp root/var/lib/hactl/cib.xml base.xml
"$hactl" --force cluster setup trio n1 addr=10.0.0.1 n2 addr=10.0.0.2 n3 addr=fd00::3 >/dev/null 2>&1
cp root/etc/hactl/cluster.conf "$corpus/fuzz_cluster_conf/three-node"

# CIBs written by configuration commands, then by the crm_simulate personality (status sections).
cp base.xml cib.xml
"$hactl" -f empty.xml cluster cib >/dev/null 2>&1 || true
"$hactl" -f empty.xml --force property set stonith-enabled=false >/dev/null
cmds=("property set stonith-enabled=false no-quorum-policy=ignore"
      "resource create IP ocf:heartbeat:IPaddr2 ip=10.0.0.5 cidr_netmask=24 op monitor interval=10s --group web"
      "resource create Web ocf:heartbeat:apache --group web"
      "resource create D ocf:pacemaker:Dummy meta target-role=Stopped"
      "constraint location web prefers n1=100"
      "constraint colocation add D with web -INFINITY"
      "constraint order start web then D"
      "resource defaults update resource-stickiness=100"
      "resource op defaults update timeout=30s"
      "node attribute n2 rack=2")
for c in "${cmds[@]}"; do
  # shellcheck disable=SC2086
  "$hactl" -f cib.xml $c >/dev/null 2>&1 || echo "seed command failed (skipped): $c" >&2
  printf '%s\0' -f cib.xml $c | head -c -1 > "$corpus/fuzz_invocation/$(echo "$c" | tr -cs 'A-Za-z0-9' - | cut -c1-40)"
done
"$(dirname "$hactl")/crm_simulate" -x cib.xml -u n1 -u n2 -S -O status.xml >/dev/null 2>&1
"$(dirname "$hactl")/crm_simulate" -x status.xml -i IP_monitor_10000@n1=7 -S -O failed.xml >/dev/null 2>&1
cp empty.xml "$corpus/fuzz_cib/empty.xml"
cp base.xml "$corpus/fuzz_cib/setup.xml"
cp cib.xml "$corpus/fuzz_cib/configured.xml"
cp failed.xml "$corpus/fuzz_cib/status-failed.xml"

# A few argument vectors with global options in odd places.
printf '%s\0' --output-as json status | head -c -1 > "$corpus/fuzz_invocation/json-status"
printf '%s\0' resource --wait=30 move Web n2 --force | head -c -1 > "$corpus/fuzz_invocation/wait-move"
printf '%s\0' cluster cib-push new.xml --config -f cib.xml | head -c -1 > "$corpus/fuzz_invocation/cib-push"
printf '%s\0' --root /srv/n1 cluster setup demo n1 n2 --corosync_conf=x | head -c -1 > "$corpus/fuzz_invocation/root-setup"

"$seeds_tool" "$corpus" >/dev/null
du -sh "$corpus"/*
