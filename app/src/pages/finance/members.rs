//! Enterprise member accounts: the organisation tree with members and their balances, and budget
//! moved to or taken back from a member (confirmed, once per form, audited).

use leptos::prelude::*;
use model::finance::{OrgUnit, TransferDirection, TransferRequest};
use rust_decimal::Decimal;

use crate::api::finance::{MembersView, Transfer, list_members};
use crate::components::finance::{FinanceAudit, Loading, Money};
use crate::components::fleet::{ConfirmDialog, ErrorNotice};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// `/finance/members`.
#[component]
pub fn MembersPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><MembersBody/></RequireArea> }
}

#[component]
fn MembersBody() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| list_members());
    // The action outlives the form it re-reads (a new form token each time), so its outcome stays.
    let transfer = ServerAction::<Transfer>::new();
    Effect::new(move |_| {
        if matches!(transfer.value().get(), Some(Ok(_))) {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <h1>{move || i18n.t("nav.members")}</h1>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <Tree v transfer/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
        {move || transfer.value().get().and_then(Result::ok).map(|_| view! { <p class="notice" role="status" data-testid="transfer-done">{move || i18n.t("member.done")}</p> })}
        <FinanceAudit version/>
    }
}

fn unit_view(u: OrgUnit, members: &[model::finance::Member]) -> AnyView {
    let here: Vec<String> = members.iter().filter(|m| m.org_id == u.id).map(|m| m.display_name.clone()).collect();
    let children: Vec<AnyView> = u.children.into_iter().map(|c| unit_view(c, members)).collect();
    view! { <li>{u.name} {(!here.is_empty()).then(|| view! { <small class="muted">" · " {here.join(", ")}</small> })}
        {(!children.is_empty()).then(|| view! { <ul>{children}</ul> })}</li> }.into_any()
}

#[component]
fn Tree(v: MembersView, transfer: ServerAction<Transfer>) -> impl IntoView {
    let i18n = use_i18n();
    let MembersView { members, form_token } = v;
    let member = RwSignal::new(members.members.iter().find(|m| m.status == 1).map(|m| m.id.clone()).unwrap_or_default());
    let amount = RwSignal::new(String::new());
    let direction = RwSignal::new(TransferDirection::ToMember);
    let confirming = RwSignal::new(false);
    let local_problem = RwSignal::new(None::<String>);
    // A refused transfer closes the dialog; its reason shows under the form.
    Effect::new(move |_| {
        if matches!(transfer.value().get(), Some(Err(_))) {
            confirming.set(false);
        }
    });
    let request = move || -> Result<TransferRequest, String> {
        let amount: Decimal = amount.get_untracked().trim().parse().map_err(|_| i18n.now("member.amount_bad").to_owned())?;
        let r = TransferRequest { member_id: member.get_untracked(), amount, direction: direction.get_untracked(), form_token: form_token.clone() };
        r.validate().map_err(|e| e.sentence())?;
        Ok(r)
    };
    let check = {
        let request = request.clone();
        move |_| match request() {
            Ok(_) => {
                local_problem.set(None);
                confirming.set(true);
            }
            Err(e) => local_problem.set(Some(e)),
        }
    };
    let on_confirm = Callback::new(move |()| {
        if let Ok(r) = request() {
            transfer.dispatch(Transfer { request: r });
        }
    });
    let busy = Signal::derive(move || transfer.pending().get());
    let root = unit_view(members.root.clone(), &members.members);
    view! {
        <div class="cards">
            <section class="card" data-testid="org-tree">
                <h2>{move || i18n.t("member.tree")}</h2>
                <ul class="tree">{root}</ul>
            </section>
            <section class="card" data-testid="transfer-form">
                <h2>{move || i18n.t("member.transfer")}</h2>
                <p class="muted">{move || i18n.t("member.transferable")} ": " <Money amount=members.transferable/></p>
                <label>{move || i18n.t("member.one")}
                    <select data-testid="transfer-member" on:change=move |ev| member.set(event_target_value(&ev))>
                        {members.members.iter().filter(|m| m.status == 1).map(|m| view! { <option value=m.id.clone()>{m.display_name.clone()} " (" {m.name.clone()} ")"</option> }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.t("member.direction")}
                    <select on:change=move |ev| direction.set(if event_target_value(&ev) == "reclaim" { TransferDirection::Reclaim } else { TransferDirection::ToMember })>
                        <option value="to">{move || i18n.t("member.to")}</option>
                        <option value="reclaim">{move || i18n.t("member.reclaim")}</option>
                    </select>
                </label>
                <label>{move || i18n.t("member.amount")}
                    <input inputmode="decimal" data-testid="transfer-amount" placeholder="100.00" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev))/>
                </label>
                <button type="button" class="primary" data-testid="transfer" on:click=check>{move || i18n.t("member.send")}</button>
                <p class="muted">{move || i18n.t("member.sms_note")}</p>
                {move || local_problem.get().or_else(|| transfer.value().get().and_then(Result::err).map(|e| e.message)).map(|p| view! { <p class="error" role="alert" data-testid="transfer-problem">{p}</p> })}
            </section>
        </div>
        <section class="card">
            <h2>{move || i18n.t("member.list")} " · " {members.members.len()}</h2>
            <table data-testid="members-table"><thead><tr>
                <th scope="col">{move || i18n.t("member.one")}</th><th scope="col">{move || i18n.t("member.unit")}</th>
                <th scope="col">{move || i18n.t("res.status")}</th><th scope="col" class="num">{move || i18n.t("fin.cash")}</th>
            </tr></thead><tbody>{members.members.iter().map(|m| {
                let closed = m.status != 1;
                view! { <tr data-testid="member-row">
                    <th scope="row">{m.display_name.clone()} <br/><small class="muted">{m.name.clone()}</small></th>
                    <td>{m.org_name.clone()}</td>
                    <td>{move || i18n.t(if closed { "member.closed" } else { "member.active" })}</td>
                    <td class="num"><Money amount=m.balance/></td>
                </tr> }
            }).collect_view()}</tbody></table>
        </section>
        {move || confirming.get().then(|| {
            let body = format!("{} · {}", amount.get_untracked(), member.get_untracked());
            view! { <ConfirmDialog title=Signal::derive(move || i18n.t("member.confirm").to_owned()) body=Signal::derive(move || body.clone()) danger=false busy
                on_confirm on_cancel=Callback::new(move |()| confirming.set(false))/> }
        })}
    }
}
