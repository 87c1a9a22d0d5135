# shellcheck shell=bash
# The namespace lab: the tutorial's network (httpd1, httpd2, a client, one switch)
# built in network namespaces this script creates, each node with its own
# mount/pid/uts namespace, hactl root and Apache. Source it, then:
#
#   lab_require                 exit 77 with "SKIP: ..." unless root, namespaces and tools are there
#   lab_up [NODE...]            build the lab (default nodes httpd1 httpd2) and install the teardown trap
#   lab_down                    tear everything down (idempotent; also runs from the EXIT trap)
#   on NODE CMD...              run CMD on NODE (nsenter into its namespaces; HACTL_ROOT set)
#   power_off NODE / power_on NODE
#   apache_start NODE / apache_kill NODE / apache_running NODE
#   vip_holders                 the nodes that have the VIP on eth0, space separated
#   probe_start LOG [MAX_S]     client probe of http://VIP/ every 50 ms (200 ms timeout), in the background
#   probe_stop                  stop it (waits for the last line)
#   probe_gap LOG               the longest gap between two successful answers (see probe-gap.sh)
#   fetch_page                  one request to the VIP from the client; prints "CODE NODE"
#   lab_pdu_start / lab_pdu_stop  the lab's power switch, which the fence agent fence_lab asks to
#                               power a node off (LAB_PDU is its spool directory; see fence_lab)
#   lab_install_fence_agent NODE...  fence_lab into the nodes' <root>/usr/sbin
#   lab_powered NODE            true while NODE's INIT lives (false after power_off or a fence)
#
# Nothing is added to the root namespace: addresses and routes exist only inside
# the lab's namespaces. Teardown kills only the processes this harness started
# (each node's INIT, which takes the node's whole pid namespace with it, and the
# probe) and deletes the namespaces it created.

LAB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_NET=10.213.0
LAB_VIP=${LAB_NET}.150
LAB_CLIENT_ADDR=${LAB_NET}.100
LAB_MAX_S=${LAB_MAX_S:-1800}     # a node's INIT and any probe end by themselves after this
declare -A LAB_ADDR=([httpd1]=${LAB_NET}.11 [httpd2]=${LAB_NET}.12 [httpd3]=${LAB_NET}.13 [client]=$LAB_CLIENT_ADDR)
declare -A LAB_INIT=()           # node -> pid of INIT (pid 1 of the node's pid namespace), as seen from here
declare -A LAB_WRAP=()           # node -> pid of the unshare process that waits for INIT
LAB_NODES=()
LAB_ID=
LAB_DIR=
LAB_SW=
LAB_PROBE_PID=
LAB_PROBE_STOP=
LAB_PDU=
LAB_PDU_PID=
LAB_UP=0

lab_log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }
lab_die() { printf 'lab: %s\n' "$*" >&2; exit 1; }
lab_skip() { printf 'SKIP: %s\n' "$*"; exit 77; }

lab_require() {
  [ "$(id -u)" = 0 ] || lab_skip "the namespace lab needs root (network, mount and pid namespaces)"
  local t
  for t in ip unshare nsenter curl apache2 mount; do
    command -v "$t" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin command -v "$t" >/dev/null 2>&1 ||
      lab_skip "'$t' is not installed (apache2, iproute2, curl and util-linux are needed; see .ci/install-deps)"
  done
  PATH=$PATH:/usr/sbin:/sbin
  local m
  for m in mpm_event authz_core authz_host dir mime status; do
    [ -f "$(lab_apache_modules)/mod_$m.so" ] || lab_skip "apache module mod_$m.so not found in $(lab_apache_modules)"
  done
  local probe=hlab-check-$$
  if ! ip netns add "$probe" 2>/dev/null; then
    lab_skip "network namespaces are not permitted here ('ip netns add' failed)"
  fi
  if ! ip netns exec "$probe" unshare --mount --pid --uts --fork --mount-proc true 2>/dev/null; then
    ip netns del "$probe" 2>/dev/null
    lab_skip "mount/pid/uts namespaces are not permitted here (unshare failed)"
  fi
  ip netns del "$probe"
}

lab_apache_modules() { echo "${LAB_APACHE_MODULES:-/usr/lib/apache2/modules}"; }

# The node's network: a veth pair created from inside the node's namespace,
# the switch end on the bridge. Also used by power_on.
_lab_link_up() {
  local n=$1 ns=hlab-$1-$LAB_ID
  ip -n "$ns" link add eth0 type veth peer name "v-$n" netns "$LAB_SW" || return 1
  ip -n "$LAB_SW" link set "v-$n" master br0 up || return 1
  ip -n "$ns" addr add "${LAB_ADDR[$n]}/24" dev eth0 || return 1
  ip -n "$ns" link set eth0 up
}

