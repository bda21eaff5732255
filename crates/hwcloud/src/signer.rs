//! SDK-HMAC-SHA256 request signing, exactly as the official `huaweicloudsdkcore` signer does it.
//!
//! Everything here is pure: the same inputs always give the same canonical request and signature,
//! which is what the vectors in `signing-vectors.json` check.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

use crate::operation::QueryValue;

/// The algorithm name that starts the string to sign and the Authorization header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// Payload hash of an empty body.
pub const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Header carrying the signing time.
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// Header marking a body that is not hashed.
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";
/// strftime format of [`DATE_HEADER`].
pub const DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// Python's `quote(s, safe='~')`: only RFC 3986 unreserved characters stay literal.
const QUOTE_SET: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes like Python's `urllib.parse.quote(s, safe='~')` (UTF-8, `%20` for space).
pub fn quote(s: &str) -> String {
    utf8_percent_encode(s, QUOTE_SET).to_string()
}

/// Percent-decodes like Python's `unquote` (invalid UTF-8 becomes U+FFFD).
pub fn unquote(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The canonical URI: decode the path, re-encode each segment, and end it with `/`.
pub fn canonical_uri(path: &str) -> String {
    let decoded = unquote(path);
    let mut uri = decoded.split('/').map(quote).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn query_order(a: &(&str, &QueryValue), b: &(&str, &QueryValue)) -> std::cmp::Ordering {
    // Python sorts (key, value) tuples on raw values: numbers numerically, strings by code point.
    fn rank(v: &QueryValue) -> (u8, i64, &str) {
        match v {
            QueryValue::Int(i) => (0, *i, ""),
            QueryValue::Bool(b) => (0, i64::from(*b), ""),
            QueryValue::Str(s) => (1, 0, s.as_str()),
        }
    }
    a.0.cmp(b.0).then_with(|| rank(a.1).cmp(&rank(b.1)))
}

/// The canonical query of typed pairs as the SDK builds it (also the query it sends).
pub fn canonical_query<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a QueryValue)>,
{
    let mut pairs: Vec<(&str, &QueryValue)> = pairs.into_iter().collect();
    pairs.sort_by(query_order);
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", quote(k), quote(&v.render())))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical query recomputed from a raw query string on the wire.
///
/// Keys are stable-sorted and values keep their arrival order, because the SDK sorts repeated
/// integer keys numerically (`tag_id=9&tag_id=10`) and a string sort would undo that.
pub fn canonical_query_from_wire(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (quote(&unquote(k)), quote(&unquote(v)))
        })
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

/// The canonical headers block and the signed-header list for the given (lower-case name, value) pairs.
fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut signed: Vec<(String, &str)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim()))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    let block = signed.iter().map(|(n, v)| format!("{n}:{v}\n")).collect::<String>();
    let names = signed.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";");
    (block, names)
}

/// Joins the six parts of a canonical request.
pub fn canonical_request(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    format!(
        "{}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        method.to_ascii_uppercase()
    )
}

/// `SDK-HMAC-SHA256\n<date>\n<hex sha256 of canonical request>`.
pub fn string_to_sign(canonical_request: &str, date: &str) -> String {
    format!("{ALGORITHM}\n{date}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Lower-case hex HMAC-SHA256 keyed directly with the SK.
pub fn signature(sk: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(sk.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The Authorization header value.
pub fn authorization(ak: &str, signed_headers: &str, signature: &str) -> String {
    format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={signature}")
}

/// What is signed: the request as the SDK holds it just before signing.
#[derive(Debug, Clone)]
pub struct SigningRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// `host[:port]` of the endpoint (used for `Host` when absent from `headers`).
    pub host: &'a str,
    /// Resource path as sent, path parameters already encoded.
    pub path: &'a str,
    /// Query pairs in any order; repeated keys allowed.
    pub query: &'a [(&'a str, QueryValue)],
    /// Headers present before signing (name, value), in any case.
    pub headers: &'a [(String, String)],
    /// The body bytes (empty for none).
    pub body: &'a [u8],
}

/// Everything the signer produced, for sending and for debugging a rejected signature.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedRequest {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// Hex signature.
    pub signature: String,
    /// `a;b;c`.
    pub signed_headers: String,
    /// Authorization header value.
    pub authorization: String,
    /// `path?canonical_query` as put on the wire.
    pub request_target: String,
    /// Headers to send, including the added `Host`, `X-Sdk-Date` and `Authorization`.
    pub headers: Vec<(String, String)>,
}

