//! Usage charts of a card: SVG bars rendered on the server, with a readout that follows the
//! pointer or keyboard focus once the page is interactive.

use leptos::prelude::*;
use model::sim::format_flow;

use crate::api::fleet::sim_usage;
use crate::components::fleet::ErrorNotice;
use crate::i18n::use_i18n;

/// Daily (90 days) and monthly (24 bill cycles) usage of a card.
#[component]
pub fn UsageCharts(sim_card_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let usage = Resource::new(move || sim_card_id, sim_usage);
    view! {
        <section class="card charts" data-testid="usage-charts">
            <h2>{move || i18n.t("sim.usage")}</h2>
            <Suspense fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match usage.await {
                        Ok(u) => view! {
                            <BarChart title=i18n.now("sim.daily") bars=u.daily testid="daily-chart"/>
                            <BarChart title=i18n.now("sim.monthly") bars=u.monthly testid="monthly-chart"/>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Chart geometry (SVG user units).
const WIDTH: i64 = 720;
const HEIGHT: i64 = 160;

/// Bar heights scaled to the chart, on integers.
pub fn heights(values: &[i64]) -> Vec<i64> {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values.iter().map(|v| (v.max(&0) * HEIGHT) / max).collect()
}

/// A bar chart of (label, hundredths of MB).
#[component]
pub fn BarChart(title: &'static str, bars: Vec<(String, i64)>, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let focused = RwSignal::new(None::<usize>);
    if bars.is_empty() {
        return view! { <p class="muted">{move || i18n.t("sim.no_usage")}</p> }.into_any();
    }
    let n = i64::try_from(bars.len()).unwrap_or(1).max(1);
    let slot = WIDTH / n;
    let bar_w = (slot * 8 / 10).max(1);
    let values: Vec<i64> = bars.iter().map(|(_, v)| *v).collect();
    let total: i64 = values.iter().sum();
    let hs = heights(&values);
    let labels = bars.clone();
    let readout = move || match focused.get() {
        Some(i) => labels.get(i).map(|(l, v)| format!("{l}: {}", format_flow(*v))).unwrap_or_default(),
        None => format!("{} {}", i18n.t("sim.total"), format_flow(total)),
    };
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title} " · " <output data-testid=format!("{testid}-readout")>{readout}</output></figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 2) role="img" aria-label=title preserveAspectRatio="none"
                on:mouseleave=move |_| focused.set(None)>
                {bars.into_iter().zip(hs).enumerate().map(|(i, ((label, v), h))| {
                    let x = i64::try_from(i).unwrap_or(0) * slot;
                    view! {
                        <rect x=x y=HEIGHT - h width=bar_w height=h.max(1) tabindex="0"
                            class=move || if focused.get() == Some(i) { "chart-bar on" } else { "chart-bar" }
                            on:mouseenter=move |_| focused.set(Some(i))
                            on:focus=move |_| focused.set(Some(i))>
                            <title>{format!("{label}: {}", format_flow(v))}</title>
                        </rect>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars_scale_to_the_tallest() {
        assert_eq!(super::heights(&[0, 50, 100]), vec![0, 80, 160]);
        assert_eq!(super::heights(&[0, 0]), vec![0, 0]);
    }
}
