# INIT of a lab node: pid 1 of the node's pid namespace (started by lab.sh through
# `ip netns exec NS unshare --mount --pid --uts --fork --mount-proc`).
# Gives the node its name and private mounts, reaps orphans, and ends by itself
# after MAX_S seconds. SIGKILL to this process is the node's power-off.
# Usage: node-init.sh NODE NODE_DIR MAX_S
set -u
node=$1 dir=$2 max_s=${3:-1800}
hostname "$node" || exit 1
# Private /run and /dev/shm, as after a boot; this node's Apache config and pages
# where a Debian system keeps them (so every node uses the same paths).
mount -t tmpfs -o mode=0755 hlab-run /run || exit 1
mkdir -p /run/lock /run/apache2
mount -t tmpfs -o mode=1777 hlab-shm /dev/shm || exit 1
mount --bind "$dir/apache2" /etc/apache2 || exit 1
mkdir -p /var/www/html 2>/dev/null
mount --bind "$dir/www" /var/www/html || exit 1
touch "$dir/booted"
# bash reaps every child that ends, including daemons reparented to it.
end=$((SECONDS + max_s))
while ((SECONDS < end)); do
  sleep 1 &
  wait $! 2>/dev/null
done
