#!/usr/bin/env bash
# Installs the real TLS servers and tools hellokit's peer tests run against (test/peers/).
# Idempotent and quiet. Package maintainer scripts may try to start daemons; none may stay
# running or listen on a non-loopback address afterwards.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(caddy nginx-light haproxy gnutls-bin openssl sslscan testssl.sh tshark iproute2 ca-certificates util-linux chromium firefox-esr curl)
services=(nginx haproxy caddy)

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo -n); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  # Keep postinst scripts from starting services (policy-rc.d exit 101 = "not allowed"),
  # unless the image already has its own policy.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    own_policy=1
  fi
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | "${sudo[@]}" debconf-set-selections
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$own_policy" = 1 ]; then "${sudo[@]}" rm -f "$policy"; fi
fi

# Stop and disable anything the packages started by themselves (systemd or sysvinit).
for s in "${services[@]}"; do
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${sudo[@]}" systemctl disable --now "$s" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$s" ]; then
    "${sudo[@]}" "/etc/init.d/$s" stop >/dev/null 2>&1 || true
  fi
done
# No server from these packages may listen beyond loopback once installation is done (the
# services are stopped through their own init scripts above, never by process name, so
# servers that tests run on loopback are left alone).
if command -v ss >/dev/null 2>&1; then
  listening=$(ss -Hltnup 2>/dev/null | grep -E '"(caddy|nginx|haproxy|gnutls-serv)"' \
    | awk '$5 !~ /^(127\.|\[::1\]:|\[::ffff:127\.)/' || true)
  if [ -n "$listening" ]; then
    echo "install-peers: a peer server listens beyond loopback after install; stop it:" >&2
    echo "$listening" >&2
    exit 1
  fi
fi

for b in caddy nginx haproxy gnutls-serv openssl sslscan testssl tshark ip setpriv chromium curl; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || { echo "install-peers: $b missing after install" >&2; exit 1; }
done
echo "install-peers: caddy $(caddy version | cut -d' ' -f1), $(nginx -v 2>&1 | cut -d' ' -f3), $(haproxy -v | head -1 | cut -d' ' -f1-3), $(openssl version | cut -d' ' -f1-2), $(gnutls-serv --version | head -1)"
