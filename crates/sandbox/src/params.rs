//! Request extractors that answer bad input in Huawei's error shape (axum's own rejections do not).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The query string as (key, value) pairs, repeated keys kept.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses a raw query string.
    pub fn parse(raw: &str) -> Self {
        Params(
            raw.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (hwcloud::signer::unquote(k), hwcloud::signer::unquote(v))
                })
                .collect(),
        )
    }

    /// The first value of `key`.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `key` as an integer.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        self.str(key)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::invalid(format!("Parameter {key} must be an integer.")))
            })
            .transpose()
    }

    /// The first value of `key` as a boolean.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        self.str(key)
            .map(|v| match v {
                "true" | "True" => Ok(true),
                "false" | "False" => Ok(false),
                _ => Err(ApiError::invalid(format!(
                    "Parameter {key} must be true or false."
                ))),
            })
            .transpose()
    }

    /// Every value of a repeated (or comma-separated) key.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Every value of a repeated key as integers.
    pub fn all_int(&self, key: &str) -> Result<Vec<i64>, ApiError> {
        self.all(key)
            .into_iter()
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::invalid(format!("Parameter {key} must hold integers.")))
            })
            .collect()
    }

    /// GSL paging: `limit` 10..=500 (default 10) and `offset` a page number 1..=1000000 (default 1).
    pub fn page(&self) -> Result<Page, ApiError> {
        let limit = self.int("limit")?.unwrap_or(10);
        let offset = self.int("offset")?.unwrap_or(1);
        if !(10..=500).contains(&limit) {
            return Err(ApiError::invalid(
                "Parameter limit must be between 10 and 500.",
            ));
        }
        if !(1..=1_000_000).contains(&offset) {
            return Err(ApiError::invalid(
                "Parameter offset must be between 1 and 1000000.",
            ));
        }
        Ok(Page { limit, offset })
    }
}

/// A GSL page request.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Page size.
    pub limit: i64,
    /// Page number from 1.
    pub offset: i64,
}

impl Page {
    /// Index of the first record of the page.
    pub fn skip(&self) -> usize {
        usize::try_from((self.offset - 1).saturating_mul(self.limit)).unwrap_or(usize::MAX)
    }

    /// Page size as usize.
    pub fn take(&self) -> usize {
        usize::try_from(self.limit).unwrap_or(10)
    }

    /// Applies the page to a list.
    pub fn slice<T: Clone>(&self, all: &[T]) -> Vec<T> {
        all.iter()
            .skip(self.skip())
            .take(self.take())
            .cloned()
            .collect()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Params::parse(parts.uri.query().unwrap_or("")))
    }
}

/// A JSON body; a missing or malformed body is a 400 in Huawei's shape.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = bytes::Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::invalid("The request body could not be read."))?;
        let body: &[u8] = if bytes.is_empty() { b"{}" } else { &bytes };
        serde_json::from_slice(body)
            .map(JsonBody)
            .map_err(|e| ApiError::invalid(format!("The request body is not valid: {e}")))
    }
}
