#!/usr/bin/env python3
"""Contract test: the official Huawei Cloud Python SDK against `hwsandbox`.

The SDK (huaweicloudsdkcore / huaweicloudsdkgsl / huaweicloudsdkiam, pinned in
scripts/contract-test.sh) is used as an independent client: it signs every request
with SDK-HMAC-SHA256, serialises the typed request models and parses the answers
into its typed response models.  Every one of the 39 GSL v3 operations is called
through `GslClient`, plus IAM token/project/domain calls through `IamClient`.

Each check prints `ok   <name>` or `FAIL <name>: <reason>`; the last line is
`contract: N passed, M failed` and the exit status is 1 when M > 0.

Besides what the SDK itself enforces, every successful answer is type-checked
against the SDK's own model definitions (`openapi_types`), because the SDK silently
coerces e.g. "12" into 12 and drops unknown keys.

Usage:  contract_gsl.py [PATH_TO_HWSANDBOX]   (default: $HWSANDBOX_BIN)
Run it through scripts/contract-test.sh: the SDK writes ~/.huaweicloud on import,
and that script points HOME at a throwaway directory first.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from decimal import Decimal

# The SDK warns (DeprecationWarning, ImportWarning for python-dateutil,
# TypeConversionWarning) on stderr; the raw-JSON type checks below cover the
# interesting cases, so keep the output to one line per check.
warnings.simplefilter("ignore")

import huaweicloudsdkgsl.v3 as gsl  # noqa: E402
import huaweicloudsdkiam.v3 as iam  # noqa: E402
from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions import exceptions as sdk_exc  # noqa: E402
from huaweicloudsdkcore.http.http_config import HttpConfig  # noqa: E402
from huaweicloudsdkcore.region.region import Region  # noqa: E402
from huaweicloudsdkcore.utils.http_utils import sanitize_for_serialization  # noqa: E402

SEED = "7"
SIMS = "2000"
GSL_REGION = "cn-north-4"
UTC8 = dt.timezone(dt.timedelta(hours=8))
IMEI = "867530012345678"
POLL_SECONDS = float(os.environ.get("CONTRACT_POLL_SECONDS", "5"))


# --------------------------------------------------------------------------- #
# check bookkeeping
# --------------------------------------------------------------------------- #

class CheckError(Exception):
    """A check failed; the message is the reason printed after `FAIL name:`."""


PASSED = 0
FAILED = 0
CALLED_OPS = set()


def record(name, ok, reason=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
        print(f"ok   {name}", flush=True)
    else:
        FAILED += 1
        reason = " ".join(str(reason).split())  # one line
        print(f"FAIL {name}: {reason}", flush=True)


def check(name, fn, *args, **kwargs):
    """Run one named check; return fn's value, or None when it failed."""
    try:
        value = fn(*args, **kwargs)
    except CheckError as e:
        record(name, False, e)
        return None
    except Exception as e:  # a bug in the check itself still counts as a failure
        record(name, False, f"unexpected {type(e).__name__}: {e}")
        return None
    record(name, True)
    return value


def need(value, what):
    """Prerequisite from an earlier check; fail (not skip) when it is missing."""
    if value is None:
        raise CheckError(f"prerequisite missing: {what}")
    return value


def short(data, limit=400):
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    s = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, default=str)
    return s if len(s) <= limit else s[:limit] + "...(truncated)"


def req_str(req):
    try:
        return json.dumps(sanitize_for_serialization(req), ensure_ascii=False, default=str)
    except Exception:
        return repr(req)


def exc_str(e):
    if isinstance(e, sdk_exc.ServiceResponseException):
        return (f"{type(e).__name__} HTTP {e.status_code} error_code={e.error_code!r} "
                f"error_msg={short(e.error_msg or '', 300)!r} request_id={e.request_id!r}")
    if isinstance(e, sdk_exc.SdkException):
        return f"{type(e).__name__}: {e.error_msg}"
    return f"{type(e).__name__}: {e}"


def call(client, op, req):
    """Call one SDK operation; on any exception raise CheckError naming the request."""
    CALLED_OPS.add(op)
    try:
        return getattr(client, op)(req)
    except Exception as e:
        raise CheckError(f"{op} {req_str(req)} -> {exc_str(e)}") from e


def expect_error(client, op, req):
    """Call an operation that must fail; return the SDK exception."""
    CALLED_OPS.add(op)
    try:
        resp = getattr(client, op)(req)
    except sdk_exc.ServiceResponseException as e:
        return e
    except Exception as e:
        raise CheckError(f"{op} {req_str(req)} -> expected an HTTP error, got {exc_str(e)}") from e
    raise CheckError(f"{op} {req_str(req)} -> expected an HTTP error, got HTTP "
                     f"{resp.status_code} {short(resp.raw_content or b'')}")


def raw_json(resp):
    content = resp.raw_content
    if content is None or not content.strip():
        return None
    try:
        # Fractions as Decimal, so amounts compare exactly (BSS); GSL sends none.
        return json.loads(content, parse_float=Decimal)
    except ValueError as e:
        raise CheckError(f"answer is not JSON ({e}): {short(content)}") from e


# --------------------------------------------------------------------------- #
# type check of the raw JSON against the SDK's own models
# --------------------------------------------------------------------------- #

def _parses_as_datetime(s):
    try:
        dt.datetime.fromisoformat(s.replace("Z", "+00:00") if s.endswith("Z") else s)
        return True
    except ValueError:
        return False


def _jtype(v):
    return {dict: "object", list: "array", str: "string", bool: "boolean",
            int: "integer", float: "number", Decimal: "number", type(None): "null"}.get(type(v), type(v).__name__)


def validate(value, typ, path, errs, module):
    if value is None:
        return
    if typ.startswith("list["):
        if not isinstance(value, list):
            errs.append(f"{path}: expected array, got {_jtype(value)} {short(value, 60)}")
            return
        for i, item in enumerate(value[:100]):
            validate(item, typ[5:-1], f"{path}[{i}]", errs, module)
        return
    if typ.startswith("dict("):
        if not isinstance(value, dict):
            errs.append(f"{path}: expected object, got {_jtype(value)}")
        return
    if typ == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif typ in ("float", "decimal.Decimal"):
        # A JSON string in a number field would be kept as a str by the SDK: refuse it.
        ok = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    elif typ == "str":
        ok = isinstance(value, str)
    elif typ == "bool":
        ok = isinstance(value, bool)
    elif typ in ("datetime", "date"):
        ok = isinstance(value, str) and _parses_as_datetime(value)
    elif typ == "object":
        ok = True
    else:
        klass = getattr(module, typ, None)
        if klass is None:
            return
        if not isinstance(value, dict):
            errs.append(f"{path}: expected object {typ}, got {_jtype(value)} {short(value, 60)}")
            return
        for attr, sub in klass.openapi_types.items():
            key = klass.attribute_map[attr]
            if key in value:
                validate(value[key], sub, f"{path}.{key}", errs, module)
        return
    if not ok:
        errs.append(f"{path}: expected {typ}, got {_jtype(value)} {short(value, 60)}")


