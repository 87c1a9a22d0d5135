# shellcheck shell=bash
# keepalived in the namespace lab (source after test/lab/lab.sh).
# The VIP follows VRRP (version 3); Apache runs on both nodes all the time, as in
# keepalived deployments; a check of /server-status every second takes a node
# whose web server fails out of the election (FAULT state).
ka_conf() {  # NODE PRIORITY ADVERT_INT
  local curl_bin
  curl_bin=$(command -v curl)
  cat > "$LAB_DIR/$1/keepalived.conf" <<EOF
global_defs {
  router_id $1
  vrrp_version 3
  script_user root
}
vrrp_script chk_web {
  script "$curl_bin -sf -o /dev/null --noproxy * -m 0.5 http://127.0.0.1/server-status"
  interval 1
  timeout 1
  fall 1
  rise 1
}
vrrp_instance WEB {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $2
  advert_int $3
  virtual_ipaddress {
    $LAB_VIP/24 dev eth0
  }
  track_script {
    chk_web
  }
}
EOF
}

ka_start() {  # NODE: daemon reparented to the node's INIT
  local d=$LAB_DIR/$1
  on "$1" bash -c "keepalived -P -n -l -G -f '$d/keepalived.conf' -p /run/keepalived.pid -r /run/keepalived-vrrp.pid \
    >>'$d/log/keepalived.log' 2>&1 </dev/null &"
}

