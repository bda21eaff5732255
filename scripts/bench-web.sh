#!/usr/bin/env bash
# Benchmark program for the web foundation (not a timed test): release WASM/JS/CSS sizes (raw and
# brotli -q 11) and time to first byte of the signed-in home page, against /healthz in the same run.
#   scripts/bench-web.sh [requests]      prints a Markdown section for BENCHMARKS.md
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
N="${1:-200}"
bash scripts/setup-tools.sh >/dev/null
bash scripts/build.sh --release >/dev/null

PKG=target/site/pkg
echo "## Web console: release assets and time to first byte"
echo
echo "| asset | raw bytes | brotli -q 11 bytes |"
echo "|---|---|---|"
for f in fleetdesk.wasm fleetdesk.js fleetdesk.css; do
    raw=$(stat -c %s "$PKG/$f")
    br=$(brotli -q 11 -c "$PKG/$f" | wc -c)
    echo "| $f | $raw | $br |"
done

DATA="$(mktemp -d)"
PORT=3197
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
LEPTOS_SITE_ROOT="$REPO/target/site" FLEETDESK_BIND="127.0.0.1:$PORT" FLEETDESK_DATA_DIR="$DATA" \
    DATABASE_URL="sqlite://$DATA/fleetdesk.db?mode=rwc" FLEETDESK_LOG=warn \
    target/server-release/fleetdesk 2>/dev/null &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
JAR="$DATA/cookies"
BASE="http://127.0.0.1:$PORT"
curl -sf -c "$JAR" -H "Origin: $BASE" -H 'Accept: application/json' -d 'user=fleet' "$BASE/api/sign_in_demo" >/dev/null
status=$(curl -s -o /dev/null -b "$JAR" -H 'Accept: text/html' -w '%{http_code}' "$BASE/")
[[ "$status" == 200 ]] || { echo "bench-web: the signed-in home page answered $status, not 200" >&2; exit 1; }

median_ms() { # url, extra curl args...
    local url=$1; shift
    for _ in $(seq 1 "$N"); do
        curl -s -o /dev/null -b "$JAR" -H 'Accept: text/html' -w '%{time_starttransfer}\n' "$@" "$url"
    done | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] * 1000 }'
}
home=$(median_ms "$BASE/")
login=$(median_ms "$BASE/login")
health=$(median_ms "$BASE/healthz")
echo
echo "Time to first byte, median of $N sequential requests over loopback (curl), release server, SQLite, in-process sandbox:"
echo
echo "| page | TTFB | ratio to /healthz |"
echo "|---|---|---|"
awk -v h="$home" -v l="$login" -v z="$health" 'BEGIN {
    printf "| / (signed in as fleet) | %s ms | %.1f |\n", h, h / z
    printf "| /login | %s ms | %.1f |\n", l, l / z
    printf "| /healthz | %s ms | 1.0 |\n", z
}'