def typecheck(resp, module=gsl):
    """Validate the raw JSON answer against the response model; return the JSON."""
    data = raw_json(resp)
    klass = type(resp)
    errs = []
    types = klass.openapi_types
    amap = klass.attribute_map
    if list(amap.values()) == ["body"]:
            validate(data, types["body"], "$", errs, module)
    elif data is not None:
        if not isinstance(data, dict):
            raise CheckError(f"answer must be a JSON object, got {_jtype(data)}: {short(data)}")
        for attr, sub in types.items():
            key = amap[attr]
            if key in data:
                validate(data[key], sub, f"$.{key}", errs, module)
    if errs:
        raise CheckError("type mismatch vs SDK model " + klass.__name__ + ": " + "; ".join(errs[:5]))
    return data


# --------------------------------------------------------------------------- #
# response shape helpers
# --------------------------------------------------------------------------- #

def list_answer(op, req, resp, items_attr, nonempty=False, item_keys=()):
    """A GSL list answer: {limit, offset, count, <items>[]}; returns the items."""
    data = typecheck(resp)
    if not isinstance(data, dict):
        raise CheckError(f"{op} {req_str(req)}: answer is not an object: {short(resp.raw_content)}")
    if not isinstance(resp.count, int):
        raise CheckError(f"{op} {req_str(req)}: `count` missing or not an int: {short(data)}")
    items = getattr(resp, items_attr)
    if not isinstance(items, list):
        # the SDK turns [] into None only for whole payloads; here the key must be present
        if isinstance(data.get(items_attr), list) and not data[items_attr]:
            items = []
        else:
            raise CheckError(f"{op} {req_str(req)}: `{items_attr}` missing or not a list: {short(data)}")
    if resp.count < len(items):
        raise CheckError(f"{op} {req_str(req)}: count={resp.count} < {len(items)} items returned")
    if nonempty and not items:
        raise CheckError(f"{op} {req_str(req)}: expected at least one item, got count={resp.count}: {short(data)}")
    for i, item in enumerate(items):
        for key in item_keys:
            if getattr(item, key, None) is None:
                raise CheckError(f"{op} {req_str(req)}: {items_attr}[{i}].{key} missing: {short(data)}")
    return items


def work_order(op, req, resp):
    typecheck(resp)
    wo = resp.work_order_id
    if not isinstance(wo, int) or isinstance(wo, bool):
        raise CheckError(f"{op} {req_str(req)}: expected int work_order_id, answer {short(resp.raw_content or b'')}")
    return wo


def whole_payload(op, req, resp, allow_empty_list=False):
    """Whole-payload answers (bare string / bare array) land in `body`."""
    data = raw_json(resp)
    if resp.body is None and not (allow_empty_list and data == []):
        # The SDK fills `body` only from a JSON string, array or object (or non-JSON text);
        # a JSON boolean/number, an empty body, [] or {} all leave it None.
        declared = type(resp).openapi_types["body"]
        raise CheckError(f"{op} {req_str(req)}: HTTP {resp.status_code} answer "
                         f"{short(resp.raw_content or b'')!r} leaves the SDK's `body` None "
                         f"(SDK model {type(resp).__name__}.body is {declared})")
    typecheck(resp)
    return resp.body if resp.body is not None else []


def eventually(probe, timeout=POLL_SECONDS):
    """Poll probe() -> (ok, observed) until ok or timeout; return (ok, observed)."""
    deadline = time.monotonic() + timeout
    while True:
        ok, observed = probe()
        if ok or time.monotonic() >= deadline:
            return ok, observed
        time.sleep(0.2)


# --------------------------------------------------------------------------- #
# the sandbox process
# --------------------------------------------------------------------------- #

