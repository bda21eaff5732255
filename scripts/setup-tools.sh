#!/usr/bin/env bash
# Installs the tools the web console's build and browser tests need. Safe to re-run: each step
# checks first. Nothing is downloaded except from crates.io, npm and Debian.
#   - the wasm32-unknown-unknown target
#   - wasm-bindgen-cli at exactly the version in Cargo.lock (into .tools/bin)
#   - wasm-opt from npm's binaryen 132 (Debian's binaryen 108 breaks release modules)
#   - Debian chromium (Playwright drives it; no browser download)
#   - Playwright's test runner in end2end/
#   - a Chinese font (Debian fonts-wqy-microhei) for PDF statements; poppler-utils to read them in tests
#   --build-only   only what building and serving need (no Chromium, no Playwright): used by serve.sh
set -euo pipefail
BUILD_ONLY=false
[[ "${1:-}" == "--build-only" ]] && BUILD_ONLY=true

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/.tools"
mkdir -p "$TOOLS/bin"
export PATH="$TOOLS/bin:$PATH"

step() { echo "== setup: $*"; }

if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
    step "rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$REPO/Cargo.lock" 2>/dev/null || true)"
WB_VERSION="${WB_VERSION:-0.2.130}"
if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]]; then
    step "wasm-bindgen-cli $WB_VERSION (built from crates.io source, ~3 minutes)"
    SRC="$(mktemp -d)"
    (
        cd "$SRC"
        cargo install --locked --root "$SRC/probe" wasm-bindgen-cli --version "$WB_VERSION" >/dev/null 2>&1 || true
        CRATE="$(ls -t ~/.cargo/registry/cache/*/wasm-bindgen-cli-"$WB_VERSION".crate | head -n 1)"
        tar xzf "$CRATE"
        cd "wasm-bindgen-cli-$WB_VERSION"
        # The published lockfile pins a webpki-roots that is no longer on crates.io.
        cargo update -q -p webpki-roots --precise 1.0.10 2>/dev/null || true
        cargo install --locked --root "$TOOLS" --path . --bin wasm-bindgen
    )
    rm -rf "$SRC"
fi

if [[ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]]; then
    step "wasm-opt (npm binaryen@132.0.0)"
    npm install --silent --prefix "$TOOLS" binaryen@132.0.0
fi
ln -sf "$TOOLS/node_modules/.bin/wasm-opt" "$TOOLS/bin/wasm-opt"

apt_install() {
    if [[ "$(id -u)" == 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
    else
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
            || { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
    fi
}

if [[ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]]; then
    step "Chinese font for PDF statements (fonts-wqy-microhei)"
    apt_install fonts-wqy-microhei || echo "setup: no Chinese font: PDF statements will be unavailable"
fi

if $BUILD_ONLY; then
    step "tools ready (build only)"
    exit 0
fi

if [[ ! -x /usr/bin/chromium ]]; then
    step "Debian chromium"
    if [[ "$(id -u)" == 0 ]]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium brotli >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium brotli >/dev/null
    fi
fi
if ! command -v brotli >/dev/null 2>&1; then
    step "brotli"
    apt-get install -y -qq brotli >/dev/null 2>&1 || sudo apt-get install -y -qq brotli >/dev/null
fi

if ! command -v pdftotext >/dev/null 2>&1; then
    step "poppler-utils (tests read PDF statements back)"
    apt_install poppler-utils
fi

if [[ -f "$REPO/end2end/package.json" && ! -d "$REPO/end2end/node_modules/@playwright/test" ]]; then
    step "Playwright test runner (npm ci in end2end/, no browser download)"
    (cd "$REPO/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent)
fi
step "tools ready"
