//! Reading SIM cards: a page of the inventory for a query, and one card.

use hwcloud::gsl::{ListSimCardsRequest, ShowSimCardRequest, SimDeviceVO};
use hwcloud::{Client, Identity};
use model::inventory::{InventoryQuery, SearchBy, SimFilter};
use model::sim::{CentiMb, SimCard, SimStatus, SimType};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::ServiceError;

/// One page of the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimPage {
    /// The cards on it.
    pub cards: Vec<SimCard>,
    /// How many cards match the filter in all.
    pub count: u64,
}

/// Hundredths of a MB, from GSL's decimal MB (half a hundredth rounds away from zero).
pub fn centi_mb(d: Decimal) -> CentiMb {
    (d * Decimal::ONE_HUNDRED).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_i64().unwrap_or(0)
}

/// A card as the console shows it, from GSL's record.
pub fn to_card(v: SimDeviceVO) -> SimCard {
    let tags = v
        .tag_names
        .as_deref()
        .map(|t| t.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default();
    SimCard {
        sim_card_id: v.sim_card_id.unwrap_or_default(),
        iccid: v.iccid.or(v.cid).unwrap_or_default(),
        msisdn: v.msisdn,
        imsi: v.imsi,
        imei: v.imei,
        status: v.sim_status.and_then(SimStatus::from_code),
        sim_type: v.sim_type.and_then(SimType::from_code),
        operator_status: v.operator_status,
        order_id: v.order_id,
        price_plan: v.price_plan_name,
        activated_at: v.act_date.and_then(|t| t.to_utc()),
        expires_at: v.expire_time.and_then(|t| t.to_utc()),
        flow_used: v.flow_used.map(centi_mb),
        flow_left: v.flow_left.map(centi_mb),
        pool_id: v.sim_pool_id,
        tags,
        attributes: [
            v.customer_attribute1,
            v.customer_attribute2,
            v.customer_attribute3,
            v.customer_attribute4,
            v.customer_attribute5,
            v.customer_attribute6,
        ],
        real_named: v.real_named,
        cut_net: v.cut_net_flag,
        exceed_cut_net: v.exceed_cut_net_flag,
        exceed_cut_net_quota: v.exceed_cut_net_quota,
        imei_rebinds_left: v.imei_bind_remain_times,
        speed_limit: v.speed_value,
        network_type: v.network_type,
    }
}

/// The `list_sim_cards` request for a filter (without the page).
pub fn list_request(f: &SimFilter) -> ListSimCardsRequest {
    let (main_search_type, main_search_key, msisdn) = match (&f.search, f.search_by) {
        (None, _) => (None, None, None),
        (Some(q), SearchBy::Msisdn) => (None, None, Some(q.clone())),
        (Some(q), SearchBy::Iccid) => (Some(1), Some(q.clone()), None),
        (Some(q), SearchBy::Batch) => (Some(2), Some(q.clone()), None),
        (Some(q), SearchBy::Imei) => (Some(3), Some(q.clone()), None),
    };
    let [a1, a2, a3, a4, a5, a6] = f.attributes.clone();
    ListSimCardsRequest {
        main_search_type,
        main_search_key,
        msisdn,
        sim_status: f.status.map(SimStatus::code),
        sim_type: f.sim_type.map(SimType::code),
        tag_id: (!f.tags.is_empty()).then(|| f.tags.clone()),
        price_plan_id: (!f.plans.is_empty()).then(|| f.plans.clone()),
        real_named: f.real_named,
        min_used_flow: f.used_min_mb,
        max_used_flow: f.used_max_mb,
        min_left_flow: f.left_min_mb,
        max_left_flow: f.left_max_mb,
        customer_attribute1: a1,
        customer_attribute2: a2,
        customer_attribute3: a3,
        customer_attribute4: a4,
        customer_attribute5: a5,
        customer_attribute6: a6,
        sort: f.sort.map(|s| s.upstream().to_owned()),
        order: f.sort.map(|_| if f.descending { "desc" } else { "asc" }.to_owned()),
        ..ListSimCardsRequest::default()
    }
}

/// One page of the inventory (GSL's offset is a page number, from 1).
pub async fn list_page(client: &Client, who: &Identity, query: &InventoryQuery) -> Result<SimPage, ServiceError> {
    let mut req = list_request(&query.filter);
    req.offset = Some(i64::from(query.page));
    req.limit = Some(i64::from(query.page_size));
    let resp = client.call(who, &req).await?.value;
    Ok(SimPage {
        cards: resp.sim_cards.unwrap_or_default().into_iter().map(to_card).collect(),
        count: resp.count.and_then(|c| u64::try_from(c).ok()).unwrap_or(0),
    })
}

/// How many cards match a filter (one call with GSL's smallest page, 10).
pub async fn count(client: &Client, who: &Identity, filter: &SimFilter) -> Result<u64, ServiceError> {
    let mut req = list_request(filter);
    req.offset = Some(1);
    req.limit = Some(10);
    let resp = client.call(who, &req).await?.value;
    Ok(resp.count.and_then(|c| u64::try_from(c).ok()).unwrap_or(0))
}

/// Checks a card id from a URL or form before it is sent anywhere.
pub fn check_sim_card_id(id: i64) -> Result<i64, ServiceError> {
    if id <= 0 {
        return Err(model::Invalid::new("sim_card_id", "is not a SIM card id.").into());
    }
    Ok(id)
}

/// One card.
pub async fn show(client: &Client, who: &Identity, sim_card_id: i64) -> Result<SimCard, ServiceError> {
    check_sim_card_id(sim_card_id)?;
    let resp = client.call(who, &ShowSimCardRequest { sim_card_id, iccid: None }).await?.value;
    // The single-card answer has the list's fields; one conversion serves both.
    let json = serde_json::to_value(resp).map_err(|_| ServiceError::Internal("card record"))?;
    let vo: SimDeviceVO = serde_json::from_value(json).map_err(|_| ServiceError::Internal("card record"))?;
    Ok(to_card(vo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::inventory::SortKey;

    #[test]
    fn filters_map_to_gsl_parameters() {
        let f = SimFilter {
            search: Some("8986".into()),
            status: Some(SimStatus::Stopped),
            tags: vec![4],
            sort: Some(SortKey::FlowUsed),
            descending: true,
            ..SimFilter::default()
        };
        let r = list_request(&f);
        assert_eq!((r.main_search_type, r.main_search_key.as_deref()), (Some(1), Some("8986")));
        assert_eq!(r.sim_status, Some(14));
        assert_eq!(r.tag_id, Some(vec![4]));
        assert_eq!((r.sort.as_deref(), r.order.as_deref()), (Some("flow_used"), Some("desc")));
        let by_msisdn = list_request(&SimFilter { search: Some("1440".into()), search_by: SearchBy::Msisdn, ..SimFilter::default() });
        assert_eq!((by_msisdn.main_search_key, by_msisdn.msisdn.as_deref()), (None, Some("1440")));
    }

    #[test]
    fn flow_is_rounded_to_hundredths() {
        assert_eq!(centi_mb(Decimal::new(12345, 3)), 1235);
        assert_eq!(centi_mb(Decimal::new(5, 1)), 50);
    }
}
