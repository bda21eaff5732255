#!/usr/bin/env bash
# Serves the console at http://127.0.0.1:3000 on the embedded defaults (SQLite under ./data, the
# Huawei Cloud sandbox in-process). Installs the build tools on first use; safe to re-run.
# Configure with fleetdesk.toml or FLEETDESK_* variables (see README) to use the real Huawei Cloud.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
bash scripts/setup-tools.sh --build-only
bash scripts/build.sh --release
export LEPTOS_SITE_ROOT="$REPO/target/site"
exec "$REPO/target/server-release/fleetdesk"
