//! Checking the signer against vectors in the format of `signing-vectors.json`.

use serde::Deserialize;
use serde_json::Value;

use crate::operation::QueryValue;
use crate::signer::{SigningRequest, sign};

/// A file of signing vectors.
#[derive(Debug, Deserialize)]
pub struct VectorFile {
    /// The vectors.
    pub vectors: Vec<Vector>,
}

/// One vector: inputs handed to the official signer and what it produced.
#[derive(Debug, Deserialize)]
pub struct Vector {
    /// Vector name.
    pub name: String,
    /// `signer` (signer alone) or `client` (full SDK client pipeline).
    pub kind: String,
    /// Inputs.
    pub inputs: Value,
    /// Expected outputs.
    pub outputs: Expected,
}

/// The outputs a vector expects.
#[derive(Debug, Deserialize)]
pub struct Expected {
    /// Canonical request.
    pub canonical_request: String,
    /// String to sign.
    pub string_to_sign: String,
    /// Signature.
    pub signature: String,
    /// Authorization header.
    pub authorization: String,
    /// `path?query` sent.
    pub sent_request_target: String,
    /// Headers sent.
    #[serde(default)]
    pub sent_headers: serde_json::Map<String, Value>,
}

/// Result of checking one vector: the name and the first mismatching field, if any.
#[derive(Debug)]
pub struct Check {
    /// Vector name.
    pub name: String,
    /// `None` when every output matched; otherwise which output differed, with both values.
    pub mismatch: Option<String>,
}

fn json_to_query(v: &Value) -> QueryValue {
    match v {
        Value::Bool(b) => QueryValue::Bool(*b),
        Value::Number(n) => n.as_i64().map_or_else(|| QueryValue::Str(n.to_string()), QueryValue::Int),
        Value::String(s) => QueryValue::Str(s.clone()),
        other => QueryValue::Str(other.to_string()),
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Splits `scheme://host[:port]/path?query` into (host, path, query).
fn split_url(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (host, target) = rest.split_once('/').map_or((rest, ""), |(h, t)| (h, t));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    (host.to_owned(), format!("/{path}"), query.to_owned())
}

type Headers = Vec<(String, String)>;

/// Runs the signer on one vector and compares every output.
pub fn check(vector: &Vector) -> Check {
    let inputs = &vector.inputs;
    let (url_host, url_path, url_query) = split_url(str_field(inputs, "url"));
    let (host, path, query, headers): (String, String, Vec<(String, QueryValue)>, Headers) =
        if vector.kind == "signer" {
            let query = inputs
                .get("query_params")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|pair| Some((pair.get(0)?.as_str()?.to_owned(), json_to_query(pair.get(1)?))))
                .collect();
            let headers = inputs
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                .collect();
            (str_field(inputs, "host").to_owned(), str_field(inputs, "resource_path").to_owned(), query, headers)
        } else {
            // Client vectors record what the SDK client put on the wire; sign those headers again.
            let query = url_query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    let v = crate::signer::unquote(v);
                    let value = v.parse::<i64>().map_or(QueryValue::Str(v), QueryValue::Int);
                    (crate::signer::unquote(k), value)
                })
                .collect();
            let headers = vector
                .outputs
                .sent_headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization") && !k.eq_ignore_ascii_case("host"))
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                .collect();
            (url_host, url_path, query, headers)
        };
    let mut headers = headers;
    for (key, header) in [("project_id", "X-Project-Id"), ("domain_id", "X-Domain-Id")] {
        let id = str_field(inputs, key);
        if !id.is_empty() && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(header)) {
            headers.push((header.to_owned(), id.to_owned()));
        }
    }
    let query_refs: Vec<(&str, QueryValue)> = query.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let body = str_field(inputs, "body");
    let req = SigningRequest {
        method: str_field(inputs, "method"),
        host: &host,
        path: &path,
        query: &query_refs,
        headers: &headers,
        body: body.as_bytes(),
    };
    let signed = sign(&req, str_field(inputs, "ak"), str_field(inputs, "sk"), str_field(inputs, "date"));
    let exp = &vector.outputs;
    let pairs = [
        ("canonical_request", &signed.canonical_request, &exp.canonical_request),
        ("string_to_sign", &signed.string_to_sign, &exp.string_to_sign),
        ("signature", &signed.signature, &exp.signature),
        ("authorization", &signed.authorization, &exp.authorization),
        ("sent_request_target", &signed.request_target, &exp.sent_request_target),
    ];
    let mismatch = pairs
        .iter()
        .find(|(_, got, want)| got != want)
        .map(|(field, got, want)| format!("{field}: got {got:?}, want {want:?}"));
    Check { name: vector.name.clone(), mismatch }
}
