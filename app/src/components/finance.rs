//! Pieces the finance pages share: amounts in CNY, dates as BSS writes them shown in the
//! person's time zone, the spend chart (SVG drawn on the server, interactive once hydrated), and
//! the finance part of the audit log.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use model::finance::CycleSpend;
use model::money::format_cny;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::api::fleet::audit_log;
use crate::components::fleet::{ErrorNotice, local_date, local_time, tz};
use crate::i18n::use_i18n;

/// An amount in CNY (negative amounts, refunds, are marked).
#[component]
pub fn Money(amount: Decimal) -> impl IntoView {
    let class = if amount.is_sign_negative() && !amount.is_zero() { "money negative" } else { "money" };
    view! { <span class=class>{format_cny(amount)}</span> }
}

/// A BSS time (RFC 3339, UTC) parsed.
pub fn bss_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw).ok().map(|t| t.with_timezone(&Utc))
}

/// A BSS time shown as a date in the person's time zone (the raw text if unreadable).
#[component]
pub fn BssDate(raw: String) -> impl IntoView {
    let at = bss_time(&raw);
    move || at.map_or_else(|| raw.clone(), |t| local_date(t, tz()))
}

/// A BSS time shown with minutes in the person's time zone.
#[component]
pub fn BssTime(raw: String) -> impl IntoView {
    let at = bss_time(&raw);
    move || at.map_or_else(|| raw.clone(), |t| local_time(t, tz()))
}

/// Whole days from now until a BSS time (negative once past).
pub fn days_left(raw: &str) -> Option<i64> {
    bss_time(raw).map(|t| (t - Utc::now()).num_days())
}

/// Previous / page of pages / next, as links (`page` is 0-based).
#[component]
pub fn Pager(page: u32, pages: u64, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pager" aria-label=move || i18n.t("inv.pages")>
            {(page > 0).then(|| view! { <A href=href(page - 1)>{move || i18n.t("inv.prev")}</A> })}
            <span>{page + 1} " / " {pages}</span>
            {(u64::from(page) + 1 < pages).then(|| view! { <A href=href(page + 1)>{move || i18n.t("inv.next")}</A> })}
        </nav>
    }
}

/// The i18n key of a BSS charge mode.
pub fn charge_mode_key(mode: i64) -> &'static str {
    match mode {
        1 => "bill.mode.period",
        3 => "bill.mode.on_demand",
        10 => "bill.mode.reserved",
        _ => "bill.mode.other",
    }
}

/// The current bill cycle (UTC+8) and the `k - 1` before it, newest first.
pub fn cycles(k: u32) -> Vec<String> {
    let today = model::money::day_cn(chrono::Utc::now());
    (0..k).map(|i| model::money::cycle_before(today, i)).collect()
}

/// The options of a bill-cycle `<select>`: the last 24 cycles, `selected` chosen.
pub fn cycle_options(selected: String) -> impl IntoView {
    cycles(24).into_iter().map(move |c| { let sel = c == selected; view! { <option value=c.clone() selected=sel>{c.clone()}</option> } }).collect_view()
}

