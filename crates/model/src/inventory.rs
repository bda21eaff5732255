//! The SIM inventory's query: search, filters, sort and page, as they appear in the URL so a view
//! can be bookmarked and shared. Parsing validates everything before any upstream call.

use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::sim::{SimStatus, SimType};

/// Page sizes the inventory offers (GSL allows 1..=500 per page).
pub const PAGE_SIZES: [u32; 5] = [10, 50, 100, 200, 500];
/// The default page size.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// At most this many tags in one filter (GSL's limit).
pub const MAX_TAGS: usize = 10;
/// At most this many price plans in one filter (GSL's limit).
pub const MAX_PLANS: usize = 30;

/// What the search box searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SearchBy {
    /// ICCID or container id (part of it is enough).
    #[default]
    Iccid,
    /// MSISDN (exact).
    Msisdn,
    /// IMEI (exact).
    Imei,
    /// Batch (order) id (exact).
    Batch,
}

impl SearchBy {
    /// Every kind.
    pub const ALL: [SearchBy; 4] = [SearchBy::Iccid, SearchBy::Msisdn, SearchBy::Imei, SearchBy::Batch];

    /// The URL word.
    pub fn slug(self) -> &'static str {
        match self {
            SearchBy::Iccid => "iccid",
            SearchBy::Msisdn => "msisdn",
            SearchBy::Imei => "imei",
            SearchBy::Batch => "batch",
        }
    }

    /// The i18n key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            SearchBy::Iccid => "inv.by_iccid",
            SearchBy::Msisdn => "inv.by_msisdn",
            SearchBy::Imei => "inv.by_imei",
            SearchBy::Batch => "inv.by_batch",
        }
    }

    fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.slug() == s)
    }

    /// Checks a search text of this kind (digits only, of a plausible length).
    fn check(self, key: &str) -> Result<(), Invalid> {
        let digits = key.bytes().all(|b| b.is_ascii_digit());
        let (name, max) = match self {
            SearchBy::Iccid => ("An ICCID", 20),
            SearchBy::Msisdn => ("An MSISDN", 15),
            SearchBy::Imei => ("An IMEI", 17),
            SearchBy::Batch => ("A batch number", 18),
        };
        if !digits {
            return Err(Invalid::new("q", format!("{name} has digits only.")));
        }
        if key.len() > max {
            return Err(Invalid::new("q", format!("{name} has at most {max} digits.")));
        }
        Ok(())
    }
}

/// Columns the inventory can sort by (GSL's `sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    /// ICCID (GSL's natural order).
    Iccid,
    /// Flow used this cycle.
    FlowUsed,
    /// Flow left this cycle.
    FlowLeft,
    /// Activation date.
    Activated,
    /// Expiry date.
    Expires,
}

impl SortKey {
    /// Every key.
    pub const ALL: [SortKey; 5] = [SortKey::Iccid, SortKey::FlowUsed, SortKey::FlowLeft, SortKey::Activated, SortKey::Expires];

    /// The URL word.
    pub fn slug(self) -> &'static str {
        match self {
            SortKey::Iccid => "iccid",
            SortKey::FlowUsed => "used",
            SortKey::FlowLeft => "left",
            SortKey::Activated => "activated",
            SortKey::Expires => "expires",
        }
    }

    /// GSL's `sort` value.
    pub fn upstream(self) -> &'static str {
        match self {
            SortKey::Iccid => "cid",
            SortKey::FlowUsed => "flow_used",
            SortKey::FlowLeft => "flow_left",
            SortKey::Activated => "act_date",
            SortKey::Expires => "expire_time",
        }
    }

    fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.slug() == s)
    }
}

