#!/usr/bin/env bash
# The one build path of the console: the hydrate WASM (wasm-bindgen, and wasm-opt in release), the CSS,
# and the server binary, from the same sources and flags. Output: target/site/pkg/ and the server binary.
#   scripts/build.sh            debug build (tests, development)
#   scripts/build.sh --release  release build (serving, size measurements)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export PATH="$REPO/.tools/bin:$PATH"
NAME=fleetdesk
SITE="$REPO/target/site"
PKG="$SITE/pkg"

if [[ "${1:-}" == "--release" ]]; then
    WASM_PROFILE=wasm-release SERVER_PROFILE=server-release
else
    WASM_PROFILE=dev SERVER_PROFILE=dev
fi
WASM_DIR=$([[ $WASM_PROFILE == dev ]] && echo debug || echo "$WASM_PROFILE")

echo "== build: hydrate WASM ($WASM_PROFILE)"
cargo build --locked -q -p frontend --lib --target wasm32-unknown-unknown --profile "$WASM_PROFILE"
mkdir -p "$PKG"
wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name "$NAME" \
    "target/wasm32-unknown-unknown/$WASM_DIR/frontend.wasm"
# The hydration script loads <name>.wasm.
mv -f "$PKG/${NAME}_bg.wasm" "$PKG/$NAME.wasm"
if [[ $WASM_PROFILE != dev ]]; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        "$PKG/$NAME.wasm" -o "$PKG/$NAME.wasm"
fi
cp style/main.css "$PKG/$NAME.css"
cp -r public/. "$SITE/" 2>/dev/null || true

echo "== build: server ($SERVER_PROFILE)"
cargo build --locked -q -p server --bin fleetdesk --profile "$SERVER_PROFILE"