/// A form's charge-mode filter (`charge_mode`): any, or one of BSS's modes.
#[component]
pub fn ChargeModeField(selected: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>{move || i18n.t("bill.charge_mode")}
            <select name="charge_mode">
                <option value="">{move || i18n.t("common.any")}</option>
                {[1i64, 3, 10].into_iter().map(|m| view! { <option value=m.to_string() selected=selected == m.to_string()>{move || i18n.t(charge_mode_key(m))}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// `path` with the current query's parameters but `page`, then `page=p` (for a pager).
pub fn page_href(path: &str, query: &leptos_router::params::ParamsMap, p: u32) -> String {
    let mut pairs = filters(query);
    pairs.push(("page".into(), p.to_string()));
    format!("{path}?{}", encode(&pairs))
}

/// The current query's parameters but `page` and empty ones.
pub fn filters(query: &leptos_router::params::ParamsMap) -> Vec<(String, String)> {
    query.clone().into_iter().filter(|(k, v)| k != "page" && !v.is_empty()).map(|(k, v)| (k.into_owned(), v)).collect()
}

/// `k=v&...`, each part URL-encoded (a filter may hold `&`, `+`, `#` or `%`).
pub fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// Loading text.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }
}

/// Bar height in the chart's 100 units for `amount` against `max`, in integers (no floats).
pub fn bar_height(amount: Decimal, max: Decimal) -> i64 {
    if max <= Decimal::ZERO || amount <= Decimal::ZERO {
        return 0;
    }
    (amount * Decimal::from(100) / max).round().to_i64().unwrap_or(0).clamp(0, 100)
}

/// Spend per cycle as bars; each bar is focusable and names its cycle and amount, and the
/// selected one is shown under the chart (after hydration, by hover or keyboard).
#[component]
pub fn SpendChart(trend: Vec<CycleSpend>) -> impl IntoView {
    let i18n = use_i18n();
    let max = trend.iter().map(|c| c.amount).max().unwrap_or_default();
    let last = trend.last().cloned();
    let selected = RwSignal::new(last.map(|c| (c.cycle, c.amount)));
    let n = i64::try_from(trend.len()).unwrap_or(1).max(1);
    let width = 40 * n;
    view! {
        <figure class="chart" data-testid="spend-trend">
            <svg viewBox=format!("0 0 {width} 130") role="img" aria-label=move || i18n.t("fin.trend")>
                {trend.into_iter().enumerate().map(|(i, c)| {
                    let h = bar_height(c.amount, max);
                    let x = 40 * i64::try_from(i).unwrap_or(0) + 6;
                    let (cycle, amount) = (c.cycle.clone(), c.amount);
                    let label = format!("{} {}", c.cycle, format_cny(c.amount));
                    let pick = move || selected.set(Some((cycle.clone(), amount)));
                    let pick2 = pick.clone();
                    view! {
                        <g class="bar" tabindex="0" on:mouseenter=move |_| pick() on:focus=move |_| pick2()>
                            <title>{label}</title>
                            <rect x=x y=110 - h width="28" height=h.max(1)></rect>
                            <text x=x + 14 y="125" text-anchor="middle">{c.cycle[5..].to_owned()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption data-testid="trend-selected">
                {move || selected.get().map(|(c, a)| format!("{c}: {}", format_cny(a)))}
            </figcaption>
        </figure>
    }
}

/// The account's finance changes from the audit log, newest first.
#[component]
pub fn FinanceAudit(
    /// Bumped after a change, to re-read.
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let entries = Resource::new(move || version.get(), |_| audit_log("action=bss.".into()));
    view! {
        <section class="card" data-testid="finance-audit">
            <h2>{move || i18n.t("fin.audit")}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t("audit.none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <table><tbody>{list.into_iter().take(20).map(|e| {
                                let (started, outcome) = (e.started_at, e.outcome);
                                view! { <tr data-testid="finance-audit-row">
                                    <td>{move || local_time(started, tz())}</td>
                                    <td>{e.iam_user.clone()}</td>
                                    <td>{e.action.clone()}</td>
                                    <td>{e.target.clone()}</td>
                                    <td class=format!("outcome-{}", outcome.slug())>{move || i18n.t(outcome.label_key())}</td>
                                    <td>{e.detail.clone()}</td>
                                </tr> }
                            }).collect_view()}</tbody></table>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_without_floats() {
        assert_eq!(bar_height(Decimal::from(50), Decimal::from(200)), 25);
        assert_eq!(bar_height(Decimal::from(200), Decimal::from(200)), 100);
        assert_eq!(bar_height(Decimal::ONE, Decimal::ZERO), 0);
        assert_eq!(bar_height(Decimal::from(-3), Decimal::from(10)), 0);
    }

    #[test]
    fn filters_survive_the_pager_and_the_csv_link() {
        let pairs = vec![("service".to_owned(), "a&b+c#%".to_owned()), ("cycle".to_owned(), "2026-10".to_owned())];
        assert_eq!(encode(&pairs), "service=a%26b%2Bc%23%25&cycle=2026-10");
        let back: Vec<(String, String)> = form_urlencoded::parse(encode(&pairs).as_bytes()).into_owned().collect();
        assert_eq!(back, pairs);
    }
}
