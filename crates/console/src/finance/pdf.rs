//! A bill cycle's statement as an A4 PDF: Chinese and English labels, every line and the totals
//! as on the print page, in a Chinese font embedded as a subset (only the glyphs used), so it reads
//! the same on any machine. Amounts are drawn from the statement's decimals, never recomputed.

use krilla::Document;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use model::finance::Statement;
use model::money::format_cny;

use crate::error::ServiceError;

/// A4 in points.
const WIDTH: u16 = 595;
const HEIGHT: u16 = 842;
/// Left margin, first line of a page's table, line height and where a page's table ends.
const LEFT: u16 = 48;
const TOP: u16 = 150;
const LINE: u16 = 16;
const BOTTOM: u16 = 790;
/// Column starts: service, charge mode, list price, discount, amount, coupons, cash.
const COLUMNS: [u16; 7] = [LEFT, 214, 278, 340, 400, 462, 524];

fn charge_mode(mode: i64) -> &'static str {
    match mode {
        1 => "包年/包月",
        3 => "按需",
        10 => "预留实例",
        _ => "其他",
    }
}

/// A line of text at (`x`, `y`) points from the top left.
fn text(surface: &mut krilla::surface::Surface<'_>, font: &Font, size: u16, x: u16, y: u16, s: &str) {
    surface.draw_text(Point::from_xy(f32::from(x), f32::from(y)), font.clone(), f32::from(size), s, false, TextDirection::Auto);
}

/// Cuts `s` to at most `n` characters (a long service name must not run into the next column).
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}

/// The statement as PDF bytes, drawn with `font` (a TrueType/OpenType font or collection with
/// Chinese glyphs).
pub fn statement(s: &Statement, font: &[u8], billing_center: &str) -> Result<Vec<u8>, ServiceError> {
    let font = Font::new(font.to_vec().into(), 0).ok_or(ServiceError::Internal("the PDF font cannot be read"))?;
    let page_size = PageSettings::from_wh(f32::from(WIDTH), f32::from(HEIGHT)).ok_or(ServiceError::Internal("page size"))?;
    let mut document = Document::new();
    let mut rows: Vec<[String; 7]> = s
        .lines
        .iter()
        .map(|l| {
            [cut(&l.service, 13), charge_mode(l.charge_mode).to_owned(), format_cny(l.official), format_cny(l.discount), format_cny(l.consumed), format_cny(l.coupon), format_cny(l.cash)]
        })
        .collect();
    rows.push(["合计 Total".into(), String::new(), format_cny(s.official()), format_cny(s.discount()), format_cny(s.consumed), format_cny(s.coupon), format_cny(s.cash)]);
    let header = ["服务类型 Service", "计费模式", "官网价", "优惠", "应付金额", "代金券", "现金"];
    let per_page = usize::from((BOTTOM - TOP) / LINE) - 1;
    let pages: Vec<&[[String; 7]]> = rows.chunks(per_page.max(1)).collect();
    let count = pages.len();
    for (n, chunk) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(page_size.clone());
        let mut surface = page.surface();
        text(&mut surface, &font, 18, LEFT, 64, &format!("对账单 Statement {}", s.cycle));
        text(&mut surface, &font, 10, LEFT, 88, &format!("账户 Account: {}", s.account));
        text(&mut surface, &font, 8, LEFT, 106, "账期与日期按北京时间（UTC+8）计算，与华为云账单一致。Bill cycles are China Standard Time (UTC+8).");
        text(&mut surface, &font, 8, WIDTH - 90, 88, &format!("{} / {count}", n + 1));
        for (x, h) in COLUMNS.iter().zip(header) {
            text(&mut surface, &font, 8, *x, TOP - LINE, h);
        }
        let mut y = TOP;
        for row in chunk {
            for (x, cell) in COLUMNS.iter().zip(row) {
                text(&mut surface, &font, 8, *x, y, cell);
            }
            y += LINE;
        }
        if n + 1 == count {
            y += LINE;
            text(&mut surface, &font, 10, LEFT, y, &format!("信用额度 Credit: {}    欠费 Amount due: {}", format_cny(s.credit), format_cny(s.debt)));
            text(&mut surface, &font, 8, LEFT, y + LINE, "正式发票请在华为云费用中心开具 Tax invoices (fapiao) are issued in Huawei's Billing Center:");
            text(&mut surface, &font, 8, LEFT, y + 2 * LINE, billing_center);
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|_| ServiceError::Internal("the PDF could not be written"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_names_are_cut() {
        assert_eq!(super::cut("全球SIM联接服务费用", 5), "全球SI…");
        assert_eq!(super::cut("GSL", 5), "GSL");
    }
}
