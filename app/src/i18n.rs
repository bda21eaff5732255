//! Two languages, zh-CN and en: the current one is a signal in context; texts come from one table.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Lang {
    /// The BCP 47 tag (`<html lang>`, cookie, database).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// Parses a tag; anything Chinese is zh-CN, anything else English.
    pub fn from_tag(tag: &str) -> Self {
        if tag.trim().to_ascii_lowercase().starts_with("zh") { Lang::ZhCn } else { Lang::En }
    }

    /// The first supported language of an `Accept-Language` header, by q-value.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(u16, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").map(q_permille))
                .unwrap_or(1000);
            let lang = if tag.starts_with("zh") {
                Some(Lang::ZhCn)
            } else if tag.starts_with("en") {
                Some(Lang::En)
            } else {
                None
            };
            if let Some(lang) = lang
                && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    /// The other language (for the switch).
    pub fn other(self) -> Self {
        match self {
            Lang::En => Lang::ZhCn,
            Lang::ZhCn => Lang::En,
        }
    }

    /// The language's own name.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }
}

/// A q-value (`1`, `0.8`, `0.125`) in thousandths, without floating point.
fn q_permille(q: &str) -> u16 {
    let q = q.trim();
    if q.starts_with('1') {
        return 1000;
    }
    let digits: String = q.strip_prefix("0.").unwrap_or("").chars().take(3).collect();
    format!("{digits:0<3}").parse().unwrap_or(0)
}

