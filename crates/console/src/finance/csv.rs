//! Finance CSV: a cycle's statement and fee records, amounts in yuan with two decimals (written
//! as numbers, so a spreadsheet sums them; text fields are quoted and neutralised).

use model::finance::{FeeRecord, OrderRow, Statement};
use model::money::to_fen;
use rust_decimal::Decimal;

use crate::fleet::export::field;

/// The fee records' header row.
pub const FEE_HEADER: &str =
    "id,trade_time,service,resource_type,region,charge_mode,bill_type,official_amount,discount_amount,consumed_amount,cash_amount,credit_amount,coupon_amount,trade_id\r\n";

fn money(d: Decimal) -> String {
    format!("{:.2}", to_fen(d))
}

/// One fee record as a CSV row.
pub fn fee_row(r: &FeeRecord) -> String {
    let cols = [
        field(&r.id),
        field(&r.trade_time),
        field(&r.service),
        field(&r.kind),
        field(&r.region),
        r.charge_mode.to_string(),
        r.bill_type.to_string(),
        money(r.official),
        money(r.discount),
        money(r.consumed),
        money(r.cash),
        money(r.credit),
        money(r.coupon),
        field(&r.trade_id),
    ];
    let mut line = cols.join(",");
    line.push_str("\r\n");
    line
}

/// The orders' header row.
pub const ORDER_HEADER: &str = "order_id,service,order_type,status,official_amount,amount,created,paid\r\n";

/// One order as a CSV row.
pub fn order_row(o: &OrderRow) -> String {
    let cols = [
        field(&o.id),
        field(&o.service),
        o.kind.to_string(),
        o.status.to_string(),
        money(o.official),
        money(o.amount),
        field(&o.created),
        field(o.paid.as_deref().unwrap_or_default()),
    ];
    let mut line = cols.join(",");
    line.push_str("\r\n");
    line
}

/// A statement as CSV: one row per service and charge mode, then the totals row.
pub fn statement(s: &Statement) -> String {
    let mut out = String::from("account,bill_cycle,service_code,service,charge_mode,official_amount,discount_amount,consumed_amount,coupon_amount,card_amount,cash_amount,credit_amount,debt_amount\r\n");
    for l in &s.lines {
        let cols = [
            field(&s.account),
            field(&s.cycle),
            field(&l.service_code),
            field(&l.service),
            l.charge_mode.to_string(),
            money(l.official),
            money(l.discount),
            money(l.consumed),
            money(l.coupon),
            money(l.card),
            money(l.cash),
            money(l.credit),
            money(l.debt),
        ];
        out.push_str(&cols.join(","));
        out.push_str("\r\n");
    }
    let total = [
        field(&s.account),
        field(&s.cycle),
        "TOTAL".to_owned(),
        String::new(),
        String::new(),
        money(s.official()),
        money(s.discount()),
        money(s.consumed),
        money(s.coupon),
        money(s.card),
        money(s.cash),
        money(s.credit),
        money(s.debt),
    ];
    out.push_str(&total.join(","));
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn refunds_stay_numbers_and_names_are_neutralised() {
        let d = |s: &str| Decimal::from_str(s).expect("d");
        let r = FeeRecord {
            id: "FR1".into(),
            trade_time: "2026-10-01T04:00:00Z".into(),
            service: "=cmd".into(),
            kind: "a,b".into(),
            region: "cn-north-4".into(),
            charge_mode: 1,
            bill_type: 4,
            official: d("-12.5"),
            discount: d("0"),
            consumed: d("-12.5"),
            cash: d("-12.5"),
            credit: d("0"),
            coupon: d("0"),
            trade_id: "T1".into(),
        };
        let row = fee_row(&r);
        assert!(row.contains(",-12.50,"), "{row}");
        assert!(row.contains("'=cmd"));
        assert!(row.contains("\"a,b\""));
        assert_eq!(row.split(',').count(), FEE_HEADER.split(',').count() + 1, "one quoted comma");
    }

    #[test]
    fn an_order_row_matches_its_header() {
        let d = |s: &str| Decimal::from_str(s).expect("d");
        let o = OrderRow { id: "CS1".into(), service: "+GSL".into(), kind: 2, status: 6, official: d("10.005"), amount: d("9"), created: "2026-10-01T04:00:00Z".into(), paid: None };
        let row = order_row(&o);
        assert_eq!(row, "CS1,'+GSL,2,6,10.01,9.00,2026-10-01T04:00:00Z,\r\n");
        assert_eq!(row.split(',').count(), ORDER_HEADER.split(',').count());
    }
}
