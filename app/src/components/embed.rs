//! The postMessage contract with a portal framing fleetdesk. fleetdesk posts
//! `{type: "fleetdesk:height", height}` when its content height changes and
//! `{type: "fleetdesk:route", path}` when the page changes; the host may post
//! `{type: "fleetdesk:navigate", path}` and `{type: "fleetdesk:logout"}`. Messages go only to, and
//! are taken only from, the configured portal origins; anything else is ignored. Downloads are
//! fetched and saved from a blob while framed (browsers cancel plain ones in a cross-site frame).

use leptos::prelude::*;

/// A message the host may send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostMessage {
    /// Open a page of fleetdesk.
    Navigate(String),
    /// End the session.
    Logout,
}

/// Reads a host's message from `origin`: `None` unless the origin is allowed and the message is one
/// of the contract's (a navigation only to a page of fleetdesk).
pub fn host_message(origin: &str, allowed: &[String], data: &serde_json::Value) -> Option<HostMessage> {
    if !allowed.iter().any(|a| a == origin) {
        return None;
    }
    match data.get("type")?.as_str()? {
        "fleetdesk:navigate" => {
            let path = data.get("path")?.as_str()?;
            (path.starts_with('/') && !path.starts_with("//") && !path.contains('\\')).then(|| HostMessage::Navigate(path.to_owned()))
        }
        "fleetdesk:logout" => Some(HostMessage::Logout),
        _ => None,
    }
}

/// Talks to the framing portal, when fleetdesk is framed and embedding is configured.
#[component]
pub fn EmbedBridge(origins: Vec<String>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    hydrate::bridge(origins);
    #[cfg(not(feature = "hydrate"))]
    let _ = origins;
}

#[cfg(feature = "hydrate")]
mod hydrate {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsValue;
    use leptos_router::hooks::{use_location, use_navigate};

    use super::{HostMessage, host_message};
    use crate::api::auth::sign_out;

    fn post(origins: &[String], message: &serde_json::Value) {
        let Ok(Some(parent)) = window().parent() else { return };
        let Ok(text) = serde_json::to_string(message) else { return };
        let data = js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL);
        for origin in origins {
            // A target origin that is not the parent's drops the message: only the portal hears it.
            let _ = parent.post_message(&data, origin);
        }
    }

    pub fn bridge(origins: Vec<String>) {
        let framed = window().parent().ok().flatten().is_some_and(|p| p != window());
        if !framed || origins.is_empty() {
            return;
        }
        let location = use_location();
        let to = origins.clone();
        Effect::new(move |_| {
            let path = format!("{}{}", location.pathname.get(), location.search.get());
            post(&to, &serde_json::json!({ "type": "fleetdesk:route", "path": path }));
        });
        let to = origins.clone();
        let last = std::cell::Cell::new(0);
        set_interval(
            move || {
                let height = document().document_element().map_or(0, |e| e.scroll_height());
                if height != last.get() {
                    last.set(height);
                    post(&to, &serde_json::json!({ "type": "fleetdesk:height", "height": height }));
                }
            },
            std::time::Duration::from_millis(200),
        );
        let navigate = use_navigate();
        let handle = window_event_listener(leptos::ev::message, move |e| {
            let data = js_sys::JSON::stringify(&e.data()).ok().and_then(|s| s.as_string()).and_then(|s| serde_json::from_str(&s).ok());
            match data.and_then(|d| host_message(&e.origin(), &origins, &d)) {
                Some(HostMessage::Navigate(path)) => navigate(&path, Default::default()),
                Some(HostMessage::Logout) => {
                    let origins = origins.clone();
                    leptos::task::spawn_local(async move {
                        let _ = sign_out().await;
                        post(&origins, &serde_json::json!({ "type": "fleetdesk:logged-out" }));
                        // A full load: nothing of the ended session stays on screen.
                        let _ = window().location().set_href("/login?reason=signed_out");
                    });
                }
                None => {}
            }
        });
        let downloads = window_event_listener(leptos::ev::click, |e| {
            if let Some(anchor) = download_link(&e) {
                e.prevent_default();
                leptos::task::spawn_local(download(anchor));
            }
        });
        on_cleanup(move || {
            handle.remove();
            downloads.remove();
        });
    }

    /// The `<a download>` a click landed on, if any.
    fn download_link(e: &leptos::ev::MouseEvent) -> Option<web_sys::HtmlAnchorElement> {
        use leptos::wasm_bindgen::JsCast;
        let target: web_sys::Element = e.target()?.dyn_into().ok()?;
        let anchor = target.closest("a[download]").ok()??;
        anchor.dyn_into().ok()
    }

    /// Browsers cancel plain downloads started inside a cross-site frame, so a framed fleetdesk
    /// fetches the file (with its partitioned session cookie) and saves it from a blob. A refusal
    /// (not signed in, bad filter) opens in the frame, where its message shows.
    async fn download(anchor: web_sys::HtmlAnchorElement) {
        use leptos::wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        // One tick: the link's own click handler may add an export id to its address first.
        crate::components::timer::sleep_ms(0).await;
        let href = anchor.href();
        let Ok(resp) = JsFuture::from(window().fetch_with_str(&href)).await.and_then(|r| r.dyn_into::<web_sys::Response>()) else {
            return;
        };
        if !resp.ok() {
            let _ = window().location().set_href(&href);
            return;
        }
        let name = resp
            .headers()
            .get("content-disposition")
            .ok()
            .flatten()
            .and_then(|d| d.split("filename=\"").nth(1).and_then(|n| n.split('"').next()).map(str::to_owned))
            .unwrap_or_else(|| "download.csv".to_owned());
        let Ok(blob) = resp.blob().map(JsFuture::from) else { return };
        let Ok(blob) = blob.await.and_then(|b| b.dyn_into::<web_sys::Blob>()) else { return };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
        if let Some(save) = document().create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
            save.set_href(&url);
            save.set_download(&name);
            save.click();
        }
        // The browser reads the blob after the click returns: let it go a minute later.
        crate::components::timer::sleep_ms(60_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_allowed_origins_are_heard_and_only_to_pages_of_fleetdesk() {
        let allowed = vec!["https://portal.example".to_owned()];
        let nav = json!({ "type": "fleetdesk:navigate", "path": "/finance/bills" });
        assert_eq!(host_message("https://portal.example", &allowed, &nav), Some(HostMessage::Navigate("/finance/bills".into())));
        assert_eq!(host_message("https://evil.example", &allowed, &nav), None);
        assert_eq!(host_message("https://portal.example", &allowed, &json!({ "type": "fleetdesk:logout" })), Some(HostMessage::Logout));
        for path in ["//evil.example", "https://evil.example", "javascript:alert(1)"] {
            assert_eq!(host_message("https://portal.example", &allowed, &json!({ "type": "fleetdesk:navigate", "path": path })), None, "{path}");
        }
        assert_eq!(host_message("https://portal.example", &allowed, &json!({ "type": "other" })), None);
    }
}