/// Search, filters and sort: everything that decides which cards match, without the page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SimFilter {
    /// Search text.
    pub search: Option<String>,
    /// What it searches.
    pub search_by: SearchBy,
    /// Status.
    pub status: Option<SimStatus>,
    /// SIM type.
    pub sim_type: Option<SimType>,
    /// Tag ids (any of them).
    pub tags: Vec<i64>,
    /// Price plan ids (any of them).
    pub plans: Vec<String>,
    /// Real-name state.
    pub real_named: Option<bool>,
    /// Flow used this cycle, at least (MB).
    pub used_min_mb: Option<i64>,
    /// Flow used this cycle, at most (MB).
    pub used_max_mb: Option<i64>,
    /// Flow left this cycle, at least (MB).
    pub left_min_mb: Option<i64>,
    /// Flow left this cycle, at most (MB).
    pub left_max_mb: Option<i64>,
    /// Custom attribute values (exact), by slot 1..6.
    pub attributes: [Option<String>; 6],
    /// Sort column.
    pub sort: Option<SortKey>,
    /// Descending order.
    pub descending: bool,
}

/// A filter and a page of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryQuery {
    /// Which cards.
    pub filter: SimFilter,
    /// Page number, from 1.
    pub page: u32,
    /// Cards per page (one of [`PAGE_SIZES`]).
    pub page_size: u32,
}

impl Default for InventoryQuery {
    fn default() -> Self {
        Self { filter: SimFilter::default(), page: 1, page_size: DEFAULT_PAGE_SIZE }
    }
}

fn non_empty(v: &str) -> Option<&str> {
    let t = v.trim();
    (!t.is_empty()).then_some(t)
}

fn megabytes(field: &'static str, v: Option<&str>) -> Result<Option<i64>, Invalid> {
    let Some(v) = v.and_then(non_empty) else { return Ok(None) };
    match v.parse::<i64>() {
        Ok(n) if (0..=10_000_000).contains(&n) => Ok(Some(n)),
        _ => Err(Invalid::new(field, "must be a whole number of MB from 0 to 10,000,000.")),
    }
}

fn range(min_field: &'static str, min: Option<i64>, max: Option<i64>) -> Result<(), Invalid> {
    match (min, max) {
        (Some(a), Some(b)) if a > b => Err(Invalid::new(min_field, "the minimum is above the maximum.")),
        _ => Ok(()),
    }
}

/// Names of the URL parameters of the six attributes.
pub const ATTRIBUTE_PARAMS: [&str; 6] = ["attr1", "attr2", "attr3", "attr4", "attr5", "attr6"];

