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
# It runs crates/sandbox/contract/contract_gsl.py (GSL v3 + IAM) and contract_bss.py (BSS v2),
# each against its own fresh sandbox. Each script ends with its own `contract: N passed, M failed`,
# shown here as `contract (gsl): ...` / `contract (bss): ...`. The last line of output is the
# combined summary, `contract: N passed, M failed`; the exit status is non-zero when anything failed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FLEETDESK_VENV:-$REPO/.venv-contract}"
PYTHON="${PYTHON:-python3}"
CONTRACT_DIR="$REPO/crates/sandbox/contract"
SUITES=(gsl bss)   # runs $CONTRACT_DIR/contract_<suite>.py
PINS=(huaweicloudsdkcore==3.1.219 huaweicloudsdkgsl==3.1.219 huaweicloudsdkiam==3.1.219 huaweicloudsdkbss==3.1.219)

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

# 3. run each suite with a throwaway HOME (importing the SDK writes ~/.huaweicloud/application_id)
#    and add up the summaries. A suite that dies without its summary line, or exits non-zero with
#    nothing failed, counts as one failure, so a crash can never pass.
TEST_HOME="$(mktemp -d "${TMPDIR:-/tmp}/contract-home.XXXXXX")"
trap 'rm -rf "$TEST_HOME"' EXIT
passed=0
failed=0
for suite in "${SUITES[@]}"; do
    out="$TEST_HOME/$suite.out"
    set +e
    HOME="$TEST_HOME" PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" -u "$CONTRACT_DIR/contract_$suite.py" "$BIN" \
        | tee "$out" | sed -u "s/^contract: /contract ($suite): /"
    rc=${PIPESTATUS[0]}
    set -e
    summary="$(grep -E '^contract: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)"
    if [[ "$summary" =~ ^contract:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1]))
        failed=$((failed + BASH_REMATCH[2]))
        if [[ "$rc" -ne 0 && "${BASH_REMATCH[2]}" -eq 0 ]]; then
            echo "contract-test: contract_$suite.py exited with status $rc although nothing failed" >&2
            failed=$((failed + 1))
        fi
    else
        echo "contract-test: contract_$suite.py printed no summary (exit status $rc)" >&2
        failed=$((failed + 1))
    fi
done
echo "contract: $passed passed, $failed failed"
if [[ "$failed" -ne 0 ]]; then
    exit 1
fi
