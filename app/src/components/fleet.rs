//! Pieces of the fleet pages: status badges, flow bars, dates in the person's time zone, error
//! notices with the request id, and the action picker with its confirmation dialog.

use chrono::{DateTime, FixedOffset, Utc};
use leptos::html;
use leptos::prelude::*;
use model::action::{CARRIERS, SPEED_VALUES, SimAction};
use model::sim::{SimCard, SimStatus, format_flow};

use crate::error::AppError;
use crate::i18n::use_i18n;

/// The person's time zone as an offset east of UTC in minutes (from the browser; UTC+8 until known).
#[derive(Debug, Clone, Copy)]
pub struct TimeZone(pub RwSignal<i32>);

/// A UTC instant as a date in the person's time zone.
pub fn local_date(t: DateTime<Utc>, tz_minutes: i32) -> String {
    let offset = FixedOffset::east_opt(tz_minutes * 60).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
    t.with_timezone(&offset).format("%Y-%m-%d").to_string()
}

/// A UTC instant as date and time in the person's time zone.
pub fn local_time(t: DateTime<Utc>, tz_minutes: i32) -> String {
    let offset = FixedOffset::east_opt(tz_minutes * 60).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
    t.with_timezone(&offset).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The current time zone offset (reactive).
pub fn tz() -> i32 {
    use_context::<TimeZone>().map_or(480, |t| t.0.get())
}

/// A date cell in the person's time zone.
#[component]
pub fn LocalDate(at: Option<DateTime<Utc>>) -> impl IntoView {
    match at {
        Some(t) => view! { <time datetime=t.to_rfc3339()>{move || local_date(t, tz())}</time> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

/// A SIM status in words and colour.
#[component]
pub fn StatusBadge(status: Option<SimStatus>) -> impl IntoView {
    let i18n = use_i18n();
    match status {
        Some(s) => view! { <span class=format!("badge status-{}", s.slug())>{move || i18n.t(s.label_key())}</span> }.into_any(),
        None => view! { <span class="badge">"?"</span> }.into_any(),
    }
}

/// Flow used against flow left this cycle, as a bar with the figures.
#[component]
pub fn FlowBar(card: SimCard) -> impl IntoView {
    let permille = card.used_permille();
    let used = card.flow_used.map(format_flow).unwrap_or_else(|| "—".into());
    let left = card.flow_left.map(format_flow).unwrap_or_else(|| "—".into());
    let width = permille.map_or(0, |p| p / 10);
    let level = match permille {
        Some(p) if p >= 900 => "bar critical",
        Some(p) if p >= 800 => "bar warn",
        _ => "bar",
    };
    let title = format!("{used} / {left}");
    view! {
        <div class="flow" title=title>
            <div class=level role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=width>
                <span style=format!("width: {width}%")></span>
            </div>
            <small>{used} " · " {left}</small>
        </div>
    }
}

/// An error for the person, with Huawei's request id when there is one.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let request_id = error.request_id.clone();
    view! {
        <div class="error" role="alert" data-testid="error">
            <p>{error.message.clone()}</p>
            {request_id.map(|id| view! {
                <p class="request-id">{move || i18n.t("common.request_id")} ": " <code data-testid="request-id">{id.clone()}</code></p>
            })}
        </div>
    }
}

/// The actions the picker offers, by i18n key; the kind is the key without `action.`.
const KINDS: &[&str] = &[
    "action.activate", "action.stop", "action.resume", "action.cut_net", "action.restore_net", "action.exceed_cut_net",
    "action.cancel_exceed_cut_net", "action.speed_limit", "action.rebind_imei", "action.clear_real_name", "action.set_tags",
    "action.set_attributes", "action.switch_policy", "action.switch_network", "action.send_sms",
];

/// The inputs of the picker, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionInputs {
    /// Which action.
    pub kind: String,
    /// Quota (MB) for exceed cut-net.
    pub quota: String,
    /// Speed (Kbps).
    pub speed: String,
    /// IMEI.
    pub imei: String,
    /// Tag ids, comma separated.
    pub tags: String,
    /// Attribute values by slot (empty: leave).
    pub attributes: [String; 6],
    /// Network switch policy id.
    pub policy: String,
    /// Carrier.
    pub carrier: String,
    /// SMS text.
    pub text: String,
}

/// Builds and checks the action from what was typed (nothing is sent for bad input).
pub fn build_action(i: &ActionInputs) -> Result<SimAction, model::Invalid> {
    let int = |field: &'static str, s: &str| -> Result<i64, model::Invalid> {
        s.trim().parse::<i64>().map_err(|_| model::Invalid::new(field, "must be a whole number."))
    };
    let action = match i.kind.as_str() {
        "activate" => SimAction::Activate,
        "stop" => SimAction::Stop,
        "resume" => SimAction::Resume,
        "cut_net" => SimAction::CutNet,
        "restore_net" => SimAction::RestoreNet,
        "exceed_cut_net" => SimAction::SetExceedCutNet { quota_mb: int("quota", &i.quota)? },
        "cancel_exceed_cut_net" => SimAction::CancelExceedCutNet,
        "speed_limit" => SimAction::SetSpeedLimit { kbps: int("speed", &i.speed)? },
        "rebind_imei" => {
            let imei = i.imei.trim();
            SimAction::RebindImei { imei: (!imei.is_empty()).then(|| imei.to_owned()), fixed: false }
        }
        "clear_real_name" => SimAction::ClearRealName,
        "set_tags" => SimAction::SetTags {
            tag_ids: i
                .tags
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| int("tags", s))
                .collect::<Result<_, _>>()?,
        },
        "set_attributes" => {
            SimAction::SetAttributes { values: i.attributes.clone().map(|v| (!v.is_empty()).then_some(v)) }
        }
        "switch_policy" => SimAction::SetSwitchPolicy { policy_id: int("policy", &i.policy)? },
        "switch_network" => SimAction::SwitchNetwork { carrier: int("carrier", &i.carrier)? },
        "send_sms" => SimAction::SendSms { text: i.text.clone() },
        _ => return Err(model::Invalid::new("action", "Choose an action.")),
    };
    action.validate()?;
    Ok(action)
}

