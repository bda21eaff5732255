#!/usr/bin/env bash
# Contract test: the official Huawei Cloud Python SDK against the local sandbox (hwsandbox).
#
#   scripts/contract-test.sh
#
# Environment:
#   FLEETDESK_VENV  virtualenv to create/reuse (default: $REPO/.venv-contract)
#   HWSANDBOX_BIN   sandbox binary to test (default: $REPO/target/debug/hwsandbox, built when missing)
#   PYTHON          interpreter used to create the virtualenv (default: python3, needs >= 3.8)
#
# The last line of output is the test's summary, `contract: N passed, M failed`;
# the exit status is non-zero when anything failed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FLEETDESK_VENV:-$REPO/.venv-contract}"
PYTHON="${PYTHON:-python3}"
TEST="$REPO/crates/sandbox/contract/contract_gsl.py"
PINS=(huaweicloudsdkcore==3.1.219 huaweicloudsdkgsl==3.1.219 huaweicloudsdkiam==3.1.219)

setup_failed() {
    echo "contract-test: $*" >&2
    echo "contract: 0 passed, 1 failed"
    exit 1
}

# 1. virtualenv with the pinned SDK (installed only when missing or at another version)
if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV" || setup_failed "cannot create virtualenv $VENV"
fi
pins_present() {
    # importlib.metadata only reads dist-info; it does not import the SDK (which would write ~/.huaweicloud)
    "$VENV/bin/python" - "${PINS[@]}" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version
for spec in sys.argv[1:]:
    name, want = spec.split("==")
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
EOF
}
if ! pins_present; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}" \
        || setup_failed "pip install ${PINS[*]} failed"
fi

# 2. the sandbox binary
if [[ -n "${HWSANDBOX_BIN:-}" ]]; then
    BIN="$HWSANDBOX_BIN"
else
    BIN="$REPO/target/debug/hwsandbox"
    if [[ ! -x "$BIN" ]]; then
        (cd "$REPO" && cargo build -q -p sandbox --bin hwsandbox) || setup_failed "cargo build -p sandbox --bin hwsandbox failed"
    fi
fi
[[ -x "$BIN" ]] || setup_failed "sandbox binary $BIN not found or not executable"

# 3. run the test with a throwaway HOME: importing the SDK writes ~/.huaweicloud/application_id
TEST_HOME="$(mktemp -d "${TMPDIR:-/tmp}/contract-home.XXXXXX")"
trap 'rm -rf "$TEST_HOME"' EXIT
status=0
HOME="$TEST_HOME" PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" -u "$TEST" "$BIN" || status=$?
exit "$status"