class Sandbox:
    def __init__(self, binary):
        self.binary = binary
        self.proc = None
        self.url = None
        self.log = tempfile.NamedTemporaryFile(prefix="hwsandbox-", suffix=".log", delete=False)

    def start(self, timeout=60):
        args = [self.binary, "--addr", "127.0.0.1:0", "--seed", SEED, "--sims", SIMS, "--rate-limit", "0"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL)
        first = {}

        def read_first():
            first["line"] = self.proc.stdout.readline().decode("utf-8", "replace").strip()

        t = threading.Thread(target=read_first, daemon=True)
        t.start()
        t.join(timeout)
        line = first.get("line")
        if line is None:
            raise CheckError(f"{' '.join(args)}: no stdout line within {timeout}s; {self.log_tail()}")
        prefix = "hwsandbox listening on "
        if not line.startswith(prefix):
            try:
                self.proc.wait(2)
            except subprocess.TimeoutExpired:
                pass
            raise CheckError(f"{' '.join(args)}: first stdout line {line!r} (exit status {self.proc.poll()}); "
                             f"{self.log_tail()}")
        self.url = line[len(prefix):].strip()

        def drain():  # keep the pipe from filling up
            for chunk in iter(lambda: self.proc.stdout.read(4096), b""):
                self.log.write(chunk)
                self.log.flush()

        threading.Thread(target=drain, daemon=True).start()
        return self.url

    def log_tail(self, n=15):
        try:
            self.log.flush()
            with open(self.log.name, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()[-n:]
            return "sandbox log tail: " + " | ".join(lines) if lines else "sandbox log empty"
        except OSError:
            return "sandbox log unavailable"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        try:
            self.log.close()
            if FAILED == 0:
                os.unlink(self.log.name)
            else:
                print(f"(sandbox log kept at {self.log.name})", flush=True)
        except OSError:
            pass


def print_credentials(binary):
    args = [binary, "--print-credentials", "--seed", SEED]
    try:
        out = subprocess.run(args, capture_output=True, timeout=60)
    except Exception as e:
        raise CheckError(f"{' '.join(args)}: {e}") from e
    if out.returncode != 0:
        raise CheckError(f"{' '.join(args)}: exit {out.returncode}: {short(out.stderr)}")
    try:
        creds = json.loads(out.stdout)
    except ValueError as e:
        raise CheckError(f"{' '.join(args)}: not JSON ({e}): {short(out.stdout)}") from e
    for key in ("account_name", "domain_id", "project_id", "users"):
        if key not in creds:
            raise CheckError(f"--print-credentials: key {key!r} missing: {short(creds)}")
    users = {u.get("name"): u for u in creds["users"]}
    for name in ("admin", "finance", "fleet", "readonly"):
        u = users.get(name)
        if not u:
            raise CheckError(f"--print-credentials: user {name!r} missing (have {sorted(users)})")
        for key in ("password", "ak", "sk", "project_id", "rights"):
            if not u.get(key):
                raise CheckError(f"--print-credentials: user {name!r} has no {key!r}")
    creds["by_name"] = users
    return creds


# --------------------------------------------------------------------------- #
# clients
# --------------------------------------------------------------------------- #

def http_config():
    cfg = HttpConfig.get_default_config()
    cfg.timeout = (5, 60)
    cfg.retry_times = 0
    return cfg


def gsl_client(url, ak, sk, project_id):
    return (gsl.GslClient.new_builder()
            .with_http_config(http_config())
            .with_credentials(BasicCredentials(ak, sk, project_id))
            .with_endpoints([url])
            .build())


def iam_client(url, ak, sk):
    return (iam.IamClient.new_builder()
            .with_http_config(http_config())
            .with_credentials(GlobalCredentials(ak, sk))
            .with_endpoints([url])
            .build())


# --------------------------------------------------------------------------- #
# the contract
# --------------------------------------------------------------------------- #

class Contract:
    def __init__(self, url, creds):
        self.url = url
        self.creds = creds
        admin = creds["by_name"]["admin"]
        self.admin = admin
        self.c = gsl_client(url, admin["ak"], admin["sk"], admin["project_id"])
        now = dt.datetime.now(UTC8)
        self.now8 = now
        self.cur_month = now.strftime("%Y-%m")
        self.prev_month = (now.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        self.suffix = uuid.uuid4().hex[:6]
        self.s = {}  # discovered ids

    # ---- helpers on the admin client ------------------------------------- #

    def show(self, sim_card_id):
        req = gsl.ShowSimCardRequest(sim_card_id=sim_card_id)
        resp = call(self.c, "show_sim_card", req)
        typecheck(resp)
        if resp.sim_card_id != sim_card_id:
            raise CheckError(f"show_sim_card {req_str(req)}: sim_card_id={resp.sim_card_id!r}, "
                             f"answer {short(resp.raw_content)}")
        return resp

    def wait_field(self, sim_card_id, field, want, after):
        def probe():
            v = getattr(self.show(sim_card_id), field)
            return v == want, v
        ok, seen = eventually(probe)
        if not ok:
            raise CheckError(f"after {after}: show_sim_card(sim_card_id={sim_card_id}).{field} = {seen!r}, "
                             f"expected {want!r} (waited {POLL_SECONDS:g}s)")

    def all_work_orders(self):
        found, page = [], 1
        while True:
            req = gsl.ListWorkOrdersRequest(limit=500, offset=page)
            resp = call(self.c, "list_work_orders", req)
            items = list_answer("list_work_orders", req, resp, "work_orders", item_keys=("id",))
            found += items
            if not items or len(found) >= resp.count or page >= 20:
                return resp.count, found
            page += 1

    # ---- discovery -------------------------------------------------------- #

    def list_sim_cards(self):
        req = gsl.ListSimCardsRequest(limit=50, offset=1)
        resp = call(self.c, "list_sim_cards", req)
        items = list_answer("list_sim_cards", req, resp, "sim_cards", nonempty=True,
                            item_keys=("sim_card_id", "sim_status", "iccid"))
        if len(items) != min(50, resp.count):
            raise CheckError(f"list_sim_cards {req_str(req)}: {len(items)} items for count={resp.count}")
        self.s["total_sims"] = resp.count
        self.s["page1"] = [x.sim_card_id for x in items]

    def list_sim_cards_paging(self):
        r1 = gsl.ListSimCardsRequest(limit=10, offset=1)
        r2 = gsl.ListSimCardsRequest(limit=10, offset=2)
        p1 = list_answer("list_sim_cards", r1, call(self.c, "list_sim_cards", r1), "sim_cards", nonempty=True)
        resp2 = call(self.c, "list_sim_cards", r2)
        p2 = list_answer("list_sim_cards", r2, resp2, "sim_cards", nonempty=True)
        ids1 = [x.sim_card_id for x in p1]
        ids2 = [x.sim_card_id for x in p2]
        if set(ids1) & set(ids2):
            raise CheckError(f"offset is a page number: page 1 {ids1} and page 2 {ids2} overlap")
        if len(ids1) != 10 or len(ids2) != 10:
            raise CheckError(f"limit=10 gave {len(ids1)} and {len(ids2)} items")

    def list_by_status(self, status, key, want):
        req = gsl.ListSimCardsRequest(sim_status=status, limit=50, offset=1)
        resp = call(self.c, "list_sim_cards", req)
        items = list_answer("list_sim_cards", req, resp, "sim_cards", nonempty=True,
                            item_keys=("sim_card_id", "sim_status"))
        wrong = [(x.sim_card_id, x.sim_status) for x in items if x.sim_status != status]
        if wrong:
            raise CheckError(f"list_sim_cards {req_str(req)}: cards with other status: {wrong[:5]}")
        multiply = set(self.s.get("multiply_ids", ()))
        cards = [x for x in items if x.sim_card_id not in multiply] or items
        if len(cards) < want:
            # fine, reuse; only the first is essential
            cards = (cards * want)[:want]
        self.s[key] = cards

    def list_sim_cards_sorted(self):
        req = gsl.ListSimCardsRequest(sort="flow_used", order="desc", limit=50, offset=1)
        items = list_answer("list_sim_cards", req, call(self.c, "list_sim_cards", req), "sim_cards", nonempty=True)
        used = [x.flow_used for x in items]
        if any(u is None for u in used) or used != sorted(used, reverse=True):
            raise CheckError(f"list_sim_cards {req_str(req)}: flow_used not descending: {used[:15]}")

    def list_sim_cards_bool_filter(self):
        # a Python bool query value is sent (and signed) as `false`
        req = gsl.ListSimCardsRequest(real_named=False, limit=50, offset=1)
        items = list_answer("list_sim_cards", req, call(self.c, "list_sim_cards", req), "sim_cards")
        wrong = [x.sim_card_id for x in items if x.real_named is not False]
        if wrong:
            raise CheckError(f"list_sim_cards {req_str(req)}: cards with real_named != false: {wrong[:10]}")

    def list_sim_pools_status(self):
        # `status` is declared csv, but the SDK sends repeated keys: status=1&status=3
        req = gsl.ListSimPoolsRequest(status=[1, 3], limit=10, offset=1)
        items = list_answer("list_sim_pools", req, call(self.c, "list_sim_pools", req), "pools")
        wrong = [(p.id, p.status) for p in items if p.status not in (1, 3)]
        if wrong:
            raise CheckError(f"list_sim_pools {req_str(req)}: pools with other status: {wrong[:10]}")

    def list_sim_device_multiply(self):
        req = gsl.ListSimDeviceMultiplyRequest(limit=10, offset=1)
        resp = call(self.c, "list_sim_device_multiply", req)
        items = list_answer("list_sim_device_multiply", req, resp, "sim_cards", nonempty=True,
                            item_keys=("sim_card_id", "cid"))
        self.s["multiply"] = items[0]
        self.s["multiply_ids"] = [x.sim_card_id for x in items]

    def search_by_iccid(self):
        card = need(self.s.get("in_use"), "in-use cards from list_sim_cards(sim_status=20)")[1]
        req = gsl.ListSimCardsRequest(main_search_type=1, main_search_key=card.iccid, limit=10)
        resp = call(self.c, "list_sim_cards", req)
        items = list_answer("list_sim_cards", req, resp, "sim_cards", nonempty=True)
        ids = [x.sim_card_id for x in items]
        if ids != [card.sim_card_id]:
            raise CheckError(f"list_sim_cards {req_str(req)}: expected exactly [{card.sim_card_id}], got {ids}")

    def show_sim_card(self):
        card = self.card("B")
        resp = self.show(card.sim_card_id)
        for key in ("sim_status", "iccid", "cid"):
            if getattr(resp, key) is None:
                raise CheckError(f"show_sim_card({card.sim_card_id}): `{key}` missing: {short(resp.raw_content)}")
        if resp.sim_status != 20:
            raise CheckError(f"show_sim_card({card.sim_card_id}).sim_status={resp.sim_status}, "
                             "but list_sim_cards(sim_status=20) returned it")
        if resp.iccid != card.iccid:
            raise CheckError(f"show_sim_card iccid {resp.iccid!r} != list_sim_cards iccid {card.iccid!r}")

    def card(self, role):
        """Distinct in-use cards for the different write groups, so they do not interfere."""
        cards = need(self.s.get("in_use"), "in-use cards from list_sim_cards(sim_status=20)")
        idx = {"A": 0, "B": 1, "E": 2, "F": 3, "G": 4, "H": 5, "R": 6, "S": 7}[role]
        return cards[idx % len(cards)]

    # ---- per-card reads -------------------------------------------------- #

    def show_real_named(self):
        card = self.card("B")
        req = gsl.ShowRealNamedRequest(sim_card_id=card.sim_card_id)
        resp = call(self.c, "show_real_named", req)
        typecheck(resp)
        if not isinstance(resp.real_named, bool) or not isinstance(resp.iccid, str):
            raise CheckError(f"show_real_named {req_str(req)}: need iccid (str) and real_named (bool): "
                             f"{short(resp.raw_content)}")

    def list_sim_price_plans(self):
        card = self.card("B")
        req = gsl.ListSimPricePlansRequest(sim_card_id=card.sim_card_id, limit=10, offset=1)
        resp = call(self.c, "list_sim_price_plans", req)
        body = whole_payload("list_sim_price_plans", req, resp)
        if not isinstance(body, list) or not body:
            raise CheckError(f"list_sim_price_plans {req_str(req)}: expected a non-empty array for an in-use card, "
                             f"raw {short(resp.raw_content)}")
        other = [p.sim_card_id for p in body if p.sim_card_id not in (None, card.sim_card_id)]
        if other:
            raise CheckError(f"list_sim_price_plans {req_str(req)}: plans of other cards {other[:5]}")

    def list_flow_by_sim_cards(self):
        card = self.card("B")
        req = gsl.ListFlowBySimCardsRequest(body=gsl.ListFlowBySimCardsReq(sim_card_ids=[card.sim_card_id]))
        resp = call(self.c, "list_flow_by_sim_cards", req)
        body = whole_payload("list_flow_by_sim_cards", req, resp)
        if not isinstance(body, list) or not body:
            raise CheckError(f"list_flow_by_sim_cards {req_str(req)}: expected a non-empty array, "
                             f"raw {short(resp.raw_content)}")

    def list_sim_card_flow_per_day(self):
        card = self.card("B")
        req = gsl.ListSimCardFlowPerDayRequest(body=gsl.SimCardFlowPerDayReq(
            sim_card_ids=[card.sim_card_id], month=self.cur_month))
        resp = call(self.c, "list_sim_card_flow_per_day", req)
        # an empty month is legitimate only on its first day
        body = whole_payload("list_sim_card_flow_per_day", req, resp, allow_empty_list=self.now8.day == 1)
        if not isinstance(body, list):
            raise CheckError(f"list_sim_card_flow_per_day {req_str(req)}: body is {type(body).__name__}")
        for day in body:
            if day.date is None or day.sim_flow is None:
                raise CheckError(f"list_sim_card_flow_per_day {req_str(req)}: item without date/sim_flow: "
                                 f"{short(resp.raw_content)}")

    def show_month_usages(self):
        card = self.card("B")
        req = gsl.ShowMonthUsagesRequest(body=gsl.ShowMonthUsageReq(
            sim_card_ids=[card.sim_card_id], billing_cycles=[self.cur_month, self.prev_month]))
        resp = call(self.c, "show_month_usages", req)
        typecheck(resp)
        usages = resp.month_usages
        if not isinstance(usages, list) or not usages:
            raise CheckError(f"show_month_usages {req_str(req)}: month_usages missing/empty: {short(resp.raw_content)}")
        if usages[0].sim_card_id != card.sim_card_id or not isinstance(usages[0].flow_usages, list):
            raise CheckError(f"show_month_usages {req_str(req)}: first entry {short(resp.raw_content)}")

    # ---- catalogue / pools ------------------------------------------------ #

    def list_pro_price_plans(self):
        req = gsl.ListProPricePlansRequest(limit=10, offset=1)
        list_answer("list_pro_price_plans", req, call(self.c, "list_pro_price_plans", req), "price_plans",
                    nonempty=True, item_keys=("price_plan_id", "price_plan_name"))

    def list_sim_pools(self):
        req = gsl.ListSimPoolsRequest(limit=10, offset=1, billing_cycle=self.cur_month)
        items = list_answer("list_sim_pools", req, call(self.c, "list_sim_pools", req), "pools",
                            nonempty=True, item_keys=("id",))
        self.s["pool"] = items[0].id

    def list_sim_pool_members(self):
        pool = need(self.s.get("pool"), "a pool id from list_sim_pools")
        req = gsl.ListSimPoolMembersRequest(sim_pool_id=pool, billing_cycle=self.cur_month, limit=10, offset=1)
        list_answer("list_sim_pool_members", req, call(self.c, "list_sim_pool_members", req), "pool_members",
                    item_keys=("cid",))

    def list_back_pools(self):
        req = gsl.ListBackPoolsRequest(limit=10, offset=1)
        items = list_answer("list_back_pools", req, call(self.c, "list_back_pools", req), "pools",
                            nonempty=True, item_keys=("id",))
        self.s["back_pool"] = items[0].id

    def list_back_pool_members(self):
        pool = need(self.s.get("back_pool"), "a back pool id from list_back_pools")
        req = gsl.ListBackPoolMembersRequest(back_pool_id=pool, billing_cycle=self.cur_month, limit=10, offset=1)
        list_answer("list_back_pool_members", req, call(self.c, "list_back_pool_members", req), "pool_members",
                    item_keys=("cid",))

    # ---- tags --------------------------------------------------------------- #

    def list_tags(self):
        req = gsl.ListTagsRequest(limit=10, offset=1)
        list_answer("list_tags", req, call(self.c, "list_tags", req), "tags", item_keys=("id", "tag_name"))

    def create_tag(self, key, name):
        req = gsl.CreateTagRequest(body=gsl.AddOrModifyTagReq(tag_name=name))
        resp = call(self.c, "create_tag", req)
        typecheck(resp)
        if not isinstance(resp.id, int):
            raise CheckError(f"create_tag {req_str(req)}: expected int id, answer {short(resp.raw_content)}")
        if resp.tag_name is not None and resp.tag_name != name:
            raise CheckError(f"create_tag {req_str(req)}: tag_name echoed as {resp.tag_name!r}")
        self.s[key] = (resp.id, name)

    def list_tags_by_name(self):
        tag_id, name = need(self.s.get("tag1"), "tag from create_tag")
        req = gsl.ListTagsRequest(tag_name=name, limit=10, offset=1)
        items = list_answer("list_tags", req, call(self.c, "list_tags", req), "tags", nonempty=True)
        if tag_id not in [t.id for t in items]:
            raise CheckError(f"list_tags {req_str(req)}: created tag {tag_id} not found: {[(t.id, t.tag_name) for t in items]}")

    def batch_set_tags(self):
        t1 = need(self.s.get("tag1"), "tag from create_tag")[0]
        t2 = need(self.s.get("tag2"), "second tag from create_tag")[0]
        card = self.card("B")
        req = gsl.BatchSetTagsRequest(body=gsl.BatchSetTagsReq(sim_card_ids=[card.sim_card_id], tag_ids=[t1, t2]))
        resp = call(self.c, "batch_set_tags", req)
        self.s["tagged"] = True
        whole_payload("batch_set_tags", req, resp)

    def tag_filter(self):
        need(self.s.get("tagged"), "batch_set_tags accepted (HTTP 2xx)")
        t1 = need(self.s.get("tag1"), "tag from create_tag")[0]
        t2 = need(self.s.get("tag2"), "second tag from create_tag")[0]
        card = self.card("B")
        # repeated int query keys (tag_id=a&tag_id=b), signed in numeric order by the SDK
        req = gsl.ListSimCardsRequest(tag_id=[t2, t1], limit=50, offset=1)
        items = list_answer("list_sim_cards", req, call(self.c, "list_sim_cards", req), "sim_cards", nonempty=True)
        ids = [x.sim_card_id for x in items]
        if card.sim_card_id not in ids:
            raise CheckError(f"list_sim_cards {req_str(req)} after batch_set_tags on {card.sim_card_id}: got {ids[:20]}")

    def delete_tag(self):
        tag_id, name = need(self.s.get("tag3"), "unused tag from create_tag")
        req = gsl.DeleteTagRequest(tag_id=tag_id)
        whole_payload("delete_tag", req, call(self.c, "delete_tag", req))
        lreq = gsl.ListTagsRequest(tag_name=name, limit=10, offset=1)
        left = list_answer("list_tags", lreq, call(self.c, "list_tags", lreq), "tags")
        if tag_id in [t.id for t in left]:
            raise CheckError(f"after delete_tag({tag_id}) list_tags {req_str(lreq)} still lists it")

    # ---- attributes --------------------------------------------------------- #

    def list_attributes(self, status=None):
        req = gsl.ListAttributesRequest(limit=500, offset=1, status=status)
        items = list_answer("list_attributes", req, call(self.c, "list_attributes", req), "attributes",
                            item_keys=("id",))
        self.s.setdefault("attribute_fallback", items[0].id if items else None)
        return items

    def create_attribute(self):
        name = f"contract-attr-{self.suffix}"
        req = gsl.CreateAttributeRequest(body=gsl.AddOrModifyAttributeReq(cust_attr_name=name))
        resp = call(self.c, "create_attribute", req)
        typecheck(resp)
        if not isinstance(resp.id, int):
            raise CheckError(f"create_attribute {req_str(req)}: expected int id, answer {short(resp.raw_content)}")
        self.s["attribute"] = resp.id

    def attribute_id(self):
        a = self.s.get("attribute") or self.s.get("attribute_fallback")
        return need(a, "attribute id from create_attribute or list_attributes")

    def update_attribute(self):
        attr = self.attribute_id()
        name = f"contract-attr-{self.suffix}-renamed"
        req = gsl.UpdateAttributeRequest(attribute_id=attr, body=gsl.AddOrModifyAttributeReq(cust_attr_name=name))
        resp = call(self.c, "update_attribute", req)
        self.s["attribute_name"] = name
        whole_payload("update_attribute", req, resp)

    def attribute_renamed(self):
        attr = self.attribute_id()
        name = need(self.s.get("attribute_name"), "update_attribute accepted (HTTP 2xx)")
        items = self.list_attributes()
        got = [a.cust_attr_name for a in items if a.id == attr]
        if got != [name]:
            raise CheckError(f"after update_attribute({attr}, {name!r}) list_attributes shows {got!r}")

    def toggle_attribute(self, op):
        attr = self.attribute_id()
        klass = gsl.DisableAttributeRequest if op == "disable_attribute" else gsl.EnableAttributeRequest
        req = klass(attribute_id=attr)
        resp = call(self.c, op, req)
        self.s[op] = True
        whole_payload(op, req, resp)

    def attribute_status(self, want, after):
        need(self.s.get(after), f"{after} accepted (HTTP 2xx)")
        attr = self.attribute_id()
        got = [a.status for a in self.list_attributes() if a.id == attr]
        if got != [want]:
            raise CheckError(f"after {after}({attr}) list_attributes status is {got!r}, expected [{want}]")

    def batch_set_attributes(self):
        card = self.card("B")
        value = f"contract-{self.suffix}"
        req = gsl.BatchSetAttributesRequest(body=gsl.BatchSetAttributesReq(attributes=[
            gsl.AttributeReq(sim_card_id=card.sim_card_id, customer_attribute1=value)]))
        resp = call(self.c, "batch_set_attributes", req)
        self.s["attr_value"] = value
        whole_payload("batch_set_attributes", req, resp)

    def attribute_value_visible(self):
        value = need(self.s.get("attr_value"), "batch_set_attributes accepted (HTTP 2xx)")
        card = self.card("B")
        self.wait_field(card.sim_card_id, "customer_attribute1", value, "batch_set_attributes")

    # ---- card life cycle ----------------------------------------------------- #

    def stop_sim_card(self):
        card = self.card("A")
        before = self.show(card.sim_card_id).sim_status
        if before != 20:
            raise CheckError(f"card {card.sim_card_id} should be in use (20) before the stop, is {before}")
        self.s["wo_count_before"], _ = self.all_work_orders()
        req = gsl.StopSimCardRequest(sim_card_id=card.sim_card_id, body=gsl.DownUpTimeForSimCardReq())
        self.s["stop_wo"] = work_order("stop_sim_card", req, call(self.c, "stop_sim_card", req))

    def stopped_status(self):
        need(self.s.get("stop_wo"), "successful stop_sim_card")
        self.wait_field(self.card("A").sim_card_id, "sim_status", 14, "stop_sim_card")

    def stop_work_order_listed(self):
        wo = need(self.s.get("stop_wo"), "successful stop_sim_card")
        count, items = self.all_work_orders()
        before = self.s["wo_count_before"]
        if wo not in [w.id for w in items]:
            raise CheckError(f"work order {wo} from stop_sim_card not in list_work_orders "
                             f"(count {before} -> {count}, ids {[w.id for w in items][:20]})")
        if count <= before:
            raise CheckError(f"list_work_orders count did not grow after stop_sim_card: {before} -> {count}")

    def list_work_orders(self):
        req = gsl.ListWorkOrdersRequest(limit=10, offset=1)
        items = list_answer("list_work_orders", req, call(self.c, "list_work_orders", req), "work_orders",
                            item_keys=("id",))
        if items:
            self.s.setdefault("any_wo", items[0].id)

    def list_work_order_details(self):
        wo = self.s.get("stop_wo") or need(self.s.get("any_wo"), "a work order id")
        req = gsl.ListWorkOrderDetailsRequest(work_order_id=wo, limit=10, offset=1)
        items = list_answer("list_work_order_details", req, call(self.c, "list_work_order_details", req),
                            "work_order_details", nonempty=True)
        if self.s.get("stop_wo"):
            card = self.card("A")
            if not any(d.sim_card_id == card.sim_card_id or d.cid == card.cid for d in items):
                raise CheckError(f"list_work_order_details {req_str(req)}: no detail for card {card.sim_card_id} "
                                 f"(cid {card.cid}): {short(call(self.c, 'list_work_order_details', req).raw_content)}")

    def reset_sim_card(self):
        card = need(self.s.get("stopped"), "stopped card from list_sim_cards(sim_status=14)")[0]
        req = gsl.ResetSimCardRequest(sim_card_id=card.sim_card_id, body=gsl.DownUpTimeForSimCardReq())
        self.s["reset_wo"] = work_order("reset_sim_card", req, call(self.c, "reset_sim_card", req))

    def reset_status(self):
        need(self.s.get("reset_wo"), "successful reset_sim_card")
        self.wait_field(self.s["stopped"][0].sim_card_id, "sim_status", 20, "reset_sim_card")

    def enable_sim_card(self):
        card = need(self.s.get("activatable"), "activatable card from list_sim_cards(sim_status=13)")[0]
        req = gsl.EnableSimCardRequest(sim_card_id=card.sim_card_id)
        self.s["enable_wo"] = work_order("enable_sim_card", req, call(self.c, "enable_sim_card", req))

    def enable_status(self):
        need(self.s.get("enable_wo"), "successful enable_sim_card")
        self.wait_field(self.s["activatable"][0].sim_card_id, "sim_status", 20, "enable_sim_card")

    def set_speed_value(self, value):
        card = self.card("B")
        req = gsl.SetSpeedValueRequest(sim_card_id=card.sim_card_id, body=gsl.SetSpeedValueReq(speed_value=value))
        work_order("set_speed_value", req, call(self.c, "set_speed_value", req))
        self.wait_field(card.sim_card_id, "speed_value", value, f"set_speed_value({value})")

    def set_exceed_cut_net(self, action):
        card = self.card("E")
        body = (gsl.ExceedCutNetReq(action=1, quota="100") if action == 1 else gsl.ExceedCutNetReq(action=2))
        req = gsl.SetExceedCutNetRequest(sim_card_id=card.sim_card_id, body=body)
        work_order("set_exceed_cut_net", req, call(self.c, "set_exceed_cut_net", req))
        self.s[f"exceed{action}"] = True

    def exceed_state(self, action):
        need(self.s.get(f"exceed{action}"), f"successful set_exceed_cut_net(action={action})")
        card = self.card("E")
        if action == 1:
            self.wait_field(card.sim_card_id, "exceed_cut_net_flag", True, "set_exceed_cut_net(action=1, quota=100)")
            self.wait_field(card.sim_card_id, "exceed_cut_net_quota", 100, "set_exceed_cut_net(action=1, quota=100)")
        else:
            self.wait_field(card.sim_card_id, "exceed_cut_net_flag", False, "set_exceed_cut_net(action=2)")

    def start_stop_net(self, action):
        card = self.card("F")
        req = gsl.StartStopNetRequest(sim_card_id=card.sim_card_id, body=gsl.CutNetReq(action=action))
        work_order("start_stop_net", req, call(self.c, "start_stop_net", req))
        self.s[f"cutnet_{action}"] = True

    def cut_net_state(self, action):
        need(self.s.get(f"cutnet_{action}"), f"successful start_stop_net(action={action})")
        self.wait_field(self.card("F").sim_card_id, "cut_net_flag", action == "ADD", f"start_stop_net({action})")

    def register_imei(self):
        card = self.card("G")
        req = gsl.RegisterImeiRequest(sim_card_id=card.sim_card_id, body=gsl.RegisterImeiReq(bind_type=1, imei=IMEI))
        work_order("register_imei", req, call(self.c, "register_imei", req))

    def delete_real_name(self):
        card = self.card("H")
        req = gsl.DeleteRealNameRequest(sim_card_id=card.sim_card_id)
        work_order("delete_real_name", req, call(self.c, "delete_real_name", req))
        self.s["real_name_cleared"] = True

    def real_name_cleared(self):
        need(self.s.get("real_name_cleared"), "successful delete_real_name")
        card = self.card("H")

        def probe():
            req = gsl.ShowRealNamedRequest(sim_card_id=card.sim_card_id)
            return (lambda r: (r.real_named is False, r.real_named))(call(self.c, "show_real_named", req))
        ok, seen = eventually(probe)
        if not ok:
            raise CheckError(f"after delete_real_name show_real_named(sim_card_id={card.sim_card_id}).real_named "
                             f"= {seen!r}, expected False")

    # ---- SMS ---------------------------------------------------------------- #

    def list_sms_details(self):
        req = gsl.ListSmsDetailsRequest(limit=10, offset=1)
        list_answer("list_sms_details", req, call(self.c, "list_sms_details", req), "sms_details")

    def send_sms(self):
        card = self.card("S")
        cid = card.cid or card.iccid
        req = gsl.SendSmsRequest(body=gsl.CreateSendSmsReq(sms_content=f"contract test {self.suffix}", cids=[cid]))
        resp = call(self.c, "send_sms", req)
        self.s["sms_cid"] = cid
        whole_payload("send_sms", req, resp)

    def sms_listed(self):
        cid = need(self.s.get("sms_cid"), "send_sms accepted (HTTP 2xx)")
        req = gsl.ListSmsDetailsRequest(cid=cid, limit=10, offset=1)

        def probe():
            items = list_answer("list_sms_details", req, call(self.c, "list_sms_details", req), "sms_details")
            return any(i.sms_content and self.suffix in i.sms_content for i in items), [i.sms_content for i in items]
        ok, seen = eventually(probe)
        if not ok:
            raise CheckError(f"after send_sms list_sms_details {req_str(req)} shows {seen!r}")

    def sms_time_window(self):
        cid = need(self.s.get("sms_cid"), "send_sms accepted (HTTP 2xx)")
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        # datetime query values go out as ISO 8601 (`2026-01-02T03:04:05+00:00`)
        req = gsl.ListSmsDetailsRequest(cid=cid, start_time=now - dt.timedelta(days=1),
                                        end_time=now + dt.timedelta(hours=1), limit=10, offset=1)
        items = list_answer("list_sms_details", req, call(self.c, "list_sms_details", req), "sms_details")
        if not any(i.sms_content and self.suffix in i.sms_content for i in items):
            raise CheckError(f"list_sms_details {req_str(req)}: the SMS sent just now is not in the window: "
                             f"{[(i.sent_time, i.sms_content) for i in items]}")

    # ---- three-network cards ------------------------------------------------ #

    def list_network_switch_policies(self):
        req = gsl.ListNetworkSwitchPoliciesRequest(limit=10, offset=1)
        items = list_answer("list_network_switch_policies", req, call(self.c, "list_network_switch_policies", req),
                            "network_switch_policy_list", item_keys=("id",))
        if items:
            self.s.setdefault("policy_fallback", items[0].id)

    def add_network_switch_policy(self):
        m = self.s.get("multiply")
        version = (m.version if m is not None and m.version in (1, 2) else 1)
        name = f"contract-policy-{self.suffix}"
        req = gsl.AddNetworkSwitchPolicyRequest(body=gsl.NetworkSwitchPolicyDTO(
            policy_name=name, preferred_carrier=1, least_preferred_carrier=3, optimal_signal=True,
            auto_switch=True, weak_signal_switch=False, version=version, switch_order="1,2,3"))
        resp = call(self.c, "add_network_switch_policy", req)
        self.s["policy_name"] = name
        whole_payload("add_network_switch_policy", req, resp)

    def policy_listed(self):
        name = need(self.s.get("policy_name"), "add_network_switch_policy accepted (HTTP 2xx)")
        req = gsl.ListNetworkSwitchPoliciesRequest(policy_name=name, limit=10, offset=1)
        items = list_answer("list_network_switch_policies", req, call(self.c, "list_network_switch_policies", req),
                            "network_switch_policy_list", nonempty=True, item_keys=("id",))
        match = [p for p in items if p.policy_name == name]
        if not match:
            raise CheckError(f"list_network_switch_policies {req_str(req)}: {[p.policy_name for p in items]}")
        self.s["policy"] = match[0].id

    def set_network_switch_policy(self):
        m = need(self.s.get("multiply"), "a three-network card from list_sim_device_multiply")
        policy = self.s.get("policy") or need(self.s.get("policy_fallback"), "a policy id")
        req = gsl.SetNetworkSwitchPolicyRequest(sim_card_id=m.sim_card_id, body=gsl.NetworkSwitchPolicyReq(
            cid=m.cid, network_switch_policy_id=policy))
        work_order("set_network_switch_policy", req, call(self.c, "set_network_switch_policy", req))

    def switch_network(self):
        m = need(self.s.get("multiply"), "a three-network card from list_sim_device_multiply")
        target = 2 if m.online_carrier != 2 else 3
        req = gsl.SwitchNetworkRequest(sim_card_id=m.sim_card_id, body=gsl.NetworkSwitchReq(cid=m.cid,
                                                                                           carrier_type=target))
        work_order("switch_network", req, call(self.c, "switch_network", req))

    # ---- authentication / authorisation ------------------------------------- #

    def wrong_sk(self):
        admin = self.admin
        bad = gsl_client(self.url, admin["ak"], admin["sk"][:-1] + ("0" if admin["sk"][-1] != "0" else "1"),
                         admin["project_id"])
        req = gsl.ListSimCardsRequest(limit=10, offset=1)
        e = expect_error(bad, "list_sim_cards", req)
        if not isinstance(e, sdk_exc.ClientRequestException) or e.status_code != 401 \
                or e.error_code != "APIGW.0301" or not e.request_id:
            raise CheckError(f"list_sim_cards with a wrong SK -> {exc_str(e)}; expected ClientRequestException "
                             "HTTP 401 error_code='APIGW.0301' with a non-empty request_id (X-Request-Id)")

    def user_client(self, name):
        u = self.creds["by_name"][name]
        return gsl_client(self.url, u["ak"], u["sk"], u["project_id"])

    def readonly_reads(self):
        req = gsl.ListSimCardsRequest(limit=10, offset=1)
        list_answer("list_sim_cards", req, call(self.user_client("readonly"), "list_sim_cards", req), "sim_cards",
                    nonempty=True)

    def forbidden(self, user, op, req):
        e = expect_error(self.user_client(user), op, req)
        if e.status_code != 403 or not e.request_id or e.error_code in (None, "", "403"):
            raise CheckError(f"{user} {op} {req_str(req)} -> {exc_str(e)}; expected HTTP 403 with a Huawei "
                             "error body (error_code/error_msg) and an X-Request-Id")

    def readonly_write(self):
        card = self.card("R")
        self.forbidden("readonly", "stop_sim_card",
                       gsl.StopSimCardRequest(sim_card_id=card.sim_card_id, body=gsl.DownUpTimeForSimCardReq()))
        now = self.show(card.sim_card_id).sim_status
        if now != card.sim_status:
            raise CheckError(f"the forbidden stop_sim_card still changed card {card.sim_card_id}: "
                             f"{card.sim_status} -> {now}")

    def finance_read(self):
        self.forbidden("finance", "list_sim_cards", gsl.ListSimCardsRequest(limit=10, offset=1))

    def unknown_card(self):
        req = gsl.ShowSimCardRequest(sim_card_id=987654321)
        e = expect_error(self.c, "show_sim_card", req)
        if not (400 <= e.status_code < 500) or not e.request_id or e.error_code == str(e.status_code):
            raise CheckError(f"show_sim_card {req_str(req)} -> {exc_str(e)}; expected a 4xx with a Huawei error "
                             "body (error_code/error_msg) and an X-Request-Id")

    # ---- IAM ---------------------------------------------------------------- #

    def iam(self):
        return iam_client(self.url, self.admin["ak"], self.admin["sk"])

    def token_request(self, user, password):
        account = self.creds["account_name"]
        return iam.KeystoneCreateUserTokenByPasswordRequest(
            body=iam.KeystoneCreateUserTokenByPasswordRequestBody(auth=iam.PwdAuth(
                identity=iam.PwdIdentity(methods=["password"], password=iam.PwdPassword(
                    user=iam.PwdPasswordUser(domain=iam.PwdPasswordUserDomain(name=account),
                                             name=user, password=password))),
                scope=iam.AuthScope(domain=iam.AuthScopeDomain(name=account)))))

    def iam_token(self):
        fleet = self.creds["by_name"]["fleet"]
        req = self.token_request("fleet", fleet["password"])
        resp = call(self.iam(), "keystone_create_user_token_by_password", req)
        typecheck(resp, iam)
        if not resp.x_subject_token:
            raise CheckError("keystone_create_user_token_by_password(fleet): X-Subject-Token header missing/empty")
        tok = resp.token
        if tok is None or not tok.expires_at:
            raise CheckError(f"keystone_create_user_token_by_password(fleet): token.expires_at missing: "
                             f"{short(resp.raw_content)}")
        try:
            exp = dt.datetime.fromisoformat(tok.expires_at)
        except ValueError as e:
            raise CheckError(f"token.expires_at {tok.expires_at!r} does not parse: {e}") from e
        if exp.tzinfo is None:
            exp = exp.replace(tzinfo=dt.timezone.utc)
        if exp <= dt.datetime.now(dt.timezone.utc):
            raise CheckError(f"token.expires_at {tok.expires_at!r} is in the past")
        if tok.user is not None and tok.user.name not in (None, "fleet"):
            raise CheckError(f"token.user.name is {tok.user.name!r}, expected 'fleet'")

    def iam_wrong_password(self):
        fleet = self.creds["by_name"]["fleet"]
        req = self.token_request("fleet", fleet["password"] + "-wrong")
        e = expect_error(self.iam(), "keystone_create_user_token_by_password", req)
        if e.status_code != 401:
            raise CheckError(f"keystone_create_user_token_by_password(fleet, wrong password) -> {exc_str(e)}; "
                             "expected HTTP 401")

    def iam_projects(self):
        req = iam.KeystoneListProjectsRequest(name=GSL_REGION)
        resp = call(self.iam(), "keystone_list_projects", req)
        typecheck(resp, iam)
        ids = [p.id for p in (resp.projects or [])]
        if ids != [self.admin["project_id"]]:
            raise CheckError(f"keystone_list_projects(name={GSL_REGION}) ids {ids}, expected "
                             f"[{self.admin['project_id']}]: {short(resp.raw_content)}")

    def iam_domains(self):
        req = iam.KeystoneListAuthDomainsRequest()
        resp = call(self.iam(), "keystone_list_auth_domains", req)
        typecheck(resp, iam)
        ids = [d.id for d in (resp.domains or [])]
        if not ids or ids[0] != self.creds["domain_id"]:
            raise CheckError(f"keystone_list_auth_domains ids {ids}, expected [{self.creds['domain_id']}, ...]")

    def region_lookup(self):
        """with_region + no project id: the SDK looks the project up with GET /v3/projects?name=cn-north-4."""
        creds = BasicCredentials(self.admin["ak"], self.admin["sk"]).with_iam_endpoint(self.url)
        try:
            client = (gsl.GslClient.new_builder().with_http_config(http_config()).with_credentials(creds)
                      .with_region(Region(GSL_REGION, self.url)).build())
        except Exception as e:
            raise CheckError(f"GslClient.with_region(Region({GSL_REGION!r}, url)) project lookup: {exc_str(e)}") from e
        if creds.project_id != self.admin["project_id"]:
            raise CheckError(f"looked-up project id {creds.project_id!r} != {self.admin['project_id']!r}")
        req = gsl.ListSimCardsRequest(limit=10, offset=1)
        list_answer("list_sim_cards", req, call(client, "list_sim_cards", req), "sim_cards", nonempty=True)

    # ---- run ---------------------------------------------------------------- #

    def run(self):
        s = self.suffix
        # discovery and reads
        check("list_sim_cards", self.list_sim_cards)
        check("list_sim_cards paging (offset is a page number)", self.list_sim_cards_paging)
        check("list_sim_cards sort=flow_used order=desc", self.list_sim_cards_sorted)
        check("list_sim_cards real_named=false (bool query)", self.list_sim_cards_bool_filter)
        check("list_sim_device_multiply", self.list_sim_device_multiply)
        check("list_sim_cards sim_status=20", self.list_by_status, 20, "in_use", 8)
        check("list_sim_cards sim_status=14", self.list_by_status, 14, "stopped", 1)
        check("list_sim_cards sim_status=13", self.list_by_status, 13, "activatable", 1)
        check("list_sim_cards by ICCID (main_search_type=1)", self.search_by_iccid)
        check("show_sim_card", self.show_sim_card)
        check("show_real_named", self.show_real_named)
        check("list_sim_price_plans", self.list_sim_price_plans)
        check("list_flow_by_sim_cards", self.list_flow_by_sim_cards)
        check("list_sim_card_flow_per_day", self.list_sim_card_flow_per_day)
        check("show_month_usages", self.show_month_usages)
        check("list_pro_price_plans", self.list_pro_price_plans)
        check("list_sim_pools", self.list_sim_pools)
        check("list_sim_pools status=[1,3] (repeated keys)", self.list_sim_pools_status)
        check("list_sim_pool_members", self.list_sim_pool_members)
        check("list_back_pools", self.list_back_pools)
        check("list_back_pool_members", self.list_back_pool_members)
        check("list_work_orders", self.list_work_orders)
        check("list_sms_details", self.list_sms_details)
        check("list_network_switch_policies", self.list_network_switch_policies)
        # tags
        check("list_tags", self.list_tags)
        check("create_tag (non-ASCII name)", self.create_tag, "tag1", f"合同测试-{s}")
        check("create_tag (second)", self.create_tag, "tag2", f"contract-b-{s}")
        check("create_tag (to delete)", self.create_tag, "tag3", f"contract-del-{s}")
        check("list_tags tag_name (non-ASCII query)", self.list_tags_by_name)
        check("batch_set_tags", self.batch_set_tags)
        check("coherence: list_sim_cards tag_id=[..] finds the tagged card", self.tag_filter)
        check("delete_tag", self.delete_tag)
        # attributes
        check("list_attributes", self.list_attributes)
        check("create_attribute", self.create_attribute)
        check("update_attribute", self.update_attribute)
        check("coherence: update_attribute renames", self.attribute_renamed)
        check("disable_attribute", self.toggle_attribute, "disable_attribute")
        check("coherence: disable_attribute -> status 0", self.attribute_status, 0, "disable_attribute")
        check("enable_attribute", self.toggle_attribute, "enable_attribute")
        check("coherence: enable_attribute -> status 1", self.attribute_status, 1, "enable_attribute")
        check("batch_set_attributes", self.batch_set_attributes)
        check("coherence: batch_set_attributes -> show_sim_card.customer_attribute1", self.attribute_value_visible)
        # card life cycle
        check("stop_sim_card", self.stop_sim_card)
        check("coherence: stop_sim_card -> sim_status 14", self.stopped_status)
        check("coherence: stop_sim_card -> new work order in list_work_orders", self.stop_work_order_listed)
        check("list_work_order_details", self.list_work_order_details)
        check("reset_sim_card", self.reset_sim_card)
        check("coherence: reset_sim_card (14) -> sim_status 20", self.reset_status)
        check("enable_sim_card", self.enable_sim_card)
        check("coherence: enable_sim_card (13) -> sim_status 20", self.enable_status)
        check("set_speed_value 512 (+ show_sim_card.speed_value)", self.set_speed_value, 512)
        check("set_speed_value -1 (+ show_sim_card.speed_value)", self.set_speed_value, -1)
        check("set_exceed_cut_net action=1 quota=100", self.set_exceed_cut_net, 1)
        check("coherence: exceed_cut_net_flag/quota set", self.exceed_state, 1)
        check("set_exceed_cut_net action=2", self.set_exceed_cut_net, 2)
        check("coherence: exceed_cut_net_flag cleared", self.exceed_state, 2)
        check("start_stop_net ADD", self.start_stop_net, "ADD")
        check("coherence: cut_net_flag set", self.cut_net_state, "ADD")
        check("start_stop_net DEL", self.start_stop_net, "DEL")
        check("coherence: cut_net_flag cleared", self.cut_net_state, "DEL")
        check("register_imei", self.register_imei)
        check("delete_real_name", self.delete_real_name)
        check("coherence: delete_real_name -> real_named false", self.real_name_cleared)
        # SMS
        check("send_sms", self.send_sms)
        check("coherence: send_sms -> list_sms_details", self.sms_listed)
        check("list_sms_details start_time/end_time window", self.sms_time_window)
        # three-network cards
        check("add_network_switch_policy", self.add_network_switch_policy)
        check("coherence: added policy in list_network_switch_policies", self.policy_listed)
        check("set_network_switch_policy", self.set_network_switch_policy)
        check("switch_network", self.switch_network)
        # auth
        check("auth: wrong SK -> 401 APIGW.0301 with request_id", self.wrong_sk)
        check("auth: readonly can read", self.readonly_reads)
        check("auth: readonly stop_sim_card -> 403", self.readonly_write)
        check("auth: finance (no gsl rights) list_sim_cards -> 403", self.finance_read)
        check("errors: unknown sim card -> 4xx Huawei error body", self.unknown_card)
        # IAM
        check("iam: password token for fleet (domain scope)", self.iam_token)
        check("iam: wrong password -> 401", self.iam_wrong_password)
        check("iam: keystone_list_projects name=cn-north-4", self.iam_projects)
        check("iam: keystone_list_auth_domains", self.iam_domains)
        check("iam: GslClient with_region project-id lookup", self.region_lookup)
        # coverage of the 39 operations
        check("coverage: all GSL v3 operations called", self.coverage)

    @staticmethod
    def coverage():
        ops = sorted(n[1:-len("_http_info")] for n in dir(gsl.GslClient)
                     if n.startswith("_") and n.endswith("_http_info") and not n.startswith("__"))
        missing = [op for op in ops if op not in CALLED_OPS]
        if len(ops) != 39:
            raise CheckError(f"expected 39 GSL operations in the SDK, found {len(ops)}")
        if missing:
            raise CheckError(f"not called: {missing}")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HWSANDBOX_BIN")
    if not binary:
        print("usage: contract_gsl.py PATH_TO_HWSANDBOX (or set HWSANDBOX_BIN)", file=sys.stderr)
        return 2
    sandbox = Sandbox(binary)
    try:
        creds = check("sandbox: --print-credentials", print_credentials, binary)
        url = check("sandbox: starts and prints its URL", sandbox.start)
        if creds is not None and url is not None:
            Contract(url, creds).run()
    finally:
        sandbox.stop()
        print(f"contract: {PASSED} passed, {FAILED} failed", flush=True)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
