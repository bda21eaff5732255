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
    ("page.fleet_overview", "Counts by SIM status, usage this cycle versus last, pools above 80 %, SIMs expiring within 30 days, recent work orders.", "按状态统计的 SIM 卡数量、本账期与上账期用量对比、超过 80% 的流量池、30 天内到期的 SIM 卡、最近的业务受理单。"),
    ("page.sims", "A searchable, filterable SIM inventory with actions and bulk jobs.", "可搜索、可筛选的 SIM 卡清单，支持单卡操作与批量任务。"),
    ("page.pools", "Flow pools and back pools: capacity against use this cycle, members, trends and projections.", "流量池与后向流量池：本账期容量与用量、成员、趋势与预测。"),
    ("page.work_orders", "Work orders and their per-SIM lines.", "业务受理单及其逐卡明细。"),
    ("page.not_found", "This page does not exist.", "页面不存在。"),
    ("nav.jobs", "Bulk jobs", "批量任务"),
    ("nav.audit", "Audit log", "操作审计"),
    ("common.all", "All", "全部"),
    ("common.any", "Any", "不限"),
    ("common.cancel", "Cancel", "取消"),
    ("common.confirm", "Confirm", "确认"),
    ("common.working", "Working…", "处理中…"),
    ("common.yes", "Yes", "是"),
    ("common.no", "No", "否"),
    ("status.testable", "Testable", "可测试"),
    ("status.inactive", "Not activated", "未激活"),
    ("status.activatable", "Activatable", "可激活"),
    ("status.stopped", "Stopped", "已停用"),
    ("status.in_use", "In use", "使用中"),
    ("status.dismantled", "Dismantled", "已拆机"),
    ("simtype.vsim", "vSIM", "vSIM"),
    ("simtype.esim", "eSIM", "eSIM"),
    ("simtype.physical", "Physical card", "实体卡"),
    ("carrier.mobile", "China Mobile", "中国移动"),
    ("carrier.telecom", "China Telecom", "中国电信"),
    ("carrier.unicom", "China Unicom", "中国联通"),
    ("col.msisdn", "MSISDN", "MSISDN"),
    ("col.imsi", "IMSI", "IMSI"),
    ("col.imei", "IMEI", "IMEI"),
    ("col.status", "Status", "状态"),
    ("col.type", "Type", "类型"),
    ("col.plan", "Price plan", "套餐"),
    ("col.flow", "Used · left this cycle", "本账期已用 · 剩余"),
    ("col.expires", "Expires", "到期"),
    ("col.activated", "Activated", "激活"),
    ("col.tags", "Tags", "标签"),
    ("col.batch", "Batch", "批次"),
    ("col.real_named", "Real-name", "实名"),
    ("col.speed", "Speed limit", "限速"),
    ("inv.by_iccid", "ICCID / container id", "ICCID / 容器 ID"),
    ("inv.by_msisdn", "MSISDN", "MSISDN"),
    ("inv.by_imei", "IMEI", "IMEI"),
    ("inv.by_batch", "Batch (order) id", "批次（订单）号"),
    ("inv.search_by", "Search by", "搜索字段"),
    ("inv.search_placeholder", "Search SIM cards", "搜索 SIM 卡"),
    ("inv.search", "Search", "搜索"),
    ("inv.filters", "Filters", "筛选"),
    ("inv.apply", "Apply", "应用"),
    ("inv.clear", "Clear all", "全部清除"),
    ("inv.used_mb", "Used this cycle (MB)", "本账期已用 (MB)"),
    ("inv.left_mb", "Left this cycle (MB)", "本账期剩余 (MB)"),
    ("inv.page_size", "Per page", "每页"),
    ("inv.matching", "Matching SIM cards", "符合条件的 SIM 卡"),
    ("inv.none", "No SIM card matches these filters.", "没有符合筛选条件的 SIM 卡。"),
    ("inv.columns", "Columns", "列"),
    ("inv.export", "Export CSV", "导出 CSV"),
    ("inv.pages", "Pages", "分页"),
    ("inv.page", "Page", "第"),
    ("inv.prev", "Previous", "上一页"),
    ("inv.next", "Next", "下一页"),
    ("inv.select_page", "Select every card on this page", "选择本页全部"),
    ("inv.selected", "selected", "张已选"),
    ("inv.everything", "Everything matching this filter", "选择符合筛选条件的全部"),
    ("inv.select_hint", "Select cards, or everything matching, to act on many at once.", "选择 SIM 卡（或全部符合条件的卡）以批量操作。"),
    ("inv.preview_hint", "Nothing changes yet: you will see an impact preview first.", "此时不会做任何变更：您会先看到影响预览。"),
    ("action.choose", "Action", "操作"),
    ("action.review", "Review", "检查"),
    ("action.activate", "Activate", "激活"),
    ("action.stop", "Stop", "停机"),
    ("action.resume", "Resume", "复机"),
    ("action.cut_net", "Cut network", "断网"),
    ("action.restore_net", "Restore network", "恢复网络"),
    ("action.exceed_cut_net", "Cut network above a quota", "达量断网"),
    ("action.cancel_exceed_cut_net", "Cancel quota cut", "取消达量断网"),
    ("action.speed_limit", "Limit speed", "限速"),
    ("action.rebind_imei", "Rebind IMEI", "重新绑定 IMEI"),
    ("action.clear_real_name", "Clear real-name", "清除实名"),
    ("action.set_tags", "Set tags", "设置标签"),
    ("action.set_attributes", "Custom attributes", "自定义属性"),
    ("action.switch_policy", "Network switch policy", "网络切换策略"),
    ("action.switch_network", "Switch network", "切换网络"),
    ("action.send_sms", "Send SMS", "发送短信"),
    ("action.quota", "Quota (MB; 0 cuts at once, -1 never)", "阈值（MB；0 立即断网，-1 不断网）"),
    ("action.speed", "Speed", "速率"),
    ("action.no_limit", "no limit", "不限速"),
    ("action.imei", "New IMEI (15 digits; empty binds the next device)", "新 IMEI（15 位；留空则绑定下一台设备）"),
    ("action.tag_ids", "Tag ids (comma separated, up to 10)", "标签 ID（逗号分隔，最多 10 个）"),
    ("action.attributes", "Custom attributes", "自定义属性"),
    ("action.carrier", "Carrier", "运营商"),
    ("action.policy_id", "Switch policy id (three-network cards)", "切换策略 ID（三网卡）"),
    ("action.sms_text", "Text (up to 500 characters)", "内容（最多 500 字）"),
    ("action.accepted", "Huawei Cloud accepted the request.", "华为云已受理该请求。"),
    ("action.work_order", "Work order", "业务受理单"),
    ("effect.activate", "The card is activated and starts its plan; billing begins.", "SIM 卡将被激活并开始套餐计费。"),
    ("effect.stop", "The card stops: no data, SMS or calls until it is resumed.", "SIM 卡将停机：复机前无法使用数据、短信和通话。"),
    ("effect.resume", "The stopped card is put back in use.", "已停机的 SIM 卡将恢复使用。"),
    ("effect.cut_net", "The card's data connection is cut until it is restored.", "SIM 卡的数据连接将被断开，直到恢复网络。"),
    ("effect.restore_net", "The card's data connection is restored.", "SIM 卡的数据连接将恢复。"),
    ("effect.exceed_cut_net", "The card's data is cut once this cycle's use passes the quota.", "本账期用量超过阈值后将断开数据连接。"),
    ("effect.cancel_exceed_cut_net", "The quota cut is removed; data keeps flowing above any quota.", "取消达量断网，超过阈值后仍可使用数据。"),
    ("effect.speed_limit", "The card's data speed is limited to this rate.", "SIM 卡的数据速率将被限制为此值。"),
    ("effect.rebind_imei", "The card is bound to the new device; this uses one of the month's rebinds.", "SIM 卡将绑定到新设备，并消耗本月一次换绑次数。"),
    ("effect.clear_real_name", "The card's real-name registration is cleared; it must be registered again.", "SIM 卡的实名信息将被清除，需要重新实名。"),
    ("effect.set_tags", "The card's tags are replaced by these.", "SIM 卡的标签将被替换为这些标签。"),
    ("effect.set_attributes", "The filled-in custom attributes are set; empty ones stay as they are.", "填写的自定义属性将被设置，留空的保持不变。"),
    ("effect.switch_policy", "The three-network card follows this switch policy.", "三网卡将按此策略切换网络。"),
    ("effect.switch_network", "The three-network card switches to this carrier.", "三网卡将切换到此运营商。"),
    ("effect.send_sms", "An SMS with this text is sent to the card.", "将向 SIM 卡发送此短信。"),
    ("skip.dismantled", "dismantled", "已拆机"),
    ("skip.already_done", "already in the target state", "已处于目标状态"),
    ("skip.wrong_status", "status does not allow it", "当前状态不允许"),
    ("skip.not_applicable", "not applicable to this card", "不适用于该卡"),
    ("skip.gone", "card no longer exists", "SIM 卡已不存在"),
    ("sim.identity", "Identity", "身份信息"),
    ("sim.flow", "Flow this cycle", "本账期流量"),
    ("sim.speed", "Speed limit", "限速"),
    ("sim.cut_net", "Network cut", "已断网"),
    ("sim.exceed_cut_net", "Quota cut", "达量断网"),
    ("sim.imei_rebinds", "IMEI rebinds left", "剩余换绑次数"),
    ("sim.operator_status", "Operator status", "运营商状态"),
    ("sim.normal", "normal", "正常"),
    ("sim.pool", "Flow pool", "流量池"),
    ("sim.used", "Used this cycle", "本账期已用"),
    ("sim.actions", "Actions", "操作"),
    ("sim.read_only", "Your IAM user may only read Global SIM Link; actions need write permission.", "您的 IAM 用户仅有全球SIM联接只读权限，操作需要写权限。"),
    ("sim.history", "What fleetdesk did to this card", "fleetdesk 对此卡的操作"),
    ("sim.no_history", "Nothing yet.", "暂无。"),
    ("sim.usage", "Usage", "用量"),
    ("sim.daily", "Daily, last 90 days", "近 90 天每日用量"),
    ("sim.monthly", "Monthly, 24 bill cycles (UTC+8)", "近 24 个账期月度用量（东八区）"),
    ("sim.no_usage", "No usage recorded.", "暂无用量记录。"),
    ("sim.total", "Total", "合计"),
    ("audit.time", "Time", "时间"),
    ("audit.user", "IAM user", "IAM 用户"),
    ("audit.action", "Action", "操作"),
    ("audit.target", "Target", "对象"),
    ("audit.outcome", "Outcome", "结果"),
    ("audit.detail", "Detail", "详情"),
    ("audit.pending", "Pending", "进行中"),
    ("audit.succeeded", "Succeeded", "成功"),
    ("audit.failed", "Failed", "失败"),
    ("audit.none", "No changes recorded for these filters.", "没有符合条件的操作记录。"),
    ("audit.older", "Older entries →", "更早的记录 →"),
    ("job.title", "Bulk job", "批量任务"),
    ("job.none", "No bulk jobs yet. Select SIM cards in the inventory to start one.", "暂无批量任务。在 SIM 卡列表中选择卡片即可创建。"),
    ("job.state", "State", "状态"),
    ("job.progress", "Progress", "进度"),
    ("job.preparing", "Preparing preview", "正在生成预览"),
    ("job.ready", "Preview ready", "预览就绪"),
    ("job.running", "Running", "执行中"),
    ("job.paused", "Paused", "已暂停"),
    ("job.cancelled", "Cancelled", "已取消"),
    ("job.finished", "Finished", "已完成"),
    ("job.interrupted", "Interrupted", "已中断"),
    ("job.picked", "cards picked", "张已选卡"),
    ("job.whole_fleet", "every SIM card", "全部 SIM 卡"),
    ("job.filter", "cards matching", "符合条件的卡"),
    ("job.examined", "cards read", "张已读取"),
    ("job.eligible", "Will change", "将变更"),
    ("job.done", "Done", "成功"),
    ("job.failed", "Failed", "失败"),
    ("job.skipped", "Skipped", "跳过"),
    ("job.pending", "Waiting", "等待中"),
    ("job.ineligible", "Not changed, and why", "不变更的卡及原因"),
    ("job.start", "Start", "开始执行"),
    ("job.pause", "Pause", "暂停"),
    ("job.resume", "Resume", "继续"),
    ("job.retry", "Retry the failed ones", "重试失败的卡"),
    ("job.cancel", "Cancel job", "取消任务"),
    ("job.cards", "Cards", "卡片"),
    ("job.cards_will_change", "SIM cards will change, at up to 10 per second.", "张 SIM 卡将被变更，每秒最多 10 张。"),
    ("nav.tags", "Tags & plans", "标签与套餐"),
    ("ov.by_status", "SIM cards by status", "按状态统计的 SIM 卡"),
    ("ov.usage", "Pool use this cycle", "本账期流量池用量"),
    ("ov.last_cycle", "Last cycle", "上账期"),
    ("ov.pools_dry", "Pools above 80 %", "用量超过 80% 的流量池"),
    ("ov.no_pools_dry", "No pool has used 80 % of its capacity.", "没有用量超过 80% 的流量池。"),
    ("ov.expiring", "Expiring within 30 days", "30 天内到期"),
    ("ov.none_expiring", "No card in use expires within 30 days.", "30 天内没有到期的在用 SIM 卡。"),
    ("ov.work_orders", "Recent work orders", "最近的业务受理单"),
    ("ov.all", "all", "全部"),
    ("pool.none", "This account has no flow pools.", "该账号没有流量池。"),
    ("pool.name", "Pool", "流量池"),
    ("pool.kind", "Kind", "类型"),
    ("pool.flow", "Flow pool", "流量池"),
    ("pool.back", "Back pool", "后向流量池"),
    ("pool.members", "Cards", "卡数"),
    ("pool.use", "Used / capacity this cycle", "本账期已用 / 总量"),
    ("pool.projection", "Projected at cycle end", "账期末预计用量"),
    ("pool.will_run_out", "exceeds capacity", "将超出总量"),
    ("pool.trend", "Last six cycles", "近六个账期"),
    ("pool.top", "Members, top consumers first", "成员（按用量从高到低）"),
    ("pool.truncated", "The pool has more members than were read; the ranking covers the first 10,000.", "成员过多，仅对前 10,000 张卡排序。"),
    ("wo.none", "No work orders yet.", "暂无业务受理单。"),
    ("wo.kind", "Type", "类型"),
    ("wo.status", "Status", "状态"),
    ("wo.cards", "Cards (done · failed · all)", "卡数（成功 · 失败 · 全部）"),
    ("wo.request", "Request", "请求"),
    ("wo.lines", "Cards", "卡片明细"),
    ("wo.pending", "Waiting", "待处理"),
    ("wo.processing", "Processing", "处理中"),
    ("wo.done", "Done", "成功"),
    ("wo.partial", "Partly done", "部分成功"),
    ("wo.failed", "Failed", "失败"),
    ("wo.unknown", "Unknown", "未知"),
    ("tag.new", "New tag", "新标签"),
    ("tag.create", "Create", "创建"),
    ("tag.none", "No tags yet.", "暂无标签。"),
    ("tag.delete", "Delete tag", "删除标签"),
    ("tag.delete_effect", "the tag is removed from every card that carries it", "该标签将从所有卡上移除"),
    ("attr.rename", "Rename", "重命名"),
    ("attr.enable", "Enable", "启用"),
    ("attr.disable", "Disable", "停用"),
    ("attr.enabled", "enabled", "已启用"),
    ("attr.disabled", "disabled", "已停用"),
    ("plan.title", "Price plans on offer", "可选套餐"),
    ("plan.price", "Price", "价格"),
    ("plan.location", "Where", "适用地区"),
    ("common.loading", "Loading…", "加载中…"),
    ("common.request_id", "Request ID", "请求 ID"),
    ("common.retry", "Try again", "重试"),
    ("nav.members", "Member accounts", "企业子账号"),
    ("embed.read_only", "Read-only: your portal opened fleetdesk for viewing; changes are not allowed.", "只读：门户以查看方式打开 fleetdesk，不能进行更改。"),
    ("nav.costs", "Cost analysis", "成本分析"),
    ("nav.resources", "Resource usage", "资源消费"),
    ("common.back", "Back", "返回"),
    ("fin.audit", "Finance changes (audit log)", "费用操作记录（审计日志）"),
    ("fin.balances", "Balances", "余额"),
    ("fin.cash", "Cash", "现金余额"),
    ("fin.credit", "Credit (available / line)", "信用额度（可用 / 总额）"),
    ("fin.until", "until", "有效期至"),
    ("fin.coupons", "Coupons", "优惠券"),
    ("fin.cards", "Stored-value cards", "储值卡"),
    ("fin.debt", "Owed", "欠费"),
    ("fin.this_cycle", "Spend this cycle", "本月消费"),
    ("fin.same_point", "Last cycle by this day", "上月同期"),
    ("fin.last_cycle", "Last cycle in all", "上月合计"),
    ("fin.to_bills", "See the bill", "查看账单"),
    ("fin.runway", "Cash runway (30 days)", "资金可用（未来 30 天）"),
    ("fin.runway_how", "Cash and credit minus the auto-renewals due in 30 days:", "现金与信用额度减去 30 天内到期的自动续费："),
    ("fin.runway_short", "The balance does not cover the auto-renewals due: top up or renew fewer.", "余额不足以支付即将到期的自动续费，请充值或调整续费。"),
    ("fin.trend", "Spend, last 12 cycles", "近 12 个月消费"),
    ("fin.by_service", "This cycle by service", "本月按服务类型"),
    ("fin.no_spend", "Nothing spent yet this cycle.", "本月暂无消费。"),
    ("fin.pending_orders", "Orders waiting for payment", "待支付订单"),
    ("fin.no_pending", "No order waits for payment.", "没有待支付的订单。"),
    ("fin.expiring", "Expiring resources", "即将到期的资源"),
    ("fin.to_renewals", "Renew…", "去续费…"),
    ("fin.none_expiring", "Nothing expires within 30 days.", "30 天内没有到期的资源。"),
    ("fin.month", "month", "月"),
    ("bill.cycle", "Bill cycle", "账期"),
    ("bill.service", "Service type", "服务类型"),
    ("bill.region", "Region", "区域"),
    ("bill.charge_mode", "Charge mode", "计费模式"),
    ("bill.bill_type", "Bill type", "账单类型"),
    ("bill.mode.period", "Yearly/monthly", "包年/包月"),
    ("bill.mode.on_demand", "Pay-per-use", "按需"),
    ("bill.mode.reserved", "Reserved", "预留实例"),
    ("bill.mode.other", "Other", "其他"),
    ("bill.fee_records", "Fee records", "流水账单"),
    ("bill.no_records", "No fee record matches these filters.", "没有符合条件的流水记录。"),
    ("bill.records", "records", "条记录"),
    ("bill.time", "Charged", "扣费时间"),
    ("bill.official", "List price", "官网价"),
    ("bill.discount", "Discount", "优惠金额"),
    ("bill.consumed", "Amount", "应付金额"),
    ("bill.coupon", "Coupons", "代金券"),
    ("bill.cash", "Cash", "现金"),
    ("bill.credit", "Credit", "信用额度"),
    ("bill.trade", "Trade", "交易号"),
    ("bill.statement", "Statement", "对账单"),
    ("bill.print", "Statement for print", "打印对账单"),
    ("bill.print_now", "Print", "打印"),
    ("bill.csv", "Statement CSV", "对账单 CSV"),
    ("bill.pdf", "Statement PDF", "对账单 PDF"),
    ("bill.fapiao", "Tax invoices (fapiao) in Huawei's Billing Center ↗", "在华为云费用中心开具发票 ↗"),
    ("bill.fapiao_note", "Official tax invoices (fapiao) are issued in Huawei's Billing Center:", "正式发票请在华为云费用中心开具："),
    ("bill.no_spend", "Nothing was charged in this cycle.", "本账期没有费用。"),
    ("bill.total", "Total", "合计"),
    ("bill.due", "Owed", "欠费"),
    ("bill.amount_due", "Amount due", "应付欠款"),
    ("bill.cycle_note", "Bill cycles and days are China Standard Time (UTC+8), as Huawei Cloud bills them.", "账期与日期按北京时间（UTC+8）计算，与华为云账单一致。"),
    ("order.status", "Status", "状态"),
    ("order.kind", "Type", "类型"),
    ("order.id", "Order", "订单号"),
    ("order.one", "Order", "订单"),
    ("order.amount", "To pay", "应付金额"),
    ("order.created", "Created", "创建时间"),
    ("order.paid", "Paid", "支付时间"),
    ("order.count", "orders", "个订单"),
    ("cost.from", "From month", "起始月份"),
    ("cost.to", "To month", "截止月份"),
    ("cost.group", "Group by", "分组维度"),
    ("cost.resource_type", "Resource type", "资源类型"),
    ("cost.resource", "Resource", "资源"),
    ("cost.amortized", "Amortised (spread over the months a purchase covers)", "分摊成本（按购买覆盖的月份分摊）"),
    ("cost.net", "Net of coupons (what was actually paid)", "扣除代金券（实际支付）"),
    ("cost.range_note", "A cost analysis covers at most twelve months (a Huawei Cloud limit). Months are bill cycles (UTC+8).", "成本分析最长覆盖十二个月（华为云限制）。月份即账期（UTC+8）。"),
    ("cost.none", "Nothing was spent in this range.", "该范围内没有费用。"),
    ("cost.groups", "groups", "个分组"),
    ("cost.page_total", "This page", "本页合计"),
    ("cost.all_total", "All groups", "全部分组合计"),
    ("cost.breakdown", "Amortised costs of", "分摊成本明细"),
    ("cost.breakdown_note", "Each charge and the part of it shared into this month; what was shared before and what remains for later months.", "每笔费用及其分摊到本月的部分，以及此前已分摊和之后待分摊的金额。"),
    ("cost.past", "Earlier months", "往月分摊"),
    ("cost.current", "This month", "本月分摊"),
    ("cost.future", "Later months", "后续待摊"),
    ("usage.none", "No resource was charged with these filters.", "没有符合条件的资源消费。"),
    ("usage.records", "Consumption records of", "资源消费记录"),
    ("usage.from", "First day", "开始日期"),
    ("usage.to", "Last day", "结束日期"),
    ("usage.month_note", "Records are read one bill cycle at a time: both days must be in the cycle's month (a Huawei Cloud limit).", "消费记录按账期查询：开始与结束日期须在同一账期月份内（华为云限制）。"),
    ("usage.day", "Day", "日期"),
    ("usage.page_total", "This page", "本页合计"),
    ("order.range_note", "Each date range is at most one year (a Huawei Cloud limit).", "每个日期范围最长一年（华为云限制）。"),
    ("order.none", "No order matches these filters.", "没有符合条件的订单。"),
    ("order.lines", "Line items", "订单明细"),
    ("order.refunds", "Refunds", "退款明细"),
    ("order.pay", "Pay", "支付"),
    ("order.cancel", "Cancel the order", "取消订单"),
    ("order.no_coupons", "No coupon applies to this order.", "此订单没有可用的优惠券。"),
    ("order.discount", "Discount", "折扣"),
    ("order.no_discount", "No discount", "不使用折扣"),
    ("order.discount_by_bss", "(the discount is applied by Huawei Cloud when paying)", "（折扣在支付时由华为云计算）"),
    ("order.before", "Before", "抵扣前"),
    ("order.after", "after coupons", "抵扣后"),
    ("order.paid_now", "Paid.", "已支付。"),
    ("order.paid_already", "This order was already paid from this console; nothing was charged again.", "此订单已支付过，未重复扣款。"),
    ("order.confirm_pay", "Pay this order?", "确认支付此订单？"),
    ("order.confirm_pay_body", "The amount is taken from your balances now, with the coupons and discount chosen.", "将立即从余额扣款，并使用所选的优惠券和折扣。"),
    ("order.confirm_cancel", "Cancel this order?", "确认取消此订单？"),
    ("order.confirm_cancel_body", "A cancelled order cannot be paid any more.", "订单取消后将无法再支付。"),
    ("order.status.approval", "Awaiting approval", "待审核"),
    ("order.status.refund_pending", "Refund pending", "待退款"),
    ("order.status.processing", "Processing", "处理中"),
    ("order.status.cancelled", "Cancelled", "已取消"),
    ("order.status.completed", "Completed", "已完成"),
    ("order.status.pending_payment", "Pending payment", "待支付"),
    ("order.status.confirmation", "Awaiting confirmation", "待确认"),
    ("order.status.other", "Other", "其他"),
    ("order.kind.new", "New purchase", "新购"),
    ("order.kind.renewal", "Renewal", "续费"),
    ("order.kind.change", "Change", "变更"),
    ("order.kind.unsubscribe", "Unsubscription", "退订"),
    ("order.kind.to_on_demand", "To pay-per-use", "包周期转按需"),
    ("order.kind.other", "Other", "其他"),
    ("res.expiring_within", "Expiring within", "到期时间在"),
    ("res.days", "days", "天"),
    ("res.days_left", "days left", "天后到期"),
    ("res.calendar", "Renewal calendar (90 days)", "续费日历（90 天）"),
    ("res.none", "No yearly/monthly resource matches.", "没有符合条件的包年/包月资源。"),
    ("res.select", "Select", "选择"),
    ("res.name", "Resource", "资源"),
    ("res.status", "Status", "状态"),
    ("res.expires", "Expires", "到期时间"),
    ("res.at_expiry", "At expiry", "到期后"),
    ("res.actions", "Actions", "操作"),
    ("res.auto_renew", "Auto-renews", "自动续费"),
    ("res.auto_renew_on", "Turn auto-renew on", "开通自动续费"),
    ("res.auto_renew_off", "Turn auto-renew off", "取消自动续费"),
    ("res.to_pay_per_use", "Pay-per-use at expiry", "到期转按需"),
    ("res.unsubscribe", "Unsubscribe…", "退订…"),
    ("res.policy.grace", "Grace period", "进入宽限期"),
    ("res.policy.pay_per_use", "Becomes pay-per-use", "转按需"),
    ("res.policy.unsubscribe", "Unsubscribed", "自动退订"),
    ("res.with_master", "renewed with its master", "随主资源续费"),
    ("res.renew_selected", "Renew the selected resources", "续费所选资源"),
    ("res.period", "Months (or years)", "时长（月或年）"),
    ("res.years", "in years", "按年"),
    ("res.auto_pay", "Pay at once from the balances", "立即从余额支付"),
    ("res.quote", "Get the price", "询价"),
    ("res.to_pay", "To pay", "应付"),
    ("res.renew", "Renew", "续费"),
    ("res.confirm_renew", "Renew these resources?", "确认续费这些资源？"),
    ("res.resources", "resources", "个资源"),
    ("res.renewed", "Renewed. Order:", "续费成功，订单："),
    ("res.renewed_already", "These were already renewed from this page; nothing was charged again. Order:", "这些资源已从此页续费，未重复扣款。订单："),
    ("res.confirm_unsubscribe", "Unsubscribe this resource?", "确认退订此资源？"),
    ("res.refund_note", "It stops working at once. Huawei Cloud computes the refund for the unused time and shows it on the unsubscribe order.", "资源将立即停止使用。未使用时长的退款由华为云计算，并显示在退订订单中。"),
    ("res.unsubscribed", "Unsubscribed. Refund details in order:", "已退订，退款详情见订单："),
    ("res.expires_only", "Expires", "到期"),
    ("res.status.in_use", "In use", "使用中"),
    ("res.status.closed", "Closed", "已关闭"),
    ("res.status.frozen", "Frozen", "已冻结"),
    ("res.status.expired", "Expired (grace)", "已过期（宽限期）"),
    ("res.status.other", "Other", "其他"),
    ("coupon.name", "Coupon", "优惠券"),
    ("coupon.face", "Face value", "面额"),
    ("coupon.left", "Left", "余额"),
    ("coupon.limits", "Limits", "使用限制"),
    ("coupon.none", "No coupon.", "没有优惠券。"),
    ("coupon.status.inactive", "Not active", "未激活"),
    ("coupon.status.usable", "Usable", "可使用"),
    ("coupon.status.used", "Used up", "已用完"),
    ("coupon.status.expired", "Expired", "已过期"),
    ("coupon.status.other", "Other", "其他"),
    ("card.none", "No usable stored-value card.", "没有可用的储值卡。"),
    ("package.title", "Resource packages", "资源包"),
    ("package.none", "No resource package.", "没有资源包。"),
    ("member.tree", "Organisation", "组织结构"),
    ("member.transfer", "Move budget", "额度划拨"),
    ("member.transferable", "The master account may transfer", "主账号可划拨"),
    ("member.one", "Member account", "子账号"),
    ("member.direction", "Direction", "方向"),
    ("member.to", "To the member", "拨给子账号"),
    ("member.reclaim", "Back from the member", "从子账号回收"),
    ("member.amount", "Amount (CNY)", "金额（元）"),
    ("member.amount_bad", "Type an amount such as 100.00.", "请输入金额，例如 100.00。"),
    ("member.send", "Move…", "划拨…"),
    ("member.sms_note", "Transfers between an enterprise master and its members need no SMS code in the BSS API; each is recorded in the audit log.", "企业主账号与子账号之间的划拨在 BSS 接口中无需短信验证码；每次划拨都记录在审计日志中。"),
    ("member.done", "Done.", "划拨完成。"),
    ("member.confirm", "Move this amount?", "确认划拨此金额？"),
    ("member.list", "Member accounts", "子账号"),
    ("member.unit", "Unit", "组织单元"),
    ("member.active", "Active", "正常"),
    ("member.closed", "Closed", "已关闭"),
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

    /// Text of `key` in the current language, read once (for text built outside a reactive view).
    pub fn now(self, key: &'static str) -> &'static str {
        text(self.0.get_untracked(), key)
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
