#!/bin/bash
# First process of a dockervm guest sandbox: PID 1 of its PID namespace, in its own mount, UTS and IPC namespaces and
# in the network namespace the host made for it. Mounts the guest's private views, then becomes its init.
#   guest-boot.sh <sandbox dir> <host name> <admin user or -> <dockerd: usr-sbin (Debian) or usr-bin (Ubuntu, docker-ce)>
# Every mount is in this mount namespace only (propagation private). /etc, /usr, /var, /home, /root, /opt and /srv are
# overlays with the host's directory below and <sandbox dir>/<name>.upper above, so whatever the guest writes lands
# there and the host's files are never written; /run and /tmp are fresh tmpfs.
set -euo pipefail
# A VM's init and services run with umask 022 (systemd's UMask= default), whatever the emulator's own is.
umask 022
root=$1 host_name=$2 admin=$3 layout=$4

mount --make-rprivate /
mount -t proc -o nosuid,nodev,noexec proc /proc
# /etc/docker as the docker.io package ships it (empty): the host's may hold a key.json of some other dockerd.
mkdir -p "$root/etc.upper/docker"
/usr/bin/python3 -c 'import os, sys; os.setxattr(sys.argv[1], "trusted.overlay.opaque", b"y")' "$root/etc.upper/docker"
if [ "$layout" = usr-bin ]; then
  # Ubuntu's docker.io and docker-ce have /usr/bin/dockerd only: the binary is kept aside before /usr is overlaid
  # (the upper layer hides /usr/sbin/dockerd with a whiteout and holds an empty /usr/bin/dockerd to mount it on).
  mount --bind /usr/sbin/dockerd "$root/dockerd.bin"
fi
for dir in etc usr var home root opt srv; do
  mkdir -p "$root/$dir.upper" "$root/$dir.work"
  mount -t overlay "dockervm-$dir" -o "lowerdir=/$dir,upperdir=$root/$dir.upper,workdir=$root/$dir.work" "/$dir"
done
[ "$layout" = usr-bin ] && mount --bind "$root/dockerd.bin" /usr/bin/dockerd
# dockerd's overlay2 and containerd's snapshots need a real file system below them, not an overlay.
mkdir -p /var/lib/docker /var/lib/containerd
mount --bind "$root/docker" /var/lib/docker
mount --bind "$root/containerd" /var/lib/containerd
# Last: from here on the sandbox directory (under the host's /tmp) is out of sight.
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p -m 1777 /run/lock
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp

hostname "$host_name"
echo "$host_name" >/etc/hostname
printf '127.0.0.1 localhost\n127.0.1.1 %s\n::1 localhost ip6-localhost ip6-loopback\n' "$host_name" >/etc/hosts
# The VM's admin user, as the provisioning agent creates it from osProfile.
if [ "$admin" != - ] && ! getent passwd "$admin" >/dev/null; then
  useradd --create-home --shell /bin/bash "$admin"
fi
exec /usr/bin/python3 /usr/lib/dockervm/guest-init.py
