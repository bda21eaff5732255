//! Enterprise member accounts: the organisation tree, members with their balances, and budget
//! moved to and from them, once per form and audited.

use futures::TryStreamExt;
use hwcloud::Client;
use hwcloud::bss::{
    EmChildNodeV2, ListEnterpriseMultiAccountRequest, ListEnterpriseOrganizationsRequest, ListEnterpriseSubCustomersRequest,
    ReclaimSubEnterpriseAmountRequest, RetrieveEnterpriseMultiAccountReq, ShowMultiAccountTransferAmountRequest,
    TransferEnterpriseMultiAccountReq, UpdateSubEnterpriseAmountRequest,
};
use model::finance::{Member, Members, OrgUnit, TransferDirection, TransferDone, TransferRequest};

use super::guard::{self, Change, Sent};
use super::orders::yuan;
use crate::db::Db;
use crate::error::ServiceError;
use crate::identity::UserSession;

const CASH: &str = "BALANCE_TYPE_DEBIT";

fn unit(n: EmChildNodeV2) -> OrgUnit {
    OrgUnit {
        id: n.id.unwrap_or_default(),
        name: n.name.unwrap_or_default(),
        children: n.child_nodes.unwrap_or_default().into_iter().map(unit).collect(),
    }
}

/// The tree, the members with their balances, and what the master may still transfer.
pub async fn read(client: &Client, user: &UserSession) -> Result<Members, ServiceError> {
    super::require_read(user)?;
    let who = user.identity();
    let (tree_req, transferable_req) = (
        ListEnterpriseOrganizationsRequest { recursive_query: Some(1), parent_id: None },
        ShowMultiAccountTransferAmountRequest { balance_type: CASH.into(), offset: None, limit: None },
    );
    let tree = client.call(&who, &tree_req);
    let members = client.pages(&who, ListEnterpriseSubCustomersRequest { limit: Some(100), ..Default::default() }).try_collect::<Vec<_>>();
    let transferable = client.call(&who, &transferable_req);
    let (tree, members, transferable) = futures::try_join!(tree, members, transferable)?;
    let tree = tree.value;
    let root = OrgUnit {
        id: tree.root_id.unwrap_or_default(),
        name: tree.root_name.unwrap_or_default(),
        children: tree.child_nodes.unwrap_or_default().into_iter().map(unit).collect(),
    };
    let transferable =
        transferable.value.amount_infos.unwrap_or_default().first().map(|a| yuan(a.avail_transfer_amount, a.measure_id)).unwrap_or_default();
    let members = futures::future::try_join_all(members.into_iter().map(|m| {
        let who = &who;
        async move {
            let id = m.id.clone().unwrap_or_default();
            let req = ListEnterpriseMultiAccountRequest { sub_customer_id: id.clone(), balance_type: CASH.into(), ..Default::default() };
            let balance = client
                .call(who, &req)
                .await?
                .value
                .amount_infos
                .unwrap_or_default()
                .first()
                .map(|a| yuan(a.amount, a.measure_id))
                .unwrap_or_default();
            Ok::<_, ServiceError>(Member {
                id,
                name: m.name.unwrap_or_default(),
                display_name: m.display_name.unwrap_or_default(),
                status: m.status.unwrap_or_default(),
                org_id: m.org_id.unwrap_or_default(),
                org_name: m.org_name.unwrap_or_default(),
                balance,
            })
        }
    }))
    .await?;
    Ok(Members { root, members, transferable })
}

/// Moves budget to or from a member, once per form (the form's token is also BSS's `trans_id`,
/// so even BSS applies it once); audited before and after.
pub async fn transfer(db: &Db, client: &Client, user: &UserSession, req: &TransferRequest) -> Result<TransferDone, ServiceError> {
    req.validate()?;
    let (action, verb) = match req.direction {
        TransferDirection::ToMember => ("bss.transfer", "to"),
        TransferDirection::Reclaim => ("bss.reclaim", "from"),
    };
    let change = Change { user, action, target: format!("{} {verb} member {}", model::money::format_cny(req.amount), req.member_id), parameters: guard::parameters(req)? };
    let key = format!("transfer:{}:{}", user.account, req.form_token);
    let who = user.identity();
    let done = guard::once(db, &key, change, async { Ok(()) }, |()| async {
        let request_id = match req.direction {
            TransferDirection::ToMember => {
                let body = TransferEnterpriseMultiAccountReq {
                    customer_id: req.member_id.clone(),
                    amount: req.amount,
                    trans_id: Some(req.form_token.clone()),
                    balance_type: Some(CASH.into()),
                    expire_time: None,
                };
                client.call(&who, &UpdateSubEnterpriseAmountRequest { body }).await?.request_id
            }
            TransferDirection::Reclaim => {
                let body = RetrieveEnterpriseMultiAccountReq {
                    customer_id: req.member_id.clone(),
                    amount: req.amount,
                    trans_id: Some(req.form_token.clone()),
                    balance_type: Some(CASH.into()),
                    expire_time: None,
                };
                client.call(&who, &ReclaimSubEnterpriseAmountRequest { body }).await?.request_id
            }
        };
        Ok(Sent { value: TransferDone { repeated: false }, request_id, detail: format!("trans_id {}", req.form_token) })
    })
    .await?;
    Ok(TransferDone { repeated: done.repeated })
}
