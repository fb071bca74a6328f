#!/usr/bin/env bash
# Installs the Debian packages the tests use as independent, real clients and servers: a real Docker Engine
# (docker.io; busybox-static for a registry-free image), the Python Azure SDK and az CLI. Idempotent: installs only
# what is missing. Service starts are refused during the install (policy-rc.d), so no dockerd or containerd ever runs
# on the host's own network: the tests start their own, inside namespaces they create.
set -euo pipefail

packages=(docker.io busybox-static python3-azure azure-cli iptables nftables iproute2 util-linux curl)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-debian-packages: cannot install ${missing[*]} (needs root and apt-get); the tests that need them are skipped" >&2
  exit 0
fi

policy=/usr/sbin/policy-rc.d
placed_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && placed_policy=1
fi
trap '[ "$placed_policy" = 1 ] && rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-debian-packages: installed ${missing[*]}"