impl SimFilter {
    /// Parses URL parameters (`pairs` as they come, repeated keys allowed); refuses bad input.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> Result<Self, Invalid> {
        let one = |key: &str| pairs.clone().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v);
        let all = |key: &str| -> Vec<&'a str> {
            pairs.clone().into_iter().filter(|(k, _)| *k == key).filter_map(|(_, v)| non_empty(v)).collect()
        };
        let mut f = SimFilter::default();
        if let Some(by) = one("by").and_then(non_empty) {
            f.search_by = SearchBy::from_slug(by).ok_or_else(|| Invalid::new("by", "must be iccid, msisdn, imei or batch."))?;
        }
        if let Some(q) = one("q").and_then(non_empty) {
            f.search_by.check(q)?;
            f.search = Some(q.to_owned());
        }
        if let Some(s) = one("status").and_then(non_empty) {
            f.status = Some(SimStatus::from_slug(s).ok_or_else(|| Invalid::new("status", "is not a SIM status."))?);
        }
        if let Some(t) = one("type").and_then(non_empty) {
            f.sim_type = Some(SimType::from_slug(t).ok_or_else(|| Invalid::new("type", "must be vsim, esim or physical."))?);
        }
        for t in all("tag") {
            let id = t.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| Invalid::new("tag", "is not a tag id."))?;
            if !f.tags.contains(&id) {
                f.tags.push(id);
            }
        }
        if f.tags.len() > MAX_TAGS {
            return Err(Invalid::new("tag", format!("at most {MAX_TAGS} tags can be combined.")));
        }
        for p in all("plan") {
            if p.len() > 64 || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(Invalid::new("plan", "is not a price plan id."));
            }
            if !f.plans.iter().any(|x| x == p) {
                f.plans.push(p.to_owned());
            }
        }
        if f.plans.len() > MAX_PLANS {
            return Err(Invalid::new("plan", format!("at most {MAX_PLANS} price plans can be combined.")));
        }
        f.real_named = match one("real_named").and_then(non_empty) {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(_) => return Err(Invalid::new("real_named", "must be yes or no.")),
        };
        f.used_min_mb = megabytes("used_min", one("used_min"))?;
        f.used_max_mb = megabytes("used_max", one("used_max"))?;
        f.left_min_mb = megabytes("left_min", one("left_min"))?;
        f.left_max_mb = megabytes("left_max", one("left_max"))?;
        range("used_min", f.used_min_mb, f.used_max_mb)?;
        range("left_min", f.left_min_mb, f.left_max_mb)?;
        for (slot, name) in ATTRIBUTE_PARAMS.iter().enumerate() {
            if let Some(v) = one(name).and_then(non_empty) {
                if v.chars().count() > 128 {
                    return Err(Invalid::new("attr", "a custom attribute value has at most 128 characters."));
                }
                f.attributes[slot] = Some(v.to_owned());
            }
        }
        if let Some(s) = one("sort").and_then(non_empty) {
            f.sort = Some(SortKey::from_slug(s).ok_or_else(|| Invalid::new("sort", "is not a sortable column."))?);
        }
        f.descending = match one("dir").and_then(non_empty) {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => return Err(Invalid::new("dir", "must be asc or desc.")),
        };
        Ok(f)
    }

    /// The URL parameters of this filter, in a fixed order, defaults left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(q) = &self.search {
            out.push(("q", q.clone()));
            if self.search_by != SearchBy::Iccid {
                out.push(("by", self.search_by.slug().to_owned()));
            }
        }
        if let Some(s) = self.status {
            out.push(("status", s.slug().to_owned()));
        }
        if let Some(t) = self.sim_type {
            out.push(("type", t.slug().to_owned()));
        }
        out.extend(self.tags.iter().map(|t| ("tag", t.to_string())));
        out.extend(self.plans.iter().map(|p| ("plan", p.clone())));
        if let Some(r) = self.real_named {
            out.push(("real_named", if r { "yes" } else { "no" }.to_owned()));
        }
        for (name, v) in [
            ("used_min", self.used_min_mb),
            ("used_max", self.used_max_mb),
            ("left_min", self.left_min_mb),
            ("left_max", self.left_max_mb),
        ] {
            if let Some(v) = v {
                out.push((name, v.to_string()));
            }
        }
        for (slot, v) in self.attributes.iter().enumerate() {
            if let Some(v) = v {
                out.push((ATTRIBUTE_PARAMS[slot], v.clone()));
            }
        }
        if let Some(s) = self.sort {
            out.push(("sort", s.slug().to_owned()));
        }
        if self.descending {
            out.push(("dir", "desc".to_owned()));
        }
        out
    }

    /// Whether nothing narrows the fleet down.
    pub fn is_everything(&self) -> bool {
        let unsorted = SimFilter { sort: None, descending: false, ..self.clone() };
        unsorted == SimFilter::default()
    }
}

impl InventoryQuery {
    /// Parses URL parameters: the filter, `page` (from 1) and `size` (one of [`PAGE_SIZES`]).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> Result<Self, Invalid> {
        let filter = SimFilter::from_pairs(pairs.clone())?;
        let one = |key: &str| pairs.clone().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v).and_then(non_empty);
        let page = match one("page") {
            None => 1,
            Some(p) => p.parse::<u32>().ok().filter(|p| (1..=100_000).contains(p)).ok_or_else(|| Invalid::new("page", "must be a page number from 1."))?,
        };
        let page_size = match one("size") {
            None => DEFAULT_PAGE_SIZE,
            Some(s) => s
                .parse::<u32>()
                .ok()
                .filter(|s| PAGE_SIZES.contains(s))
                .ok_or_else(|| Invalid::new("size", "must be 10, 50, 100, 200 or 500 cards per page."))?,
        };
        Ok(Self { filter, page, page_size })
    }

    /// The URL parameters, defaults left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = self.filter.to_pairs();
        if self.page != 1 {
            out.push(("page", self.page.to_string()));
        }
        if self.page_size != DEFAULT_PAGE_SIZE {
            out.push(("size", self.page_size.to_string()));
        }
        out
    }

    /// The query string (without `?`), percent-encoded.
    pub fn to_query_string(&self) -> String {
        encode_pairs(&self.to_pairs())
    }

    /// The same filter on another page.
    pub fn at_page(&self, page: u32) -> Self {
        Self { page: page.max(1), ..self.clone() }
    }

    /// Number of pages for `count` matching cards.
    pub fn pages(&self, count: u64) -> u32 {
        u32::try_from(count.div_ceil(u64::from(self.page_size.max(1)))).unwrap_or(u32::MAX).max(1)
    }
}

