#!/usr/bin/env bash
# Builds a local Java 17 base image without a registry: a minimal Debian bookworm root filesystem
# (debootstrap, from the mirror apt is configured with) imported into Docker.
#
#   docker/base-image.sh [NAME]        # default foresight-base:bookworm; skipped when it exists
#
# Needs root, debootstrap and a running Docker engine. About a minute and 480 MB.
set -euo pipefail
NAME=${1:-foresight-base:bookworm}
if docker image inspect "$NAME" >/dev/null 2>&1; then
  echo "base image $NAME exists"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
MIRROR=${DEBIAN_MIRROR:-$( (grep -rhoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null || true) \
  | grep "/debian" | grep -v security | head -1 | awk '{print $2}')}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
DIR=$(mktemp -d /tmp/foresight-rootfs.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
echo "debootstrap bookworm from $MIRROR into $DIR"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$DIR" "$MIRROR" >"$DIR.log" 2>&1 \
  || { tail -20 "$DIR.log" >&2; exit 1; }
rm -rf "$DIR"/var/cache/apt/archives/*.deb "$DIR"/var/lib/apt/lists/*
tar -C "$DIR" -c . | docker import -c 'ENV LANG=C.UTF-8' - "$NAME" >/dev/null
rm -f "$DIR.log"
echo "base image $NAME built"
