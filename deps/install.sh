#!/usr/bin/env bash
# deps/install.sh -- installs and checks what ringkv builds and tests with.
#
# Debian packages only; nothing from other projects is copied into this tree.
# Idempotent: packages already present are not touched, so `make test` on a
# prepared machine costs a dpkg query, not an apt run.
#
#   deps/install.sh          build + test dependencies
#   deps/install.sh --build  only what building the server needs
#
# Versions pinned by minimum (Debian 12 "bookworm" ships these):
#   libjemalloc-dev 5.3   liburing-dev 2.3   libhiredis-dev 0.14   tcl 8.6
#   redis-tools / redis-server 7.0 (reference server for differential tests)
set -euo pipefail

BUILD_PKGS=(build-essential libjemalloc-dev liburing-dev pkg-config)
TEST_PKGS=(libhiredis-dev tcl redis-tools redis-server netcat-openbsd procps iproute2)

want=("${BUILD_PKGS[@]}")
[[ "${1:-}" == "--build" ]] || want+=("${TEST_PKGS[@]}")

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
    echo "deps: installing ${missing[*]}"
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # redis-server's package starts a service on 6379 where an init system
    # runs; policy-rc.d forbids that (tests never use 6379 anyway).
    if [[ " ${missing[*]} " == *" redis-server "* && ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod +x /usr/sbin/policy-rc.d
        trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Version checks: fail early with a clear message rather than deep in a build.
check() { # check PKG MIN
    local v
    v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true)
    if [[ -z "$v" ]]; then echo "deps: $1 is missing" >&2; exit 1; fi
    if dpkg --compare-versions "${v#*:}" lt "$2"; then
        echo "deps: $1 $v is older than the required $2" >&2; exit 1
    fi
    printf 'deps: %-16s %s\n' "$1" "$v"
}
check libjemalloc-dev 5.2
check liburing-dev 2.1
if [[ "${1:-}" != "--build" ]]; then
    check libhiredis-dev 0.14
    check tcl 8.6
    check redis-tools 7.0
fi