/// Percent-encodes URL parameters (RFC 3986 unreserved characters stay as they are).
pub fn encode_pairs(pairs: &[(&str, String)]) -> String {
    fn enc(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// Columns of the inventory table a person can show or hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    /// MSISDN.
    Msisdn,
    /// IMSI.
    Imsi,
    /// IMEI.
    Imei,
    /// Status.
    Status,
    /// SIM type.
    SimType,
    /// Price plan.
    Plan,
    /// Flow used / left bars.
    Flow,
    /// Expiry date.
    Expires,
    /// Activation date.
    Activated,
    /// Tags.
    Tags,
    /// Batch (order) id.
    Batch,
    /// Real-name state.
    RealName,
    /// Speed limit.
    Speed,
}

impl Column {
    /// Every optional column, in table order (the ICCID column is always shown).
    pub const ALL: [Column; 13] = [
        Column::Msisdn,
        Column::Imsi,
        Column::Imei,
        Column::Status,
        Column::SimType,
        Column::Plan,
        Column::Flow,
        Column::Expires,
        Column::Activated,
        Column::Tags,
        Column::Batch,
        Column::RealName,
        Column::Speed,
    ];

    /// Shown until a person picks their own.
    pub const DEFAULT: [Column; 6] = [Column::Msisdn, Column::Status, Column::Plan, Column::Flow, Column::Expires, Column::Tags];

    /// Stable name (stored preference).
    pub fn slug(self) -> &'static str {
        match self {
            Column::Msisdn => "msisdn",
            Column::Imsi => "imsi",
            Column::Imei => "imei",
            Column::Status => "status",
            Column::SimType => "type",
            Column::Plan => "plan",
            Column::Flow => "flow",
            Column::Expires => "expires",
            Column::Activated => "activated",
            Column::Tags => "tags",
            Column::Batch => "batch",
            Column::RealName => "real_named",
            Column::Speed => "speed",
        }
    }

    /// From its stable name.
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == s)
    }

    /// The i18n key of its header.
    pub fn label_key(self) -> &'static str {
        match self {
            Column::Msisdn => "col.msisdn",
            Column::Imsi => "col.imsi",
            Column::Imei => "col.imei",
            Column::Status => "col.status",
            Column::SimType => "col.type",
            Column::Plan => "col.plan",
            Column::Flow => "col.flow",
            Column::Expires => "col.expires",
            Column::Activated => "col.activated",
            Column::Tags => "col.tags",
            Column::Batch => "col.batch",
            Column::RealName => "col.real_named",
            Column::Speed => "col.speed",
        }
    }

    /// The sort key behind the column, if it sorts.
    pub fn sort_key(self) -> Option<SortKey> {
        match self {
            Column::Flow => Some(SortKey::FlowUsed),
            Column::Expires => Some(SortKey::Expires),
            Column::Activated => Some(SortKey::Activated),
            _ => None,
        }
    }

    /// Parses a stored list (`"msisdn,status"`), dropping unknown names; empty means the default.
    pub fn parse_list(s: &str) -> Vec<Column> {
        let cols: Vec<Column> = s.split(',').filter_map(|c| Column::from_slug(c.trim())).collect();
        if cols.is_empty() { Column::DEFAULT.to_vec() } else { Column::ALL.into_iter().filter(|c| cols.contains(c)).collect() }
    }

    /// The stored form of a list.
    pub fn list_to_string(cols: &[Column]) -> String {
        cols.iter().map(|c| c.slug()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &[(&'static str, &'static str)]) -> Result<InventoryQuery, Invalid> {
        InventoryQuery::from_pairs(q.iter().copied())
    }

    #[test]
    fn a_full_query_round_trips_through_the_url() {
        let q = parse(&[
            ("q", "898604"),
            ("status", "in-use"),
            ("type", "physical"),
            ("tag", "3"),
            ("tag", "5"),
            ("plan", "PP-CM-1G"),
            ("real_named", "no"),
            ("used_min", "10"),
            ("used_max", "900"),
            ("attr2", "north"),
            ("sort", "used"),
            ("dir", "desc"),
            ("page", "3"),
            ("size", "200"),
        ])
        .expect("valid");
        assert_eq!(q.filter.status, Some(SimStatus::InUse));
        assert_eq!(q.filter.tags, vec![3, 5]);
        assert_eq!(q.filter.attributes[1].as_deref(), Some("north"));
        let again = InventoryQuery::from_pairs(q.to_pairs().iter().map(|(k, v)| (*k, v.as_str()))).expect("round trip");
        assert_eq!(again, q);
        assert!(q.to_query_string().starts_with("q=898604&status=in-use&type=physical&tag=3&tag=5&plan=PP-CM-1G"));
    }

    #[test]
    fn bad_input_is_refused_with_the_field_named() {
        assert_eq!(parse(&[("q", "8986O4")]).expect_err("refused").field, "q");
        assert!(parse(&[("q", "8986O4")]).expect_err("refused").reason.contains("digits only"));
        assert_eq!(parse(&[("q", "12"), ("by", "name")]).expect_err("refused").field, "by");
        assert_eq!(parse(&[("status", "asleep")]).expect_err("refused").field, "status");
        assert_eq!(parse(&[("size", "7")]).expect_err("refused").field, "size");
        assert_eq!(parse(&[("page", "0")]).expect_err("refused").field, "page");
        assert_eq!(parse(&[("used_min", "-3")]).expect_err("refused").field, "used_min");
        assert_eq!(parse(&[("used_min", "9"), ("used_max", "3")]).expect_err("refused").field, "used_min");
        let many: Vec<(&str, String)> = (1..=11).map(|i| ("tag", i.to_string())).collect();
        let err = InventoryQuery::from_pairs(many.iter().map(|(k, v)| (*k, v.as_str()))).expect_err("refused");
        assert_eq!(err.field, "tag");
    }

    #[test]
    fn empty_values_mean_no_filter() {
        let q = parse(&[("q", ""), ("status", ""), ("tag", ""), ("used_min", " ")]).expect("valid");
        assert_eq!(q, InventoryQuery::default());
        assert!(q.filter.is_everything());
        assert_eq!(q.to_query_string(), "");
    }

    #[test]
    fn pages_are_counted_up() {
        let q = InventoryQuery::default();
        assert_eq!(q.pages(0), 1);
        assert_eq!(q.pages(50), 1);
        assert_eq!(q.pages(51), 2);
        assert_eq!(q.at_page(0).page, 1);
    }

    #[test]
    fn column_lists_keep_table_order_and_fall_back_to_the_default() {
        assert_eq!(Column::parse_list("tags,msisdn,bogus"), vec![Column::Msisdn, Column::Tags]);
        assert_eq!(Column::parse_list(""), Column::DEFAULT.to_vec());
        assert_eq!(Column::list_to_string(&[Column::Imei, Column::Speed]), "imei,speed");
    }

    #[test]
    fn encoding_keeps_unreserved_characters() {
        assert_eq!(encode_pairs(&[("attr1", "a b/ü".to_owned())]), "attr1=a%20b%2F%C3%BC");
    }
}
