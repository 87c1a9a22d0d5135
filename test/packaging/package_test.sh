#!/usr/bin/env bash
# Builds the DEB and RPM with CPack from a configured build tree and checks their
# metadata and contents; unpacks the .deb into a scratch root and runs hactl from it.
#   test/packaging/package_test.sh BUILD_DIR HACTL_BINARY
# Exit 0 pass, 1 fail, 77 skipped (dpkg-deb, rpm or rpmbuild missing).
set -u
build=$(cd "${1:?usage: package_test.sh BUILD_DIR HACTL_BINARY}" && pwd)
bin=${2:?usage: package_test.sh BUILD_DIR HACTL_BINARY}
for t in cpack dpkg-deb rpm rpmbuild; do
  command -v "$t" >/dev/null 2>&1 || { echo "SKIP: '$t' is not installed (dpkg-dev, rpm and cmake are needed)"; exit 77; }
done
[ -f "$build/CPackConfig.cmake" ] || { echo "FAIL: no CPackConfig.cmake in $build"; exit 1; }
[ -x "$bin" ] || { echo "FAIL: $bin is not built"; exit 1; }
version=$("$bin" --version | awk '{print $2}')
[ -n "$version" ] || { echo "FAIL: hactl --version printed no version"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
has() {  # WHAT TEXT REGEX
  grep -Eq -- "$3" <<<"$2" && echo "ok: $1" || fail "$1: /$3/ not found in:
$2"
}

start=$(date +%s%N)
if ! (cd "$work" && cpack -G "DEB;RPM" --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1); then
  cat "$work/cpack.log"; echo "FAIL: cpack failed"; exit 1
fi
echo "cpack: $(( ($(date +%s%N) - start) / 1000000 )) ms"
deb=$(ls "$work"/out/*.deb 2>/dev/null | head -n 1)
rpmf=$(ls "$work"/out/*.rpm 2>/dev/null | head -n 1)
[ -n "$deb" ] || { cat "$work/cpack.log"; echo "FAIL: no .deb produced"; exit 1; }
[ -n "$rpmf" ] || { cat "$work/cpack.log"; echo "FAIL: no .rpm produced"; exit 1; }
echo "built $(basename "$deb") and $(basename "$rpmf")"

# --- DEB ---
info=$(dpkg-deb -I "$deb")
has "deb Package"      "$info" "^ Package: hactl$"
has "deb Version"      "$info" "^ Version: ${version//./\\.}$"
has "deb Architecture" "$info" "^ Architecture: $(dpkg --print-architecture 2>/dev/null || echo amd64)$"
has "deb Depends"      "$info" "^ Depends: .*iproute2"
has "deb Conflicts"    "$info" "^ Conflicts: .*pacemaker-cli-utils"
has "deb Section"      "$info" "^ Section: admin$"
has "deb Description"  "$info" "^ Description: High availability"
list=$(dpkg-deb -c "$deb")
has "deb has /usr/sbin/hactl, executable" "$list" "^-rwxr-xr-x .* \./usr/sbin/hactl$"
for t in crm_resource crm_node crm_verify crm_mon crm_simulate crm_attribute cibadmin; do
  has "deb has $t -> hactl" "$list" "^l.* \./usr/sbin/$t -> hactl$"
done
has "deb has the systemd unit" "$list" " \./usr/lib/systemd/system/hactl\.service$"
has "deb has /etc/hactl/"      "$list" "^drwxr-xr-x .* \./etc/hactl/$"
has "deb has /var/lib/hactl/ (0750)" "$list" "^drwxr-x--- .* \./var/lib/hactl/$"
has "deb has the README"       "$list" " \./usr/share/doc/hactl/README\.md$"
has "deb has docs/on-disk.md"  "$list" " \./usr/share/doc/hactl/on-disk\.md$"
has "deb has hactl(8)"         "$list" " \./usr/share/man/man8/hactl\.8$"
has "deb has the bash completion" "$list" " \./usr/share/bash-completion/completions/hactl$"

root=$work/root
mkdir -p "$root"
dpkg -x "$deb" "$root" || fail "dpkg -x failed"
out=$("$root/usr/sbin/hactl" --version 2>&1)
[ "$out" = "hactl $version" ] && echo "ok: hactl --version from the unpacked .deb: $out" || fail "unpacked hactl --version: '$out'"
out=$(cd "$work" && "$root/usr/sbin/crm_verify" --version 2>&1 | head -n 1)
[ "$(readlink "$root/usr/sbin/crm_verify")" = hactl ] && [ -n "$out" ] &&
  echo "ok: crm_verify personality runs from the unpacked .deb" || fail "crm_verify from the .deb: '$out'"
if command -v file >/dev/null 2>&1; then
  has "packaged binary is static and stripped" "$(file -L "$root/usr/sbin/hactl")" "statically linked.*stripped|static-pie linked.*stripped"
fi
unit=$(cat "$root/usr/lib/systemd/system/hactl.service")
has "unit runs the agent in the foreground" "$unit" "^ExecStart=/usr/sbin/hactl daemon --foreground$"
has "unit Type=simple"        "$unit" "^Type=simple$"
has "unit restarts on failure" "$unit" "^Restart=on-failure$"
has "unit is installable"     "$unit" "^WantedBy=multi-user\.target$"

# --- RPM ---
info=$(rpm -qip "$rpmf" 2>/dev/null)
has "rpm Name"    "$info" "^Name +: hactl$"
has "rpm Version" "$info" "^Version +: ${version//./\\.}$"
has "rpm License" "$info" "^License +: GPLv2\+$"
has "rpm Summary" "$info" "^Summary +: High availability"
has "rpm Requires iproute" "$(rpm -qp --requires "$rpmf" 2>/dev/null)" "^iproute$"
has "rpm Conflicts pacemaker-cli" "$(rpm -qp --conflicts "$rpmf" 2>/dev/null)" "^pacemaker-cli$"
list=$(rpm -qlp "$rpmf" 2>/dev/null)
for f in /usr/sbin/hactl /usr/sbin/crm_mon /usr/sbin/crm_resource /usr/lib/systemd/system/hactl.service \
         /etc/hactl /var/lib/hactl /usr/share/doc/hactl/README.md /usr/share/man/man8/hactl.8 \
         /usr/share/bash-completion/completions/hactl; do
  has "rpm has $f" "$list" "^${f//./\\.}$"
done
owned=
for f in /etc /var /var/lib /usr /usr/sbin /usr/lib /usr/lib/systemd /usr/lib/systemd/system /usr/share /usr/share/doc \
         /usr/share/man /usr/share/man/man8 /usr/share/bash-completion /usr/share/bash-completion/completions; do
  grep -qx -- "$f" <<<"$list" && owned="$owned $f"
done
[ -z "$owned" ] && echo "ok: rpm owns no distribution directory" || fail "rpm owns distribution directories:$owned"
has "rpm symlink crm_mon -> hactl" "$(rpm -qp --dump "$rpmf" 2>/dev/null | grep '^/usr/sbin/crm_mon ')" " hactl$"

if [ $failures -gt 0 ]; then echo "FAIL: $failures packaging check(s) failed"; exit 1; fi
echo "PASS: packaging"
