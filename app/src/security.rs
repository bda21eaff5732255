//! The Content-Security-Policy, shared by the page shell (with the per-request nonce leptos puts on
//! its hydration script) and the server's default for every other response.

/// The policy; `nonce` allows exactly the inline scripts that carry it, nothing else inline.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the policy with this request's nonce on the page being rendered.
#[cfg(feature = "ssr")]
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    let nonce = leptos::nonce::use_nonce();
    let policy = content_security_policy(nonce.as_deref());
    if let (Some(opts), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&policy)) {
        opts.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_need_the_nonce_and_framing_is_refused() {
        let with = content_security_policy(Some("abc"));
        let script_src = with.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or("");
        assert_eq!(script_src.trim(), "script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'");
        assert!(with.contains("frame-ancestors 'none'"));
        let without = content_security_policy(None);
        assert!(!without.contains("nonce") && without.contains("script-src 'self' 'wasm-unsafe-eval';"));
    }
}
