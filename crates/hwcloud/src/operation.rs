//! The operation layer: every GSL and BSS call is a request type implementing [`Operation`].

use serde::de::DeserializeOwned;

/// Which Huawei Cloud service an operation belongs to (decides endpoint and auth scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Global SIM Link v3 (project-scoped, cn-north-4).
    Gsl,
    /// Business Support System v2 (domain-scoped, global).
    Bss,
    /// Identity and Access Management v3 (tokens, projects, domains).
    Iam,
}

impl Service {
    /// Lower-case name for logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Gsl => "gsl",
            Service::Bss => "bss",
            Service::Iam => "iam",
        }
    }
}

/// A single query value as the SDK hands it to the signer; integers sort numerically.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryValue {
    /// An integer (sorted as a number among repeated keys).
    Int(i64),
    /// A string.
    Str(String),
    /// A boolean, written `true`/`false`.
    Bool(bool),
}

impl QueryValue {
    /// The value as it is written in the query string before percent-encoding.
    pub fn render(&self) -> String {
        match self {
            QueryValue::Int(i) => i.to_string(),
            QueryValue::Str(s) => s.clone(),
            QueryValue::Bool(b) => b.to_string(),
        }
    }
}

impl From<i64> for QueryValue {
    fn from(v: i64) -> Self {
        QueryValue::Int(v)
    }
}
impl From<i32> for QueryValue {
    fn from(v: i32) -> Self {
        QueryValue::Int(i64::from(v))
    }
}
impl From<bool> for QueryValue {
    fn from(v: bool) -> Self {
        QueryValue::Bool(v)
    }
}
impl From<String> for QueryValue {
    fn from(v: String) -> Self {
        QueryValue::Str(v)
    }
}
impl From<&str> for QueryValue {
    fn from(v: &str) -> Self {
        QueryValue::Str(v.to_owned())
    }
}

/// Collects query pairs, skipping absent optional values and expanding lists into repeated keys.
#[derive(Debug, Default)]
pub struct QueryBuilder(Vec<(&'static str, QueryValue)>);

impl QueryBuilder {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds `key=value`.
    pub fn push<V: Into<QueryValue> + Clone>(mut self, key: &'static str, value: &V) -> Self {
        self.0.push((key, value.clone().into()));
        self
    }
    /// Adds `key=value` when the value is present.
    pub fn opt<V: Into<QueryValue> + Clone>(mut self, key: &'static str, value: &Option<V>) -> Self {
        if let Some(v) = value {
            self.0.push((key, v.clone().into()));
        }
        self
    }
    /// Adds one `key=value` per element (collection format `multi`).
    pub fn multi<V: Into<QueryValue> + Clone>(mut self, key: &'static str, values: &Option<Vec<V>>) -> Self {
        if let Some(vs) = values {
            for v in vs {
                self.0.push((key, v.clone().into()));
            }
        }
        self
    }
    /// The collected pairs.
    pub fn build(self) -> Vec<(&'static str, QueryValue)> {
        self.0
    }
}

/// Encodes a path parameter the way the SDK does: `quote(str(v), safe='')`.
pub fn encode_path_param(value: &str) -> String {
    crate::signer::quote(value)
}

/// One typed upstream operation.
pub trait Operation: Send + Sync {
    /// The decoded response.
    type Output: DeserializeOwned + Send + 'static;
    /// The SDK's operation name, e.g. `list_sim_cards` (used for rate limiting and metrics).
    const ID: &'static str;
    /// Service the operation belongs to.
    const SERVICE: Service;
    /// HTTP method.
    const METHOD: http::Method;
    /// Whether the call only reads (eligible for automatic retry); writes are never retried.
    const IS_READ: bool;
    /// The request path with path parameters filled in and encoded.
    fn path(&self) -> String;
    /// Query parameters in declaration order (lists expanded to repeated keys).
    fn query(&self) -> Vec<(&'static str, QueryValue)> {
        Vec::new()
    }
    /// Extra header parameters (e.g. BSS `X-Language`).
    fn headers(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// The JSON body, if the operation has one.
    fn body(&self) -> Option<Vec<u8>> {
        None
    }
}

/// How an operation pages: GSL uses page numbers from 1, BSS uses 0-based record offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingStyle {
    /// `offset` is a page number starting at 1.
    PageNumber,
    /// `offset` is a 0-based record offset.
    RecordOffset,
}

/// An operation whose results come in pages.
pub trait PagedOperation: Operation + Clone {
    /// One listed item.
    type Item: Send + 'static;
    /// Paging convention of this operation.
    const STYLE: PagingStyle;
    /// Sets the `offset` and `limit` of the next request.
    fn set_page(&mut self, offset: i64, limit: i64);
    /// The page size the caller asked for (or the API default).
    fn page_size(&self) -> i64;
    /// Splits a response into its items and the declared total (if any).
    fn into_items(output: Self::Output) -> (Vec<Self::Item>, Option<i64>);
}

/// An operation paged by an opaque marker: each answer names where the next page starts, and no
/// marker means the last page (BSS `list_resource_specs`).
pub trait MarkerPagedOperation: Operation + Clone {
    /// One listed item.
    type Item: Send + 'static;
    /// Sets the marker of the next request (`None` for the first page).
    fn set_marker(&mut self, marker: Option<String>);
    /// Splits a response into its items and the next page's marker.
    fn into_page(output: Self::Output) -> (Vec<Self::Item>, Option<String>);
}

impl MarkerPagedOperation for crate::bss::ListResourceSpecsRequest {
    type Item = crate::bss::CloudServiceBasic;

    fn set_marker(&mut self, marker: Option<String>) {
        self.body.marker = marker;
    }

    fn into_page(output: Self::Output) -> (Vec<Self::Item>, Option<String>) {
        let next = output.page_info.and_then(|p| p.next_marker).filter(|m| !m.is_empty());
        (output.cloud_service_basics.unwrap_or_default(), next)
    }
}

/// Response of operations whose whole body is a bare string or boolean acknowledgement.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Ack(pub serde_json::Value);

/// Static description of one operation (for route tables, coverage checks and metrics).
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// SDK operation name.
    pub id: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template with `{param}` placeholders.
    pub path: &'static str,
    /// Whether the operation only reads.
    pub is_read: bool,
}
