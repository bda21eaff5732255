//! CSV export of every card matching a filter: rows are produced page by page as GSL answers
//! (under the client's rate limit), and the rows written are recorded for the progress bar.

use futures::{Stream, StreamExt};
use hwcloud::{Client, Identity};
use model::inventory::SimFilter;
use model::sim::SimCard;

use super::sim_cards;
use crate::audit::Actor;
use crate::db::{Db, now_ms};
use crate::error::ServiceError;
use crate::on_pool;

/// Cards per upstream page while exporting (GSL's largest page).
const PAGE: i64 = 500;

/// The CSV header row.
pub const HEADER: &str = "sim_card_id,iccid,msisdn,imsi,imei,status,sim_type,price_plan,flow_used_mb,flow_left_mb,activated_at,expires_at,tags,batch,real_named,speed_limit_kbps\r\n";

/// One field, quoted when needed; a leading formula character is neutralised so a spreadsheet
/// never evaluates a value (CSV injection).
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// MB with two decimals, computed on integers.
fn mb(centi: Option<i64>) -> String {
    centi.map_or_else(String::new, |c| {
        let sign = if c < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", c.unsigned_abs() / 100, c.unsigned_abs() % 100)
    })
}

/// One card as a CSV row (times in UTC, RFC 3339).
pub fn row(c: &SimCard) -> String {
    let opt = |s: &Option<String>| s.as_deref().map(field).unwrap_or_default();
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    let cols = [
        c.sim_card_id.to_string(),
        field(&c.iccid),
        opt(&c.msisdn),
        opt(&c.imsi),
        opt(&c.imei),
        c.status.map(|s| s.slug().to_owned()).unwrap_or_default(),
        c.sim_type.map(|t| t.slug().to_owned()).unwrap_or_default(),
        opt(&c.price_plan),
        mb(c.flow_used),
        mb(c.flow_left),
        time(c.activated_at),
        time(c.expires_at),
        field(&c.tags.join(";")),
        c.order_id.map(|o| o.to_string()).unwrap_or_default(),
        c.real_named.map(|r| r.to_string()).unwrap_or_default(),
        c.speed_limit.map(|s| s.to_string()).unwrap_or_default(),
    ];
    let mut line = cols.join(",");
    line.push_str("\r\n");
    line
}

/// Every card matching `filter`, page by page.
pub fn cards<'a>(client: &'a Client, who: &'a Identity, filter: &SimFilter) -> impl Stream<Item = Result<SimCard, ServiceError>> + 'a {
    let mut req = sim_cards::list_request(filter);
    req.limit = Some(PAGE);
    client.pages(who, req).map(|r| r.map(sim_cards::to_card).map_err(ServiceError::from))
}

/// Checks an export id from the browser (letters and digits, short).
pub fn check_id(id: &str) -> Result<(), ServiceError> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(model::Invalid::new("export", "is not an export id.").into());
    }
    Ok(())
}

/// Records the start of an export.
pub async fn begin(db: &Db, who: &Actor, id: &str, expected: u64) -> Result<(), ServiceError> {
    check_id(id)?;
    const Q: &str = "INSERT INTO exports (id, account, iam_user, expected, written, state, updated_at) VALUES ($1, $2, $3, $4, 0, 'running', $5) \
                     ON CONFLICT (id) DO NOTHING";
    let expected = i64::try_from(expected).unwrap_or(i64::MAX);
    on_pool!(db, p => sqlx::query(Q).bind(id).bind(&who.account).bind(&who.iam_user).bind(expected).bind(now_ms()).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records rows written (and, at the end, that the file is complete).
pub async fn advance(db: &Db, who: &Actor, id: &str, written: u64, finished: bool) -> Result<(), ServiceError> {
    const Q: &str = "UPDATE exports SET written = $1, state = $2, updated_at = $3 WHERE id = $4 AND account = $5 AND iam_user = $6";
    let written = i64::try_from(written).unwrap_or(i64::MAX);
    let state = if finished { "finished" } else { "running" };
    on_pool!(db, p => sqlx::query(Q).bind(written).bind(state).bind(now_ms()).bind(id).bind(&who.account).bind(&who.iam_user).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// How far an export has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows expected.
    pub expected: u64,
    /// Rows written.
    pub written: u64,
    /// Complete.
    pub finished: bool,
}

/// Progress of an export of `who`, if it has begun.
pub async fn progress(db: &Db, who: &Actor, id: &str) -> Result<Option<Progress>, ServiceError> {
    check_id(id)?;
    const Q: &str = "SELECT expected, written, state FROM exports WHERE id = $1 AND account = $2 AND iam_user = $3";
    let row: Option<(i64, i64, String)> =
        on_pool!(db, p => sqlx::query_as(Q).bind(id).bind(&who.account).bind(&who.iam_user).fetch_optional(p).await)?;
    Ok(row.map(|(e, w, s)| Progress {
        expected: u64::try_from(e).unwrap_or(0),
        written: u64::try_from(w).unwrap_or(0),
        finished: s == "finished",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("-1,2"), "\"'-1,2\"");
        assert_eq!(mb(Some(1234)), "12.34");
        assert_eq!(mb(Some(-5)), "-0.05");
        assert_eq!(mb(None), "");
        assert_eq!(HEADER.split(',').count(), 16);
    }
}
