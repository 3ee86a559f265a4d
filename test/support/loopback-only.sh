#!/bin/sh
# Runs its arguments inside a fresh network namespace that has nothing but loopback, so the
# DynamoDB Local started by the tests (which listens on all interfaces) is unreachable from
# outside. Falls back to running the arguments directly, with a warning, when that is not possible.
#   usage: sh test/support/loopback-only.sh <command> [args...]
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: sh $0 <command> [args...]" >&2
  exit 64
fi

# Interfaces of this process's network namespace (/proc/net/dev is per namespace; /sys/class/net is not).
interfaces() {
  awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev
}

if [ "$(interfaces)" = "lo" ]; then
  echo "loopback-only: already in a loopback-only network namespace; running directly" >&2
  exec "$@"
fi

if ! command -v unshare >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1 || ! unshare -rn true 2>/dev/null; then
  echo "loopback-only: WARNING: cannot create a network namespace (unshare -rn or ip unavailable); running without network isolation" >&2
  exec "$@"
fi

# Inside: bring loopback up (it starts down), refuse to go on if anything else exists, then run.
exec unshare -rn sh -c '
  set -eu
  ip link set lo up
  others=$(awk -F: '\''NR > 2 { gsub(/ /, "", $1); if ($1 != "lo") print $1 }'\'' /proc/net/dev)
  if [ -n "$others" ]; then
    echo "loopback-only: unexpected interfaces in the new namespace: $others" >&2
    exit 70
  fi
  exec "$@"
' loopback-only "$@"