_lab_netns() {
  local ns=$1
  ip netns add "$ns" || return 1
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
    net.ipv6.conf.lo.disable_ipv6=1 >/dev/null
}

_lab_write_apache() {
  local n=$1 d=$LAB_DIR/$1 mods
  mods=$(lab_apache_modules)
  mkdir -p "$d/apache2" "$d/www" "$d/log" "$d/root"
  cat > "$d/apache2/apache2.conf" <<EOF
# Standalone Apache configuration of lab node $n (no envvars, no apache2ctl).
ServerRoot /etc/apache2
ServerName $n
Listen 80
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_host_module $mods/mod_authz_host.so
LoadModule dir_module $mods/mod_dir.so
LoadModule mime_module $mods/mod_mime.so
LoadModule status_module $mods/mod_status.so
User www-data
Group www-data
PidFile /run/apache2/apache2.pid
DefaultRuntimeDir /run/apache2
Mutex file:/run/apache2 default
ErrorLog $d/log/apache-error.log
LogLevel warn
StartServers 1
ServerLimit 2
ThreadLimit 8
ThreadsPerChild 8
MinSpareThreads 8
MaxSpareThreads 16
MaxRequestWorkers 16
KeepAlive Off
TypesConfig /dev/null
AddType text/html .html
AddType image/svg+xml .svg
DocumentRoot /var/www/html
DirectoryIndex index.html
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory /var/www/html>
  Require all granted
</Directory>
<Location /server-status>
  SetHandler server-status
  Require local
</Location>
EOF
  cat > "$d/www/index.html" <<EOF
<html><head><title>$n</title></head>
<body><h1>$n</h1><p>This page is served by $n.</p><img src="node.svg" alt="$n"></body>
</html>
EOF
  cat > "$d/www/node.svg" <<EOF
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-size="24">$n</text></svg>
EOF
  chmod -R a+rX "$d/www" "$d/apache2"
}

