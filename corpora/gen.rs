//! Deterministic generator for the evaluation corpora in `corpora/dev/`.
//!
//! Shared by `examples/gen_corpora.rs` (which writes the files) and
//! `tests/corpus_eval.rs` (which regenerates them in memory and checks that
//! the committed files are exactly what this code produces). It uses its own
//! PRNG (splitmix64, fixed seed per genre) so the output never depends on a
//! crate version, the platform or the run.
//!
//! Every document is built piece by piece with [`Builder`]: plain text with
//! [`Builder::s`], labelled items with [`Builder::g`], which records the BYTE
//! span of exactly the text it appends. Gold spans are therefore correct by
//! construction; the conventions (what is inside a span) are documented in
//! `corpora/README.md`.

use mask::detect::name::gazetteer::{Gazetteer, Kinds};
use mask::detect::name::romaji::{initial, is_kana};
use serde::{Deserialize, Serialize};

#[path = "gen_pool.rs"]
mod name_pool;
#[path = "gen_names.rs"]
mod names_genre;

/// Where the generic genres' people get their names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    /// The tables of this file (`SURNAMES`, `GIVEN`): the committed dev set.
    Listed,
    /// Half from the tables, half ENAMDICT names of the training half
    /// (`gen_pool.rs`): the name model's business training text.
    Train,
    /// Only ENAMDICT names of the held-out half: a test of names the model
    /// never saw in business shapes.
    Holdout,
}

/// The genres, in report order; one `corpora/dev/<genre>.jsonl` each.
pub const GENRES: [&str; 9] = [
    "business-mail",
    "support-ticket",
    "meeting-minutes",
    "chat",
    "ec-order-mail",
    "hard",
    "no-pii",
    "address",
    "names",
];

/// Base seed; each genre's stream is seeded with `SEED ^ fnv1a(genre)`.
const SEED: u64 = 0x6D61_736B_C0DE_2024;

/// One labelled item: a category and a byte span into the document text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gold {
    /// Category name (kebab-case, as `mask::Category::as_str`).
    pub category: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// For `address` items of the `address` genre: the prefecture the
    /// address lies in, or `""` when the text does not tell (an ambiguous
    /// municipality with no prefecture and no postal code). Absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefecture: Option<String>,
    /// For `name` items: how the name is written, one of [`NAME_FORMS`].
    /// Absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// For `name` items: where the name stands, one of [`NAME_POSITIONS`].
    /// Absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// For `name` items of generated text outside the dev set (the name
    /// model's training text, the hold-out set): the initials the name's
    /// reading begins with, in written order, uppercase, no dots (`SM` for
    /// `白石 充`, `S` for `白石`, `MS` for `Mitsuru Shiraishi`), when the
    /// truth is determinate ([`Person::initials`]). Absent elsewhere, and
    /// always absent in the committed dev set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
}

/// The forms of gold names (`Gold::form`), in report order:
///
/// - `kanji-full`: surname and given name in kanji (`山田太郎`, `山田 太郎`);
/// - `surname`: a kanji surname alone (`山田`);
/// - `given`: a kanji given name alone (`太郎`);
/// - `unknown`: a name (full, surname or given name) in kanji or kana with a
///   part IPADIC has no person-name entry for (`五百旗頭`, `紬`, `猪狩ユウキ`;
///   [`UNKNOWN_TO_IPADIC`]): found from context only;
/// - `katakana`: a Japanese name in katakana standing alone (`ヤマダ`);
/// - `furigana`: a katakana reading next to a name or on a `フリガナ：` line;
/// - `hiragana`: a name in hiragana (`やまだ たろう`);
/// - `romaji`: `Taro Yamada`, `YAMADA Taro`, `TARO YAMADA`;
/// - `foreign`: a katakana foreign name (`ジョン・スミス`).
pub const NAME_FORMS: [&str; 9] = [
    "kanji-full",
    "surname",
    "given",
    "unknown",
    "katakana",
    "furigana",
    "hiragana",
    "romaji",
    "foreign",
];

/// Name parts of the generators' tables that IPADIC has no person-name
/// entry for (variant kanji such as 髙 and 﨑 are looked up by their common
/// form, so 髙橋 is known): a name with one of these is of the `unknown`
/// form, found from context only.
pub const UNKNOWN_TO_IPADIC: &[&str] = &[
    // corpora/gen.rs
    "小鳥遊",
    "四月一日",
    "百目鬼",
    "月見里",
    "與那覇",
    "陽菜",
    "悠真",
    "さくら",
    "颯",
    "ひかり",
    "優斗",
    "ユウキ",
    "えみり",
    // corpora/gen_names.rs
    "五百旗頭",
    "栗花落",
    "薬袋",
    "陽翔",
    "結愛",
    "心春",
    "紬",
    "陽葵",
    "湊斗",
];

/// Where gold names stand (`Gold::position`), in report order: `prose`,
/// `addressee` (`山田様` heading a letter), `signature`, `from-to` (`From:`
/// lines and reply headers), `speaker` (chat and log speakers), `mention`
/// (`@山田`), `attendees` (出席者 / 欠席者 lists), `label` (`氏名：`,
/// `担当：`, `【お客様名】`, ToDo owners).
pub const NAME_POSITIONS: [&str; 8] = [
    "prose",
    "addressee",
    "signature",
    "from-to",
    "speaker",
    "mention",
    "attendees",
    "label",
];

/// One document of a corpus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    /// Unique id, `<genre>-NNN`.
    pub id: String,
    /// The genre (the file it lives in).
    pub genre: String,
    /// The text.
    pub text: String,
    /// Labelled items, in text order, non-overlapping.
    pub gold: Vec<Gold>,
}

/// All documents of one genre.
pub struct Corpus {
    /// The genre.
    pub genre: &'static str,
    /// Its documents.
    pub docs: Vec<Doc>,
}

/// Generates every genre.
pub fn generate() -> Vec<Corpus> {
    GENRES.iter().map(|g| generate_genre(g)).collect()
}

/// Generates one genre.
///
/// # Panics
///
/// Panics on an unknown genre.
pub fn generate_genre(genre: &'static str) -> Corpus {
    generate_seeded(genre, SEED, None, Names::Listed)
}

/// A training set of one genre: `n` documents from the stream seeded with
/// `seed` instead of the dev set's [`SEED`] (the name model trains on these,
/// never on `corpora/dev`).
///
/// # Panics
///
/// Panics on an unknown genre, or when `seed` is the dev set's.
pub fn generate_training(genre: &'static str, seed: u64, n: usize) -> Corpus {
    assert_ne!(seed, SEED, "the training set must not be the dev set");
    generate_seeded(genre, seed, Some(n), Names::Train)
}

/// `n` documents of one genre whose people (outside the `names` genre's own
/// tables) all bear ENAMDICT names of the held-out half ([`Names::Holdout`]):
/// business shapes with names neither the listed tables nor the name
/// model's training text hold.
///
/// # Panics
///
/// Panics on an unknown genre, or when `seed` is the dev set's.
pub fn generate_holdout(genre: &'static str, seed: u64, n: usize) -> Corpus {
    assert_ne!(seed, SEED, "the hold-out set must not be the dev set");
    generate_seeded(genre, seed, Some(n), Names::Holdout)
}

fn generate_seeded(genre: &'static str, seed: u64, count: Option<usize>, names: Names) -> Corpus {
    let mut rng = Rng::new(seed ^ fnv1a(genre));
    rng.names = names;
    let (n, f): (usize, fn(&mut Rng, &mut Builder)) = match genre {
        "business-mail" => (60, business_mail),
        "support-ticket" => (60, support_ticket),
        "meeting-minutes" => (50, meeting_minutes),
        "chat" => (60, chat),
        "ec-order-mail" => (60, ec_order_mail),
        "hard" => (80, hard),
        "no-pii" => (50, no_pii),
        "address" => (80, address_doc),
        "names" => (100, names_genre::names),
        other => panic!("unknown genre {other:?}"),
    };
    let n = count.unwrap_or(n);
    let docs = (0..n)
        .map(|i| {
            let mut b = Builder {
                record_initials: names != Names::Listed,
                ..Builder::default()
            };
            f(&mut rng, &mut b);
            Doc {
                id: format!("{genre}-{:03}", i + 1),
                genre: genre.to_string(),
                text: b.text,
                gold: b.gold,
            }
        })
        .collect();
    Corpus { genre, docs }
}