/// (key, English, Chinese).
const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "fleetdesk", "fleetdesk"),
    ("app.tagline", "IoT SIM fleets and Huawei Cloud bills, in one console", "物联网卡与华为云账单，一个控制台"),
    ("nav.fleet", "Fleet", "物联网卡"),
    ("nav.finance", "Finance", "费用"),
    ("nav.overview", "Overview", "概览"),
    ("nav.sims", "SIM cards", "SIM 卡"),
    ("nav.pools", "Flow pools", "流量池"),
    ("nav.work_orders", "Work orders", "业务受理单"),
    ("nav.bills", "Bills", "账单"),
    ("nav.orders", "Orders", "订单"),
    ("nav.renewals", "Renewals", "续费"),
    ("nav.coupons", "Coupons & packages", "优惠券与资源包"),
    ("nav.skip", "Skip to content", "跳到正文"),
    ("header.sign_out", "Sign out", "退出登录"),
    ("header.account", "Account", "账号"),
    ("header.user", "IAM user", "IAM 用户"),
    ("header.theme", "Switch light/dark", "切换明暗主题"),
    ("login.title", "Sign in with your Huawei Cloud identity", "使用您的华为云身份登录"),
    ("login.password_tab", "IAM user and password", "IAM 用户和密码"),
    ("login.key_tab", "Access key (AK/SK)", "访问密钥 (AK/SK)"),
    ("login.account", "Account name", "账号名"),
    ("login.user", "IAM user name", "IAM 用户名"),
    ("login.password", "Password", "密码"),
    ("login.ak", "Access key ID (AK)", "访问密钥 ID (AK)"),
    ("login.sk", "Secret access key (SK)", "秘密访问密钥 (SK)"),
    ("login.submit", "Sign in", "登录"),
    ("login.signing_in", "Signing in…", "正在登录…"),
    ("login.privacy", "Your password is used once to obtain tokens and is never stored. Keys and tokens stay on the server.", "密码仅用于换取令牌，不会被保存。密钥与令牌只保存在服务器上。"),
    ("login.sandbox", "Sandbox mode: fleetdesk is connected to a local simulation of Huawei Cloud, not to the real one.", "沙箱模式：fleetdesk 连接的是本地模拟的华为云，而非真实环境。"),
    ("login.demo", "Try a demo identity", "试用演示身份"),
    ("login.demo_as", "Sign in as", "登录为"),
    ("login.expired", "Your Huawei Cloud session has expired. Please sign in again.", "您的华为云会话已过期，请重新登录。"),
    ("login.signed_out", "You have signed out.", "您已退出登录。"),
    ("rights.gsl", "Global SIM Link", "全球SIM联接"),
    ("rights.bss", "Billing (BSS)", "费用中心 (BSS)"),
    ("rights.none", "no access", "无权限"),
    ("rights.read", "read only", "只读"),
    ("rights.write", "full access", "完全访问"),
    ("rights.unknown", "as IAM allows", "以 IAM 授权为准"),
    ("rights.lacks_gsl", "Your IAM user lacks Global SIM Link permission. Ask your account administrator to grant it in IAM.", "您的 IAM 用户没有全球SIM联接权限，请联系账号管理员在 IAM 中授权。"),
    ("rights.lacks_bss", "Your IAM user lacks BSS (billing) permission. Ask your account administrator to grant it in IAM.", "您的 IAM 用户没有费用中心 (BSS) 权限，请联系账号管理员在 IAM 中授权。"),
    ("home.welcome", "Welcome", "欢迎"),
    ("home.fleet", "Find any SIM card in seconds, act on one or thousands, watch flow pools.", "秒级查找任意 SIM 卡，单卡或批量操作，监控流量池。"),
    ("home.finance", "Balances, bills, orders and renewals of the account.", "账户余额、账单、订单与续费。"),
    ("page.coming", "This page is being built. It will show:", "此页面正在建设中，将提供："),
    ("page.fleet_overview", "Counts by SIM status, usage this cycle versus last, pools above 80 %, SIMs expiring within 30 days, recent work orders.", "按状态统计的 SIM 卡数量、本账期与上账期用量对比、超过 80% 的流量池、30 天内到期的 SIM 卡、最近的业务受理单。"),
    ("page.sims", "A searchable, filterable SIM inventory with actions and bulk jobs.", "可搜索、可筛选的 SIM 卡清单，支持单卡操作与批量任务。"),
    ("page.pools", "Flow pools and back pools: capacity against use this cycle, members, trends and projections.", "流量池与后向流量池：本账期容量与用量、成员、趋势与预测。"),
    ("page.work_orders", "Work orders and their per-SIM lines.", "业务受理单及其逐卡明细。"),
    ("page.finance_overview", "Account balances, this cycle's spending and upcoming renewals.", "账户余额、本账期支出与即将到期的续费。"),
    ("page.bills", "Monthly bills and records by bill cycle (UTC+8).", "按账期（东八区）查看月度账单与明细。"),
    ("page.orders", "Orders, their details, and payment of pending orders.", "订单、订单详情与待支付订单的支付。"),
    ("page.renewals", "Yearly/monthly resources with renewal, auto-renew and unsubscribe.", "包年/包月资源的续费、自动续费与退订。"),
    ("page.coupons", "Coupons and resource packages with their usage.", "优惠券与资源包及其使用情况。"),
    ("page.not_found", "This page does not exist.", "页面不存在。"),
    ("common.loading", "Loading…", "加载中…"),
    ("common.request_id", "Request ID", "请求 ID"),
    ("common.retry", "Try again", "重试"),
];

/// The text of `key` in `lang` (the key itself if missing, so a gap is visible, not blank).
pub fn text(lang: Lang, key: &'static str) -> &'static str {
    TEXTS.iter().find(|(k, _, _)| *k == key).map_or(key, |(_, en, zh)| match lang {
        Lang::En => en,
        Lang::ZhCn => zh,
    })
}

/// The current language, shared by every component.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    /// Text of `key` in the current language (reactive: use inside `move ||`).
    pub fn t(self, key: &'static str) -> &'static str {
        text(self.0.get(), key)
    }
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        for (i, (k, en, zh)) in TEXTS.iter().enumerate() {
            assert!(!en.is_empty() && !zh.is_empty(), "{k}");
            assert!(TEXTS[i + 1..].iter().all(|(other, _, _)| other != k), "duplicate {k}");
        }
        assert_eq!(text(Lang::ZhCn, "nav.sims"), "SIM 卡");
        assert_eq!(text(Lang::En, "no.such.key"), "no.such.key");
    }

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language("de-DE,en;q=0.5,zh;q=0.4"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0.3, zh-TW;q=0.7"), Lang::ZhCn);
    }
}
