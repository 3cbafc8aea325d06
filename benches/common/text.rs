//! Deterministic Japanese business text for benchmarks: mail paragraphs,
//! minutes and order notices with a typical density of personal data (about
//! one item per 400 bytes), shared by the criterion benches and the
//! whole-run throughput script.

const PROSE: &[&str] = &[
    "いつもお世話になっております。先日のお打ち合わせでは貴重なお時間をいただき、誠にありがとうございました。\n",
    "ご依頼いただいておりました見積書を添付いたしますので、ご確認のほどよろしくお願い申し上げます。\n",
    "本件につきましては、来週の定例会議にて改めてご説明させていただく予定です。\n",
    "議事録：2024年度第3四半期の売上は前年同期比112%で推移し、新規顧客の獲得が順調に進んでいる。\n",
    "ご注文いただいた商品は本日出荷いたしました。お届けまで今しばらくお待ちください。\n",
    "なお、システムメンテナンスのため、11月30日 2:00〜6:00 はサービスを停止いたします。\n",
    "Please find attached the revised proposal for the Q3 campaign; version 2.4.1 fixes the pricing table.\n",
    "金額：¥128,000（税込）、納期：2024/12/20、注文番号：ORD-2024-000123。\n",
];

const PII: &[&str] = &[
    "お問い合わせは 03-1234-5678 までお願いいたします。\n",
    "担当者メール：taro.yamada@example.co.jp\n",
    "携帯：090-1234-5678　FAX：(03)1234-5679\n",
    "〒150-0002 東京都渋谷区渋谷2-21-1 渋谷ヒカリエ34F\n",
    "ご登録のカード番号 4111-1111-1111-1111 はご利用いただけません。\n",
    "マイナンバー：1234 5678 9018 をご提出ください。\n",
    "Contact: hanako.suzuki@example.com / +81-90-2345-6789\n",
];

/// About `len` bytes of text (whole lines), the same for the same `len`.
pub fn business_text(len: usize) -> String {
    let mut s = String::with_capacity(len + 256);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while s.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if x % 5 == 0 {
            s.push_str(PII[(x >> 8) as usize % PII.len()]);
        } else {
            s.push_str(PROSE[(x >> 8) as usize % PROSE.len()]);
        }
    }
    s
}
