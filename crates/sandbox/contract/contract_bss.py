#!/usr/bin/env python3
"""Contract test: the official Huawei Cloud Python SDK (BSS v2) against `hwsandbox`.

The SDK (huaweicloudsdkbss, pinned in scripts/contract-test.sh) is the independent
client: it signs every request, serialises the typed request models and parses the
answers into its typed response models.  Each of the 43 BSS v2 operations the
sandbox serves is called through `BssClient` with `GlobalCredentials(ak, sk,
domain_id)`; ids are discovered from list calls, never hard-coded.  Besides the
shape checks, a few coherence points are checked with exact `Decimal` arithmetic
(balances vs. order amounts, enterprise transfer round trips).

Output, exit status and the raw-JSON type check against the SDK's `openapi_types`
work as in contract_gsl.py, whose bookkeeping, sandbox process and credential
helpers this script imports (run both through scripts/contract-test.sh).

Usage:  contract_bss.py [PATH_TO_HWSANDBOX]   (default: $HWSANDBOX_BIN)
"""

import datetime as dt
import os
import sys
import uuid
from decimal import Decimal, InvalidOperation

# Shared bookkeeping (check/record counters, CALLED_OPS), the sandbox process and
# --print-credentials live in the GSL contract (found next to this file, sys.path[0]);
# importing it first also silences the SDK's warnings before the BSS package loads.
import contract_gsl as base
from contract_gsl import CheckError, call, check, exc_str, expect_error, need, req_str, short

import huaweicloudsdkbss.v2 as bss  # noqa: E402
from huaweicloudsdkcore.auth.credentials import GlobalCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions import exceptions as sdk_exc  # noqa: E402
from huaweicloudsdkcore.region.region import Region  # noqa: E402

BSS_REGION = "cn-north-1"
UTC8 = dt.timezone(dt.timedelta(hours=8))

# The 43 operations this contract covers (the SDK's BssClient has 92).
OPERATIONS = """
show_customer_account_balances list_customer_account_change_records list_stored_value_cards
show_customer_monthly_sum list_customer_bills_fee_records list_customerself_resource_records
list_customerself_resource_record_details list_customer_bills_monthly_break_down list_costs
list_customer_orders show_customer_order_details pay_orders cancel_customer_order
list_order_coupons_by_order_id list_order_discounts show_refund_order_details
list_pay_per_use_customer_resources list_renew_rate_on_period list_rate_on_period_detail
renewal_resources auto_renewal_resources cancel_auto_renewal_resources set_resources_renew_config
cancel_resources_subscription update_period_to_on_demand update_period_to_on_demand_instantly
list_sub_customer_coupons list_customer_coupon_change_records list_free_resource_infos
list_free_resource_usages list_free_resources_usage_records list_measure_units list_conversions
list_service_types list_resource_types list_usage_types list_enterprise_sub_customers
list_enterprise_organizations show_multi_account_transfer_amount update_sub_enterprise_amount
list_enterprise_multi_account reclaim_sub_enterprise_amount send_sms_verification_code
""".split()

# Enumerations from the SDK 3.1.219 descriptions (api.json), which the sandbox follows.
ORDER_CANCELLED = 4          # CustomerOrderV2/V3.status
ORDER_COMPLETED = 5
ORDER_PENDING_PAYMENT = 6
ORDER_TYPE_RENEW = 2
ORDER_TYPE_UNSUBSCRIBE = 4
ORDER_TYPE_TO_ON_DEMAND = 10
RESOURCE_IN_USE = 2
RESOURCE_STATUSES = {2, 3, 4, 5}
POLICY_GRACE, POLICY_TO_ON_DEMAND, POLICY_AUTO_RENEW = 0, 1, 3
UNRENEWABLE = "CBC.30050013"
BAD_PARAM = "CBC.0100"
COSTS_SERVICE_KEY = "CLOUD_SERVICE_TYPE"               # GroupBy.key
COSTS_OTHER_KEYS = ("RESOURCE_TYPE", "CHARGING_MODE", "REGION_CODE")
FREE_USAGE_TIME_FORMAT = "%Y-%m-%d"                    # deduct_time_begin/end: UTC+8 dates


def cn_day(t):
    """A UTC instant as its UTC+8 date, as deduct_time_begin/end take it."""
    return (t + dt.timedelta(hours=8)).strftime(FREE_USAGE_TIME_FORMAT)
# list_order_coupons_by_order_id coupon_type (1 cash coupon, 2 discount coupon, 4 flexi-purchase
# coupon) -> the type pay_orders' coupon_infos takes (301, 300, 302), per the SDK descriptions.
COUPON_PAY_TYPE = {1: 301, 2: 300, 4: 302}
# Write groups, each on its own renewable master, so one group's changes never meet another's.
ROLES = ("autopay", "pay_later", "mixed", "autorenew", "ondemand", "instant", "unsub_full", "finance")


# --------------------------------------------------------------------------- #
# amounts and the raw-JSON type check (shared with the GSL contract)
# --------------------------------------------------------------------------- #

def typecheck(resp):
    """The raw answer checked against the SDK response model, fractions as Decimal."""
    return base.typecheck(resp, bss)