fn has_header(headers: &[(String, String)], name: &str) -> bool {
    headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
}

fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Signs a request with AK/SK at the given `X-Sdk-Date` time (`%Y%m%dT%H%M%SZ`).
pub fn sign(req: &SigningRequest<'_>, ak: &str, sk: &str, date: &str) -> SignedRequest {
    let mut headers: Vec<(String, String)> = req.headers.to_vec();
    if let Some(ct) = header_value(&headers, "Content-Type")
        && !ct.starts_with("application/json") && !ct.starts_with("application/bson") {
            headers.push((CONTENT_SHA256_HEADER.to_owned(), "UNSIGNED-PAYLOAD".to_owned()));
        }
    if !has_header(&headers, DATE_HEADER) {
        headers.push((DATE_HEADER.to_owned(), date.to_owned()));
    }
    if !has_header(&headers, "Host") {
        headers.push(("Host".to_owned(), req.host.to_owned()));
    }
    let date = header_value(&headers, DATE_HEADER).unwrap_or(date).to_owned();
    let payload_hash = if req.body.is_empty() {
        EMPTY_BODY_SHA256.to_owned()
    } else if let Some(v) = header_value(&headers, CONTENT_SHA256_HEADER) {
        v.to_owned()
    } else {
        sha256_hex(req.body)
    };
    let query = canonical_query(req.query.iter().map(|(k, v)| (*k, v)));
    let (header_block, signed_headers) = canonical_headers(&headers);
    let canonical_request = canonical_request(
        req.method,
        &canonical_uri(req.path),
        &query,
        &header_block,
        &signed_headers,
        &payload_hash,
    );
    let string_to_sign = string_to_sign(&canonical_request, &date);
    let signature = signature(sk, &string_to_sign);
    let authorization = authorization(ak, &signed_headers, &signature);
    headers.push(("Authorization".to_owned(), authorization.clone()));
    let request_target = if query.is_empty() { req.path.to_owned() } else { format!("{}?{query}", req.path) };
    SignedRequest { canonical_request, string_to_sign, signature, signed_headers, authorization, request_target, headers }
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationHeader {
    /// Access key id.
    pub access: String,
    /// Signed header names, lower case.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

/// Parses an Authorization header; `None` when it is not an SDK-HMAC-SHA256 header.
pub fn parse_authorization(value: &str) -> Option<AuthorizationHeader> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let mut access = None;
    let mut signed = None;
    let mut sig = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Access" => access = Some(v.to_owned()),
            "SignedHeaders" => signed = Some(v.split(';').map(str::to_owned).collect()),
            "Signature" => sig = Some(v.to_owned()),
            _ => {}
        }
    }
    Some(AuthorizationHeader { access: access?, signed_headers: signed?, signature: sig? })
}

/// A request as it arrived on the wire, for verifying its signature.
#[derive(Debug, Clone)]
pub struct WireRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Raw path as received (still percent-encoded).
    pub path: &'a str,
    /// Raw query string (without `?`).
    pub query: &'a str,
    /// Received headers (name, value).
    pub headers: &'a [(String, String)],
    /// Body bytes.
    pub body: &'a [u8],
}

/// Recomputes the signature of a received request with the given SK.
///
/// Returns the expected signature and the string to sign (for the error message of a mismatch).
pub fn expected_signature(wire: &WireRequest<'_>, auth: &AuthorizationHeader, sk: &str) -> (String, String) {
    let selected: Vec<(String, String)> = auth
        .signed_headers
        .iter()
        .map(|name| (name.clone(), header_value(wire.headers, name).unwrap_or("").to_owned()))
        .collect();
    let (block, names) = canonical_headers(&selected);
    let payload_hash = if wire.body.is_empty() {
        EMPTY_BODY_SHA256.to_owned()
    } else if let Some(v) = header_value(wire.headers, CONTENT_SHA256_HEADER) {
        v.to_owned()
    } else {
        sha256_hex(wire.body)
    };
    let canonical = canonical_request(
        wire.method,
        &canonical_uri(wire.path),
        &canonical_query_from_wire(wire.query),
        &block,
        &names,
        &payload_hash,
    );
    let date = header_value(wire.headers, DATE_HEADER).unwrap_or("");
    let sts = string_to_sign(&canonical, date);
    (signature(sk, &sts), sts)
}

/// Constant-time comparison of two hex signatures.
pub fn signatures_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests;