# Start the node's INIT: pid 1 of a new pid namespace inside the node's network
# namespace, with private mounts (/run, /dev/shm, /etc/apache2, /var/www/html).
_lab_boot() {
  local n=$1 ns=hlab-$1-$LAB_ID d=$LAB_DIR/$1 i kids
  rm -f "$d/booted"
  ip netns exec "$ns" unshare --mount --pid --uts --fork --mount-proc \
    bash "$LAB_LIB_DIR/node-init.sh" "$n" "$d" "$LAB_MAX_S" </dev/null >>"$d/log/init.log" 2>&1 &
  LAB_WRAP[$n]=$!
  for ((i = 0; i < 200; i++)); do
    if [ -f "$d/booted" ]; then
      kids=$(cat "/proc/${LAB_WRAP[$n]}/task/${LAB_WRAP[$n]}/children" 2>/dev/null)
      LAB_INIT[$n]=${kids%% *}
      LAB_INIT[$n]=${LAB_INIT[$n]// /}
      if [ -n "${LAB_INIT[$n]}" ]; then
        echo "${LAB_INIT[$n]}" > "$LAB_PDU/outlets/$n"
        touch "$LAB_PDU/known/$n"
        return 0
      fi
    fi
    kill -0 "${LAB_WRAP[$n]}" 2>/dev/null || break
    sleep 0.05
  done
  lab_log "node $n did not boot; its log:"; cat "$d/log/init.log" >&2
  return 1
}

lab_up() {
  [ "$LAB_UP" = 1 ] && lab_die "lab_up called twice"
  LAB_NODES=("$@")
  [ ${#LAB_NODES[@]} -gt 0 ] || LAB_NODES=(httpd1 httpd2)
  LAB_ID=$$
  LAB_SW=hlab-sw-$LAB_ID
  LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hlab.XXXXXX")
  chmod 755 "$LAB_DIR"
  LAB_PDU=$LAB_DIR/pdu
  mkdir -p "$LAB_PDU/outlets" "$LAB_PDU/known" "$LAB_PDU/req" "$LAB_PDU/done"
  LAB_UP=1
  trap 'lab_down' EXIT
  trap 'exit 130' INT TERM
  _lab_netns "$LAB_SW" || lab_die "cannot create namespace $LAB_SW"
  ip -n "$LAB_SW" link add br0 type bridge forward_delay 0 mcast_snooping 0 || lab_die "cannot create the bridge"
  ip -n "$LAB_SW" link set br0 up
  local n
  for n in client "${LAB_NODES[@]}"; do
    [ -n "${LAB_ADDR[$n]:-}" ] || lab_die "unknown lab node '$n' (known: ${!LAB_ADDR[*]})"
    _lab_netns "hlab-$n-$LAB_ID" || lab_die "cannot create namespace hlab-$n-$LAB_ID"
    _lab_link_up "$n" || lab_die "cannot wire $n to the switch"
  done
  for n in "${LAB_NODES[@]}"; do
    _lab_write_apache "$n"
    _lab_boot "$n" || lab_die "cannot boot $n"
  done
  lab_log "up: ${LAB_NODES[*]} + client on $LAB_SW, dir $LAB_DIR"
}

lab_down() {
  [ "$LAB_UP" = 1 ] || return 0
  LAB_UP=0
  probe_stop 2>/dev/null
  lab_pdu_stop
  local n i
  for n in "${!LAB_INIT[@]}"; do
    [ -n "${LAB_INIT[$n]}" ] && kill -KILL "${LAB_INIT[$n]}" 2>/dev/null
  done
  for n in "${!LAB_WRAP[@]}"; do
    for ((i = 0; i < 100; i++)); do kill -0 "${LAB_WRAP[$n]}" 2>/dev/null || break; sleep 0.05; done
    wait "${LAB_WRAP[$n]}" 2>/dev/null
  done
  for n in client "${LAB_NODES[@]}"; do ip netns del "hlab-$n-$LAB_ID" 2>/dev/null; done
  ip netns del "$LAB_SW" 2>/dev/null
  if [ -n "${LAB_KEEP:-}" ]; then
    lab_log "down; files kept in $LAB_DIR"
  elif [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ]; then
    rm -rf "$LAB_DIR"
  fi
  LAB_INIT=(); LAB_WRAP=()
}

lab_node_root() { echo "$LAB_DIR/$1/root"; }

on() {
  local n=$1; shift
  if [ "$n" = client ]; then
    ip netns exec "hlab-client-$LAB_ID" "$@"
    return
  fi
  local pid=${LAB_INIT[$n]:-}
  [ -n "$pid" ] || { echo "lab: node $n is powered off" >&2; return 125; }
  nsenter -t "$pid" -n -m -p -u -- env HACTL_ROOT="$LAB_DIR/$n/root" "$@"
}

# Power loss: the switch port goes down and every process of the node dies at
# the same moment (SIGKILL to INIT ends its pid namespace); the node's network
# state (interface, addresses such as a VIP) is lost with it.
power_off() {
  local n=$1 pid=${LAB_INIT[$1]:-} i
  [ -n "$pid" ] || { lab_log "power_off $n: already off"; return 0; }
  ip -n "$LAB_SW" link set "v-$n" down 2>/dev/null
  rm -f "$LAB_PDU/outlets/$n"
  kill -KILL "$pid" 2>/dev/null
  LAB_INIT[$n]=
  for ((i = 0; i < 100; i++)); do kill -0 "${LAB_WRAP[$n]}" 2>/dev/null || break; sleep 0.02; done
  wait "${LAB_WRAP[$n]}" 2>/dev/null
  ip -n "hlab-$n-$LAB_ID" link del eth0 2>/dev/null
  lab_log "power_off $n"
}

lab_powered() { [ -n "${LAB_INIT[$1]:-}" ] && [ -e "$LAB_PDU/outlets/$1" ] && kill -0 "${LAB_INIT[$1]}" 2>/dev/null; }

power_on() {
  local n=$1
  # A node the PDU powered off (fence_lab): the same bookkeeping as power_off.
  [ -n "${LAB_INIT[$n]:-}" ] && ! lab_powered "$n" && power_off "$n"
  [ -z "${LAB_INIT[$n]:-}" ] || { lab_log "power_on $n: already on"; return 0; }
  _lab_link_up "$n" || lab_die "power_on $n: cannot wire it"
  _lab_boot "$n" || lab_die "power_on $n: cannot boot"
  lab_log "power_on $n"
}

apache_start() { on "$1" apache2 -f /etc/apache2/apache2.conf -k start; }
# Kills every Apache process of the node (pkill sees only the node's pid namespace).
apache_kill() { on "$1" pkill -KILL -x apache2; }
apache_running() { on "$1" pgrep -x apache2 >/dev/null; }

vip_holders() {
  local n out=()
  for n in "${LAB_NODES[@]}"; do
    lab_powered "$n" || continue
    ip -n "hlab-$n-$LAB_ID" -4 -o addr show dev eth0 2>/dev/null | grep -q " $LAB_VIP/" && out+=("$n")
  done
  echo "${out[*]}"
}

fetch_page() {
  local url=${1:-http://$LAB_VIP/} out code node=-
  out=$(on client curl -s --noproxy '*' -m 1 -w '\n%{http_code}' "$url" 2>/dev/null)
  code=${out##*$'\n'}
  [[ $out =~ \<title\>([^<]*)\</title\> ]] && node=${BASH_REMATCH[1]}
  echo "${code:-000} $node"
}

# Waits (at most SECS) until CMD... succeeds; returns 1 on timeout.
wait_for() {
  local secs=$1 end; shift
  end=$((${EPOCHREALTIME/./} + secs * 1000000))
  while ((${EPOCHREALTIME/./} < end)); do
    "$@" && return 0
    sleep 0.05
  done
  "$@"
}

probe_start() {
  local log=$1 max_s=${2:-120}
  probe_stop
  LAB_PROBE_STOP=$LAB_DIR/probe.stop.$RANDOM
  rm -f "$LAB_PROBE_STOP"
  : > "$log"
  ip netns exec "hlab-client-$LAB_ID" bash "$LAB_LIB_DIR/probe.sh" --url "http://$LAB_VIP/" --log "$log" \
    --max-seconds "$max_s" --stop-file "$LAB_PROBE_STOP" &
  LAB_PROBE_PID=$!
}

probe_stop() {
  [ -n "$LAB_PROBE_PID" ] || return 0
  local i
  touch "$LAB_PROBE_STOP"
  for ((i = 0; i < 60; i++)); do kill -0 "$LAB_PROBE_PID" 2>/dev/null || break; sleep 0.05; done
  kill -TERM "$LAB_PROBE_PID" 2>/dev/null
  wait "$LAB_PROBE_PID" 2>/dev/null
  LAB_PROBE_PID=
  rm -f "$LAB_PROBE_STOP"
}

probe_gap() { bash "$LAB_LIB_DIR/probe-gap.sh" "$@"; }

# The lab's power distribution unit: one process outside the nodes' namespaces
# that serves fence_lab's requests (PDU/req/ID "off NODE REQUESTER") in arrival
# order. Off = power_off's effect: the switch port down, SIGKILL to the node's
# INIT, its eth0 removed. Each request is logged in PDU/pdu.log as
# "MICROSECONDS off NODE by REQUESTER (was on|already off)". Bounded by LAB_MAX_S.
_lab_pdu_serve() {
  local d=$LAB_PDU f id what node by pid state
  local end=$((SECONDS + LAB_MAX_S))
  exec {tick}<> <(:)
  while ((SECONDS < end)) && [ ! -e "$d/stop" ]; do
    : > "$d/alive"
    for f in "$d"/req/*; do
      [ -f "$f" ] || continue
      id=${f##*/}
      read -r what node by < "$f"
      rm -f "$f"
      if [ "$what" != off ] || [ ! -e "$d/known/$node" ]; then
        echo "error: unknown request '$what $node'" > "$d/done/.$id"
      else
        state="already off"
        if [ -e "$d/outlets/$node" ]; then
          state="was on"
          pid=$(cat "$d/outlets/$node")
          ip -n "$LAB_SW" link set "v-$node" down 2>/dev/null
          kill -KILL "$pid" 2>/dev/null
          rm -f "$d/outlets/$node"
          ip -n "hlab-$node-$LAB_ID" link del eth0 2>/dev/null
        fi
        echo "${EPOCHREALTIME/./} off $node by $by ($state)" >> "$d/pdu.log"
        echo ok > "$d/done/.$id"
      fi
      mv "$d/done/.$id" "$d/done/$id"
    done
    read -r -t 0.02 -u "$tick" 2>/dev/null
  done
}

lab_pdu_start() {
  [ -z "$LAB_PDU_PID" ] || return 0
  rm -f "$LAB_PDU/stop" "$LAB_PDU/pdu.log"
  : > "$LAB_PDU/pdu.log"
  _lab_pdu_serve </dev/null >>"$LAB_DIR/pdu.out" 2>&1 &
  LAB_PDU_PID=$!
}

lab_pdu_stop() {
  [ -n "$LAB_PDU_PID" ] || return 0
  local i
  touch "$LAB_PDU/stop"
  for ((i = 0; i < 50; i++)); do kill -0 "$LAB_PDU_PID" 2>/dev/null || break; sleep 0.02; done
  kill -TERM "$LAB_PDU_PID" 2>/dev/null
  wait "$LAB_PDU_PID" 2>/dev/null
  LAB_PDU_PID=
}

lab_install_fence_agent() {
  local n
  for n in "$@"; do
    mkdir -p "$(lab_node_root "$n")/usr/sbin"
    install -m 0755 "$LAB_LIB_DIR/fence_lab" "$(lab_node_root "$n")/usr/sbin/fence_lab"
  done
}