def D(value, what):
    """An amount as Decimal, from a JSON number or a numeric string (BSS uses both)."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        raise CheckError(f"{what}: expected an amount, got {value!r}")
    try:
        return Decimal(str(value)) if isinstance(value, (int, str)) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as e:
        raise CheckError(f"{what}: {value!r} is not a decimal amount") from e


def items(op, req, resp, attr, total="total_count", nonempty=False, keys=()):
    """A BSS list answer: {<total>, <attr>[]}; returns (total, SDK items, raw items)."""
    data = typecheck(resp)
    if not isinstance(data, dict):
        raise CheckError(f"{op} {req_str(req)}: empty answer, expected an object with `{attr}`")
    count = None
    if total:
        count = getattr(resp, total)
        if not isinstance(count, int) or isinstance(count, bool):
            raise CheckError(f"{op} {req_str(req)}: `{total}` missing or not an int: {short(data)}")
    key = type(resp).attribute_map[attr]
    found = getattr(resp, attr)
    if found is None:
        if key in data or count != 0:  # an empty result may leave the list out, nothing else may
            raise CheckError(f"{op} {req_str(req)}: `{key}` missing or not a list: {short(data)}")
        found = []
    raw = data.get(key) or []
    if count is not None and count < len(found):
        raise CheckError(f"{op} {req_str(req)}: {total}={count} < {len(found)} items returned")
    if nonempty and not found:
        raise CheckError(f"{op} {req_str(req)}: expected at least one item: {short(data)}")
    for i, item in enumerate(found):
        for k in keys:
            if getattr(item, k, None) in (None, ""):
                raise CheckError(f"{op} {req_str(req)}: {key}[{i}].{k} missing: {short(raw[i] if i < len(raw) else item)}")
    return count, found, raw


def expect_cbc(client, op, req, code=None, status=400):
    """An operation BSS must refuse with an HTTP 4xx and a CBC.* error code."""
    e = expect_error(client, op, req)
    ok_code = e.error_code == code if code else (e.error_code or "").startswith("CBC.")
    if e.status_code != status or not ok_code or not e.request_id:
        raise CheckError(f"{op} {req_str(req)} -> {exc_str(e)}; expected HTTP {status} with error_code "
                         f"{code or 'CBC.*'} and an X-Request-Id")
    return e


def parse_utc(s, what):
    try:
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except (AttributeError, ValueError) as e:
        raise CheckError(f"{what}: {s!r} is not a UTC time (yyyy-MM-ddTHH:mm:ssZ)") from e
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


def month_add(ym, n):
    y, m = map(int, ym.split("-"))
    k = y * 12 + (m - 1) + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def bss_client(url, ak, sk, domain_id):
    return (bss.BssClient.new_builder()
            .with_http_config(base.http_config())
            .with_credentials(GlobalCredentials(ak, sk, domain_id))
            .with_endpoints([url])
            .build())


# --------------------------------------------------------------------------- #
# the contract
# --------------------------------------------------------------------------- #

class Contract:
    def __init__(self, url, creds):
        self.url = url
        self.creds = creds
        self.admin = creds["by_name"]["admin"]
        self.c = self.user_client("admin")
        now = dt.datetime.now(UTC8)
        self.now_utc = dt.datetime.now(dt.timezone.utc)
        self.cur_month = now.strftime("%Y-%m")
        self.prev_month = month_add(self.cur_month, -1)
        self.today8 = now.date()
        self.s = {}  # discovered ids and snapshots

    def user_client(self, name):
        u = self.creds["by_name"][name]
        return bss_client(self.url, u["ak"], u["sk"], self.creds["domain_id"])

    # ---- shared helpers ------------------------------------------------------ #

    def balances(self, client=None):
        """Balances by account_type (1 cash, 2 credit, ...) as exact Decimals."""
        req = bss.ShowCustomerAccountBalancesRequest()
        resp = call(client or self.c, "show_customer_account_balances", req)
        data = typecheck(resp) or {}
        accounts = data.get("account_balances")
        if not isinstance(accounts, list) or not accounts:
            raise CheckError(f"show_customer_account_balances: account_balances missing/empty: {short(resp.raw_content)}")
        out = {}
        for a in accounts:
            kind = a.get("account_type")
            if kind in out:
                raise CheckError(f"show_customer_account_balances: account_type {kind} twice")
            out[kind] = D(a.get("amount"), f"account_balances[type {kind}].amount")
        for kind in (1, 2):
            if kind not in out:
                raise CheckError(f"show_customer_account_balances: no account_type {kind} "
                                 f"(1 cash, 2 credit): {short(resp.raw_content)}")
        return out

    def cash_credit(self):
        b = self.balances()
        return b[1] + b[2]

    def order(self, order_id):
        """show_customer_order_details: (SDK order_info, raw order_info, response)."""
        req = bss.ShowCustomerOrderDetailsRequest(order_id=order_id, limit=100, offset=0)
        resp = call(self.c, "show_customer_order_details", req)
        data = typecheck(resp) or {}
        info = resp.order_info
        if info is None or info.order_id != order_id:
            raise CheckError(f"show_customer_order_details {req_str(req)}: order_info.order_id is "
                             f"{getattr(info, 'order_id', None)!r}: {short(resp.raw_content)}")
        return info, data.get("order_info") or {}, resp

    def order_status(self, order_id, want, after):
        info, _, _ = self.order(order_id)
        if info.status != want:
            raise CheckError(f"after {after}: order {order_id} status={info.status!r}, expected {want}")
        return info

    def order_amount(self, order_id):
        _, raw, _ = self.order(order_id)
        return D(raw.get("amount_after_discount"), f"order {order_id} amount_after_discount")

    def resources(self, **kw):
        kw.setdefault("offset", 0)
        kw.setdefault("limit", 500)
        req = bss.ListPayPerUseCustomerResourcesRequest(body=bss.QueryResourcesReq(**kw))
        resp = call(self.c, "list_pay_per_use_customer_resources", req)
        total, found, _ = items("list_pay_per_use_customer_resources", req, resp, "data",
                                keys=("resource_id", "is_main_resource", "status"))
        return total, found

    def family(self, master_id):
        """A master and its slaves (known from the full listing) by resource_id.

        The slaves are asked for by id, so this does not depend on only_main_resource=0 adding
        them (that has its own check)."""
        ids = [master_id, *(self.s.get("slaves") or {}).get(master_id, [])]
        _, found = self.resources(resource_ids=ids, only_main_resource=0)
        fam = {r.resource_id: r for r in found if r.resource_id in ids}
        if master_id not in fam:
            raise CheckError(f"list_pay_per_use_customer_resources resource_ids={ids} did not return "
                             f"{master_id} (got {sorted(fam)})")
        return fam

    def expiries(self, master_id):
        return {rid: parse_utc(r.expire_time, f"resource {rid} expire_time") for rid, r in self.family(master_id).items()}

    def res(self, role):
        """The renewable in-use master of one write group (each group has its own)."""
        roles = need(self.s.get("roles"), "renewable masters from list_renew_rate_on_period")
        return roles[role]

    def renew(self, ids, auto_pay):
        """A one-month renewal; returns the response (order_ids checked)."""
        req = bss.RenewalResourcesRequest(body=bss.RenewalResourcesReq(
            resource_ids=ids, period_type=2, period_num=1, is_auto_pay=auto_pay))
        resp = call(self.c, "renewal_resources", req)
        typecheck(resp)
        if not resp.order_ids or not all(isinstance(o, str) and o for o in resp.order_ids):
            raise CheckError(f"renewal_resources {req_str(req)}: no order_ids: {short(resp.raw_content)}")
        return resp

    # ---- accounts ------------------------------------------------------------ #

    def show_balances(self):
        b = self.balances()
        if any(v < 0 for k, v in b.items() if k in (1, 2)):
            raise CheckError(f"negative cash/credit balance: {b}")

    def change_records(self, balance_type):
        req = bss.ListCustomerAccountChangeRecordsRequest(balance_type=balance_type, offset=0, limit=50)
        resp = call(self.c, "list_customer_account_change_records", req)
        _, found, raw = items("list_customer_account_change_records", req, resp, "records")
        for i, r in enumerate(raw):
            D(r.get("change_amount"), f"records[{i}].change_amount")
            if r.get("balance_after_change") is not None:
                D(r["balance_after_change"], f"records[{i}].balance_after_change")

    def change_records_required(self):
        expect_cbc(self.c, "list_customer_account_change_records",
                   bss.ListCustomerAccountChangeRecordsRequest(offset=0, limit=10))

    def stored_value_cards(self, status):
        req = bss.ListStoredValueCardsRequest(status=status, offset=0, limit=50)
        resp = call(self.c, "list_stored_value_cards", req)
        _, found, raw = items("list_stored_value_cards", req, resp, "stored_value_cards", keys=("card_id",))
        wrong = [(c.card_id, c.status) for c in found if c.status != status]
        if wrong:
            raise CheckError(f"list_stored_value_cards {req_str(req)}: cards with another status: {wrong[:5]}")
        for i, r in enumerate(raw):
            bal, face = D(r.get("balance"), f"[{i}].balance"), D(r.get("face_value"), f"[{i}].face_value")
            if not (0 <= bal <= face):
                raise CheckError(f"stored value card {found[i].card_id}: balance {bal} not within 0..face_value {face}")

    # ---- bills and costs ----------------------------------------------------- #

    def monthly_sum(self):
        req = bss.ShowCustomerMonthlySumRequest(bill_cycle=self.prev_month, offset=0, limit=1000)
        resp = call(self.c, "show_customer_monthly_sum", req)
        total, found, raw = items("show_customer_monthly_sum", req, resp, "bill_sums", nonempty=True,
                                  keys=("service_type_code",))
        if total != len(found):
            raise CheckError(f"show_customer_monthly_sum {req_str(req)}: total_count={total}, {len(found)} rows")
        rows = sum((D(r.get("consume_amount"), "bill_sums[].consume_amount") for r in raw), Decimal(0))
        whole = D(base.raw_json(resp).get("consume_amount"), "consume_amount")
        if rows != whole:
            raise CheckError(f"show_customer_monthly_sum {self.prev_month}: rows sum to {rows}, consume_amount {whole}")
        self.s["month_total"] = whole

    def fee_records(self):
        total, got, offset, pages = None, Decimal(0), 0, 0
        while True:
            req = bss.ListCustomerBillsFeeRecordsRequest(bill_cycle=self.prev_month, offset=offset, limit=1000)
            resp = call(self.c, "list_customer_bills_fee_records", req)
            total, found, raw = items("list_customer_bills_fee_records", req, resp, "records", nonempty=offset == 0)
            got += sum((D(r.get("consume_amount"), "records[].consume_amount") for r in raw), Decimal(0))
            offset += len(found)
            pages += 1
            if not found or offset >= total:
                break
            if pages >= 30:
                raise CheckError(f"list_customer_bills_fee_records: more than 30 pages of 1000 (total_count {total})")
        want = self.s.get("month_total")
        if want is not None and got != want:
            raise CheckError(f"fee records of {self.prev_month} sum to {got}, show_customer_monthly_sum says {want}")

    def resource_records(self):
        req = bss.ListCustomerselfResourceRecordsRequest(cycle=self.prev_month, offset=0, limit=100)
        resp = call(self.c, "list_customerself_resource_records", req)
        _, found, raw = items("list_customerself_resource_records", req, resp, "fee_records", nonempty=True)
        for i, r in enumerate(raw):
            if r.get("consume_amount") is not None:
                D(r["consume_amount"], f"fee_records[{i}].consume_amount")

    def resource_records_cross_month(self):
        first = f"{self.cur_month}-01"
        expect_cbc(self.c, "list_customerself_resource_records",
                   bss.ListCustomerselfResourceRecordsRequest(cycle=self.prev_month, bill_date_begin=first,
                                                             bill_date_end=first, offset=0, limit=10),
                   code=BAD_PARAM)

    def resource_records_required(self):
        expect_cbc(self.c, "list_customerself_resource_records",
                   bss.ListCustomerselfResourceRecordsRequest(offset=0, limit=10))

    def record_details(self):
        req = bss.ListCustomerselfResourceRecordDetailsRequest(body=bss.QueryResRecordsDetailReq(
            cycle=self.prev_month, offset=0, limit=100))
        resp = call(self.c, "list_customerself_resource_record_details", req)
        _, found, _ = items("list_customerself_resource_record_details", req, resp, "monthly_records", nonempty=True)
        wrong = [r.cycle for r in found if r.cycle not in (None, self.prev_month)]
        if wrong:
            raise CheckError(f"list_customerself_resource_record_details {req_str(req)}: rows of other cycles {wrong[:5]}")

    def monthly_breakdown(self):
        req = bss.ListCustomerBillsMonthlyBreakDownRequest(shared_month=self.prev_month, offset=0, limit=100)
        resp = call(self.c, "list_customer_bills_monthly_break_down", req)
        _, found, _ = items("list_customer_bills_monthly_break_down", req, resp, "details", nonempty=True)
        wrong = [r.shared_month for r in found if r.shared_month not in (None, self.prev_month)]
        if wrong:
            raise CheckError(f"list_customer_bills_monthly_break_down {req_str(req)}: other months {wrong[:5]}")

    def costs_req(self, measure, begin, end, key=COSTS_SERVICE_KEY, cost_type="ORIGINAL_COST"):
        return bss.ListCostsRequest(body=bss.ListCostsReq(
            time_condition=bss.TimeCondition(time_measure_id=measure, begin_time=begin, end_time=end),
            groupby=[bss.GroupBy(type="dimension", key=key)],
            cost_type=cost_type, amount_type="PAYMENT_AMOUNT", offset=0, limit=100))

    def list_costs(self, measure, begin, end, key=COSTS_SERVICE_KEY, cost_type="ORIGINAL_COST"):
        req = self.costs_req(measure, begin, end, key, cost_type)
        resp = call(self.c, "list_costs", req)
        _, found, raw = items("list_costs", req, resp, "cost_data", nonempty=True)
        for i, (row, r) in enumerate(zip(found, raw)):
            keys = [d.key for d in row.dimensions or []]
            if keys != [key]:
                raise CheckError(f"list_costs {req_str(req)}: cost_data[{i}].dimensions keys {keys}, expected [{key}]")
            for c in row.costs or []:
                if c.time_measure_id not in (None, measure) or not (begin <= (c.time_dimension_value or "") <= end):
                    raise CheckError(f"list_costs {req_str(req)}: cost_data[{i}] has a cost at "
                                     f"{c.time_dimension_value!r} (measure {c.time_measure_id}) outside {begin}..{end}")
            parts = sum((D(c.get("amount"), f"cost_data[{i}].costs[].amount") for c in r.get("costs") or []), Decimal(0))
            whole = D(r.get("amount_by_costs"), f"cost_data[{i}].amount_by_costs")
            if parts != whole:
                raise CheckError(f"list_costs {req_str(req)}: cost_data[{i}] costs sum to {parts}, "
                                 f"amount_by_costs {whole}")

    def costs_over_a_year(self):
        expect_cbc(self.c, "list_costs", self.costs_req(2, month_add(self.cur_month, -13), self.cur_month),
                   code=BAD_PARAM)

    # ---- resources ----------------------------------------------------------- #

    def list_resources(self):
        everything, offset = [], 0
        while True:
            total, found = self.resources(offset=offset, limit=500)
            everything += found
            offset += len(found)
            if not found or offset >= total or offset >= 5000:
                break
        if not everything:
            raise CheckError("list_pay_per_use_customer_resources: no resources at all")
        ids = [r.resource_id for r in everything]
        if len(set(ids)) != len(ids):
            raise CheckError("list_pay_per_use_customer_resources: a resource_id appears on two pages")
        masters = {r.resource_id: r for r in everything if r.is_main_resource == 1}
        bad = [(r.resource_id, r.status, r.is_main_resource) for r in everything
               if r.status not in RESOURCE_STATUSES or r.is_main_resource not in (0, 1)]
        if bad:
            raise CheckError(f"resources with status outside {sorted(RESOURCE_STATUSES)} or is_main_resource "
                             f"outside 0/1: {bad[:5]}")
        slaves = {}
        for r in everything:
            if r.is_main_resource == 0:
                if r.parent_resource_id not in masters:
                    raise CheckError(f"slave {r.resource_id} has parent_resource_id {r.parent_resource_id!r}, "
                                     "which is not a master in the listing")
                slaves.setdefault(r.parent_resource_id, []).append(r.resource_id)
        for r in everything:
            parse_utc(r.expire_time, f"resource {r.resource_id} expire_time")
        self.s["all_resources"] = everything
        self.s["slaves"] = slaves
        self.s["in_use_masters"] = [m for m in masters.values() if m.status == RESOURCE_IN_USE]
        if not self.s["in_use_masters"]:
            raise CheckError("no master resource in use (status 2)")

    def resources_paging(self):
        _, p1 = self.resources(offset=0, limit=5)
        _, p2 = self.resources(offset=5, limit=5)
        ids1, ids2 = [r.resource_id for r in p1], [r.resource_id for r in p2]
        if set(ids1) & set(ids2):
            raise CheckError(f"offset is a record offset: offset 0 {ids1} and offset 5 {ids2} overlap")
        every = [r.resource_id for r in need(self.s.get("all_resources"), "the full resource listing")]
        if ids1 + ids2 != every[:len(ids1) + len(ids2)]:
            raise CheckError(f"offset 0/5 limit 5 give {ids1 + ids2}, the full listing starts {every[:10]}")

    def resources_bad_limit(self, limit):
        expect_cbc(self.c, "list_pay_per_use_customer_resources",
                   bss.ListPayPerUseCustomerResourcesRequest(body=bss.QueryResourcesReq(offset=0, limit=limit)))

    def resources_filters(self):
        slaves = need(self.s.get("slaves"), "the resource listing")
        masters = need(self.s.get("in_use_masters"), "in-use masters")
        master = next((m for m in masters if slaves.get(m.resource_id)), masters[0])
        _, found = self.resources(resource_ids=[master.resource_id], only_main_resource=0)
        fam = {r.resource_id for r in found}
        want = {master.resource_id, *slaves.get(master.resource_id, [])}
        if set(fam) != want:
            raise CheckError(f"resource_ids=[{master.resource_id}] only_main_resource=0 gave {sorted(fam)}, "
                             f"expected the master and its slaves {sorted(want)} (SDK: with only_main_resource=0 "
                             "the given resources and their attached ones)")
        _, only = self.resources(resource_ids=[master.resource_id], only_main_resource=1)
        if [r.resource_id for r in only] != [master.resource_id]:
            raise CheckError(f"only_main_resource=1 gave {[r.resource_id for r in only]}")
        _, in_use = self.resources(status_list=[RESOURCE_IN_USE], offset=0, limit=500)
        wrong = [(r.resource_id, r.status) for r in in_use if r.status != RESOURCE_IN_USE]
        if not in_use or wrong:
            raise CheckError(f"status_list=[2]: {len(in_use)} resources, other statuses {wrong[:5]}")

    def quote(self, ids):
        """list_renew_rate_on_period for one month: ({resource_id: amount}, {resource_id: error_code})."""
        req = bss.ListRenewRateOnPeriodRequest(body=bss.ListRenewRateOnPeriodReq(
            resource_ids=ids, period_type=2, period_num=1, include_relative_resources=True))
        base.CALLED_OPS.add("list_renew_rate_on_period")
        try:
            resp = self.c.list_renew_rate_on_period(req)
        except sdk_exc.ClientRequestException as e:
            # A request where nothing can be quoted may be refused as a whole: ask one by one.
            if e.status_code == 400 and (e.error_code or "").startswith("CBC."):
                if len(ids) == 1:
                    return {}, {ids[0]: e.error_code}
                amounts, fails = {}, {}
                for rid in ids:
                    a, f = self.quote([rid])
                    amounts.update(a)
                    fails.update(f)
                return amounts, fails
            raise CheckError(f"list_renew_rate_on_period {req_str(req)} -> {exc_str(e)}") from e
        except Exception as e:
            raise CheckError(f"list_renew_rate_on_period {req_str(req)} -> {exc_str(e)}") from e
        data = typecheck(resp) or {}
        amounts = {}
        for r in data.get("renew_inquiry_results") or []:
            rid = r.get("resource_id")
            amounts[rid] = amounts.get(rid, Decimal(0)) + D(r.get("amount"), f"renew_inquiry_results[{rid}].amount")
        official = D((data.get("official_website_rating_result") or {}).get("official_website_amount"),
                     "official_website_rating_result.official_website_amount")
        if sum(amounts.values(), Decimal(0)) > official:
            raise CheckError(f"list_renew_rate_on_period {req_str(req)}: quotes add up to more than the official "
                             f"price {official}: {short(resp.raw_content)}")
        return amounts, {f.resource_id: f.error_code or "" for f in resp.fail_resource_infos or []}

    def renew_rates(self):
        """Sort masters into renewable and not (10 per request, the operation's maximum) and hand
        out distinct renewable in-use masters to the write groups."""
        in_use = need(self.s.get("in_use_masters"), "in-use masters")
        in_use_ids = {m.resource_id for m in in_use}
        others = [r for r in self.s.get("all_resources") or []
                  if r.is_main_resource == 1 and r.resource_id not in in_use_ids]
        masters = in_use + others  # unrenewable ones need not be in use
        slaves = self.s.get("slaves") or {}
        busy = self.in_unpaid_orders()
        renewable, unrenewable, quotes = [], [], {}
        for start in range(0, min(len(masters), 100), 10):
            batch = [m.resource_id for m in masters[start:start + 10]]
            amounts, fails = self.quote(batch)
            quotes.update(amounts)
            for rid in batch:
                code = fails.get(rid)
                if code is not None:
                    if (rid in in_use_ids and code != UNRENEWABLE) or not code.startswith("CBC."):
                        raise CheckError(f"list_renew_rate_on_period: {rid} failed with {code!r}, expected "
                                         f"{UNRENEWABLE} (or another CBC.* code for a master not in use)")
                    if code == UNRENEWABLE:
                        unrenewable.append(rid)
                elif rid in amounts:
                    if amounts[rid] <= 0:
                        raise CheckError(f"list_renew_rate_on_period: renewal of {rid} quoted at {amounts[rid]}")
                    if rid in in_use_ids and rid not in busy:
                        renewable.append(rid)
                else:
                    raise CheckError(f"list_renew_rate_on_period {batch}: {rid} neither quoted nor in "
                                     "fail_resource_infos")
            if len(renewable) >= len(ROLES) and unrenewable:
                break
        self.s["unrenewable"], self.s["quotes"] = unrenewable, quotes
        if len(renewable) < len(ROLES) or not unrenewable:
            raise CheckError(f"want >= {len(ROLES)} renewable in-use masters outside unpaid orders and >= 1 "
                             f"unrenewable one, found {len(renewable)} and {len(unrenewable)}")
        # the auto-paid renewal gets a master with slaves, to show they move together
        first = next((rid for rid in renewable if slaves.get(rid)), renewable[0])
        rest = [rid for rid in renewable if rid != first]
        self.s["roles"] = dict(zip(ROLES, [first] + rest))

    def in_unpaid_orders(self):
        """Resources of renewal orders pending payment: BSS refuses to renew them again (CBC.30050010)."""
        req = bss.ListCustomerOrdersRequest(status=ORDER_PENDING_PAYMENT, order_type=str(ORDER_TYPE_RENEW),
                                            offset=0, limit=100)
        _, orders, _ = items("list_customer_orders", req, call(self.c, "list_customer_orders", req), "order_infos",
                             keys=("order_id",))
        busy = set()
        for o in orders:
            busy |= {r.resource_id for r in self.resources(order_id=o.order_id)[1]}
        return busy

    def rate_on_period(self):
        masters = need(self.s.get("in_use_masters"), "in-use masters")
        m = next((x for x in masters if x.resource_spec_code and x.resource_type_code), masters[0])
        products = [bss.PeriodProductInfo(
            id=str(k + 1), cloud_service_type=m.service_type_code, resource_type=m.resource_type_code,
            resource_spec=m.resource_spec_code, region=m.region_code or BSS_REGION, period_type=2,
            period_num=k + 1, subscription_num=1) for k in range(2)]
        req = bss.ListRateOnPeriodDetailRequest(body=bss.RateOnPeriodReq(
            project_id=self.admin["project_id"], product_infos=products))
        resp = call(self.c, "list_rate_on_period_detail", req)
        data = typecheck(resp) or {}
        result = data.get("official_website_rating_result") or {}
        rows = result.get("product_rating_results") or []
        by_id = {r.get("id"): D(r.get("official_website_amount"), f"product {r.get('id')} official_website_amount")
                 for r in rows}
        if set(by_id) != {"1", "2"}:
            raise CheckError(f"list_rate_on_period_detail: product_rating_results ids {sorted(by_id, key=str)}, "
                             f"expected ['1', '2']: {short(resp.raw_content)}")
        total = D(result.get("official_website_amount"), "official_website_amount")
        if total != by_id["1"] + by_id["2"] or not (0 < by_id["1"] <= by_id["2"]):
            raise CheckError(f"list_rate_on_period_detail: 1 month {by_id['1']}, 2 months {by_id['2']}, "
                             f"total {total}: expected positive prices, 2 months >= 1, total = sum")

    def renew_autopay(self):
        rid = self.res("autopay")
        before = self.expiries(rid)
        money_before = self.cash_credit()
        resp = self.renew([rid], auto_pay=1)
        money_after = self.cash_credit()
        after = self.expiries(rid)
        amount = Decimal(0)
        for oid in resp.order_ids:
            info = self.order_status(oid, ORDER_COMPLETED, f"renewal_resources is_auto_pay=1 of {rid}")
            if info.order_type != ORDER_TYPE_RENEW:
                raise CheckError(f"renewal order {oid} has order_type {info.order_type}, expected {ORDER_TYPE_RENEW}")
            amount += self.order_amount(oid)
        self.s["autopay"] = {"rid": rid, "orders": resp.order_ids, "amount": amount, "before": before,
                             "after": after, "debited": money_before - money_after}
        moved = {k: (after[k] - before[k]).days for k in before if k in after}
        wrong = {k: d for k, d in moved.items() if not 28 <= d <= 31}
        if set(after) != set(before) or wrong:
            raise CheckError(f"renewing {rid} by one month moved expiries by {moved} days (master and slaves "
                             f"must all move 28..31 days; family before {sorted(before)}, after {sorted(after)})")

    def autopay_debit(self):
        a = need(self.s.get("autopay"), "the auto-paid renewal")
        if a["debited"] != a["amount"]:
            raise CheckError(f"renewal with is_auto_pay=1: cash+credit fell by {a['debited']}, orders "
                             f"{a['orders']} amount_after_discount total {a['amount']}")

    def autopay_quote(self):
        a = need(self.s.get("autopay"), "the auto-paid renewal")
        quotes = self.s.get("quotes") or {}
        need(quotes.get(a["rid"]), "the renew-rate quote")
        # the quote may give the slaves' amounts separately or inside the master's
        quote = sum((quotes.get(rid, Decimal(0)) for rid in a["before"]), Decimal(0))
        if a["amount"] != quote:
            raise CheckError(f"renewal of {a['rid']} (1 month) costs {a['amount']}, list_renew_rate_on_period "
                             f"quoted {quote}")

    def renew_pay_later(self):
        rid = self.res("pay_later")
        before = self.expiries(rid)
        money_before = self.cash_credit()
        resp = self.renew([rid], auto_pay=0)
        if len(resp.order_ids) != 1:
            raise CheckError(f"renewing one resource gave order_ids {resp.order_ids}")
        oid = resp.order_ids[0]
        self.order_status(oid, ORDER_PENDING_PAYMENT, "renewal_resources is_auto_pay=0")
        if self.expiries(rid) != before:
            raise CheckError(f"renewal {oid} is unpaid, yet the expiries of {rid} changed")
        if self.cash_credit() != money_before:
            raise CheckError(f"renewal {oid} is unpaid, yet cash+credit changed")
        self.s["pay_later"] = {"rid": rid, "order": oid, "before": before}

    def pay_renewal(self):
        p = need(self.s.get("pay_later"), "the unpaid renewal order")
        oid = p["order"]
        amount = self.order_amount(oid)
        money_before = self.cash_credit()
        req = bss.PayOrdersRequest(body=bss.PayCustomerOrderV3Req(order_id=oid, use_coupon="NO", use_discount="NO"))
        typecheck(call(self.c, "pay_orders", req))
        self.order_status(oid, ORDER_COMPLETED, f"pay_orders {oid}")
        debited = money_before - self.cash_credit()
        if debited != amount:
            raise CheckError(f"pay_orders {oid}: cash+credit fell by {debited}, amount_after_discount {amount}")
        after = self.expiries(p["rid"])
        moved = {k: (after[k] - v).days if k in after else None for k, v in p["before"].items()}
        if any(d is None or not 28 <= d <= 31 for d in moved.values()):
            raise CheckError(f"paid one-month renewal {oid}: expiries of {p['rid']} (master and slaves) moved "
                             f"{moved} days, expected 28..31 each")
        self.s["paid_order"] = oid

    def renew_unrenewable(self):
        bad = need(self.s.get("unrenewable"), "an unrenewable master")[0]
        expect_cbc(self.c, "renewal_resources", bss.RenewalResourcesRequest(body=bss.RenewalResourcesReq(
            resource_ids=[bad], period_type=2, period_num=1, is_auto_pay=0)), code=UNRENEWABLE)

    def renew_bad_period(self):
        rid = self.res("autorenew")
        before = self.expiries(rid)
        for ptype, num in ((2, 12), (3, 4), (2, 0)):
            expect_cbc(self.c, "renewal_resources", bss.RenewalResourcesRequest(body=bss.RenewalResourcesReq(
                resource_ids=[rid], period_type=ptype, period_num=num, is_auto_pay=1)))
        if self.expiries(rid) != before:
            raise CheckError(f"refused renewals still changed the expiries of {rid}")

    def renew_mixed(self):
        good, bad = self.res("mixed"), need(self.s.get("unrenewable"), "an unrenewable master")[0]
        before = self.expiries(good)
        resp = self.renew([good, bad], auto_pay=0)
        fails = {f.resource_id: f.error_code for f in resp.fail_resource_infos or []}
        if fails != {bad: UNRENEWABLE}:
            raise CheckError(f"renewal_resources [{good}, {bad}]: fail_resource_infos {fails}, expected "
                             f"{{{bad!r}: {UNRENEWABLE!r}}}")
        for oid in resp.order_ids:
            self.order_status(oid, ORDER_PENDING_PAYMENT, "renewal_resources is_auto_pay=0 (mixed list)")
        self.s["mixed"] = {"rid": good, "orders": resp.order_ids, "before": before}

    def cancel_mixed_order(self):
        m = need(self.s.get("mixed"), "the pending order of the mixed renewal")
        for oid in m["orders"]:
            req = bss.CancelCustomerOrderRequest(body=bss.CancelCustomerOrderReq(order_id=oid))
            typecheck(call(self.c, "cancel_customer_order", req))
            self.order_status(oid, ORDER_CANCELLED, f"cancel_customer_order {oid}")
        if self.expiries(m["rid"]) != m["before"]:
            raise CheckError(f"the cancelled renewal still changed the expiries of {m['rid']}")
        self.s["cancelled_order"] = m["orders"][0]

    def auto_renew(self):
        rid = self.res("autorenew")
        req = bss.AutoRenewalResourcesRequest(resource_id=rid, body=bss.AutoRenewalResourcesReq(
            auto_renew_times=3, period_type="MONTH"))
        typecheck(call(self.c, "auto_renewal_resources", req))
        self.policy(rid, POLICY_AUTO_RENEW, "auto_renewal_resources")

    def cancel_auto_renew(self):
        rid = self.res("autorenew")
        req = bss.CancelAutoRenewalResourcesRequest(resource_id=rid)
        typecheck(call(self.c, "cancel_auto_renewal_resources", req))
        self.policy(rid, POLICY_GRACE, "cancel_auto_renewal_resources")

    def auto_renew_bad_times(self):
        rid = self.res("autorenew")
        expect_cbc(self.c, "auto_renewal_resources", bss.AutoRenewalResourcesRequest(
            resource_id=rid, body=bss.AutoRenewalResourcesReq(auto_renew_times=100, period_type="MONTH")))
        self.policy(rid, POLICY_GRACE, "a refused auto_renewal_resources")

    def policy(self, rid, want, after):
        got = self.family(rid)[rid].expire_policy
        if got != want:
            raise CheckError(f"after {after}: resource {rid} expire_policy={got!r}, expected {want}")

    def renew_config(self, name, value, ok=True):
        req = bss.SetResourcesRenewConfigRequest(body=bss.RenewResourceConfigReq(config_name=name, config_value=value))
        if ok:
            typecheck(call(self.c, "set_resources_renew_config", req))
        else:
            expect_cbc(self.c, "set_resources_renew_config", req)

    def to_on_demand(self, operation, want):
        rid = self.res("ondemand")
        req = bss.UpdatePeriodToOnDemandRequest(body=bss.PeriodToOnDemandReq(operation=operation, resource_ids=[rid]))
        resp = call(self.c, "update_period_to_on_demand", req)
        typecheck(resp)
        if resp.error_details:
            raise CheckError(f"update_period_to_on_demand {req_str(req)}: error_details {short(resp.raw_content)}")
        self.policy(rid, want, f"update_period_to_on_demand {operation}")

    def to_on_demand_bad(self):
        expect_cbc(self.c, "update_period_to_on_demand", bss.UpdatePeriodToOnDemandRequest(
            body=bss.PeriodToOnDemandReq(operation="SOMETIMES", resource_ids=[self.res("ondemand")])))

    def to_on_demand_instantly(self):
        rid = self.res("instant")
        req = bss.UpdatePeriodToOnDemandInstantlyRequest(body=bss.PeriodToOnDemandInstantlyReq(resource_ids=[rid]))
        resp = call(self.c, "update_period_to_on_demand_instantly", req)
        typecheck(resp)
        results = resp.to_ondemand_service_results or []
        if len(results) != 1 or results[0].resource_id != rid or results[0].result not in ("SUCCESS", "AUDIT") \
                or not results[0].order_id:
            raise CheckError(f"update_period_to_on_demand_instantly {req_str(req)}: expected one SUCCESS/AUDIT "
                             f"result for {rid} with an order_id: {short(resp.raw_content)}")
        info, _, _ = self.order(results[0].order_id)
        if info.order_type != ORDER_TYPE_TO_ON_DEMAND:
            raise CheckError(f"to-on-demand order {results[0].order_id} has order_type {info.order_type}, "
                             f"expected {ORDER_TYPE_TO_ON_DEMAND}")

    def unsubscribe(self, rid, kind):
        req = bss.CancelResourcesSubscriptionRequest(body=bss.UnsubscribeResourcesReq(
            resource_ids=[rid], unsubscribe_type=kind, unsubscribe_reason_type=5, unsubscribe_reason="contract test"))
        resp = call(self.c, "cancel_resources_subscription", req)
        typecheck(resp)
        if resp.fail_resource_infos or not resp.order_ids:
            raise CheckError(f"cancel_resources_subscription {req_str(req)}: expected refund order_ids and no "
                             f"failures: {short(resp.raw_content)}")
        for oid in resp.order_ids:
            info, _, _ = self.order(oid)
            if info.order_type != ORDER_TYPE_UNSUBSCRIBE:
                raise CheckError(f"refund order {oid} has order_type {info.order_type}, expected {ORDER_TYPE_UNSUBSCRIBE}")
        return resp.order_ids

    def unsubscribe_full(self):
        rid = self.res("unsub_full")
        money_before = self.cash_credit()
        orders = self.unsubscribe(rid, 1)
        if len(orders) != 1:
            raise CheckError(f"unsubscribing one resource gave order_ids {orders}")
        self.s["refund"] = {"order": orders[0], "credited": self.cash_credit() - money_before}
        still = [r for r in self.resources(resource_ids=[rid], only_main_resource=1)[1]
                 if r.resource_id == rid and r.status == RESOURCE_IN_USE]
        if still:
            raise CheckError(f"after unsubscribe_type=1, {rid} is still listed in use (status 2)")

    def unsubscribe_renewals(self):
        a = need(self.s.get("autopay"), "the auto-paid renewal")
        self.unsubscribe(a["rid"], 2)
        fam = self.family(a["rid"])
        now = parse_utc(fam[a["rid"]].expire_time, "expire_time")
        if fam[a["rid"]].status != RESOURCE_IN_USE or not now < a["after"][a["rid"]]:
            raise CheckError(f"after unsubscribe_type=2 of {a['rid']}: status {fam[a['rid']].status}, expiry {now}; "
                             f"expected still in use with an expiry before the renewed {a['after'][a['rid']]}")

    def unsubscribe_slave(self):
        slaves = need(self.s.get("slaves"), "the resource listing")
        used = {self.res(role) for role in ROLES}  # keep the other write groups' families intact
        sid = next((s for m, lst in slaves.items() if m not in used for s in lst), None)
        sid = need(sid, "a slave resource of a master no other check uses")
        req = bss.CancelResourcesSubscriptionRequest(body=bss.UnsubscribeResourcesReq(resource_ids=[sid],
                                                                                     unsubscribe_type=1))
        base.CALLED_OPS.add("cancel_resources_subscription")
        try:
            resp = self.c.cancel_resources_subscription(req)
        except sdk_exc.ClientRequestException as e:
            if e.status_code == 400 and (e.error_code or "").startswith("CBC."):
                return
            raise CheckError(f"cancel_resources_subscription(slave {sid}) -> {exc_str(e)}; expected 400 CBC.*") from e
        fails = [f.resource_id for f in resp.fail_resource_infos or []]
        if resp.order_ids or fails != [sid]:
            raise CheckError(f"cancel_resources_subscription(slave {sid}) accepted: {short(resp.raw_content)}; "
                             "only master ids may be unsubscribed")

    def refund_details(self):
        r = need(self.s.get("refund"), "a refund order from cancel_resources_subscription")
        req = bss.ShowRefundOrderDetailsRequest(order_id=r["order"])
        resp = call(self.c, "show_refund_order_details", req)
        _, found, raw = items("show_refund_order_details", req, resp, "refund_infos", nonempty=True,
                              keys=("id", "service_type_code"))
        r["amounts"] = [D(x.get("amount"), f"refund_infos[{i}].amount") for i, x in enumerate(raw)]

    def refund_credited(self):
        r = need(self.s.get("refund"), "the refund order")
        total = sum(need(r.get("amounts"), "refund_infos amounts"), Decimal(0))
        # sign-agnostic here; the sign has its own check
        if r["credited"] <= 0 or abs(total) != r["credited"]:
            raise CheckError(f"unsubscription {r['order']}: cash+credit rose by {r['credited']}, the refund order's "
                             f"amounts {r['amounts']} add up to {total}")

    def refund_sign(self):
        r = need(self.s.get("refund"), "the refund order")
        total = sum(need(r.get("amounts"), "refund_infos amounts"), Decimal(0))
        if total >= 0:
            raise CheckError(f"refund order {r['order']}: refund_infos amounts {r['amounts']} add up to {total}; the "
                             "SDK's OrderRefundInfoV2.amount says a refund is negative (positive = consumed or fee)")

    # ---- orders -------------------------------------------------------------- #

    def list_orders(self):
        req = bss.ListCustomerOrdersRequest(offset=0, limit=100)
        resp = call(self.c, "list_customer_orders", req)
        _, found, raw = items("list_customer_orders", req, resp, "order_infos", nonempty=True,
                              keys=("order_id", "status", "order_type"))
        for i, r in enumerate(raw):
            D(r.get("amount_after_discount"), f"order_infos[{i}].amount_after_discount")
        self.s["orders"] = found

    def list_orders_filtered(self, status=None, order_type=None):
        req = bss.ListCustomerOrdersRequest(status=status, order_type=order_type, offset=0, limit=100)
        resp = call(self.c, "list_customer_orders", req)
        _, found, _ = items("list_customer_orders", req, resp, "order_infos", nonempty=True, keys=("order_id",))
        wrong = [(o.order_id, o.status, o.order_type) for o in found
                 if (status is not None and o.status != status) or
                 (order_type is not None and str(o.order_type) != order_type)]
        if wrong:
            raise CheckError(f"list_customer_orders {req_str(req)}: orders not matching: {wrong[:5]}")
        if status == ORDER_PENDING_PAYMENT:
            self.s["pending"] = [o.order_id for o in found]

    def order_details(self):
        orders = need(self.s.get("orders"), "orders from list_customer_orders")
        oid = orders[0].order_id
        info, _, resp = self.order(oid)
        lines = resp.order_line_items
        if not lines:
            raise CheckError(f"show_customer_order_details {oid}: no order_line_items: {short(resp.raw_content)}")
        if resp.total_count != len(lines):
            raise CheckError(f"show_customer_order_details {oid}: total_count {resp.total_count}, "
                             f"{len(lines)} order_line_items")
        if info.status != orders[0].status:
            raise CheckError(f"order {oid}: status {info.status} in details, {orders[0].status} in the list")

    def order_benefits(self):
        """Find seeded pending orders with coupons and discounts to pay with."""
        pending = need(self.s.get("pending"), "pending-payment orders")
        both = None
        for oid in pending[:30]:
            req = bss.ListOrderCouponsByOrderIdRequest(order_id=oid)
            _, coupons, _ = items("list_order_coupons_by_order_id", req,
                                  call(self.c, "list_order_coupons_by_order_id", req), "user_coupons", total="count",
                                  keys=("coupon_id", "coupon_type"))
            req = bss.ListOrderDiscountsRequest(order_id=oid)
            _, discounts, _ = items("list_order_discounts", req, call(self.c, "list_order_discounts", req),
                                    "discounts", total=None, keys=("discount_id", "discount_type"))
            for d in discounts:
                if oid not in [o.order_id for o in d.orders or []]:
                    raise CheckError(f"list_order_discounts({oid}): discount {d.discount_id} lists orders "
                                     f"{[o.order_id for o in d.orders or []]}, not {oid}")
            usable = [c for c in coupons if c.coupon_type in COUPON_PAY_TYPE]
            if usable and discounts and both is None:
                both = (oid, usable[0], discounts[0])
        need(both, "a pending order with both a usable coupon and a discount (looked at "
                   f"{min(len(pending), 30)} pending orders)")
        self.s["benefit_order"] = both

    def pay_with_benefits(self):
        oid, coupon, discount = need(self.s.get("benefit_order"), "a pending order with a coupon and a discount")
        req = bss.PayOrdersRequest(body=bss.PayCustomerOrderV3Req(
            order_id=oid, use_coupon="YES", use_discount="YES",
            coupon_infos=[bss.CouponSimpleInfoOrderPayV3(id=coupon.coupon_id, type=COUPON_PAY_TYPE[coupon.coupon_type])],
            discount_infos=[bss.DiscountSimpleInfoV3(id=discount.discount_id, type=discount.discount_type)]))
        typecheck(call(self.c, "pay_orders", req))
        self.order_status(oid, ORDER_COMPLETED, f"pay_orders {oid} with coupon and discount")

    def cancel_seeded(self):
        pending = need(self.s.get("pending"), "pending-payment orders")
        taken = (self.s.get("benefit_order") or (None,))[0]
        oid = need(next((o for o in pending if o != taken), None), "a second pending order")
        req = bss.CancelCustomerOrderRequest(body=bss.CancelCustomerOrderReq(order_id=oid))
        typecheck(call(self.c, "cancel_customer_order", req))
        self.order_status(oid, ORDER_CANCELLED, f"cancel_customer_order {oid}")

    def not_pending(self, op):
        done = need(self.s.get("paid_order"), "a completed order")
        cancelled = need(self.s.get("cancelled_order"), "a cancelled order")
        for oid, status in ((done, ORDER_COMPLETED), (cancelled, ORDER_CANCELLED)):
            if op == "pay_orders":
                req = bss.PayOrdersRequest(body=bss.PayCustomerOrderV3Req(order_id=oid, use_coupon="NO",
                                                                           use_discount="NO"))
            else:
                req = bss.CancelCustomerOrderRequest(body=bss.CancelCustomerOrderReq(order_id=oid))
            expect_cbc(self.c, op, req)
            self.order_status(oid, status, f"a refused {op}")

    # ---- coupons and free resource packages ---------------------------------- #

    def coupons(self, status=None):
        req = bss.ListSubCustomerCouponsRequest(status=status, offset=0, limit=100)
        resp = call(self.c, "list_sub_customer_coupons", req)
        _, found, _ = items("list_sub_customer_coupons", req, resp, "user_coupons", total="count",
                            nonempty=True, keys=("coupon_id",))
        wrong = [(c.coupon_id, c.status) for c in found if status is not None and c.status != status]
        if wrong:
            raise CheckError(f"list_sub_customer_coupons {req_str(req)}: other statuses {wrong[:5]}")

    def coupon_records(self):
        req = bss.ListCustomerCouponChangeRecordsRequest(balance_type="BALANCE_TYPE_COUPON", offset=0, limit=100)
        resp = call(self.c, "list_customer_coupon_change_records", req)
        _, _, raw = items("list_customer_coupon_change_records", req, resp, "records")
        for i, r in enumerate(raw):
            D(r.get("change_amount"), f"records[{i}].change_amount")

    def free_packages(self):
        req = bss.ListFreeResourceInfosRequest(body=bss.ListFreeResourceInfosReq(offset=0, limit=100))
        resp = call(self.c, "list_free_resource_infos", req)
        _, found, raw = items("list_free_resource_infos", req, resp, "free_resource_packages", nonempty=True,
                              keys=("order_instance_id",))
        left = {}
        for p in raw:
            for f in p.get("free_resources") or []:
                if not f.get("free_resource_id"):
                    raise CheckError(f"list_free_resource_infos: a free resource without free_resource_id: {short(p)}")
                left[f["free_resource_id"]] = D(f.get("amount"), f"free resource {f['free_resource_id']} amount")
        if not left:
            raise CheckError("list_free_resource_infos: no package has free_resources")
        self.s["free_left"] = left

    def free_usages(self):
        left = need(self.s.get("free_left"), "free resource ids from list_free_resource_infos")
        ids = sorted(left)[:10]
        req = bss.ListFreeResourceUsagesRequest(body=bss.ListFreeResourceUsagesReq(free_resource_ids=ids))
        resp = call(self.c, "list_free_resource_usages", req)
        _, found, raw = items("list_free_resource_usages", req, resp, "free_resources", total=None, nonempty=True,
                              keys=("free_resource_id",))
        got = {r["free_resource_id"]: r for r in raw}
        if set(got) != set(ids):
            raise CheckError(f"list_free_resource_usages for {ids} answered {sorted(got)}")
        for fid, r in got.items():
            amount = D(r.get("amount"), f"{fid} amount")
            original = D(r.get("original_amount"), f"{fid} original_amount")
            if not 0 <= amount <= original or amount != left[fid]:
                raise CheckError(f"free resource {fid}: usage says {amount} of {original} left, the package "
                                 f"listing says {left[fid]}")

    def free_usage_records(self):
        end = self.now_utc.replace(microsecond=0)
        begin = end - dt.timedelta(days=60)
        req = bss.ListFreeResourcesUsageRecordsRequest(deduct_time_begin=cn_day(begin),
                                                      deduct_time_end=cn_day(end),
                                                      offset=0, limit=100)
        resp = call(self.c, "list_free_resources_usage_records", req)
        _, found, raw = items("list_free_resources_usage_records", req, resp, "free_resource_records",
                              nonempty=True, keys=("free_resource_id",))
        for i, r in enumerate(raw):
            avail, used, rest = (D(r.get(k), f"free_resource_records[{i}].{k}")
                                 for k in ("available_amount", "used_amount", "remaining_amount"))
            if avail - used != rest:
                raise CheckError(f"free_resource_records[{i}]: available {avail} - used {used} != remaining {rest}")
            t = parse_utc(r.get("deduct_time"), f"free_resource_records[{i}].deduct_time")
            if not begin <= t <= end:
                raise CheckError(f"free_resource_records[{i}].deduct_time {t} outside {begin}..{end}")
        fid = found[0].free_resource_id
        req = bss.ListFreeResourcesUsageRecordsRequest(free_resource_id=fid,
                                                      deduct_time_begin=cn_day(begin),
                                                      deduct_time_end=cn_day(end),
                                                      offset=0, limit=100)
        _, only, _ = items("list_free_resources_usage_records", req,
                           call(self.c, "list_free_resources_usage_records", req), "free_resource_records",
                           nonempty=True)
        if any(r.free_resource_id != fid for r in only):
            raise CheckError(f"list_free_resources_usage_records free_resource_id={fid}: records of other ids")

    def free_usage_records_required(self):
        expect_cbc(self.c, "list_free_resources_usage_records",
                   bss.ListFreeResourcesUsageRecordsRequest(offset=0, limit=10))

    # ---- catalog ------------------------------------------------------------- #

    def measure_units(self):
        req = bss.ListMeasureUnitsRequest()
        _, found, _ = items("list_measure_units", req, call(self.c, "list_measure_units", req), "measure_units",
                            total=None, nonempty=True, keys=("measure_id",))
        ids = [u.measure_id for u in found]
        if len(set(ids)) != len(ids):
            raise CheckError(f"list_measure_units: duplicate measure_id in {ids}")
        self.s["measure_ids"] = set(ids)

    def conversions(self, measure_type=None):
        req = bss.ListConversionsRequest(measure_type=measure_type)
        _, found, _ = items("list_conversions", req, call(self.c, "list_conversions", req), "conversions",
                            total=None, nonempty=measure_type is None)
        units = self.s.get("measure_ids") or set()
        for c in found:
            if measure_type is not None and c.measure_type != measure_type:
                raise CheckError(f"list_conversions {req_str(req)}: a conversion of measure_type {c.measure_type}")
            if units and not {c.measure_id, c.ref_measure_id} <= units:
                raise CheckError(f"list_conversions: {c.measure_id}->{c.ref_measure_id} uses a unit missing from "
                                 f"list_measure_units {sorted(units)}")
            if not isinstance(c.conversion_ratio, int) or c.conversion_ratio <= 0:
                raise CheckError(f"list_conversions: ratio {c.conversion_ratio!r} for {c.measure_id}->{c.ref_measure_id}")

    def service_types(self):
        req = bss.ListServiceTypesRequest(offset=0, limit=100)
        total, found, _ = items("list_service_types", req, call(self.c, "list_service_types", req), "service_types",
                                nonempty=True, keys=("service_type_code",))
        self.s["service_codes"] = {s.service_type_code for s in found}
        if total > 1:
            req = bss.ListServiceTypesRequest(offset=1, limit=1)
            _, second, _ = items("list_service_types", req, call(self.c, "list_service_types", req), "service_types",
                                 nonempty=True)
            if second[0].service_type_code != found[1].service_type_code:
                raise CheckError(f"list_service_types offset=1 limit=1 gave {second[0].service_type_code}, "
                                 f"the second record is {found[1].service_type_code}")

    def resource_types(self):
        req = bss.ListResourceTypesRequest(offset=0, limit=100)
        _, found, _ = items("list_resource_types", req, call(self.c, "list_resource_types", req), "resource_types",
                            nonempty=True, keys=("resource_type_code",))
        services = self.s.get("service_codes") or set()
        orphans = [r.resource_type_code for r in found if services and r.service_type_code not in services]
        if orphans:
            raise CheckError(f"list_resource_types: resource types of unknown services {orphans[:5]}")
        self.s["resource_codes"] = [r.resource_type_code for r in found]

    def usage_types(self):
        req = bss.ListUsageTypesRequest(offset=0, limit=100)
        _, found, _ = items("list_usage_types", req, call(self.c, "list_usage_types", req), "usage_types",
                            nonempty=True, keys=("code", "resource_type_code"))
        code = found[0].resource_type_code
        req = bss.ListUsageTypesRequest(resource_type_code=code, offset=0, limit=100)
        _, only, _ = items("list_usage_types", req, call(self.c, "list_usage_types", req), "usage_types",
                           nonempty=True)
        if any(u.resource_type_code != code for u in only):
            raise CheckError(f"list_usage_types resource_type_code={code}: usage types of other resource types")
        known = self.s.get("resource_codes")
        if known and code not in known:
            raise CheckError(f"usage type resource_type_code {code} is not in list_resource_types")

    # ---- enterprise ---------------------------------------------------------- #

    def organizations(self):
        req = bss.ListEnterpriseOrganizationsRequest(recursive_query=1)
        resp = call(self.c, "list_enterprise_organizations", req)
        data = typecheck(resp) or {}
        if not resp.root_id:
            raise CheckError(f"list_enterprise_organizations: no root_id: {short(resp.raw_content)}")
        ids = {resp.root_id}

        def walk(nodes, depth):
            for n in nodes or []:
                if not n.get("id") or n["id"] in ids or depth > 20:
                    raise CheckError(f"list_enterprise_organizations: node without id, repeated or too deep: {short(n)}")
                ids.add(n["id"])
                walk(n.get("child_nodes"), depth + 1)

        walk(data.get("child_nodes"), 0)
        if len(ids) < 2:
            raise CheckError("list_enterprise_organizations: the root has no child nodes")
        self.s["org_ids"] = ids

    def sub_customers(self):
        req = bss.ListEnterpriseSubCustomersRequest(offset=0, limit=100)
        _, found, _ = items("list_enterprise_sub_customers", req, call(self.c, "list_enterprise_sub_customers", req),
                            "sub_customer_infos", nonempty=True, keys=("id",))
        orgs = self.s.get("org_ids") or set()
        stray = [(s.id, s.org_id) for s in found if s.org_id and orgs and s.org_id not in orgs]
        if stray:
            raise CheckError(f"sub-customers in organisations missing from the tree: {stray[:5]}")
        self.s["subs"] = found

    def sub_customers_by_org(self):
        subs = need(self.s.get("subs"), "sub-customers")
        sub = need(next((s for s in subs if s.org_id), None), "a sub-customer with an org_id")
        req = bss.ListEnterpriseSubCustomersRequest(org_id=sub.org_id, offset=0, limit=100)
        _, found, _ = items("list_enterprise_sub_customers", req, call(self.c, "list_enterprise_sub_customers", req),
                            "sub_customer_infos", nonempty=True)
        if any(s.org_id != sub.org_id for s in found) or sub.id not in [s.id for s in found]:
            raise CheckError(f"list_enterprise_sub_customers org_id={sub.org_id}: got "
                             f"{[(s.id, s.org_id) for s in found][:5]}, expected only that org, including {sub.id}")

    def transferable(self):
        req = bss.ShowMultiAccountTransferAmountRequest(balance_type="BALANCE_TYPE_DEBIT")
        resp = call(self.c, "show_multi_account_transfer_amount", req)
        _, _, raw = items("show_multi_account_transfer_amount", req, resp, "amount_infos", nonempty=True)
        return D(raw[0].get("avail_transfer_amount"), "amount_infos[0].avail_transfer_amount")

    def retrievable(self, sub_id):
        req = bss.ListEnterpriseMultiAccountRequest(sub_customer_id=sub_id, balance_type="BALANCE_TYPE_DEBIT")
        resp = call(self.c, "list_enterprise_multi_account", req)
        _, _, raw = items("list_enterprise_multi_account", req, resp, "amount_infos", nonempty=True)
        return D(raw[0].get("avail_retrieve_amount"), "amount_infos[0].avail_retrieve_amount")

    def sub(self):
        subs = need(self.s.get("subs"), "sub-customers")
        return next((s for s in subs if s.status in (None, 1)), subs[0]).id

    def amounts(self):
        sub = self.sub()
        self.s["money0"] = (self.transferable(), self.retrievable(sub))

    def transfer(self):
        sub = self.sub()
        master0, sub0 = need(self.s.get("money0"), "transferable/retrievable amounts")
        amount, trans = Decimal("12.34"), uuid.uuid4().hex
        req = bss.UpdateSubEnterpriseAmountRequest(body=bss.TransferEnterpriseMultiAccountReq(
            customer_id=sub, amount=str(amount), trans_id=trans, balance_type="BALANCE_TYPE_DEBIT"))
        typecheck(call(self.c, "update_sub_enterprise_amount", req))
        self.expect_amounts(sub, master0 - amount, sub0 + amount, f"transferring {amount} to {sub}")
        # the same trans_id again must not move money twice (an error answer is fine too)
        base.CALLED_OPS.add("update_sub_enterprise_amount")
        try:
            self.c.update_sub_enterprise_amount(req)
        except sdk_exc.ServiceResponseException as e:
            if not 400 <= e.status_code < 500:
                raise CheckError(f"repeating trans_id {trans}: {exc_str(e)}") from e
        self.expect_amounts(sub, master0 - amount, sub0 + amount, f"repeating trans_id {trans}")
        self.s["transferred"] = amount

    def reclaim(self):
        sub = self.sub()
        master0, sub0 = need(self.s.get("money0"), "transferable/retrievable amounts")
        amount = need(self.s.get("transferred"), "a completed transfer")
        req = bss.ReclaimSubEnterpriseAmountRequest(body=bss.RetrieveEnterpriseMultiAccountReq(
            customer_id=sub, amount=str(amount), trans_id=uuid.uuid4().hex, balance_type="BALANCE_TYPE_DEBIT"))
        typecheck(call(self.c, "reclaim_sub_enterprise_amount", req))
        self.expect_amounts(sub, master0, sub0, f"reclaiming {amount} from {sub}")

    def transfer_too_much(self):
        sub = self.sub()
        master, retrievable = self.transferable(), self.retrievable(sub)
        too_much = (master + Decimal("1000")).quantize(Decimal("0.01"))
        expect_cbc(self.c, "update_sub_enterprise_amount", bss.UpdateSubEnterpriseAmountRequest(
            body=bss.TransferEnterpriseMultiAccountReq(customer_id=sub, amount=str(too_much),
                                                       trans_id=uuid.uuid4().hex, balance_type="BALANCE_TYPE_DEBIT")))
        self.expect_amounts(sub, master, retrievable, "a refused transfer")

    def expect_amounts(self, sub, master_want, sub_want, after):
        master, retrievable = self.transferable(), self.retrievable(sub)
        if (master, retrievable) != (master_want, sub_want):
            raise CheckError(f"after {after}: master transferable {master} (expected {master_want}), "
                             f"sub {sub} retrievable {retrievable} (expected {sub_want})")

    def send_sms(self):
        req = bss.SendSmsVerificationCodeRequest(body=bss.SendSmVerificationCodeReq(
            mobile_phone="13800000000", timeout=10, language="zh-cn",
            sm_template_args=[bss.TemplateArgs(key="sub_customer_name", value="contract-sub")]))
        resp = call(self.c, "send_sms_verification_code", req)
        typecheck(resp)
        if not 200 <= resp.status_code < 300:
            raise CheckError(f"send_sms_verification_code: HTTP {resp.status_code}")

    # ---- authentication / authorisation ------------------------------------- #

    def wrong_sk(self):
        sk = self.admin["sk"]
        bad = bss_client(self.url, self.admin["ak"], sk[:-1] + ("0" if sk[-1] != "0" else "1"), self.creds["domain_id"])
        e = expect_error(bad, "show_customer_account_balances", bss.ShowCustomerAccountBalancesRequest())
        if not isinstance(e, sdk_exc.ClientRequestException) or e.status_code != 401 \
                or e.error_code != "APIGW.0301" or not e.request_id:
            raise CheckError(f"show_customer_account_balances with a wrong SK -> {exc_str(e)}; expected "
                             "HTTP 401 error_code='APIGW.0301' with an X-Request-Id")

    def forbidden(self, user, op, req):
        e = expect_error(self.user_client(user), op, req)
        if e.status_code != 403 or not e.request_id or e.error_code in (None, "", "403"):
            raise CheckError(f"{user} {op} {req_str(req)} -> {exc_str(e)}; expected HTTP 403 with a Huawei "
                             "error body (error_code/error_msg) and an X-Request-Id")

    def fleet_forbidden(self):
        self.forbidden("fleet", "show_customer_account_balances", bss.ShowCustomerAccountBalancesRequest())

    def readonly_reads(self):
        b = self.balances(self.user_client("readonly"))
        if b != self.balances():
            raise CheckError("readonly and admin see different balances")

    def readonly_write(self):
        rid = self.res("autorenew")
        before = self.expiries(rid)
        self.forbidden("readonly", "renewal_resources", bss.RenewalResourcesRequest(body=bss.RenewalResourcesReq(
            resource_ids=[rid], period_type=2, period_num=1, is_auto_pay=1)))
        if self.expiries(rid) != before:
            raise CheckError(f"the refused renewal by readonly still changed the expiries of {rid}")

    def finance_writes(self):
        fin = self.user_client("finance")
        self.balances(fin)
        rid = self.res("finance")
        typecheck(call(fin, "auto_renewal_resources", bss.AutoRenewalResourcesRequest(
            resource_id=rid, body=bss.AutoRenewalResourcesReq(auto_renew_times=0, period_type="YEAR"))))
        self.policy(rid, POLICY_AUTO_RENEW, "auto_renewal_resources by finance")
        typecheck(call(fin, "cancel_auto_renewal_resources", bss.CancelAutoRenewalResourcesRequest(resource_id=rid)))
        self.policy(rid, POLICY_GRACE, "cancel_auto_renewal_resources by finance")

    def region_lookup(self):
        """with_region + no domain id: the SDK looks the domain up with GET /v3/auth/domains."""
        fin = self.creds["by_name"]["finance"]
        creds = GlobalCredentials(fin["ak"], fin["sk"]).with_iam_endpoint(self.url)
        try:
            client = (bss.BssClient.new_builder().with_http_config(base.http_config()).with_credentials(creds)
                      .with_region(Region(BSS_REGION, self.url)).build())
        except Exception as e:
            raise CheckError(f"BssClient.with_region(Region({BSS_REGION!r}, url)) domain lookup: {exc_str(e)}") from e
        if creds.domain_id != self.creds["domain_id"]:
            raise CheckError(f"looked-up domain id {creds.domain_id!r} != {self.creds['domain_id']!r}")
        self.balances(client)

    # ---- run ---------------------------------------------------------------- #

    def run(self):
        pm, cm = self.prev_month, self.cur_month
        days = [(self.today8 - dt.timedelta(days=6)).isoformat(), self.today8.isoformat()]
        # auth first: nothing has changed yet
        check("auth: wrong SK -> 401 APIGW.0301 with request_id", self.wrong_sk)
        check("auth: fleet (no bss rights) show_customer_account_balances -> 403", self.fleet_forbidden)
        check("auth: readonly can read", self.readonly_reads)
        check("auth: BssClient with_region domain-id lookup", self.region_lookup)
        # accounts
        check("show_customer_account_balances", self.show_balances)
        check("list_customer_account_change_records BALANCE_TYPE_DEBIT", self.change_records, "BALANCE_TYPE_DEBIT")
        check("list_customer_account_change_records BALANCE_TYPE_CREDIT", self.change_records, "BALANCE_TYPE_CREDIT")
        check("list_customer_account_change_records without balance_type -> 400 CBC", self.change_records_required)
        check("list_stored_value_cards status=1", self.stored_value_cards, 1)
        check("list_stored_value_cards status=2", self.stored_value_cards, 2)
        # bills and costs
        check(f"show_customer_monthly_sum {pm} (rows sum to the total)", self.monthly_sum)
        check(f"coherence: fee records of {pm} sum to the monthly sum", self.fee_records)
        check(f"list_customerself_resource_records cycle={pm}", self.resource_records)
        check("list_customerself_resource_records bill dates outside the cycle -> 400 CBC.0100",
              self.resource_records_cross_month)
        check("list_customerself_resource_records without cycle -> 400 CBC", self.resource_records_required)
        check(f"list_customerself_resource_record_details cycle={pm}", self.record_details)
        check(f"list_customer_bills_monthly_break_down shared_month={pm}", self.monthly_breakdown)
        check(f"list_costs months {pm}..{cm} by {COSTS_SERVICE_KEY}", self.list_costs, 2, pm, cm)
        check(f"list_costs days {days[0]}..{days[1]}", self.list_costs, 1, days[0], days[1])
        check("list_costs AMORTIZED_COST", self.list_costs, 2, pm, cm, COSTS_SERVICE_KEY, "AMORTIZED_COST")
        for key in COSTS_OTHER_KEYS:
            check(f"list_costs by {key}", self.list_costs, 2, pm, cm, key)
        check("list_costs over a year -> 400 CBC.0100", self.costs_over_a_year)
        # catalog
        check("list_measure_units", self.measure_units)
        check("list_conversions", self.conversions)
        check("list_conversions measure_type=3", self.conversions, 3)
        check("list_service_types (+ record offset)", self.service_types)
        check("list_resource_types", self.resource_types)
        check("list_usage_types (+ resource_type_code filter)", self.usage_types)
        # resources: discovery and reads
        check("list_pay_per_use_customer_resources (all pages, masters/slaves)", self.list_resources)
        check("list_pay_per_use_customer_resources paging (record offset)", self.resources_paging)
        check("list_pay_per_use_customer_resources limit=0 -> 400 CBC", self.resources_bad_limit, 0)
        check("list_pay_per_use_customer_resources limit=501 -> 400 CBC", self.resources_bad_limit, 501)
        check("list_pay_per_use_customer_resources filters", self.resources_filters)
        check("list_renew_rate_on_period (renewable vs CBC.30050013)", self.renew_rates)
        check("list_rate_on_period_detail", self.rate_on_period)
        # orders: reads
        check("list_customer_orders", self.list_orders)
        check(f"list_customer_orders status={ORDER_PENDING_PAYMENT} (pending payment)", self.list_orders_filtered,
              ORDER_PENDING_PAYMENT)
        check(f"list_customer_orders order_type={ORDER_TYPE_RENEW}", self.list_orders_filtered, None,
              str(ORDER_TYPE_RENEW))
        check("show_customer_order_details (order_line_items)", self.order_details)
        check("list_order_coupons_by_order_id + list_order_discounts", self.order_benefits)
        # renewals and payments
        check("renewal_resources is_auto_pay=1 (completed, master+slaves extended)", self.renew_autopay)
        check("coherence: auto-paid renewal lowers cash+credit by amount_after_discount", self.autopay_debit)
        check("coherence: auto-paid renewal costs what list_renew_rate_on_period quoted", self.autopay_quote)
        check("renewal_resources is_auto_pay=0 (pending payment, nothing moves)", self.renew_pay_later)
        check("pay_orders (the pending renewal; debit and expiry)", self.pay_renewal)
        check("renewal_resources of an unrenewable resource -> 400 CBC.30050013", self.renew_unrenewable)
        check("renewal_resources invalid periods -> 400 CBC", self.renew_bad_period)
        check("renewal_resources mixed list (fail_resource_infos)", self.renew_mixed)
        check("cancel_customer_order (the mixed renewal's order)", self.cancel_mixed_order)
        check("pay_orders with coupon and discount", self.pay_with_benefits)
        check("cancel_customer_order (a seeded pending order)", self.cancel_seeded)
        check("pay_orders on completed/cancelled orders -> 400 CBC", self.not_pending, "pay_orders")
        check("cancel_customer_order on completed/cancelled orders -> 400 CBC", self.not_pending,
              "cancel_customer_order")
        # renewal settings
        check("auto_renewal_resources (expire_policy 3)", self.auto_renew)
        check("cancel_auto_renewal_resources (expire_policy 0)", self.cancel_auto_renew)
        check("auto_renewal_resources auto_renew_times=100 -> 400 CBC", self.auto_renew_bad_times)
        check("set_resources_renew_config DEDUCTION_DATE 3", self.renew_config, "DEDUCTION_DATE", "3")
        check("set_resources_renew_config EXPIRE_DATE 15", self.renew_config, "EXPIRE_DATE", "15")
        check("set_resources_renew_config EXPIRE_DATE -1", self.renew_config, "EXPIRE_DATE", "-1")
        check("set_resources_renew_config DEDUCTION_DATE 8 -> 400 CBC", self.renew_config, "DEDUCTION_DATE", "8",
              False)
        check("set_resources_renew_config EXPIRE_DATE 29 -> 400 CBC", self.renew_config, "EXPIRE_DATE", "29", False)
        check("update_period_to_on_demand SET_UP (expire_policy 1)", self.to_on_demand, "SET_UP",
              POLICY_TO_ON_DEMAND)
        check("update_period_to_on_demand CANCEL (expire_policy 0)", self.to_on_demand, "CANCEL", POLICY_GRACE)
        check("update_period_to_on_demand unknown operation -> 400 CBC", self.to_on_demand_bad)
        check("update_period_to_on_demand_instantly (order_type 10)", self.to_on_demand_instantly)
        # unsubscribing
        check("cancel_resources_subscription unsubscribe_type=1", self.unsubscribe_full)
        check("show_refund_order_details (the refund order)", self.refund_details)
        check("coherence: unsubscription credits cash+credit with the refund amounts", self.refund_credited)
        check("show_refund_order_details: a refund is a negative amount (SDK model text)", self.refund_sign)
        check("cancel_resources_subscription unsubscribe_type=2 (renewed periods only)", self.unsubscribe_renewals)
        check("cancel_resources_subscription of a slave is refused", self.unsubscribe_slave)
        # coupons and free resource packages
        check("list_sub_customer_coupons", self.coupons)
        check("list_sub_customer_coupons status=2", self.coupons, 2)
        check("list_customer_coupon_change_records BALANCE_TYPE_COUPON", self.coupon_records)
        check("list_free_resource_infos", self.free_packages)
        check("list_free_resource_usages (agrees with the package listing)", self.free_usages)
        check("list_free_resources_usage_records (+ free_resource_id filter)", self.free_usage_records)
        check("list_free_resources_usage_records without deduct times -> 400 CBC", self.free_usage_records_required)
        # enterprise
        check("list_enterprise_organizations (recursive tree)", self.organizations)
        check("list_enterprise_sub_customers", self.sub_customers)
        check("list_enterprise_sub_customers org_id filter", self.sub_customers_by_org)
        check("show_multi_account_transfer_amount + list_enterprise_multi_account", self.amounts)
        check("coherence: update_sub_enterprise_amount moves exactly 12.34 (once per trans_id)", self.transfer)
        check("coherence: reclaim_sub_enterprise_amount restores both amounts", self.reclaim)
        check("update_sub_enterprise_amount over the available amount -> 400 CBC", self.transfer_too_much)
        check("send_sms_verification_code", self.send_sms)
        # rights on writes
        check("auth: readonly renewal_resources -> 403, nothing renewed", self.readonly_write)
        check("auth: finance can read and write", self.finance_writes)
        check(f"coverage: all {len(OPERATIONS)} BSS v2 operations called", self.coverage)

    @staticmethod
    def coverage():
        sdk_ops = {n[1:-len("_http_info")] for n in dir(bss.BssClient)
                   if n.startswith("_") and n.endswith("_http_info") and not n.startswith("__")}
        unknown = [op for op in OPERATIONS if op not in sdk_ops]
        if unknown or len(set(OPERATIONS)) != 43:
            raise CheckError(f"the 43 operations are not all BssClient operations: {unknown}")
        missing = [op for op in OPERATIONS if op not in base.CALLED_OPS]
        if missing:
            raise CheckError(f"not called: {missing}")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("HWSANDBOX_BIN")
    if not binary:
        print("usage: contract_bss.py PATH_TO_HWSANDBOX (or set HWSANDBOX_BIN)", file=sys.stderr)
        return 2
    sandbox = base.Sandbox(binary)
    try:
        creds = check("sandbox: --print-credentials", base.print_credentials, binary)
        url = check("sandbox: starts and prints its URL", sandbox.start)
        if creds is not None and url is not None:
            Contract(url, creds).run()
    finally:
        sandbox.stop()
        print(f"contract: {base.PASSED} passed, {base.FAILED} failed", flush=True)
    return 1 if base.FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
