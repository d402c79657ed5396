#!/usr/bin/env bash
# HAProxy fail-over under load (bench, not CI): Debian's haproxy on loopback in front of two
# gopherpress processes, each with its own copy of content/; gopherload drives HAProxy while one
# replica is killed. Reports requests served and errors for a hard kill (SIGKILL) and a graceful
# stop (SIGTERM). Needs: apt-get install -y haproxy; npm run build; make in /work/shared/tools/gopherload.
#   bench/haproxy-failover.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}
FRONT=${FRONT:-17070}; P1=${P1:-17071}; P2=${P2:-17072}
LOAD=${GOPHERLOAD:-/work/shared/tools/gopherload/gopherload}
SEL='/Friedensverhandlungen-Ukraine/!6084887'
command -v haproxy >/dev/null || { echo "haproxy not installed (apt-get install -y haproxy)" >&2; exit 2; }
[ -x "$LOAD" ] || { echo "gopherload not built: make -C $(dirname "$LOAD")" >&2; exit 2; }
[ -f dist/src/cli/main.js ] || { echo "run npm run build first" >&2; exit 2; }
TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

start_replica() { # name port → pid
  mkdir -p "$TMP/$1" && cp -r content "$TMP/$1/content"
  node dist/src/cli/main.js serve --content "$TMP/$1/content" --port "$2" --bind 127.0.0.1 \
    --hostname 127.0.0.1 --no-watch --quiet --trusted-proxy 127.0.0.1 >"$TMP/$1.log" 2>&1 &
  echo $!
}
# A replica takes connections from 127.0.0.1 only with a PROXY header: wait for it to accept, not to answer.
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# The shipped config, moved to loopback ports.
sed -e "s/bind :70/bind 127.0.0.1:$FRONT/" -e '/bind :::70/d' -e "s/127.0.0.1:7071/127.0.0.1:$P1/" \
    -e "s/127.0.0.1:7072/127.0.0.1:$P2/" deploy/haproxy.cfg >"$TMP/haproxy.cfg"
haproxy -f "$TMP/haproxy.cfg" -db >"$TMP/haproxy.log" 2>&1 &
PIDS+=($!)

run() { # signal
  local gp1 gp2
  gp1=$(start_replica gp1 "$P1"); PIDS+=("$gp1")
  gp2=$(start_replica gp2 "$P2"); PIDS+=("$gp2")
  wait_port "$P1"; wait_port "$P2"; wait_port "$FRONT"
  sleep 2 # both replicas marked up by the health check
  local bytes
  bytes=$(curl -s "gopher://127.0.0.1:$FRONT/1$SEL" | wc -c)
  "$LOAD" -p "$FRONT" -c 32 -d "$SECS" -s "$SEL" -e "$bytes" >"$TMP/load.out" 2>&1 &
  local load=$!
  sleep $((SECS / 3))
  kill "-$1" "$gp1"
  wait "$load" || true
  echo "$1 of one replica after $((SECS / 3)) s of $SECS s, 32 connections: $(tail -1 "$TMP/load.out")"
  kill "$gp2" 2>/dev/null || true
  wait "$gp1" "$gp2" 2>/dev/null || true
  sleep 2 # let the health check see both down before the next round
}
run KILL
run TERM
