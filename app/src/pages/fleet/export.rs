//! Export of the current filtered view to CSV: the browser downloads a streamed file while the
//! page shows a progress bar fed by the server's record of rows written.

use leptos::prelude::*;

use crate::api::fleet::export_progress;
use crate::i18n::use_i18n;

/// A download link for every page of the current view, with a progress bar while it runs.
#[component]
pub fn ExportButton(href: String, count: u64) -> impl IntoView {
    let i18n = use_i18n();
    let export_id = RwSignal::new(None::<String>);
    let progress = RwSignal::new((0u64, count, false));
    let start = move |_| {
        // A fresh id per export, so the progress bar follows this download.
        let id = format!("{:x}{:x}", chrono::Utc::now().timestamp_millis(), count);
        export_id.set(Some(id.clone()));
        progress.set((0, count, false));
        leptos::task::spawn_local(async move {
            loop {
                crate::components::timer::sleep_ms(500).await;
                match export_progress(id.clone()).await {
                    Ok(Some(p)) => {
                        progress.set((p.written, p.expected.max(1), p.finished));
                        if p.finished {
                            break;
                        }
                    }
                    Ok(None) => {}
                    Err(_) => break,
                }
            }
        });
    };
    let link = move || match export_id.get() {
        Some(id) => format!("{href}&export={id}"),
        None => href.clone(),
    };
    view! {
        <div class="export">
            <a href=link download="" on:click=start data-testid="export-csv" class="button">{move || i18n.t("inv.export")}</a>
            {move || export_id.get().map(|_| {
                let (written, expected, finished) = progress.get();
                let pct = (written * 100 / expected.max(1)).min(100);
                view! {
                    <progress max="100" value=pct data-testid="export-progress" aria-label=move || i18n.t("inv.export")></progress>
                    <small>{written} " / " {expected} {finished.then_some(" ✓")}</small>
                }
            })}
        </div>
    }
}

