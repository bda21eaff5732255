#!/usr/bin/env python3
"""Generate the typed GSL / BSS request, response and model code of the `hwcloud` crate.

Reads the SDK-derived API description (`api.json`) and writes, for each selected service,
`crates/hwcloud/src/<service>/{mod.rs,models.rs,operations.rs}`, then runs rustfmt on them.

    python3 crates/hwcloud/codegen/generate.py                 # GSL only (default)
    python3 crates/hwcloud/codegen/generate.py --service bss   # BSS only
    python3 crates/hwcloud/codegen/generate.py --service all   # both
    python3 crates/hwcloud/codegen/generate.py --spec PATH     # another api.json

Only the standard library is used. Warnings and review lists go to stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SPEC = REPO_ROOT / ".." / "shared" / "hwcloud" / "api.json"


@dataclass(frozen=True)
class ServiceConfig:
    key: str  # key in api.json (`services.<key>`, `models.<key>`)
    label: str  # short name used in doc comments
    title: str  # long name used in the module doc
    variant: str  # `crate::operation::Service` variant
    sdk_package: str  # key in `sdk_versions`
    out_dir: str  # output directory relative to the repository root
    paging_style: str  # `crate::operation::PagingStyle` variant


SERVICES: dict[str, ServiceConfig] = {
    "gsl": ServiceConfig(
        key="gsl",
        label="GSL",
        title="Global SIM Link v3",
        variant="Gsl",
        sdk_package="huaweicloudsdkgsl",
        out_dir="crates/hwcloud/src/gsl",
        paging_style="PageNumber",
    ),
    "bss": ServiceConfig(
        key="bss",
        label="BSS",
        title="Business Support System v2",
        variant="Bss",
        sdk_package="huaweicloudsdkbss",
        out_dir="crates/hwcloud/src/bss",
        paging_style="RecordOffset",
    ),
}

READ_PREFIXES = ("list_", "show_", "query_", "count_", "check_", "get_")
TOTAL_FIELDS = ("count", "total_count", "total")
DEFAULT_PAGE_SIZE = 10

RUST_KEYWORDS = set(
    """as break const continue crate else enum extern false fn for if impl in let loop match mod
    move mut pub ref return self Self static struct super trait true type unsafe use where while
    async await dyn abstract become box do final macro override priv typeof unsized virtual yield
    try gen""".split()
)
# Keywords that cannot be written as raw identifiers.
NON_RAW_KEYWORDS = {"crate", "self", "Self", "super"}

PRIMITIVES = {
    "int": "i64",
    "str": "String",
    "bool": "bool",
    "float": "Decimal",
    "decimal.Decimal": "Decimal",
    "datetime": "HwTime",
    "object": "serde_json::Value",
}
DECIMAL_TYPES = {"float", "decimal.Decimal"}
# BSS sends some amounts as JSON strings ("12.34"); the SDK declares them `str`. They are money or
# quantities, so they become `Decimal` that still travels as a string.
STRING_AMOUNT = re.compile(r"(.*_)?amount(_by_costs)?|balance(_after_change)?|face_value|discount_value")


def warn(msg: str) -> None:
    print(f"generate.py: {msg}", file=sys.stderr)


class SpecError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Names and types
# ---------------------------------------------------------------------------------------------


def snake_case(name: str) -> str:
    """`errorCode` -> `error_code`, `X-Language` -> `x_language`, `resource_Type_code` -> `resource_type_code`."""
    s = re.sub(r"[^0-9A-Za-z_]+", "_", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"_+", "_", s.lower()).strip("_")
    if not s:
        s = "field"
    if s[0].isdigit():
        s = "f_" + s
    return s


def rust_ident(snake: str) -> str:
    """A usable Rust identifier for an already snake-cased name."""
    if snake in NON_RAW_KEYWORDS:
        return snake + "_"
    if snake in RUST_KEYWORDS:
        return "r#" + snake
    return snake


@dataclass(frozen=True)
class TypeRef:
    kind: str  # "prim" | "list" | "map" | "model"
    name: str = ""  # SDK primitive name or model name
    inner: "TypeRef | None" = None

    @property
    def is_decimal(self) -> bool:
        return self.kind == "prim" and self.name in DECIMAL_TYPES

    def models(self) -> list[str]:
        if self.kind == "model":
            return [self.name]
        if self.inner is not None:
            return self.inner.models()
        return []


def parse_type(t: str) -> TypeRef:
    t = t.strip()
    m = re.fullmatch(r"list\[(.+)\]", t)
    if m:
        return TypeRef("list", inner=parse_type(m.group(1)))
    m = re.fullmatch(r"dict\(\s*str\s*,\s*(.+)\)", t)
    if m:
        return TypeRef("map", inner=parse_type(m.group(1)))
    if t in PRIMITIVES:
        return TypeRef("prim", name=t)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", t):
        return TypeRef("model", name=t)
    raise SpecError(f"unsupported type {t!r}")


@dataclass
class Imports:
    """Which short names a generated file uses (so only those are imported)."""

    decimal: bool = False
    hwtime: bool = False
    btreemap: bool = False


def rust_type(t: TypeRef, imports: Imports, where: str) -> str:
    if t.kind == "prim":
        r = PRIMITIVES[t.name]
        if r == "Decimal":
            imports.decimal = True
        elif r == "HwTime":
            imports.hwtime = True
        return r
    if t.kind == "list":
        assert t.inner is not None
        if t.inner.is_decimal:
            warn(f"{where}: decimal inside a list uses rust_decimal's default serde (string out, number/string in)")
        return f"Vec<{rust_type(t.inner, imports, where)}>"
    if t.kind == "map":
        assert t.inner is not None
        if t.inner.is_decimal:
            warn(f"{where}: decimal inside a map uses rust_decimal's default serde (string out, number/string in)")
        imports.btreemap = True
        return f"BTreeMap<String, {rust_type(t.inner, imports, where)}>"
    return t.name


# ---------------------------------------------------------------------------------------------
# Struct rendering
# ---------------------------------------------------------------------------------------------


@dataclass
class FieldSpec:
    json_name: str
    type: TypeRef
    required: bool  # rendered as a plain (non-Option) type
    doc: str


def serde_attr(parts: list[str]) -> str:
    return f"    #[serde({', '.join(parts)})]\n" if parts else ""


def render_fields(fields: list[FieldSpec], imports: Imports, owner: str) -> str:
    out = []
    used: dict[str, str] = {}
    for f in fields:
        snake = snake_case(f.json_name)
        base = snake
        n = 2
        while snake in used:
            snake = f"{base}_{n}"
            n += 1
        if snake != base:
            warn(f"{owner}: JSON fields {used[base]!r} and {f.json_name!r} both map to `{base}`; using `{snake}`")
        used[snake] = f.json_name
        ident = rust_ident(snake)
        ty = rust_type(f.type, imports, f"{owner}.{f.json_name}")
        string_amount = f.type.kind == "prim" and f.type.name == "str" and STRING_AMOUNT.fullmatch(f.json_name) is not None
        if string_amount:
            ty = "Decimal"
            imports.decimal = True
        attrs: list[str] = []
        if snake != f.json_name:
            attrs.append(f'rename = "{f.json_name}"')
        if f.required:
            attrs.append("default")
            if f.type.is_decimal:
                attrs.append('with = "rust_decimal::serde::float"')
            elif string_amount:
                attrs.append('with = "rust_decimal::serde::str"')
            full = ty
        else:
            attrs.append("default")
            if f.type.is_decimal:
                attrs.append('with = "rust_decimal::serde::float_option"')
            elif string_amount:
                attrs.append('with = "rust_decimal::serde::str_option"')
            attrs.append('skip_serializing_if = "Option::is_none"')
            full = f"Option<{ty}>"
        out.append(f"    /// {f.doc}\n{serde_attr(attrs)}    pub {ident}: {full},\n")
    return "".join(out)


MODEL_DERIVE = "#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]"


def field_ident(json_name: str) -> str:
    return rust_ident(snake_case(json_name))


# ---------------------------------------------------------------------------------------------
# The generator for one service
# ---------------------------------------------------------------------------------------------


@dataclass
class PagingInfo:
    location: str  # "query" | "body"
    list_field: str
    item_type: str
    total_field: str | None
    limit_required: bool
    offset_required: bool
    default_limit: int


@dataclass
class Stats:
    models: int = 0
    response_structs: int = 0
    operations: int = 0
    paged: list[str] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    non_get_reads: list[str] = field(default_factory=list)
    skipped_paging: list[str] = field(default_factory=list)


class ServiceGenerator:
    def __init__(self, spec: dict, cfg: ServiceConfig):
        self.cfg = cfg
        self.version = spec.get("sdk_versions", {}).get(cfg.sdk_package, "unknown")
        try:
            self.ops: list[dict] = spec["services"][cfg.key]["operations"]
            self.models: dict[str, dict] = spec["models"][cfg.key]
        except KeyError as e:
            raise SpecError(f"service {cfg.key!r} missing from spec: {e}") from e
        self.stats = Stats()
        self.request_models = self._closure(self._request_roots())
        self.response_models = self._closure(self._response_roots())
        self._check_names()

    # -- model reachability -------------------------------------------------------------------

    def _request_roots(self) -> list[str]:
        roots = []
        for op in self.ops:
            rb = op.get("request_body")
            if rb:
                roots += parse_type(rb["type"]).models()
        return roots

    def _response_roots(self) -> list[str]:
        roots = []
        for op in self.ops:
            resp = op["response"]
            if resp.get("body_is_whole_payload"):
                roots += parse_type(resp["payload"]["type"]).models()
            for f in resp.get("fields") or []:
                roots += parse_type(f["type"]).models()
        return roots

    def _closure(self, roots: list[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            if name not in self.models:
                raise SpecError(f"{self.cfg.key}: model {name!r} is referenced but not defined in models")
            seen.add(name)
            for f in self.models[name]["fields"]:
                stack += parse_type(f["type"]).models()
        return seen

    def _check_names(self) -> None:
        names: dict[str, str] = {m: "model" for m in self.request_models | self.response_models}
        for op in self.ops:
            for cls, what in ((op["request_class"], "request"), (op["response_class"], "response")):
                if cls in names:
                    raise SpecError(f"{self.cfg.key}: {what} class {cls} collides with a {names[cls]}")
                names[cls] = f"{what} of {op['operation']}"
        if "OPERATIONS" in names:
            raise SpecError("a type is called OPERATIONS")

    # -- helpers ------------------------------------------------------------------------------

    def is_read(self, op: dict) -> bool:
        return op["method"].upper() == "GET" or op["operation"].startswith(READ_PREFIXES)

    def body_model(self, op: dict) -> str | None:
        rb = op.get("request_body")
        if not rb:
            return None
        t = parse_type(rb["type"])
        if t.kind != "model":
            raise SpecError(f"{op['operation']}: non-model request body {rb['type']!r}")
        return t.name

    # -- models.rs ----------------------------------------------------------------------------

    def gen_models(self) -> str:
        imports = Imports()
        body = []
        for name in sorted(self.request_models | self.response_models):
            in_request = name in self.request_models
            fields = []
            for f in self.models[name]["fields"]:
                required = bool(f.get("required")) and in_request
                doc = f"`{f['name']}`" + (" (required)." if required else ".")
                fields.append(FieldSpec(f["name"], parse_type(f["type"]), required, doc))
            usage = (
                "request and response"
                if in_request and name in self.response_models
                else "request"
                if in_request
                else "response"
            )
            body.append(
                f"/// {self.cfg.label} model `{name}` ({usage}).\n"
                f"{MODEL_DERIVE}\n"
                f"pub struct {name} {{\n{render_fields(fields, imports, name)}}}\n"
            )
            self.stats.models += 1

        for op in self.ops:
            body.append(self._gen_response(op, imports))

        head = [self._file_header(f"{self.cfg.label} request/response models."), ""]
        if imports.btreemap:
            head.append("use std::collections::BTreeMap;\n")
        if imports.decimal:
            head.append("use rust_decimal::Decimal;")
        head.append("use serde::{Deserialize, Serialize};\n")
        if imports.hwtime:
            head.append("use crate::time::HwTime;\n")
        return "\n".join(head) + "\n" + "\n".join(body)

    def _gen_response(self, op: dict, imports: Imports) -> str:
        resp = op["response"]
        name = op["response_class"]
        opid = op["operation"]
        if resp.get("body_is_whole_payload"):
            t = parse_type(resp["payload"]["type"])
            if t.kind == "list":
                ty = rust_type(t, imports, name)
                return f"/// Response of `{opid}`: the whole body is a JSON array.\npub type {name} = {ty};\n"
            if t.kind == "prim" and t.name in ("str", "bool"):
                return (
                    f"/// Response of `{opid}`: the whole body is a bare JSON {'string' if t.name == 'str' else 'boolean'}.\n"
                    f"pub type {name} = crate::operation::Ack;\n"
                )
            if t.kind == "model":
                return f"/// Response of `{opid}`: the whole body is a `{t.name}`.\npub type {name} = {t.name};\n"
            warn(f"{opid}: whole-payload type {resp['payload']['type']!r} mapped to Ack")
            return f"/// Response of `{opid}` (whole body).\npub type {name} = crate::operation::Ack;\n"
        fields = resp.get("fields") or []
        if not fields:
            return (
                f"/// Response of `{opid}`: no body is declared (the client maps an empty body to\n"
                f"/// `Ack(serde_json::Value::Null)`).\n"
                f"pub type {name} = crate::operation::Ack;\n"
            )
        specs = [FieldSpec(f["name"], parse_type(f["type"]), False, f"`{f['name']}`.") for f in fields]
        self.stats.response_structs += 1
        return (
            f"/// Response of `{opid}` (`{op['method'].upper()} {op['path']}`).\n"
            f"{MODEL_DERIVE}\n"
            f"pub struct {name} {{\n{render_fields(specs, imports, name)}}}\n"
        )

    # -- operations.rs ------------------------------------------------------------------------

    def _params(self, op: dict) -> list[tuple[str, dict, str]]:
        """(location, param, rust ident) for every path/query/header param, deduplicated."""
        out = []
        used = {"body"} if op.get("request_body") else set()
        for loc in ("path_params", "query_params", "header_params"):
            for p in op.get(loc) or []:
                snake = snake_case(p["name"])
                base, n = snake, 2
                while snake in used:
                    snake = f"{base}_{n}"
                    n += 1
                if snake != base:
                    warn(f"{op['operation']}: parameter {p['name']!r} renamed to `{snake}` (name clash)")
                used.add(snake)
                out.append((loc, p, rust_ident(snake)))
        return out

    @staticmethod
    def _is_collection(p: dict) -> bool:
        return bool(p.get("collection_format")) or parse_type(p["type"]).kind == "list"

    def _param_type(self, loc: str, p: dict, imports: Imports, where: str) -> str:
        t = parse_type(p["type"])
        if loc == "path_params":
            if t.kind != "prim" or t.name not in ("int", "str"):
                raise SpecError(f"{where}: unsupported path parameter type {p['type']!r}")
            return rust_type(t, imports, where)
        if self._is_collection(p):
            elem = t.inner if t.kind == "list" else t
            assert elem is not None
            if elem.kind != "prim" or elem.name not in ("int", "str", "bool"):
                raise SpecError(f"{where}: unsupported collection element {p['type']!r}")
            return f"Option<Vec<{rust_type(elem, imports, where)}>>"
        if t.kind != "prim" or t.is_decimal or t.name == "object":
            raise SpecError(f"{where}: unsupported {loc} type {p['type']!r}")
        ty = rust_type(t, imports, where)
        return ty if p.get("required") else f"Option<{ty}>"

    def _paging(self, op: dict) -> PagingInfo | None:
        opid = op["operation"]
        q = {p["name"]: p for p in op.get("query_params") or []}
        bm = self.body_model(op)
        bf = {f["name"]: f for f in self.models[bm]["fields"]} if bm else {}
        if "marker" in q or "marker" in bf:
            if ("offset" in q and "limit" in q) or ("offset" in bf and "limit" in bf):
                self.stats.skipped_paging.append(f"{opid} (marker paging)")
            return None
        if "offset" in q and "limit" in q:
            loc, src = "query", q
        elif "offset" in bf and "limit" in bf:
            loc, src = "body", bf
        else:
            return None
        resp = op["response"]
        if resp.get("body_is_whole_payload"):
            self.stats.skipped_paging.append(f"{opid} (whole-body array, no total)")
            return None
        fields = resp.get("fields") or []
        lists = [f for f in fields if parse_type(f["type"]).kind == "list"]
        if len(lists) != 1:
            self.stats.skipped_paging.append(f"{opid} ({len(lists)} list fields in the response)")
            return None
        for k in ("offset", "limit"):
            if src[k]["type"] != "int" or (loc == "query" and self._is_collection(src[k])):
                self.stats.skipped_paging.append(f"{opid} ({k} is {src[k]['type']})")
                return None
        total = None
        for name in TOTAL_FIELDS:
            match = [f for f in fields if f["name"] == name and f["type"] == "int"]
            if match:
                total = name
                break
        item_imports = Imports()
        item = parse_type(lists[0]["type"]).inner
        assert item is not None
        item_type = rust_type(item, item_imports, opid)
        if item_imports.decimal or item_imports.hwtime or item_imports.btreemap:
            self.stats.skipped_paging.append(f"{opid} (item type {item_type} needs an import)")
            return None
        m = re.search(r"默认(?:值)?(?:为)?\s*(\d+)", src["limit"].get("description") or "")
        default_limit = int(m.group(1)) if m else DEFAULT_PAGE_SIZE
        return PagingInfo(
            location=loc,
            list_field=field_ident(lists[0]["name"]),
            item_type=item_type,
            total_field=field_ident(total) if total else None,
            limit_required=bool(src["limit"].get("required")),
            offset_required=bool(src["offset"].get("required")),
            default_limit=default_limit,
        )

    def gen_operations(self) -> str:
        imports = Imports()
        used = {"Operation", "Service", "OperationInfo"}
        items = []
        infos = []
        for op in self.ops:
            items.append(self._gen_operation(op, imports, used))
            infos.append(
                f'    OperationInfo {{ id: "{op["operation"]}", method: "{op["method"].upper()}", '
                f'path: "{op["path"]}", is_read: {str(self.is_read(op)).lower()} }},'
            )
        items.append(
            f"/// Every {self.cfg.label} operation: id, HTTP method, path template and read/write classification.\n"
            f"pub const OPERATIONS: &[OperationInfo] = &[\n" + "\n".join(infos) + "\n];\n"
        )
        op_imports = sorted(used, key=lambda s: (s[0].islower(), s))
        head = [
            self._file_header(f"{self.cfg.label} operations: one request type per SDK operation."),
            "",
        ]
        if imports.hwtime:
            head.append("use crate::time::HwTime;")
        head.append(f"use crate::operation::{{{', '.join(op_imports)}}};\n")
        head.append("use super::models::*;\n")
        return "\n".join(head) + "\n" + "\n".join(items)

    def _gen_operation(self, op: dict, imports: Imports, used: set[str]) -> str:
        opid = op["operation"]
        req = op["request_class"]
        method = op["method"].upper()
        if method not in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"):
            raise SpecError(f"{opid}: unknown method {method}")
        params = self._params(op)
        bm = self.body_model(op)
        is_read = self.is_read(op)
        self.stats.operations += 1
        if is_read:
            self.stats.reads.append(opid)
            if method != "GET":
                self.stats.non_get_reads.append(f"{method} {opid}")

        # struct
        fields = []
        for loc, p, ident in params:
            ty = self._param_type(loc, p, imports, f"{opid}.{p['name']}")
            kind = {"path_params": "Path parameter", "query_params": "Query parameter", "header_params": "Header"}[loc]
            req_note = " (required)" if p.get("required") and loc != "path_params" else ""
            fields.append(f"    /// {kind} `{p['name']}`{req_note}.\n    pub {ident}: {ty},\n")
        if bm:
            fields.append(f"    /// JSON request body.\n    pub body: {bm},\n")
        struct = (
            f"/// Request of `{opid}`: `{method} {op['path']}`.\n"
            f"#[derive(Debug, Clone, Default, PartialEq)]\n"
            f"pub struct {req} {{\n{''.join(fields)}}}\n"
        )

        # impl Operation
        fns = [self._gen_path(op, params, used)]
        query = [(p, ident) for loc, p, ident in params if loc == "query_params"]
        if query:
            used.update({"QueryBuilder", "QueryValue"})
            chain = []
            for p, ident in query:
                t = parse_type(p["type"])
                if self._is_collection(p):
                    chain.append(f'.multi("{p["name"]}", &self.{ident})')
                elif t.name == "datetime":
                    if p.get("required"):
                        chain.append(f'.push("{p["name"]}", &self.{ident}.0)')
                    else:
                        chain.append(f'.opt("{p["name"]}", &self.{ident}.as_ref().map(|t| t.0.clone()))')
                elif p.get("required"):
                    chain.append(f'.push("{p["name"]}", &self.{ident})')
                else:
                    chain.append(f'.opt("{p["name"]}", &self.{ident})')
            fns.append(
                "    fn query(&self) -> Vec<(&'static str, QueryValue)> {\n"
                f"        QueryBuilder::new(){''.join(chain)}.build()\n    }}\n"
            )
        headers = [(p, ident) for loc, p, ident in params if loc == "header_params"]
        if headers:
            fns.append(self._gen_headers(headers))
        if bm:
            fns.append("    fn body(&self) -> Option<Vec<u8>> {\n        serde_json::to_vec(&self.body).ok()\n    }\n")
        impl = (
            f"impl Operation for {req} {{\n"
            f"    type Output = {op['response_class']};\n"
            f'    const ID: &\'static str = "{opid}";\n'
            f"    const SERVICE: Service = Service::{self.cfg.variant};\n"
            f"    const METHOD: http::Method = http::Method::{method};\n"
            f"    const IS_READ: bool = {str(is_read).lower()};\n\n" + "\n".join(fns) + "}\n"
        )

        out = [struct, impl]
        paging = self._paging(op)
        if paging:
            used.update({"PagedOperation", "PagingStyle"})
            out.append(self._gen_paged(op, paging))
            self.stats.paged.append(opid)
        return "\n".join(out)

    def _gen_path(self, op: dict, params: list[tuple[str, dict, str]], used: set[str]) -> str:
        path = op["path"]
        by_name = {p["name"]: (p, ident) for loc, p, ident in params if loc == "path_params"}
        names = re.findall(r"\{([^}]+)\}", path)
        if set(names) != set(by_name):
            raise SpecError(f"{op['operation']}: path {path} vs path params {sorted(by_name)}")
        if not names:
            return f'    fn path(&self) -> String {{\n        "{path}".to_owned()\n    }}\n'
        used.add("encode_path_param")
        args = []
        for n in names:
            p, ident = by_name[n]
            if p["type"] == "str":
                args.append(f"encode_path_param(&self.{ident})")
            else:
                args.append(f"encode_path_param(&self.{ident}.to_string())")
        template = re.sub(r"\{[^}]+\}", "{}", path)
        return f'    fn path(&self) -> String {{\n        format!("{template}", {", ".join(args)})\n    }}\n'

    @staticmethod
    def _gen_headers(headers: list[tuple[dict, str]]) -> str:
        def value(p: dict, expr: str) -> str:
            return f"{expr}.clone()" if p["type"] == "str" else f"{expr}.to_string()"

        required = [(p, i) for p, i in headers if p.get("required")]
        optional = [(p, i) for p, i in headers if not p.get("required")]
        lines = []
        items = ", ".join(f'("{p["name"]}", {value(p, "self." + i)})' for p, i in required)
        if not optional:
            lines.append(f"        vec![{items}]")
        else:
            mut = "let mut headers = " + (f"vec![{items}];" if required else "Vec::new();")
            lines.append(f"        {mut}")
            for p, i in optional:
                lines.append(f'        if let Some(v) = &self.{i} {{\n            headers.push(("{p["name"]}", {value(p, "v")}));\n        }}')
            lines.append("        headers")
        return "    fn headers(&self) -> Vec<(&'static str, String)> {\n" + "\n".join(lines) + "\n    }\n"

    def _gen_paged(self, op: dict, pg: PagingInfo) -> str:
        target = "self" if pg.location == "query" else "self.body"
        off = "offset" if pg.offset_required else "Some(offset)"
        lim = "limit" if pg.limit_required else "Some(limit)"
        size = f"{target}.limit" if pg.limit_required else f"{target}.limit.unwrap_or({pg.default_limit})"
        total = f"output.{pg.total_field}" if pg.total_field else "None"
        return (
            f"impl PagedOperation for {op['request_class']} {{\n"
            f"    type Item = {pg.item_type};\n"
            f"    const STYLE: PagingStyle = PagingStyle::{self.cfg.paging_style};\n\n"
            f"    fn set_page(&mut self, offset: i64, limit: i64) {{\n"
            f"        {target}.offset = {off};\n        {target}.limit = {lim};\n    }}\n\n"
            f"    fn page_size(&self) -> i64 {{\n        {size}\n    }}\n\n"
            f"    fn into_items(output: Self::Output) -> (Vec<Self::Item>, Option<i64>) {{\n"
            f"        (output.{pg.list_field}.unwrap_or_default(), {total})\n    }}\n}}\n"
        )

    # -- mod.rs -------------------------------------------------------------------------------

    def gen_mod(self) -> str:
        return (
            f"//! {self.cfg.title} ({self.cfg.label}): generated request, response and model types.\n"
            f"//!\n"
            f"//! Generated by crates/hwcloud/codegen/generate.py from api.json (SDK {self.version}). Do not edit.\n\n"
            "pub mod models;\npub mod operations;\n\npub use models::*;\npub use operations::*;\n"
        )

    def _file_header(self, what: str) -> str:
        return (
            f"//! Generated by crates/hwcloud/codegen/generate.py from api.json (SDK {self.version}). Do not edit.\n"
            f"//!\n//! {what}"
        )


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------


def rustfmt(paths: list[Path]) -> None:
    exe = shutil.which("rustfmt")
    if exe is None:
        raise SystemExit("generate.py: rustfmt not found on PATH")
    subprocess.run([exe, "--edition", "2024", *map(str, paths)], check=True)


def generate(spec: dict, cfg: ServiceConfig, fmt: bool) -> Stats:
    gen = ServiceGenerator(spec, cfg)
    files = {
        "models.rs": gen.gen_models(),
        "operations.rs": gen.gen_operations(),
        "mod.rs": gen.gen_mod(),
    }
    out_dir = REPO_ROOT / cfg.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    if fmt:
        rustfmt(written)
    s = gen.stats
    warn(
        f"{cfg.key}: {s.models} models, {s.response_structs} response structs, {s.operations} operations, "
        f"{len(s.paged)} paged, {len(s.reads)} reads -> {cfg.out_dir}"
    )
    if s.non_get_reads:
        warn(f"{cfg.key}: non-GET operations classified as reads (review): " + ", ".join(s.non_get_reads))
    if s.skipped_paging:
        warn(f"{cfg.key}: offset/limit operations not made PagedOperation: " + "; ".join(s.skipped_paging))
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="path to api.json (default: ../shared/hwcloud/api.json from the repo root)")
    ap.add_argument("--service", choices=[*SERVICES, "all"], default="gsl", help="service to generate (default: gsl)")
    ap.add_argument("--no-fmt", action="store_true", help="skip rustfmt (debugging only)")
    args = ap.parse_args(argv)

    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    keys = list(SERVICES) if args.service == "all" else [args.service]
    try:
        for key in keys:
            generate(spec, SERVICES[key], fmt=not args.no_fmt)
    except SpecError as e:
        print(f"generate.py: spec error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