/// Chooses an action and its parameters; `on_review` receives a checked action.
#[component]
pub fn ActionPicker(
    /// Whether actions for one card only (IMEI rebinding) are offered.
    single: bool,
    /// Called with the checked action.
    on_review: Callback<SimAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let inputs = RwSignal::new(ActionInputs { speed: "1024".into(), carrier: "1".into(), ..ActionInputs::default() });
    let problem = RwSignal::new(None::<String>);
    let kind = move || inputs.with(|i| i.kind.clone());
    let set = move |f: fn(&mut ActionInputs, String)| move |ev: leptos::ev::Event| inputs.update(|i| f(i, event_target_value(&ev)));
    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match build_action(&inputs.get_untracked()) {
            Ok(a) => {
                problem.set(None);
                on_review.run(a);
            }
            Err(e) => problem.set(Some(e.sentence())),
        }
    };
    let options = KINDS
        .iter()
        .copied()
        .filter(|key| single || *key != "action.rebind_imei")
        .map(|key| {
            let kind = key.trim_start_matches("action.");
            view! { <option value=kind>{move || i18n.t(key)}</option> }
        })
        .collect_view();
    view! {
        <form class="action-picker" on:submit=review data-testid="action-picker">
            <label>
                {move || i18n.t("action.choose")}
                <select name="kind" data-testid="action-kind" on:change=set(|i, v| i.kind = v)>
                    <option value="">"—"</option>
                    {options}
                </select>
            </label>
            <Show when=move || kind() == "exceed_cut_net">
                <label>{move || i18n.t("action.quota")}
                    <input name="quota" inputmode="numeric" data-testid="action-quota" on:input=set(|i, v| i.quota = v)/>
                </label>
            </Show>
            <Show when=move || kind() == "speed_limit">
                <label>{move || i18n.t("action.speed")}
                    <select name="speed" data-testid="action-speed" on:change=set(|i, v| i.speed = v)
                        prop:value=move || inputs.with(|i| i.speed.clone())>
                        {SPEED_VALUES.iter().map(|v| {
                            let label = if *v < 0 { "—".to_owned() } else { format!("{v} Kbps") };
                            view! { <option value=v.to_string()>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </Show>
            <Show when=move || kind() == "rebind_imei">
                <label>{move || i18n.t("action.imei")}
                    <input name="imei" inputmode="numeric" maxlength="15" data-testid="action-imei" on:input=set(|i, v| i.imei = v)/>
                </label>
            </Show>
            <Show when=move || kind() == "set_tags">
                <label>{move || i18n.t("action.tag_ids")}
                    <input name="tags" data-testid="action-tags" on:input=set(|i, v| i.tags = v)/>
                </label>
            </Show>
            <Show when=move || kind() == "set_attributes">
                <fieldset class="attributes">
                    <legend>{move || i18n.t("action.attributes")}</legend>
                    {(0..6).map(|slot| view! {
                        <label>{format!("{} {}", "#", slot + 1)}
                            <input name=format!("attr{}", slot + 1) maxlength="100"
                                on:input=move |ev| inputs.update(|i| i.attributes[slot] = event_target_value(&ev))/>
                        </label>
                    }).collect_view()}
                </fieldset>
            </Show>
            <Show when=move || kind() == "switch_policy">
                <label>{move || i18n.t("action.policy_id")}
                    <input name="policy" inputmode="numeric" data-testid="action-policy" on:input=set(|i, v| i.policy = v)/>
                </label>
            </Show>
            <Show when=move || kind() == "switch_network">
                <label>{move || i18n.t("action.carrier")}
                    <select name="carrier" on:change=set(|i, v| i.carrier = v)>
                        {CARRIERS.iter().map(|c| {
                            let key = match c { 1 => "carrier.mobile", 2 => "carrier.telecom", _ => "carrier.unicom" };
                            view! { <option value=c.to_string()>{move || i18n.t(key)}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </Show>
            <Show when=move || kind() == "send_sms">
                <label>{move || i18n.t("action.sms_text")}
                    <textarea name="text" maxlength="500" data-testid="action-text" on:input=set(|i, v| i.text = v)></textarea>
                </label>
            </Show>
            <button type="submit" data-testid="action-review">{move || i18n.t("action.review")}</button>
            {move || problem.get().map(|p| view! { <p class="error" role="alert" data-testid="action-problem">{p}</p> })}
        </form>
    }
}

/// A modal confirmation: says what will happen, and is answered with Confirm or Cancel (Escape).
#[component]
pub fn ConfirmDialog(
    /// The title.
    title: Signal<String>,
    /// What will happen.
    body: Signal<String>,
    /// Whether the change is hard to undo (the confirm button is styled as a warning).
    danger: bool,
    /// Whether the answer is being processed.
    busy: Signal<bool>,
    /// Called on Confirm.
    on_confirm: Callback<()>,
    /// Called on Cancel.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let confirm_ref = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = confirm_ref.get() {
            let _ = b.focus();
        }
    });
    view! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog"
                on:keydown=move |ev| if ev.key() == "Escape" { on_cancel.run(()) }>
                <h2 id="confirm-title">{title}</h2>
                <p>{body}</p>
                <div class="buttons">
                    <button type="button" on:click=move |_| on_cancel.run(()) data-testid="confirm-cancel">{move || i18n.t("common.cancel")}</button>
                    <button type="button" node_ref=confirm_ref class=if danger { "danger" } else { "primary" }
                        disabled=busy on:click=move |_| on_confirm.run(()) data-testid="confirm-ok">
                        {move || if busy.get() { i18n.t("common.working") } else { i18n.t("common.confirm") }}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// Words for an action with its parameter (`Limit speed: 1024 Kbps`).
pub fn describe_action(i18n: crate::i18n::I18n, a: &SimAction) -> String {
    let name = i18n.now(a.label_key());
    match a {
        SimAction::SetSpeedLimit { kbps } if *kbps < 0 => format!("{name}: {}", i18n.now("action.no_limit")),
        SimAction::SetSpeedLimit { kbps } => format!("{name}: {kbps} Kbps"),
        SimAction::SetExceedCutNet { quota_mb } => format!("{name}: {quota_mb} MB"),
        SimAction::SetTags { tag_ids } => format!("{name}: {tag_ids:?}"),
        SimAction::RebindImei { imei: Some(imei), .. } => format!("{name}: {imei}"),
        SimAction::SwitchNetwork { carrier } => format!("{name}: {carrier}"),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_refuses_bad_input_before_sending() {
        let mut i = ActionInputs { kind: "speed_limit".into(), speed: "100".into(), ..ActionInputs::default() };
        assert_eq!(build_action(&i).expect_err("refused").field, "speed");
        i.speed = "1024".into();
        assert_eq!(build_action(&i), Ok(SimAction::SetSpeedLimit { kbps: 1024 }));
        let imei = ActionInputs { kind: "rebind_imei".into(), imei: "12ab".into(), ..ActionInputs::default() };
        assert_eq!(build_action(&imei).expect_err("refused").field, "imei");
        assert_eq!(build_action(&ActionInputs::default()).expect_err("refused").field, "action");
    }

    #[test]
    fn dates_follow_the_time_zone() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T20:00:00Z").expect("time").with_timezone(&Utc);
        assert_eq!(local_date(t, 480), "2026-11-24");
        assert_eq!(local_date(t, -300), "2026-11-23");
        assert_eq!(local_time(t, 0), "2026-11-23 20:00:00");
    }
}
