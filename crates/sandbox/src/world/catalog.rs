//! The fixed catalogue of price plans offered in the sandbox.

/// A price plan (套餐) cards can be on.
#[derive(Debug, Clone)]
pub struct PricePlan {
    /// Plan id as GSL writes it (a string).
    pub id: &'static str,
    /// Plan name.
    pub name: &'static str,
    /// Monthly data allowance in MB.
    pub flow_total_mb: i64,
    /// Carrier: 1 China Mobile, 2 China Telecom, 3 China Unicom.
    pub carrier: u8,
    /// 1 = 2G/3G/4G, 2 = NB-IoT.
    pub network_type: i64,
    /// Coverage: 1 China, 5 Asia-Pacific.
    pub location_type: i64,
    /// Price per month in cents (CNY), for display.
    pub price_cents: i64,
}

/// Every plan; cards reference them by index.
pub const PLANS: &[PricePlan] = &[
    PricePlan {
        id: "PP-CM-30M",
        name: "中国移动 30MB/月",
        flow_total_mb: 30,
        carrier: 1,
        network_type: 1,
        location_type: 1,
        price_cents: 300,
    },
    PricePlan {
        id: "PP-CM-100M",
        name: "中国移动 100MB/月",
        flow_total_mb: 100,
        carrier: 1,
        network_type: 1,
        location_type: 1,
        price_cents: 600,
    },
    PricePlan {
        id: "PP-CM-1G",
        name: "中国移动 1GB/月",
        flow_total_mb: 1024,
        carrier: 1,
        network_type: 1,
        location_type: 1,
        price_cents: 2000,
    },
    PricePlan {
        id: "PP-CT-50M",
        name: "中国电信 50MB/月",
        flow_total_mb: 50,
        carrier: 2,
        network_type: 1,
        location_type: 1,
        price_cents: 400,
    },
    PricePlan {
        id: "PP-CT-NB-10M",
        name: "中国电信 NB-IoT 10MB/月",
        flow_total_mb: 10,
        carrier: 2,
        network_type: 2,
        location_type: 1,
        price_cents: 100,
    },
    PricePlan {
        id: "PP-CU-200M",
        name: "中国联通 200MB/月",
        flow_total_mb: 200,
        carrier: 3,
        network_type: 1,
        location_type: 1,
        price_cents: 900,
    },
    PricePlan {
        id: "PP-CU-2G",
        name: "中国联通 2GB/月",
        flow_total_mb: 2048,
        carrier: 3,
        network_type: 1,
        location_type: 1,
        price_cents: 3500,
    },
    PricePlan {
        id: "PP-AP-500M",
        name: "亚太 500MB/月",
        flow_total_mb: 500,
        carrier: 1,
        network_type: 1,
        location_type: 5,
        price_cents: 4500,
    },
];

/// Speed limits (Kbps) the carriers accept; -1 lifts the limit.
pub const SPEED_VALUES: &[i64] = &[
    -1, 1, 64, 128, 256, 512, 1024, 3072, 5120, 7168, 10240, 20480, 30720, 40960, 51200, 61440,
    71680, 81920, 92160, 102400, 112640, 122880, 133120, 143360, 153600,
];