/// The JSONL rendering of a corpus: one document a line, `\n` after each.
pub fn to_jsonl(docs: &[Doc]) -> String {
    let mut out = String::new();
    for d in docs {
        out.push_str(&serde_json::to_string(d).expect("a Doc always serializes"));
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------
// Check digits (also used by the tests to validate the gold data).

/// The My Number check digit for the first 11 digits (left to right).
pub fn my_number_check(d11: &[u8]) -> u8 {
    assert_eq!(d11.len(), 11);
    let mut sum = 0u32;
    for n in 1..=11usize {
        let p = u32::from(d11[11 - n]);
        let q = if n <= 6 { n + 1 } else { n - 5 } as u32;
        sum += p * q;
    }
    let r = sum % 11;
    if r <= 1 {
        0
    } else {
        (11 - r) as u8
    }
}

/// True when 12 digits form a valid My Number.
pub fn my_number_valid(d: &[u8]) -> bool {
    d.len() == 12 && my_number_check(&d[..11]) == d[11]
}

/// True when the digits pass the Luhn check.
pub fn luhn_valid(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = u32::from(x);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// The ASCII digits of `s`, with full-width digits folded; everything else dropped.
pub fn digits_of(s: &str) -> Vec<u8> {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c as u8 - b'0'),
            '０'..='９' => Some((c as u32 - '０' as u32) as u8),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// PRNG and builder.

fn fnv1a(s: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// splitmix64.
pub struct Rng {
    state: u64,
    /// Where [`person`] draws names from.
    names: Names,
}

impl Rng {
    /// A generator with this seed (listed names).
    pub fn new(seed: u64) -> Rng {
        Rng {
            state: seed,
            names: Names::Listed,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Inclusive range.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(*self.pick(alphabet))).collect()
    }
}

/// Builds one document and its gold spans.
#[derive(Default)]
struct Builder {
    text: String,
    gold: Vec<Gold>,
    /// Record gold initials ([`Builder::with_initials`]): off for the
    /// committed dev set, whose files stay as they were.
    record_initials: bool,
}

impl Builder {
    /// Appends plain (unlabelled) text.
    fn s(&mut self, t: impl AsRef<str>) -> &mut Self {
        self.text.push_str(t.as_ref());
        self
    }

    /// Appends a labelled item.
    fn g(&mut self, category: &str, t: impl AsRef<str>) -> &mut Self {
        let start = self.text.len();
        self.text.push_str(t.as_ref());
        self.gold.push(Gold {
            category: category.to_string(),
            start,
            end: self.text.len(),
            prefecture: None,
            form: None,
            position: None,
            initials: None,
        });
        self
    }

    /// Appends a gold name written in `form` at `position` (see
    /// [`NAME_FORMS`] and [`NAME_POSITIONS`]).
    fn name(&mut self, form: &str, position: &str, t: impl AsRef<str>) -> &mut Self {
        debug_assert!(NAME_FORMS.contains(&form), "form {form}");
        debug_assert!(NAME_POSITIONS.contains(&position), "position {position}");
        self.g("name", t);
        if let Some(g) = self.gold.last_mut() {
            g.form = Some(form.to_string());
            g.position = Some(position.to_string());
        }
        self
    }

    /// Appends a gold name of person `p` written in `form` at `position`,
    /// with its gold initials read from the dictionary ([`Person::initials`]).
    fn person_name(
        &mut self,
        p: &Person,
        form: &str,
        position: &str,
        t: impl AsRef<str>,
    ) -> &mut Self {
        let t = t.as_ref();
        self.name(form, position, t)
            .with_initials(p.initials(t, false))
    }

    /// Sets the gold initials of the last item (when this document records
    /// them).
    fn with_initials(&mut self, initials: Option<String>) -> &mut Self {
        if self.record_initials {
            if let Some(g) = self.gold.last_mut() {
                g.initials = initials;
            }
        }
        self
    }

    /// Appends an address with its gold prefecture.
    fn addr(&mut self, t: impl AsRef<str>, prefecture: &str) -> &mut Self {
        self.g("address", t);
        if let Some(g) = self.gold.last_mut() {
            g.prefecture = Some(prefecture.to_string());
        }
        self
    }
}

// ---------------------------------------------------------------------------
// Vocabulary.

const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("伊藤", "ito"),
    ("渡辺", "watanabe"),
    ("山本", "yamamoto"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("吉田", "yoshida"),
    ("山田", "yamada"),
    ("佐々木", "sasaki"),
    ("山口", "yamaguchi"),
    ("松本", "matsumoto"),
    ("井上", "inoue"),
    ("木村", "kimura"),
    ("林", "hayashi"),
    ("斎藤", "saito"),
    ("清水", "shimizu"),
    ("山崎", "yamazaki"),
    ("森", "mori"),
    ("池田", "ikeda"),
    ("橋本", "hashimoto"),
    ("阿部", "abe"),
    ("石川", "ishikawa"),
    ("前田", "maeda"),
    ("藤田", "fujita"),
    ("小川", "ogawa"),
    ("岡田", "okada"),
    ("長谷川", "hasegawa"),
    ("村上", "murakami"),
    ("近藤", "kondo"),
    ("石井", "ishii"),
    ("坂本", "sakamoto"),
    ("遠藤", "endo"),
    ("青木", "aoki"),
    ("藤井", "fujii"),
    ("西村", "nishimura"),
    ("福田", "fukuda"),
    ("太田", "ota"),
    ("三浦", "miura"),
    ("藤原", "fujiwara"),
    ("岡本", "okamoto"),
    ("中島", "nakajima"),
    ("原田", "harada"),
    ("小野", "ono"),
    ("竹内", "takeuchi"),
    ("金子", "kaneko"),
    ("和田", "wada"),
    ("原", "hara"),
    ("安藤", "ando"),
    ("上田", "ueda"),
    ("大塚", "otsuka"),
    // rare or variant spellings
    ("勅使河原", "teshigawara"),
    ("小鳥遊", "takanashi"),
    ("四月一日", "watanuki"),
    ("東海林", "shoji"),
    ("五十嵐", "igarashi"),
    ("百目鬼", "domeki"),
    ("薬師寺", "yakushiji"),
    ("御手洗", "mitarai"),
    ("月見里", "yamanashi"),
    ("九十九", "tsukumo"),
    ("西園寺", "saionji"),
    ("我妻", "wagatsuma"),
    ("鬼頭", "kito"),
    ("猪狩", "ikari"),
    ("比嘉", "higa"),
    ("金城", "kinjo"),
    ("與那覇", "yonaha"),
    ("一ノ瀬", "ichinose"),
    ("﨑山", "sakiyama"),
    ("髙橋", "takahashi"),
    ("渡邊", "watanabe"),
    ("齋藤", "saito"),
];

const GIVEN: &[(&str, &str)] = &[
    ("太郎", "taro"),
    ("花子", "hanako"),
    ("翔太", "shota"),
    ("陽菜", "hina"),
    ("蓮", "ren"),
    ("結衣", "yui"),
    ("大輔", "daisuke"),
    ("美咲", "misaki"),
    ("健一", "kenichi"),
    ("由美子", "yumiko"),
    ("直樹", "naoki"),
    ("恵", "megumi"),
    ("誠", "makoto"),
    ("智子", "tomoko"),
    ("隆", "takashi"),
    ("真由美", "mayumi"),
    ("悠真", "yuma"),
    ("さくら", "sakura"),
    ("颯", "hayate"),
    ("ひかり", "hikari"),
    ("湊", "minato"),
    ("凛", "rin"),
    ("一郎", "ichiro"),
    ("和子", "kazuko"),
    ("翼", "tsubasa"),
    ("葵", "aoi"),
    ("拓也", "takuya"),
    ("彩", "aya"),
    ("浩二", "koji"),
    ("理恵", "rie"),
    ("修", "osamu"),
    ("千尋", "chihiro"),
    ("伸也", "shinya"),
    ("奈々", "nana"),
    ("優斗", "yuto"),
    ("美穂", "miho"),
    ("ユウキ", "yuki"),
    ("えみり", "emiri"),
];

/// Katakana foreign names (written as one unit) and an e-mail local part.
const FOREIGN: &[(&str, &str)] = &[
    ("ジョン・スミス", "john.smith"),
    ("エミリー・ジョンソン", "emily.johnson"),
    ("マイケル・ブラウン", "michael.brown"),
    ("グエン・ヴァン・アン", "nguyen.vanan"),
    ("リー・ウェイ", "li.wei"),
    ("マリア・ガルシア", "maria.garcia"),
    ("アンナ・シュミット", "anna.schmidt"),
    ("ラジェシュ・クマール", "rajesh.kumar"),
    ("ソフィー・マルタン", "sophie.martin"),
    ("キム・ミンジュン", "kim.minjun"),
    ("チャン・ティ・ホア", "tran.thihoa"),
    ("オリバー＝ウィリアムズ", "oliver.williams"),
];

const COMPANIES: &[(&str, &str)] = &[
    ("株式会社さくら商事", "sakura-shoji.co.jp"),
    ("東邦システム株式会社", "toho-sys.co.jp"),
    ("株式会社みらいテック", "mirai-tech.jp"),
    ("北斗物流株式会社", "hokuto-logi.co.jp"),
    ("有限会社青葉製作所", "aoba-ss.co.jp"),
    ("株式会社ライトハウス", "lighthouse-inc.jp"),
    ("合同会社ノースブリッジ", "northbridge.jp"),
    ("株式会社丸ノ内コンサルティング", "marunouchi-c.co.jp"),
    ("瀬戸内フーズ株式会社", "setouchi-foods.co.jp"),
    ("株式会社アオイ電機", "aoi-denki.co.jp"),
    ("富士見建設株式会社", "fujimi-kensetsu.co.jp"),
    ("株式会社ネクストリンク", "nextlink.co.jp"),
    ("一般社団法人日本データ流通協会", "jdda.or.jp"),
    ("株式会社松本精工", "matsumoto-seiko.co.jp"),
    ("やまびこ保険サービス株式会社", "yamabiko-ins.co.jp"),
];

const FREEMAIL: &[&str] = &[
    "gmail.com",
    "yahoo.co.jp",
    "icloud.com",
    "outlook.jp",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "softbank.ne.jp",
    "nifty.com",
];

const DEPTS: &[&str] = &[
    "営業部",
    "営業第二部",
    "総務部",
    "人事部",
    "経理部",
    "情報システム部",
    "カスタマーサポート課",
    "購買部",
    "開発本部 第一開発部",
    "マーケティング部",
    "法人営業本部 東日本営業課",
];

const TITLES: &[&str] = &["課長", "部長", "主任", "係長", "マネージャー", "", "", ""];

/// Prefectures with a few municipalities each (wards for the big cities).
const PREFS: &[(&str, &[&str])] = &[
    (
        "北海道",
        &["札幌市中央区", "旭川市", "函館市", "虻田郡倶知安町"],
    ),
    ("青森県", &["青森市", "八戸市"]),
    ("岩手県", &["盛岡市", "一関市"]),
    ("宮城県", &["仙台市青葉区", "石巻市"]),
    ("秋田県", &["秋田市", "横手市"]),
    ("山形県", &["山形市", "鶴岡市"]),
    ("福島県", &["郡山市", "いわき市"]),
    ("茨城県", &["水戸市", "つくば市"]),
    ("栃木県", &["宇都宮市", "小山市"]),
    ("群馬県", &["前橋市", "高崎市"]),
    ("埼玉県", &["さいたま市大宮区", "川越市", "所沢市"]),
    ("千葉県", &["千葉市美浜区", "船橋市", "柏市"]),
    (
        "東京都",
        &[
            "千代田区",
            "中央区",
            "港区",
            "新宿区",
            "渋谷区",
            "品川区",
            "世田谷区",
            "八王子市",
            "武蔵野市",
        ],
    ),
    (
        "神奈川県",
        &["横浜市西区", "川崎市中原区", "相模原市南区", "藤沢市"],
    ),
    ("新潟県", &["新潟市中央区", "長岡市"]),
    ("富山県", &["富山市", "高岡市"]),
    ("石川県", &["金沢市", "小松市"]),
    ("福井県", &["福井市", "敦賀市"]),
    ("山梨県", &["甲府市", "富士吉田市"]),
    ("長野県", &["長野市", "松本市", "北佐久郡軽井沢町"]),
    ("岐阜県", &["岐阜市", "大垣市"]),
    ("静岡県", &["静岡市葵区", "浜松市中央区"]),
    ("愛知県", &["名古屋市中区", "豊田市", "岡崎市"]),
    ("三重県", &["津市", "四日市市"]),
    ("滋賀県", &["大津市", "草津市"]),
    ("京都府", &["京都市下京区", "宇治市"]),
    (
        "大阪府",
        &["大阪市北区", "大阪市中央区", "堺市堺区", "東大阪市"],
    ),
    ("兵庫県", &["神戸市中央区", "姫路市", "西宮市"]),
    ("奈良県", &["奈良市", "橿原市"]),
    ("和歌山県", &["和歌山市", "田辺市"]),
    ("鳥取県", &["鳥取市", "米子市"]),
    ("島根県", &["松江市", "出雲市"]),
    ("岡山県", &["岡山市北区", "倉敷市"]),
    ("広島県", &["広島市中区", "福山市"]),
    ("山口県", &["下関市", "山口市"]),
    ("徳島県", &["徳島市", "阿南市"]),
    ("香川県", &["高松市", "丸亀市"]),
    ("愛媛県", &["松山市", "今治市"]),
    ("高知県", &["高知市", "四万十市"]),
    ("福岡県", &["福岡市博多区", "北九州市小倉北区", "久留米市"]),
    ("佐賀県", &["佐賀市", "唐津市"]),
    ("長崎県", &["長崎市", "佐世保市"]),
    ("熊本県", &["熊本市中央区", "八代市"]),
    ("大分県", &["大分市", "別府市"]),
    ("宮崎県", &["宮崎市", "都城市"]),
    ("鹿児島県", &["鹿児島市", "霧島市"]),
    ("沖縄県", &["那覇市", "沖縄市", "宮古島市"]),
];

const TOWNS: &[&str] = &[
    "本町",
    "中央",
    "栄町",
    "緑町",
    "旭町",
    "新町",
    "駅前",
    "港町",
    "桜木町",
    "錦",
    "大手町",
    "東町",
    "西新町",
    "南町",
    "北浜",
    "天神",
    "若葉",
    "青葉台",
    "松が丘",
    "富士見",
    "日吉町",
    "宮前町",
    "花園",
    "千歳町",
    "昭和町",
    "末広町",
    "寿町",
    "鶴見",
    "梅田",
    "丸の内",
    "字大原",
    "上野",
    "元町",
];

const BUILDINGS: &[&str] = &[
    "サンシャインビル",
    "グランドメゾン",
    "パークサイドタワー",
    "日本生命ビル",
    "朝日ビルディング",
    "セントラルプラザ",
    "リバーサイドハイツ",
    "第一ビル",
    "メゾン・ド・ソレイユ",
    "コーポ若草",
    "ライオンズマンション",
    "KDXビル",
];

const SHOPS: &[&str] = &[
    "さくらマルシェ オンラインストア",
    "北海道グルメ直送便",
    "ガジェットデポ",
    "きもの和楽",
    "BOOKS青空",
    "アウトドアベース楽天市場店",
];

const PRODUCTS: &[&str] = &[
    "ワイヤレスイヤホン ANC-300",
    "今治タオル フェイスタオル 5枚組",
    "北海道産ゆめぴりか 5kg",
    "USB-C ハブ 7in1",
    "ステンレスボトル 500ml",
    "ビジネスリュック 25L",
    "有田焼 マグカップ",
    "LEDデスクライト DL-12",
];

const PROJECTS: &[&str] = &[
    "基幹システム刷新",
    "新物流センター立ち上げ",
    "Webサイトリニューアル",
    "会計システム移行",
    "コールセンター統合",
    "新製品「Aurora」ローンチ",
    "全社セキュリティ強化",
];

const PLACES: &[&str] = &[
    "大阪支社",
    "名古屋営業所",
    "東京ビッグサイト",
    "幕張メッセ",
    "福岡オフィス",
    "札幌データセンター",
    "横浜みなとみらい",
    "京都駅前",
    "仙台",
    "那覇",
];

const WD: [&str; 7] = ["日", "月", "火", "水", "木", "金", "土"];

// ---------------------------------------------------------------------------
// Small renderers.

struct Person {
    sur: &'static str,
    given: &'static str,
    sur_r: &'static str,
    given_r: &'static str,
    foreign: Option<(&'static str, &'static str)>,
    /// IPADIC has no person entry for the surname / the given name.
    unknown_sur: bool,
    unknown_given: bool,
}

fn person(rng: &mut Rng) -> Person {
    let pooled = match rng.names {
        Names::Listed => false,
        Names::Train => rng.chance(50),
        Names::Holdout => true,
    };
    let (sur, sur_r, unknown_sur, given, given_r, unknown_given) = if pooled {
        let pool = name_pool::pool(rng.names == Names::Holdout);
        let s = name_pool::draw(rng, &pool.known_surnames, &pool.other_surnames);
        let g = name_pool::draw(rng, &pool.known_given, &pool.other_given);
        (s.surface, s.romaji, !s.known, g.surface, g.romaji, !g.known)
    } else {
        let (sur, sur_r) = *rng.pick(SURNAMES);
        let (given, given_r) = *rng.pick(GIVEN);
        (
            sur,
            sur_r,
            UNKNOWN_TO_IPADIC.contains(&sur),
            given,
            given_r,
            UNKNOWN_TO_IPADIC.contains(&given),
        )
    };
    let foreign = if rng.chance(12) {
        Some(*rng.pick(FOREIGN))
    } else {
        None
    };
    Person {
        sur,
        given,
        sur_r,
        given_r,
        foreign,
        unknown_sur,
        unknown_given,
    }
}

impl Person {
    /// The full name as written: `山田 太郎`, `山田太郎`, `山田　太郎` or a katakana name.
    fn full(&self, rng: &mut Rng) -> String {
        if let Some((k, _)) = self.foreign {
            return k.to_string();
        }
        match rng.below(3) {
            0 => format!("{} {}", self.sur, self.given),
            1 => format!("{}{}", self.sur, self.given),
            _ => format!("{}\u{3000}{}", self.sur, self.given),
        }
    }

    /// What goes before 様 / さん: the surname (or the whole foreign name).
    /// The form of [`Person::full`].
    fn full_form(&self) -> &'static str {
        if self.foreign.is_some() {
            "foreign"
        } else if self.unknown_sur || self.unknown_given {
            "unknown"
        } else {
            "kanji-full"
        }
    }

    /// The form of [`Person::short`].
    fn short_form(&self) -> &'static str {
        if self.foreign.is_some() {
            "foreign"
        } else if self.unknown_sur {
            "unknown"
        } else {
            "surname"
        }
    }

    fn short(&self) -> String {
        match self.foreign {
            Some((k, _)) => k.to_string(),
            None => self.sur.to_string(),
        }
    }

    /// The name in Latin letters, capitalized: `Sota Fujita` (given name
    /// first) or `Fujita Sota`.
    fn romaji_full(&self, given_first: bool) -> String {
        let cap = |r: &str| {
            let mut c = r.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        };
        let (s, g) = (cap(self.sur_r), cap(self.given_r));
        if given_first {
            format!("{g} {s}")
        } else {
            format!("{s} {g}")
        }
    }

    /// The gold initials of `text`, a rendering of this person
    /// ([`Person::full`], [`Person::short`] or [`Person::romaji_full`]), in
    /// written order: from the romaji it spells, or, for the kanji or kana
    /// parts, from the romaji written beside it (`reading_written`: the
    /// reading the generator drew, which `白石 充 / Shiraishi Mitsuru`
    /// spells) or else from the dictionary when every reading of the part
    /// for its role begins alike ([`dictionary_initial`]). `None` for a
    /// foreign name and when a part's initial is not determinate.
    fn initials(&self, text: &str, reading_written: bool) -> Option<String> {
        if self.foreign.is_some() {
            return None;
        }
        let first = |r: &str| r.chars().next().map(|c| c.to_ascii_uppercase());
        let (s, g) = (first(self.sur_r)?, first(self.given_r)?);
        if text == self.romaji_full(true) {
            return Some(format!("{g}{s}"));
        }
        if text == self.romaji_full(false) {
            return Some(format!("{s}{g}"));
        }
        let sur = if reading_written {
            s
        } else {
            dictionary_initial(self.sur, Kinds::SURNAME)?
        };
        if text == self.sur {
            return Some(sur.to_string());
        }
        let full: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(full, format!("{}{}", self.sur, self.given), "{text:?}");
        let given = if reading_written {
            g
        } else {
            dictionary_initial(self.given, Kinds::GIVEN)?
        };
        Some(format!("{sur}{given}"))
    }

    fn email(&self, rng: &mut Rng, domain: &str) -> String {
        let local = match self.foreign {
            Some((_, r)) => r.to_string(),
            None => match rng.below(6) {
                0 => format!("{}.{}", self.given_r, self.sur_r),
                1 => format!("{}.{}", &self.given_r[..1], self.sur_r),
                2 => self.sur_r.to_string(),
                3 => format!("{}-{}", self.sur_r, &self.given_r[..1]),
                4 => format!("{}_{}{}", self.given_r, self.sur_r, rng.range(1970, 2005)),
                _ => format!("{}{}", &self.given_r[..1], self.sur_r),
            },
        };
        format!("{local}@{domain}")
    }
}

/// The romaji initial of a name part that every ENAMDICT reading of it for
/// `role` begins with (a given name ENAMDICT has only unclassified, as the
/// pool takes it, by its unclassified readings); a part written in kana is
/// its own reading. `None` when the readings begin differently (充:
/// アツシ, ミツル, タカシ…) or ENAMDICT lacks the part.
fn dictionary_initial(part: &str, role: Kinds) -> Option<char> {
    if part.chars().all(is_kana) {
        return initial(part);
    }
    let e = Gazetteer::embedded().lookup(part)?;
    let role = if role == Kinds::GIVEN && !e.is_given() {
        Kinds::UNCLASSIFIED
    } else {
        role
    };
    let mut initials = e
        .readings()
        .filter(|r| r.kinds.contains(role))
        .map(|r| initial(&r.katakana));
    let first = initials.next()??;
    initials.all(|i| i == Some(first)).then_some(first)
}

fn company(rng: &mut Rng) -> (&'static str, &'static str) {
    *rng.pick(COMPANIES)
}

/// `(prefix, area, subscriber...)` groups of a domestic number, area code first.
fn phone_groups(rng: &mut Rng) -> Vec<String> {
    let mut g = phone_groups_raw(rng);
    // A local exchange never starts with 0 or 1.
    let first = char::from(b'2' + rng.below(8) as u8);
    g[1].replace_range(..1, first.encode_utf8(&mut [0; 4]));
    g
}

fn phone_groups_raw(rng: &mut Rng) -> Vec<String> {
    match rng.below(10) {
        0..=1 => vec![
            rng.pick(&["03", "06"]).to_string(),
            rng.digits(4),
            rng.digits(4),
        ],
        2..=3 => vec![
            rng.pick(&[
                "045", "052", "011", "092", "075", "078", "022", "082", "048", "043",
            ])
            .to_string(),
            rng.digits(3),
            rng.digits(4),
        ],
        4 => vec![
            rng.pick(&["0266", "0495", "0280", "0551", "0898"])
                .to_string(),
            rng.digits(2),
            rng.digits(4),
        ],
        5..=8 => vec![
            rng.pick(&["090", "080", "070"]).to_string(),
            rng.digits(4),
            rng.digits(4),
        ],
        _ => vec!["050".to_string(), rng.digits(4), rng.digits(4)],
    }
}

/// A landline (for TEL/FAX in signatures).
fn landline(rng: &mut Rng) -> String {
    loop {
        let g = phone_groups(rng);
        if !matches!(g[0].as_str(), "090" | "080" | "070" | "050") {
            return g.join("-");
        }
    }
}

fn mobile(rng: &mut Rng) -> String {
    format!(
        "{}-{}-{}",
        rng.pick(&["090", "080", "070"]),
        rng.digits(4),
        rng.digits(4)
    )
}

/// An ordinary phone number, mostly hyphenated.
fn phone(rng: &mut Rng) -> String {
    let g = phone_groups(rng);
    match rng.below(10) {
        0 => g.concat(),
        1 => format!("{}({}){}", g[0], g[1], g[2]),
        _ => g.join("-"),
    }
}

/// A phone number in one of the hard spellings.
fn hard_phone(rng: &mut Rng) -> String {
    let g = phone_groups(rng);
    let intl = &g[0][1..];
    match rng.below(11) {
        0 => fullwidth(&g.join("-")),
        1 => {
            let h = *rng.pick(&["\u{2010}", "\u{2212}", "\u{2015}", "ー", "\u{2013}", "－"]);
            g.join(h)
        }
        2 => g.join("-\u{200B}"),
        3 => format!("{}\u{200B}{}\u{200B}{}", g[0], g[1], g[2]),
        4 => format!("+81 (0){} {} {}", intl, g[1], g[2]),
        5 => format!("+81-{}-{}-{}", intl, g[1], g[2]),
        6 => format!("+81 {} {} {}", intl, g[1], g[2]),
        7 => format!("{}({}){}", g[0], g[1], g[2]),
        8 => format!("({}){}-{}", g[0], g[1], g[2]),
        9 => format!("{} {} {}", g[0], g[1], g[2]),
        _ => fullwidth(&format!("{}({}){}", g[0], g[1], g[2])),
    }
}

/// ASCII digits, letters and a few signs to their full-width forms.
fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn postal(rng: &mut Rng) -> String {
    format!("{:03}-{}", rng.range(10, 999), rng.digits(4))
}

/// An address from the prefecture (sometimes the municipality) through the
/// building and room.
fn address(rng: &mut Rng) -> String {
    let (pref, munis) = *rng.pick(PREFS);
    let muni = *rng.pick(munis);
    let town = *rng.pick(TOWNS);
    let mut a = String::new();
    if !rng.chance(10) || pref == "北海道" {
        a.push_str(pref);
    }
    a.push_str(muni);
    a.push_str(town);
    let (c, b, n) = (rng.range(1, 9), rng.range(1, 40), rng.range(1, 30));
    match rng.below(8) {
        0..=2 => a.push_str(&format!("{c}-{b}-{n}")),
        3 => a.push_str(&format!("{c}丁目{b}番{n}号")),
        4 => a.push_str(&fullwidth(&format!("{c}-{b}-{n}"))),
        5 => a.push_str(&format!("{c}丁目{b}-{n}")),
        6 => a.push_str(&format!("{}番地", rng.range(1, 999))),
        _ => a.push_str(&format!("{c}-{b}")),
    }
    if rng.chance(70) {
        let bld = *rng.pick(BUILDINGS);
        let sep = if rng.chance(60) { " " } else { "" };
        match rng.below(4) {
            0 => a.push_str(&format!("{sep}{bld}{}F", rng.range(2, 30))),
            1 => a.push_str(&format!("{sep}{bld} {}階", rng.range(2, 30))),
            2 => a.push_str(&format!("{sep}{bld}{}号室", rng.range(101, 1205))),
            _ => a.push_str(&format!("{sep}{bld} {}", rng.range(101, 905))),
        }
    }
    a
}

/// A valid My Number in plain, spaced or hyphenated form.
fn my_number(rng: &mut Rng, hard: bool) -> String {
    let mut d: Vec<u8> = (0..11).map(|_| rng.below(10) as u8).collect();
    let c = my_number_check(&d);
    d.push(c);
    let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    let (a, b, c) = (&s[..4], &s[4..8], &s[8..]);
    match rng.below(if hard { 6 } else { 3 }) {
        0 => s.clone(),
        1 => format!("{a} {b} {c}"),
        2 => format!("{a}-{b}-{c}"),
        3 => fullwidth(&s),
        4 => format!("{a}\u{3000}{b}\u{3000}{c}"),
        _ => format!("{a}\u{200B}{b}\u{200B}{c}"),
    }
}

/// 12 digits that are NOT a valid My Number (order and tracking numbers).
fn not_my_number(rng: &mut Rng) -> Vec<u8> {
    let mut d: Vec<u8> = (0..11).map(|_| rng.below(10) as u8).collect();
    let c = my_number_check(&d);
    d.push((c + 1 + rng.below(9) as u8) % 10);
    debug_assert!(!my_number_valid(&d));
    d
}

fn tracking_number(rng: &mut Rng) -> String {
    let d: String = not_my_number(rng)
        .iter()
        .map(|x| char::from(b'0' + x))
        .collect();
    if rng.chance(70) {
        format!("{}-{}-{}", &d[..4], &d[4..8], &d[8..])
    } else {
        d
    }
}

/// A run of `n` digits that is neither a valid My Number nor Luhn-valid.
fn noise_digits(rng: &mut Rng, n: usize) -> String {
    loop {
        let d: Vec<u8> = if n == 12 {
            not_my_number(rng)
        } else {
            (0..n).map(|_| rng.below(10) as u8).collect()
        };
        if n >= 12 && luhn_valid(&d) {
            continue;
        }
        return d.iter().map(|x| char::from(b'0' + x)).collect();
    }
}

/// A Luhn-valid card number, digits only.
fn card_digits(rng: &mut Rng) -> Vec<u8> {
    let (prefix, len): (Vec<u8>, usize) = match rng.below(5) {
        0 | 1 => (vec![4], 16),
        2 => (vec![5, rng.range(1, 5) as u8], 16),
        3 => (vec![3, *rng.pick(&[4u8, 7])], 15),
        _ => (vec![3, 5, rng.range(2, 8) as u8, rng.below(10) as u8], 16),
    };
    let mut d = prefix;
    while d.len() < len - 1 {
        d.push(rng.below(10) as u8);
    }
    for c in 0..10 {
        d.push(c);
        if luhn_valid(&d) {
            return d;
        }
        d.pop();
    }
    unreachable!("some check digit always completes a Luhn number")
}

fn card(rng: &mut Rng, hard: bool) -> String {
    let d = card_digits(rng);
    let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    let sep = match rng.below(if hard { 5 } else { 3 }) {
        0 => "",
        1 => " ",
        2 => "-",
        3 => "－",
        _ => "\u{3000}",
    };
    let groups: Vec<&str> = if s.len() == 15 {
        vec![&s[..4], &s[4..10], &s[10..]]
    } else {
        vec![&s[..4], &s[4..8], &s[8..12], &s[12..]]
    };
    let out = groups.join(sep);
    if hard && rng.chance(15) {
        fullwidth(&out)
    } else {
        out
    }
}

fn expiry(rng: &mut Rng) -> String {
    let (m, y) = (rng.range(1, 12), rng.range(25, 32));
    match rng.below(4) {
        0 => format!("{m:02}/{y}"),
        1 => format!("{m:02}/20{y}"),
        2 => format!("20{y}年{m}月"),
        _ => format!("{m:02}/{y}"),
    }
}

fn date(rng: &mut Rng) -> (usize, usize, usize) {
    (rng.range(2024, 2026), rng.range(1, 12), rng.range(1, 28))
}

fn weekday(y: usize, m: usize, d: usize) -> &'static str {
    const T: [usize; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    WD[(y + y / 4 - y / 100 + y / 400 + T[m - 1] + d) % 7]
}

fn date_str(rng: &mut Rng) -> String {
    let (y, m, d) = date(rng);
    let w = weekday(y, m, d);
    match rng.below(5) {
        0 => format!("{y}年{m}月{d}日（{w}）"),
        1 => format!("{y}/{m:02}/{d:02}"),
        2 => format!("{m}/{d}（{w}）"),
        3 => format!("{m}月{d}日"),
        _ => format!("{y}年{m}月{d}日"),
    }
}

fn time_str(rng: &mut Rng) -> String {
    format!("{}:{:02}", rng.range(8, 19), rng.pick(&[0, 10, 15, 30, 45]))
}

/// `10:30〜12:00`.
fn time_range(rng: &mut Rng) -> String {
    let h = rng.range(8, 17);
    let m = *rng.pick(&[0, 15, 30]);
    format!("{h}:{m:02}〜{}:{m:02}", h + rng.range(1, 3))
}

fn iso_time(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}+09:00",
        rng.range(2024, 2026),
        rng.range(1, 12),
        rng.range(1, 28),
        rng.range(0, 23),
        rng.range(0, 59),
        rng.range(0, 59)
    )
}

fn commas(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn yen(rng: &mut Rng) -> String {
    let n = rng.range(300, 2_500_000) as u64;
    match rng.below(3) {
        0 => format!("¥{}", commas(n)),
        1 => format!("{}円", commas(n)),
        _ => format!("{}円（税込）", commas(n)),
    }
}

fn version(rng: &mut Rng) -> String {
    format!(
        "v{}.{}.{}",
        rng.range(1, 12),
        rng.range(0, 20),
        rng.range(0, 30)
    )
}

fn order_no(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!("ORD-{}-{}", rng.range(2024, 2026), noise_digits(rng, 6)),
        1 => {
            let d = noise_digits(rng, 13);
            format!("{}-{}", &d[..6], &d[6..])
        }
        2 => format!("#{}", noise_digits(rng, 8)),
        _ => format!("A{}", noise_digits(rng, 10)),
    }
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b64url(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=n {
            out.push(char::from(B64URL[((v >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn password(rng: &mut Rng, url_safe: bool) -> String {
    let alpha: &[u8] = if url_safe {
        b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789_"
    } else {
        b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789!#$%&*?_"
    };
    let n = rng.range(10, 18);
    format!("{}{}", rng.chars(alpha, n), rng.digits(1))
}

/// Writes a real-looking secret with its usual context; only the value is gold.
fn secret(rng: &mut Rng, b: &mut Builder) {
    match rng.below(13) {
        0 => {
            let v = format!("sk-ant-api03-{}AA", rng.chars(B64URL, 93));
            b.s("ANTHROPIC_API_KEY=").g("secret", &v);
        }
        1 => {
            let id = format!("AKIA{}", rng.chars(UPPER32, 16));
            let key = rng.chars(B64, 40);
            b.s("[default]\naws_access_key_id = ")
                .g("secret", &id)
                .s("\naws_secret_access_key = ")
                .g("secret", &key);
        }
        2 => {
            let v = format!("ghp_{}", rng.chars(ALNUM, 36));
            b.s("GitHubのトークンは ").g("secret", &v).s(" です");
        }
        3 => {
            let v = format!(
                "xoxb-{}-{}-{}",
                rng.digits(11),
                rng.digits(13),
                rng.chars(ALNUM, 24)
            );
            b.s("SLACK_BOT_TOKEN=").g("secret", &v);
        }
        4 => {
            let v = format!("AIza{}", rng.chars(B64URL, 35));
            b.s("const apiKey = \"").g("secret", &v).s("\";");
        }
        5 => {
            let v = format!("sk_live_{}", rng.chars(ALNUM, 24));
            b.s("stripe.api_key = '").g("secret", &v).s("'");
        }
        6 => {
            let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
            let payload = format!(
                "{{\"sub\":\"{}\",\"role\":\"admin\",\"iat\":{}}}",
                rng.digits(8),
                1_700_000_000 + rng.below(60_000_000)
            );
            let sig: Vec<u8> = (0..32).map(|_| rng.below(256) as u8).collect();
            let v = format!("{header}.{}.{}", b64url(payload.as_bytes()), b64url(&sig));
            b.s("Authorization: Bearer ").g("secret", &v);
        }
        7 => {
            let kind = *rng.pick(&[
                "RSA PRIVATE KEY",
                "PRIVATE KEY",
                "OPENSSH PRIVATE KEY",
                "EC PRIVATE KEY",
            ]);
            let mut v = format!("-----BEGIN {kind}-----\n");
            for _ in 0..rng.range(3, 8) {
                v.push_str(&rng.chars(B64, 64));
                v.push('\n');
            }
            let n = rng.range(8, 60);
            v.push_str(&rng.chars(B64, n));
            v.push_str("=\n");
            v.push_str(&format!("-----END {kind}-----"));
            b.s("鍵ファイル（id_rsa）の中身です：\n")
                .g("secret", &v)
                .s("\n");
        }
        8 => {
            let v = password(rng, false);
            b.s("password=").g("secret", &v);
        }
        9 => {
            let v = password(rng, false);
            b.s(rng.pick(&["パスワード：", "初期パスワード: ", "PW：", "パスワードは「"]))
                .g("secret", &v);
            if b.text.ends_with(&format!("「{v}")) {
                b.s("」です");
            }
        }
        10 => {
            let v = password(rng, false);
            b.s("DB_PASSWORD=\"").g("secret", &v).s("\"");
        }
        11 => {
            let v = format!(
                "{}://{}:{}@{}/{}",
                rng.pick(&["postgres", "postgresql", "mysql", "mongodb+srv"]),
                rng.pick(&["app", "admin", "orders_rw", "root"]),
                password(rng, true),
                rng.pick(&[
                    "db.internal.example.jp:5432",
                    "10.0.3.21:3306",
                    "cluster0.ab1cd.mongodb.net",
                    "prod-db-01:5432"
                ]),
                rng.pick(&["orders", "app", "crm", "billing"])
            );
            b.s("DATABASE_URL=").g("secret", &v);
        }
        _ => {
            let v = format!("redis://:{}@cache-01:6379/0", password(rng, true));
            b.s("接続先: ").g("secret", &v);
        }
    }
}

/// Writes a placeholder that looks like a secret but is NOT gold.
fn placeholder(rng: &mut Rng, b: &mut Builder) {
    let p = *rng.pick(&[
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "password=xxxx",
        "password=********",
        "API_KEY=your-api-key-here",
        "ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxx",
        "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "パスワード：（別途お電話にてお伝えします）",
        "token: <YOUR_TOKEN>",
        "DATABASE_URL=postgres://<user>:<password>@<host>/<db>",
        "SLACK_BOT_TOKEN=xoxb-your-token",
    ]);
    b.s(p);
}

fn classification(rng: &mut Rng, b: &mut Builder) {
    match rng.below(4) {
        0 => {
            b.s("【").g("classification", "社外秘").s("】");
        }
        1 => {
            b.s("【").g("classification", "極秘").s("】");
        }
        2 => {
            b.g("classification", "CONFIDENTIAL").s(" - ");
        }
        _ => {
            b.s("［").g("classification", "社外秘").s("］");
        }
    }
}

fn postal_with_mark(rng: &mut Rng, b: &mut Builder) {
    b.s("〒").g("postal-code", postal(rng));
}

// ---------------------------------------------------------------------------
// Genres.

const MAIL_SUBJECTS: &[&str] = &[
    "お見積りのご送付",
    "打ち合わせ日程のご相談",
    "請求書送付のご案内",
    "納品日変更のお願い",
    "契約書ドラフトのご確認",
    "展示会ご来場のお礼",
    "システム障害のご報告",
    "価格改定のお知らせ",
];

const MAIL_BODIES: &[&str] = &[
    "先日はお忙しいところお時間をいただき、誠にありがとうございました。",
    "標記の件につきまして、添付の通りお見積書をお送りいたします。",
    "ご検討のほど、よろしくお願いいたします。",
    "ご不明な点がございましたら、お気軽にお問い合わせください。",
    "恐れ入りますが、内容をご確認のうえご返信いただけますと幸いです。",
    "取り急ぎ、ご報告まで。",
    "弊社側の確認に時間を要しており、大変申し訳ございません。",
    "なお、前回お送りした資料から一部修正しております。",
];

fn signature(rng: &mut Rng, b: &mut Builder, p: &Person, comp: (&str, &str)) {
    let (cname, domain) = comp;
    let bar = *rng.pick(&[
        "--------------------------------------------------",
        "━━━━━━━━━━━━━━━━━━━━",
        "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿",
        "-- ",
    ]);
    // Beyond the dev set's tables, two more signature shapes: the company
    // and the name on one line (`株式会社ミライ 白石陽菜`), and the name with
    // its romaji (`白石 充 / Shiraishi Mitsuru`).
    let shape = if rng.names == Names::Listed || p.foreign.is_some() {
        0
    } else {
        rng.below(4)
    };
    b.s(bar).s("\n").s(cname);
    if shape == 1 {
        let full = p.full(rng);
        b.s(" ").person_name(p, p.full_form(), "signature", &full);
    }
    b.s("\n");
    let title = *rng.pick(TITLES);
    b.s(rng.pick(DEPTS));
    if !title.is_empty() {
        b.s(" ").s(title);
    }
    b.s("\n");
    if shape != 1 {
        let full = p.full(rng);
        // With the romaji beside it, the kanji name's initials are the
        // reading written there.
        b.name(p.full_form(), "signature", &full)
            .with_initials(p.initials(&full, shape == 2));
        if shape == 2 {
            b.s(" / ")
                .person_name(p, "romaji", "signature", p.romaji_full(false));
        }
        b.s("\n");
    }
    postal_with_mark(rng, b);
    b.s(if rng.chance(50) { "\n" } else { " " });
    b.g("address", address(rng)).s("\n");
    let (tel, fax) = if rng.chance(50) {
        ("TEL：", "FAX：")
    } else {
        ("TEL: ", "FAX: ")
    };
    b.s(tel).g("phone", landline(rng));
    if rng.chance(60) {
        b.s(if rng.chance(50) { "　" } else { " / " })
            .s(fax)
            .g("phone", landline(rng));
    }
    b.s("\n");
    if rng.chance(40) {
        b.s("携帯：").g("phone", mobile(rng)).s("\n");
    }
    b.s(rng.pick(&["E-mail：", "Mail: ", "Email: "]))
        .g("email", p.email(rng, domain))
        .s("\n");
    b.s("URL：https://www.").s(domain).s("/\n").s(bar).s("\n");
}

fn business_mail(rng: &mut Rng, b: &mut Builder) {
    let from = person(rng);
    let to = person(rng);
    let from_c = company(rng);
    let to_c = company(rng);
    b.s("件名：");
    if rng.chance(15) {
        classification(rng, b);
    }
    b.s(rng.pick(MAIL_SUBJECTS)).s("\n");
    b.s("宛先：")
        .g("email", to.email(rng, to_c.1))
        .s("\n\n")
        .s(to_c.0)
        .s("\n")
        .s(rng.pick(DEPTS))
        .s("\n");
    if rng.chance(50) {
        b.person_name(&to, to.short_form(), "addressee", to.short())
            .s("様\n\n");
    } else {
        let f = to.full(rng);
        b.person_name(&to, to.full_form(), "addressee", &f)
            .s(" 様\n\n");
    }
    b.s("いつも大変お世話になっております。\n")
        .s(from_c.0)
        .s("の")
        .person_name(&from, from.short_form(), "prose", from.short())
        .s("でございます。\n\n");
    for _ in 0..rng.range(2, 4) {
        b.s(rng.pick(MAIL_BODIES)).s("\n");
    }
    match rng.below(4) {
        0 => {
            b.s("\nお見積金額：")
                .s(yen(rng))
                .s("（有効期限：")
                .s(date_str(rng))
                .s("）\n");
        }
        1 => {
            b.s("\n候補日：")
                .s(date_str(rng))
                .s(" ")
                .s(time_str(rng))
                .s("〜、")
                .s(date_str(rng))
                .s(" ")
                .s(time_str(rng))
                .s("〜\n");
        }
        2 => {
            let c = person(rng);
            b.s("\n本件の担当は");
            b.person_name(&c, c.full_form(), "prose", c.full(rng))
                .s("（直通：")
                .g("phone", phone(rng))
                .s("）となります。\n");
        }
        _ => {
            b.s("\n請求書番号 INV-")
                .s(noise_digits(rng, 8))
                .s("、お支払期日は")
                .s(date_str(rng))
                .s("です。\n");
        }
    }
    b.s("\n何卒よろしくお願い申し上げます。\n\n");
    signature(rng, b, &from, from_c);
    if rng.chance(40) {
        b.s("\n> ")
            .s(date_str(rng))
            .s(" ")
            .person_name(&to, to.short_form(), "from-to", to.short())
            .s(" <")
            .g("email", to.email(rng, to_c.1))
            .s("> wrote:\n> お世話になっております。\n> 資料拝受いたしました。\n");
    }
}

fn support_ticket(rng: &mut Rng, b: &mut Builder) {
    let cust = person(rng);
    let agent = person(rng);
    let comp = company(rng);
    b.s("【チケット番号】#")
        .s(noise_digits(rng, 6))
        .s("\n【受付日時】")
        .s(date_str(rng))
        .s(" ")
        .s(time_str(rng))
        .s("\n");
    let cat = rng.below(5);
    b.s("【カテゴリ】")
        .s([
            "ログイン",
            "請求・お支払い",
            "API連携",
            "人事手続き",
            "配送",
        ][cat])
        .s("\n【優先度】")
        .s(rng.pick(&["高", "中", "低"]))
        .s("\n【お客様名】");
    let f = cust.full(rng);
    b.person_name(&cust, cust.full_form(), "label", &f)
        .s(" 様\n【会社名】")
        .s(comp.0)
        .s("\n【連絡先】");
    let domain = if rng.chance(50) {
        comp.1
    } else {
        *rng.pick(FREEMAIL)
    };
    b.g("phone", phone(rng))
        .s(" / ")
        .g("email", cust.email(rng, domain))
        .s("\n【内容】\n");
    match cat {
        0 => {
            b.s("管理画面（")
                .s(version(rng))
                .s("）にログインできません。エラーコード E-")
                .s(rng.digits(4))
                .s(" が表示されます。\n接続元IP: 192.168.")
                .s(rng.range(0, 255).to_string())
                .s(".")
                .s(rng.range(1, 254).to_string())
                .s("\n");
            if rng.chance(40) {
                b.s("念のためお伝えします。");
                secret(rng, b);
                b.s("\n");
            }
        }
        1 => {
            b.s("先月分の請求額 ")
                .s(yen(rng))
                .s(" について確認させてください。\n");
            if rng.chance(50) {
                b.s("登録カードを変更したいです。新しいカード：")
                    .g("card", card(rng, false))
                    .s(" 有効期限 ")
                    .g("card-detail", expiry(rng))
                    .s("\n");
            } else {
                b.s("現在のカード：************")
                    .s(rng.digits(4))
                    .s("（下4桁）\n");
            }
        }
        2 => {
            b.s("SDK ")
                .s(version(rng))
                .s(" で401が返ります。設定は以下の通りです。\n```\n");
            if rng.chance(60) {
                secret(rng, b);
            } else {
                placeholder(rng, b);
            }
            b.s("\nTIMEOUT_MS=30000\n```\n");
        }
        3 => {
            b.s("扶養家族の追加に伴い、個人番号を登録してください。\nマイナンバー：")
                .g("my-number", my_number(rng, false))
                .s("\n生年月日：")
                .s(date_str(rng))
                .s("\n");
        }
        _ => {
            b.s("注文番号 ")
                .s(order_no(rng))
                .s(" の荷物が届きません。追跡番号 ")
                .s(tracking_number(rng))
                .s("\nお届け先：");
            postal_with_mark(rng, b);
            b.s(" ").g("address", address(rng)).s("\n");
        }
    }
    b.s("【対応履歴】\n")
        .s(date_str(rng))
        .s(" ")
        .s(time_str(rng))
        .s(" ")
        .person_name(&agent, agent.short_form(), "speaker", agent.short())
        .s("：")
        .s(rng.pick(&[
            "一次回答済み。お客様の返信待ち。",
            "開発チームへエスカレーション（JIRA-",
            "折り返し電話にて状況をヒアリング。",
            "再現手順を確認中。",
        ]));
    if b.text.ends_with('-') {
        b.s(rng.digits(4)).s("）。");
    }
    b.s("\n");
}

fn meeting_minutes(rng: &mut Rng, b: &mut Builder) {
    if rng.chance(35) {
        classification(rng, b);
        b.s("\n");
    }
    let proj = *rng.pick(PROJECTS);
    let (y, m, d) = date(rng);
    b.s("議事録：")
        .s(proj)
        .s(" 定例会議（第")
        .s(rng.range(1, 40).to_string())
        .s("回）\n日時：")
        .s(format!("{y}年{m}月{d}日（{}）", weekday(y, m, d)))
        .s(" ")
        .s(time_range(rng))
        .s("\n場所：")
        .s(rng.pick(&[
            "本社8F 第3会議室",
            "オンライン（Teams）",
            "大阪支社 会議室B",
            "Zoom",
        ]))
        .s("\n出席者：");
    let n = rng.range(3, 6);
    for i in 0..n {
        if i > 0 {
            b.s(rng.pick(&["、", "，", ", "]));
        }
        let p = person(rng);
        if rng.chance(50) {
            b.person_name(&p, p.short_form(), "attendees", p.short());
        } else {
            let f = p.full(rng);
            b.person_name(&p, p.full_form(), "attendees", &f);
        }
    }
    b.s("（敬称略）\n");
    if rng.chance(50) {
        let p = person(rng);
        b.s("欠席者：")
            .person_name(&p, p.short_form(), "attendees", p.short())
            .s("\n");
    }
    let rec = person(rng);
    b.s("記録：")
        .person_name(&rec, rec.short_form(), "label", rec.short())
        .s("\n\n");
    b.s("1. 前回議事録の確認\n  - 承認済み\n2. 進捗報告\n");
    b.s("  - 進捗率 ")
        .s(rng.range(10, 95).to_string())
        .s("%、予算消化 ")
        .s(commas(rng.range(100, 5000) as u64))
        .s("万円 / ")
        .s(commas(rng.range(5000, 9000) as u64))
        .s("万円\n");
    b.s("  - 課題管理表 No.")
        .s(rng.range(1, 200).to_string())
        .s("〜No.")
        .s(rng.range(201, 400).to_string())
        .s(" をクローズ\n3. 決定事項\n");
    b.s("  - 次回リリースは ")
        .s(version(rng))
        .s(" とし、")
        .s(date_str(rng))
        .s(" ")
        .s(time_str(rng))
        .s(" に実施する。\n");
    if rng.chance(40) {
        let p = person(rng);
        b.s("  - 先方窓口は");
        let (c, _) = company(rng);
        b.s(c)
            .s("の")
            .person_name(&p, p.short_form(), "prose", p.short())
            .s("様（")
            .g("phone", phone(rng))
            .s("）とする。\n");
    }
    if rng.chance(20) {
        b.s("  - 検証環境の共通アカウント：");
        if rng.chance(50) {
            secret(rng, b);
        } else {
            placeholder(rng, b);
        }
        b.s("\n");
    }
    b.s("4. 宿題事項（ToDo）\n");
    for _ in 0..rng.range(1, 3) {
        let p = person(rng);
        b.s("  - ")
            .person_name(&p, p.short_form(), "label", p.short())
            .s("：")
            .s(rng.pick(&[
                "見積書の再提出",
                "仕様書の更新",
                "ベンダーへの確認",
                "テスト計画の作成",
            ]))
            .s("（〆切 ")
            .s(format!("{}/{}", rng.range(1, 12), rng.range(1, 28)))
            .s("）\n");
    }
    b.s("\n次回：")
        .s(date_str(rng))
        .s(" ")
        .s(time_str(rng))
        .s("〜\n以上\n");
}

const CHAT_LINES: &[&str] = &[
    "おはようございます！",
    "了解です 👍",
    "資料アップしました。確認お願いします",
    "14時からのMTG、5分遅れます 🙏",
    "本番リリース完了しました",
    "ありがとうございます、助かります！",
    "デプロイ止めてください、ロールバックします",
    "来週の出張、新幹線は9:30発で取りました",
    "見積 ¥1,280,000 で先方OKとのことです",
];

fn chat(rng: &mut Rng, b: &mut Builder) {
    b.s("#")
        .s(rng.pick(&[
            "proj-aurora",
            "sales-east",
            "dev-backend",
            "general",
            "cs-escalation",
        ]))
        .s("\n");
    let members: Vec<Person> = (0..rng.range(2, 4)).map(|_| person(rng)).collect();
    let romaji_speakers = rng.names != Names::Listed && rng.chance(25);
    let (mut h, mut mi) = (rng.range(8, 17), rng.range(0, 50));
    for _ in 0..rng.range(6, 14) {
        mi += rng.range(0, 7);
        if mi >= 60 {
            mi -= 60;
            h += 1;
        }
        let p = &members[rng.below(members.len())];
        b.s(format!("[{h}:{mi:02}] "));
        // Beyond the dev set's tables: a chat tool's romaji display name.
        if romaji_speakers && p.foreign.is_none() {
            b.person_name(p, "romaji", "speaker", p.romaji_full(true));
        } else {
            b.person_name(p, p.short_form(), "speaker", p.short());
        }
        b.s(": ");
        match rng.below(12) {
            0 => {
                let o = &members[rng.below(members.len())];
                b.s("@")
                    .person_name(o, o.short_form(), "mention", o.short())
                    .s(" さん、")
                    .s(rng.pick(&[
                        "確認お願いします",
                        "例の件どうなりました？",
                        "共有ありがとうございます",
                    ]));
            }
            1 => {
                let c = person(rng);
                b.s("先方の")
                    .person_name(&c, c.short_form(), "prose", c.short())
                    .s("さんの携帯は ")
                    .g("phone", phone(rng))
                    .s(" です");
            }
            2 => {
                let c = person(rng);
                let dom = company(rng).1;
                let e = c.email(rng, dom);
                b.s("連絡先はこちら → ").g("email", &e);
            }
            3 if rng.chance(50) => {
                b.s("ステージングの設定これです ");
                secret(rng, b);
            }
            3 => {
                b.s("READMEの例: ");
                placeholder(rng, b);
            }
            4 => {
                b.s("チケット ").s(order_no(rng)).s(" 対応中です");
            }
            _ => {
                b.s(rng.pick(CHAT_LINES));
            }
        }
        b.s("\n");
    }
}

fn ec_order_mail(rng: &mut Rng, b: &mut Builder) {
    let cust = person(rng);
    let shop = *rng.pick(SHOPS);
    let f = cust.full(rng);
    b.person_name(&cust, cust.full_form(), "addressee", &f).s(" 様\n\nこの度は「")
        .s(shop)
        .s("」をご利用いただき、誠にありがとうございます。\nご注文内容を下記の通り確認いたしました。\n\n")
        .s("■ご注文番号：")
        .s(order_no(rng))
        .s("\n■ご注文日時：")
        .s(date_str(rng))
        .s(" ")
        .s(time_str(rng))
        .s("\n■お支払い方法：");
    let masked_card = rng.chance(70);
    if masked_card {
        b.s("クレジットカード（")
            .s(rng.pick(&["VISA", "Mastercard", "JCB", "AMEX"]))
            .s("）\n  カード番号：************")
            .s(rng.digits(4))
            .s("\n");
    } else {
        b.s(rng.pick(&["代金引換", "コンビニ払い", "銀行振込", "PayPay"]))
            .s("\n");
    }
    b.s("\n■お届け先\n  ");
    postal_with_mark(rng, b);
    b.s("\n  ").g("address", address(rng)).s("\n  ");
    let (rcpt, rcpt_form, rcpt_initials) = if rng.chance(70) {
        (f.clone(), cust.full_form(), cust.initials(&f, false))
    } else {
        let r = person(rng);
        let full = r.full(rng);
        let initials = r.initials(&full, false);
        (full, r.full_form(), initials)
    };
    b.name(rcpt_form, "addressee", &rcpt)
        .with_initials(rcpt_initials)
        .s(" 様\n  電話番号：")
        .g("phone", phone(rng))
        .s("\n");
    if rng.chance(40) {
        let dom = *rng.pick(FREEMAIL);
        let e = cust.email(rng, dom);
        b.s("  メール：").g("email", &e).s("\n");
    }
    b.s("\n■ご注文商品\n");
    let mut total = 0u64;
    for _ in 0..rng.range(1, 4) {
        let price = rng.range(5, 300) as u64 * 100 - 20;
        let qty = rng.range(1, 3) as u64;
        total += price * qty;
        b.s("  ")
            .s(rng.pick(PRODUCTS))
            .s("（品番 ")
            .s(format!(
                "{:03}-{:04}",
                rng.range(100, 999),
                rng.range(0, 9999)
            ))
            .s("） 数量：")
            .s(qty.to_string())
            .s(" 単価：¥")
            .s(commas(price))
            .s("\n");
    }
    let ship = if total >= 5000 { 0 } else { 660 };
    b.s("  小計：¥")
        .s(commas(total))
        .s(" 送料：¥")
        .s(commas(ship))
        .s(" 合計：¥")
        .s(commas(total + ship))
        .s("（税込）\n\n■お届け予定日：")
        .s(date_str(rng))
        .s(" ")
        .s(rng.pick(&["午前中", "14時〜16時", "18時〜20時", "指定なし"]))
        .s("\n■配送業者：")
        .s(rng.pick(&["ヤマト運輸", "佐川急便", "日本郵便"]))
        .s(" お問い合わせ伝票番号：")
        .s(tracking_number(rng))
        .s("\n\n────────────────\n")
        .s(shop)
        .s("\n運営：")
        .s(company(rng).0)
        .s("\n");
    postal_with_mark(rng, b);
    b.s(" ").g("address", address(rng)).s("\nお問い合わせ：");
    let tf = format!(
        "{}-{}-{}",
        rng.pick(&["0120", "0570"]),
        rng.digits(3),
        rng.digits(3)
    );
    b.g("phone", &tf).s("（平日 10:00〜17:00）\n");
    let sd = company(rng).1;
    b.s("メール：").g("email", format!("support@{sd}")).s("\n");
}

fn hard(rng: &mut Rng, b: &mut Builder) {
    let intro = *rng.pick(&[
        "お客様より以下の情報を受領しました。取扱いに注意してください。\n",
        "転記メモ（OCR結果）：\n",
        "設定ファイル抜粋：\n",
        "FW: 先方からの連絡\n",
        "",
    ]);
    b.s(intro);
    if rng.chance(15) {
        classification(rng, b);
        b.s("\n");
    }
    for _ in 0..rng.range(3, 6) {
        match rng.below(16) {
            0 | 1 => {
                b.s(rng.pick(&["TEL：", "電話 ", "携帯:", "連絡先 ", "Tel. "]))
                    .g("phone", hard_phone(rng));
                b.s(rng.pick(&["", "（日中）", " まで", "。"]));
            }
            2 | 15 => {
                let p = person(rng);
                let (_, dom) = company(rng);
                let e = p.email(rng, dom);
                match rng.below(4) {
                    0 => {
                        b.s("メール：").g("email", e.replace('@', "＠"));
                    }
                    1 => {
                        b.s("<a href=\"mailto:")
                            .g("email", &e)
                            .s("\">")
                            .g("email", &e)
                            .s("</a>");
                    }
                    2 => {
                        b.s("連絡先（").g("email", &e).s("）");
                    }
                    _ => {
                        b.s("mailto:").g("email", &e);
                    }
                }
            }
            3 | 14 => {
                b.s(rng.pick(&[
                    "マイナンバー：",
                    "個人番号 ",
                    "My Number: ",
                    "個人番号（12桁）",
                ]))
                .g("my-number", my_number(rng, true));
            }
            4 | 5 => {
                b.s(rng.pick(&["カード番号：", "card: ", "クレカ "]))
                    .g("card", card(rng, true));
                if rng.chance(80) {
                    b.s(rng.pick(&[" 有効期限 ", "\n有効期限：", " exp "]))
                        .g("card-detail", expiry(rng));
                }
                if rng.chance(70) {
                    let cvc = if rng.chance(80) {
                        rng.digits(3)
                    } else {
                        rng.digits(4)
                    };
                    b.s(rng.pick(&[" セキュリティコード ", "\nセキュリティコード：", " CVV:"]))
                        .g("card-detail", &cvc);
                }
            }
            6..=8 => {
                secret(rng, b);
            }
            9 => {
                placeholder(rng, b);
            }
            10 => {
                let pc = postal(rng);
                let v = match rng.below(3) {
                    0 => fullwidth(&pc),
                    1 => pc.replace('-', "ー"),
                    _ => pc,
                };
                b.s(rng.pick(&["〒", "〒 ", "郵便番号："]))
                    .g("postal-code", &v);
                b.s(" ").g("address", address(rng));
            }
            11 => {
                // Near misses: not gold.
                b.s("伝票番号 ")
                    .s(tracking_number(rng))
                    .s(" / カード番号：************")
                    .s(rng.digits(4))
                    .s(" / 日時 ")
                    .s(iso_time(rng));
            }
            12 => {
                let p = person(rng);
                let f = p.full(rng);
                b.s("担当：")
                    .person_name(&p, p.full_form(), "label", &f)
                    .s(rng.pick(&["様", "さん", "（営業）", " 殿"]));
            }
            _ => {
                b.s("バージョン ")
                    .s(version(rng))
                    .s("、金額 ")
                    .s(yen(rng))
                    .s("、納期 ")
                    .s(format!("{:02}/{:02}", rng.range(1, 12), rng.range(1, 28)));
            }
        }
        b.s("\n");
    }
}

const NOPII_SENTENCES: &[&str] = &[
    "当社は{place}にて新製品の説明会を開催いたします。",
    "開催日時は{date} {trange}を予定しております。",
    "参加費は{yen}です。事前登録制となります。",
    "本リリース（{version}）では検索性能を約{pct}%改善しました。",
    "{date}以降のご注文分より、送料を{yen}に改定いたします。",
    "注文番号 {order} の商品は{date}に出荷済みです（伝票番号 {track}）。",
    "対象製品の型番は {code} および {code} です。",
    "第{q}四半期の売上高は前年同期比{pct}%増の{yen}となりました。",
    "詳細は {date} 付けのプレスリリースをご参照ください。",
    "{place}の会場は{time}開場、{time}開演です。",
    "保守契約の更新期限は{date}です。ご契約番号は {order} です。",
    "本システムは ISO/IEC 27001 の認証範囲に含まれます。",
    "サーバ {ip} のディスク使用率が{pct}%を超えました（{iso}）。",
    "適格請求書発行事業者登録番号：T{t13}",
    "在庫数は{n}個、発注点は{n}個に設定しています。",
    "{corp}との業務提携契約を{date}に締結しました。",
    "配送番号 {track} は{place}の物流センターを{time}に出発しました。",
    "納期：{mmdd}、数量：{n}ロット、単価{yen}。",
];

fn no_pii(rng: &mut Rng, b: &mut Builder) {
    let head = rng
        .pick(&[
            "【お知らせ】",
            "＜週次レポート＞",
            "リリースノート\n",
            "社内報 第{n}号\n",
            "",
        ])
        .replace("{n}", &rng.range(1, 300).to_string());
    b.s(&head);
    b.s("\n");
    for _ in 0..rng.range(12, 24) {
        let t = *rng.pick(NOPII_SENTENCES);
        let mut out = String::new();
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = rest[i..].find('}').expect("closed placeholder") + i;
            let v = match &rest[i + 1..j] {
                "place" => rng.pick(PLACES).to_string(),
                "date" => date_str(rng),
                "time" => time_str(rng),
                "trange" => time_range(rng),
                "q" => rng.range(1, 4).to_string(),
                "yen" => yen(rng),
                "version" => version(rng),
                "pct" => rng.range(1, 99).to_string(),
                "order" => order_no(rng),
                "track" => tracking_number(rng),
                "code" => format!("{:03}-{:04}", rng.range(100, 999), rng.range(0, 9999)),
                "n" => rng.range(1, 500).to_string(),
                "ip" => format!(
                    "10.{}.{}.{}",
                    rng.range(0, 255),
                    rng.range(0, 255),
                    rng.range(1, 254)
                ),
                "iso" => iso_time(rng),
                "t13" => noise_digits(rng, 13),
                "corp" => company(rng).0.to_string(),
                "mmdd" => format!("{:02}/{:02}", rng.range(1, 12), rng.range(1, 28)),
                other => panic!("unknown placeholder {other}"),
            };
            out.push_str(&v);
            rest = &rest[j + 1..];
        }
        out.push_str(rest);
        b.s(&out);
        b.s(if rng.chance(30) { "\n" } else { "" });
    }
    b.s("\n以上\n");
}

// ---------------------------------------------------------------------------
// The address genre: addresses in every shape with gold prefectures, and
// place names that are not addresses.

/// `(municipality, prefecture, postal prefix, only this prefecture has it)`.
const ADDR_MUNIS: &[(&str, &str, &str, bool)] = &[
    ("渋谷区", "東京都", "150", true),
    ("世田谷区", "東京都", "154", true),
    ("新宿区", "東京都", "160", true),
    ("八王子市", "東京都", "192", true),
    ("大垣市", "岐阜県", "503", true),
    ("大阪市北区", "大阪府", "530", true),
    ("堺市堺区", "大阪府", "590", true),
    ("札幌市中央区", "北海道", "060", true),
    ("旭川市", "北海道", "070", true),
    ("虻田郡倶知安町", "北海道", "044", true),
    ("横浜市西区", "神奈川県", "220", true),
    ("名古屋市中区", "愛知県", "460", true),
    ("京都市下京区", "京都府", "600", true),
    ("神戸市中央区", "兵庫県", "650", true),
    ("福岡市博多区", "福岡県", "812", true),
    ("仙台市青葉区", "宮城県", "980", true),
    ("さいたま市大宮区", "埼玉県", "330", true),
    ("浜松市中央区", "静岡県", "430", true),
    ("新潟市中央区", "新潟県", "951", true),
    ("広島市中区", "広島県", "730", true),
    ("北佐久郡軽井沢町", "長野県", "389", true),
    ("つくば市", "茨城県", "305", true),
    ("鎌ケ谷市", "千葉県", "273", true),
    ("盛岡市", "岩手県", "020", true),
    ("宇都宮市", "栃木県", "320", true),
    ("金沢市", "石川県", "920", true),
    ("倉敷市", "岡山県", "710", true),
    ("松山市", "愛媛県", "790", true),
    ("高松市", "香川県", "760", true),
    ("鹿児島市", "鹿児島県", "890", true),
    ("那覇市", "沖縄県", "900", true),
    // Several prefectures have these names.
    ("府中市", "東京都", "183", false),
    ("府中市", "広島県", "726", false),
    ("伊達市", "北海道", "052", false),
    ("伊達市", "福島県", "960", false),
    ("北区", "東京都", "114", false),
    ("北区", "大阪府", "530", false),
    ("港区", "東京都", "105", false),
    ("港区", "愛知県", "455", false),
    ("中央区", "東京都", "104", false),
    ("中央区", "北海道", "060", false),
];

const ADDR_LABELS: &[&str] = &[
    "住所：",
    "ご住所：",
    "送付先：",
    "お届け先：",
    "場所：",
    "所在地：",
    "住所: ",
];

/// Place names, station names and departments that are not addresses.
const NOT_ADDRESSES: &[&str] = &[
    "来週は東京で会議があります。",
    "大阪支社の皆様にもご共有ください。",
    "明日から福岡出張のため不在です。",
    "渋谷駅の改札前で待ち合わせましょう。",
    "新宿駅東口から徒歩5分です。",
    "東日本営業部と西日本営業部の合同会議です。",
    "札幌市内の店舗で2-3名の増員を予定しています。",
    "横浜市営地下鉄のダイヤが改正されます。",
    "京都府の売上は前年比3-4%増でした。",
    "北海道産の原料を使用しています。",
    "港区の会議室で打ち合わせ予定です。",
    "名古屋営業所から2名が参加します。",
    "東京都の補助金制度について調査中です。",
    "広島県と岡山県の代理店会議を開催します。",
    "品川区役所の近くで昼食をとりました。",
    "沖縄の新店舗は12月オープン予定です。",
];

const KANJI_DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1..=99 in kanji (`二十一`).
fn kanji_number(n: usize) -> String {
    let (t, o) = (n / 10, n % 10);
    let mut s = String::new();
    if t > 1 {
        s.push_str(KANJI_DIGITS[t]);
    }
    if t > 0 {
        s.push('十');
    }
    if o > 0 {
        s.push_str(KANJI_DIGITS[o]);
    }
    s
}

/// One address of the address genre: `(postal code, address, prefecture,
/// whether the address tells the prefecture without its postal code)`.
fn genre_address(rng: &mut Rng) -> (String, String, String, bool) {
    let (muni, pref, prefix, unique) = *rng.pick(ADDR_MUNIS);
    let written = rng.chance(45);
    let mut a = String::new();
    if written {
        a.push_str(pref);
    }
    a.push_str(muni);
    let town = *rng.pick(TOWNS);
    a.push_str(town);
    let (c, b, n) = (rng.range(1, 9), rng.range(1, 40), rng.range(1, 30));
    match rng.below(9) {
        0 | 1 => a.push_str(&format!("{c}-{b}-{n}")),
        2 => a.push_str(&format!("{c}丁目{b}番{n}号")),
        3 => a.push_str(&format!(
            "{}丁目{}番{}号",
            kanji_number(c),
            kanji_number(b),
            kanji_number(n)
        )),
        4 => a.push_str(&fullwidth(&format!("{c}-{b}-{n}"))),
        5 => a.push_str(&fullwidth(&format!("{c}丁目{b}-{n}"))),
        6 => a.push_str(&format!("{}番地の{}", rng.range(1, 1999), rng.range(1, 30))),
        7 => a.push_str(&format!("{}番地", rng.range(1, 999))),
        _ => a.push_str(&format!("{c}-{b}")),
    }
    if rng.chance(60) {
        let bld = *rng.pick(&[
            "ハイツ山田",
            "渋谷ヒカリエ",
            "ベルコーポ",
            "グランドメゾン",
            "第一ビル",
            "KDXビル",
            "コーポ若草",
            "サンシャインビル",
        ]);
        match rng.below(5) {
            0 => a.push_str(&format!(" {bld} {}号室", rng.range(101, 1205))),
            1 => a.push_str(&format!("{bld}{}F", rng.range(2, 30))),
            2 => a.push_str(&format!(
                " {bld} {}",
                fullwidth(&format!("{}号", rng.range(101, 905)))
            )),
            3 => a.push_str(&format!("{bld}{}号室", rng.range(101, 1205))),
            _ => a.push_str(&format!(" {bld} {}階", rng.range(2, 30))),
        }
    }
    let postal = format!("{prefix}-{}", rng.digits(4));
    (postal, a, pref.to_string(), written || unique)
}

fn address_doc(rng: &mut Rng, b: &mut Builder) {
    let mut lines = rng.range(2, 4);
    while lines > 0 {
        if rng.chance(35) {
            b.s(rng.pick(NOT_ADDRESSES)).s("\n");
            continue;
        }
        lines -= 1;
        let (postal, addr, pref, known) = genre_address(rng);
        // Without a postal code an ambiguous municipality tells no prefecture.
        let told = if known { pref.as_str() } else { "" };
        match rng.below(6) {
            // Signature block: the postal code alone on the line above.
            0 => {
                let (cname, _) = company(rng);
                b.s(cname).s("\n").s(rng.pick(DEPTS)).s("\n");
                let indent = *rng.pick(&["", "  "]);
                b.s(indent)
                    .s("〒")
                    .g("postal-code", &postal)
                    .s("\n")
                    .s(indent);
                b.addr(&addr, &pref).s("\n");
            }
            // Postal code and address on one line.
            1 => {
                b.s(rng.pick(&["", "本社：", "所在地："])).s("〒");
                b.g("postal-code", &postal)
                    .s(" ")
                    .addr(&addr, &pref)
                    .s("\n");
            }
            // A label, sometimes with a postal code.
            2 | 3 => {
                b.s(rng.pick(ADDR_LABELS));
                if rng.chance(40) {
                    b.s("〒").g("postal-code", &postal).s(" ");
                    b.addr(&addr, &pref).s("\n");
                } else {
                    b.addr(&addr, told).s("\n");
                }
            }
            // In a sentence.
            _ => {
                let (pre, post) = *rng.pick(&[
                    ("弊社は", "に移転いたしました。"),
                    ("会場は", "です。"),
                    ("お荷物は", "までお送りください。"),
                    ("新オフィス：", "（最寄り駅から徒歩5分）"),
                ]);
                b.s(pre).addr(&addr, told).s(post).s("\n");
            }
        }
    }
}
