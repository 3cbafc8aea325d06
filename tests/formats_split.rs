//! Values split over several fields of one record (issue 10, items 4–5;
//! issue 11, item 4): phones in `…電話番号1/2/3` and `市外局番`/`市内局番`/
//! `加入者番号`, postal codes in `…郵便番号1/2`, names in `姓`/`名` with their
//! `カナ` fields, names in name fields as initials, and a record's names
//! masked in its own free text.
//!
//! The header rows are those of real exports, as public code that reads
//! them spells them (found with the search tool's `find_string`):
//! - 楽天 RMS 受注 CSV: header arrays and CSV bindings with `注文者郵便番号1`,
//!   `注文者姓`, `注文者名`, `注文者姓カナ`, `注文者名カナ`, `注文者電話番号1..3`,
//!   `送付先…` likewise, and the RMS order API's field table (`zipCode1/2`,
//!   `phoneNumber1..3`, `familyNameKana`);
//! - Yahoo!ショッピング order API / CSV field lists (`BillLastName`,
//!   `BillFirstNameKana`, `ShipZipCode`, `ShipPhoneNumber`, ...);
//! - Amazon Seller Central order reports (`buyer-name`,
//!   `buyer-phone-number`, `recipient-name`, `ship-postal-code`, ...);
//! - EC-CUBE order CSVs (`order_name01/02`, `order_kana01/02`,
//!   `order_tel01..03`, `order_zip01/02`).
//!
//! Every output is parsed back (with the `csv` crate, `serde_json`) and
//! checked for what a reader of it could still learn.

use mask::format::{process, scan, Format, Options};
use mask::{Masker, Policy};

fn masker(preset: &str) -> Masker {
    Masker::builder()
        .policy(Policy::preset(preset).unwrap())
        .threads(1)
        .build()
        .unwrap()
}

fn run(preset: &str, format: Format, input: &str) -> String {
    let out = process(&masker(preset), input.as_bytes(), &Options::new(format)).unwrap();
    String::from_utf8(out.bytes).unwrap()
}

fn records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Checks one masked table against its input: `phones` and `postals` are
/// groups of column names, `names` (column, expected initials) pairs,
/// `kept` columns that must come back byte for byte.
struct Expect<'a> {
    phones: &'a [&'a [&'a str]],
    postals: &'a [&'a [&'a str]],
    names: &'a [(&'a str, &'a [&'a str])],
    kept: &'a [&'a str],
}

fn check(input: &str, output: &str, e: &Expect<'_>) {
    let inp = records(input);
    let out = records(output);
    assert_eq!(inp.len(), out.len(), "{output}");
    assert_eq!(inp[0], out[0], "header row kept");
    let col = |h: &str| {
        inp[0]
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("no column {h}"))
    };
    for (r, (i, o)) in inp.iter().zip(&out).enumerate().skip(1) {
        for group in e.phones {
            let whole: String = group.iter().map(|h| digits(&i[col(h)])).collect();
            let last4 = &whole[whole.len().saturating_sub(4)..];
            let visible: String = group.iter().map(|h| digits(&o[col(h)])).collect();
            assert_eq!(visible, last4, "row {r} {group:?}: {o:?}");
            // A cell that ends before the last four digits keeps none.
            let mut at = 0;
            for h in *group {
                at += digits(&i[col(h)]).len();
                if at + 4 <= whole.len() {
                    assert!(digits(&o[col(h)]).is_empty(), "row {r} {h}: {o:?}");
                }
            }
            // No earlier piece readable anywhere else in the row.
            for h in &group[..group.len() - 1] {
                let piece = &i[col(h)];
                if piece.len() >= 3 {
                    for (c, cell) in o.iter().enumerate() {
                        if !e.kept.contains(&inp[0][c].as_str()) {
                            assert!(!cell.contains(piece.as_str()), "row {r}: {piece} in {cell}");
                        }
                    }
                }
            }
        }
        for group in e.postals {
            for h in *group {
                assert!(digits(&o[col(h)]).is_empty(), "row {r} {h}: {o:?}");
                assert_eq!(o[col(h)].chars().count(), i[col(h)].chars().count());
            }
        }
        for (h, want) in e.names {
            assert_eq!(o[col(h)], want[r - 1], "row {r} {h}");
        }
        for h in e.kept {
            assert_eq!(o[col(h)], i[col(h)], "row {r} {h}");
        }
    }
}

/// `scan` finds what masking masks: the same counts, and a finding at the
/// start of every cell that changed.
fn scan_agrees(preset: &str, format: Format, input: &str) {
    let m = masker(preset);
    let opts = Options::new(format);
    let masked = process(&m, input.as_bytes(), &opts).unwrap();
    let found = scan(&m, input.as_bytes(), &opts).unwrap();
    assert_eq!(found.summary.counts, masked.summary.counts);
    if format == Format::Csv {
        let out = String::from_utf8(masked.bytes).unwrap();
        let (inp, outp) = (records(input), records(&out));
        let lines: Vec<&str> = input.lines().collect();
        for (r, (i, o)) in inp.iter().zip(&outp).enumerate() {
            for (c, (a, b)) in i.iter().zip(o).enumerate() {
                if a == b {
                    continue;
                }
                let line = r as u64 + 1;
                let hit = found.hits.iter().any(|h| {
                    h.line == line && {
                        let byte = lines[r]
                            .char_indices()
                            .nth(h.column as usize - 1)
                            .map_or(usize::MAX, |(b, _)| b);
                        let cell_start = lines[r]
                            .split(',')
                            .take(c)
                            .map(|x| x.len() + 1)
                            .sum::<usize>();
                        byte >= cell_start && byte < cell_start + a.len().max(1)
                    }
                });
                assert!(hit, "no scan hit for row {r} column {c} ({a:?})");
            }
        }
    }
}

const RMS: &str = "注文番号,注文者郵便番号1,注文者郵便番号2,注文者住所都道府県,注文者住所郡市区,注文者住所それ以降の住所,注文者姓,注文者名,注文者姓カナ,注文者名カナ,注文者電話番号1,注文者電話番号2,注文者電話番号3,送付先郵便番号1,送付先郵便番号2,送付先姓,送付先名,送付先姓カナ,送付先名カナ,送付先電話番号1,送付先電話番号2,送付先電話番号3,商品名,個数,コメント
123456-20240101-0001,150,0002,東京都,渋谷区,神宮前1-2-3,東海林,花子,ショウジ,ハナコ,03,7664,1234,530,0001,中川,晃,ナカガワ,アキラ,090,8765,4321,りんご 5kg,2,東海林です。不在時は宅配ボックスへ
123456-20240101-0002,060,0001,北海道,札幌市,中央区1-1,佐藤,次郎,サトウ,ジロウ,011,222,33,060,0001,佐藤,次郎,サトウ,ジロウ,0120,12,3456,みかん,1,特になし
";

#[test]
fn rakuten_rms_split_cells() {
    let out = run("default", Format::Csv, RMS);
    check(
        RMS,
        &out,
        &Expect {
            phones: &[
                &["注文者電話番号1", "注文者電話番号2", "注文者電話番号3"],
                &["送付先電話番号1", "送付先電話番号2", "送付先電話番号3"],
            ],
            postals: &[
                &["注文者郵便番号1", "注文者郵便番号2"],
                &["送付先郵便番号1", "送付先郵便番号2"],
            ],
            names: &[
                ("注文者姓", &["S.", "S."]),
                ("注文者名", &["H.", "J."]),
                ("送付先姓", &["N.", "S."]),
                ("送付先名", &["A.", "J."]),
                ("注文者姓カナ", &["S.", "S."]),
            ],
            kept: &["注文番号", "商品名", "個数", "注文者住所都道府県"],
        },
    );
    let rows = records(&out);
    // The orderer's surname in the comment, from the name columns.
    assert_eq!(rows[1][24], "S.です。不在時は宅配ボックスへ", "{out}");
    assert_eq!(rows[2][24], "特になし");
    scan_agrees("default", Format::Csv, RMS);
}

#[test]
fn strict_still_labels_split_cells() {
    let out = run("strict", Format::Csv, RMS);
    let rows = records(&out);
    for (c, h) in rows[0].iter().enumerate() {
        if h.contains("電話番号") {
            assert_eq!(rows[1][c], "[電話番号]", "{h}");
        }
        if (h.starts_with("注文者") || h.starts_with("送付先"))
            && (h.ends_with('姓') || h.ends_with('名'))
        {
            assert_eq!(rows[1][c], "[氏名]", "{h}");
        }
    }
    assert!(!rows[1][24].contains("東海林"), "{out}");
}

const YAHOO: &str = "OrderId,BillLastName,BillFirstName,BillLastNameKana,BillFirstNameKana,BillZipCode,BillPrefecture,BillCity,BillAddress1,BillPhoneNumber,ShipLastName,ShipFirstName,ShipLastNameKana,ShipFirstNameKana,ShipZipCode,ShipPhoneNumber,Title,Quantity
store-10000001,東海林,花子,ショウジ,ハナコ,150-0002,東京都,渋谷区,神宮前1-2-3,03-7664-1234,中川,晃,ナカガワ,アキラ,530-0001,090-8765-4321,りんご 5kg,2
";

#[test]
fn yahoo_shopping_names_from_kana_columns() {
    let out = run("default", Format::Csv, YAHOO);
    check(
        YAHOO,
        &out,
        &Expect {
            phones: &[&["BillPhoneNumber"], &["ShipPhoneNumber"]],
            postals: &[&["BillZipCode"], &["ShipZipCode"]],
            names: &[
                ("BillLastName", &["S."]),
                ("BillFirstName", &["H."]),
                ("ShipLastName", &["N."]),
                ("ShipFirstName", &["A."]),
                ("BillFirstNameKana", &["H."]),
            ],
            kept: &["OrderId", "Title", "Quantity", "BillPrefecture"],
        },
    );
    scan_agrees("default", Format::Csv, YAHOO);
}

const AMAZON: &str = "order-id,buyer-email,buyer-name,buyer-phone-number,sku,product-name,quantity-purchased,recipient-name,ship-address-1,ship-city,ship-state,ship-postal-code,ship-phone-number
250-1234567-7654321,hanako@example.jp,東海林 花子,03-7664-1234,SKU-1,りんご 5kg,2,Tanaka Ichiro,神宮前1-2-3,渋谷区,東京都,150-0002,090-8765-4321
";

#[test]
fn amazon_jp_names_are_initials_not_labels() {
    let out = run("default", Format::Csv, AMAZON);
    check(
        AMAZON,
        &out,
        &Expect {
            phones: &[&["buyer-phone-number"], &["ship-phone-number"]],
            postals: &[&["ship-postal-code"]],
            names: &[("recipient-name", &["T.I."])],
            kept: &[
                "order-id",
                "sku",
                "product-name",
                "quantity-purchased",
                "ship-state",
            ],
        },
    );
    let rows = records(&out);
    // No reading column: the name detector's reading, else `＊.` per part.
    let buyer = &rows[1][2];
    assert!(!buyer.contains('[') && !buyer.contains("東海林"), "{buyer}");
    assert_eq!(buyer.matches('.').count(), 2, "{buyer}");
    assert!(
        buyer.split_inclusive('.').all(|p| p.len() <= 4
            && p.ends_with('.')
            && p.chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || c == '＊')),
        "{buyer}"
    );
    scan_agrees("default", Format::Csv, AMAZON);
}

const LOCAL_NUMBERS: &str = "顧客番号,氏名,フリガナ,市外局番,市内局番,加入者番号,電話番号(市外局番),電話番号(市内局番),電話番号(加入者番号),備考
C-0001,東海林 花子,ショウジ ハナコ,03,7664,1234,06,6123,4567,東海林様より
C-0002,中川 晃,ナカガワ アキラ,0797,12,345,,,,
";

#[test]
fn local_number_columns_are_one_phone() {
    let out = run("default", Format::Csv, LOCAL_NUMBERS);
    check(
        LOCAL_NUMBERS,
        &out,
        &Expect {
            phones: &[
                &["市外局番", "市内局番", "加入者番号"],
                &[
                    "電話番号(市外局番)",
                    "電話番号(市内局番)",
                    "電話番号(加入者番号)",
                ],
            ],
            postals: &[],
            names: &[("氏名", &["S.H.", "N.A."])],
            kept: &["顧客番号"],
        },
    );
    // A last piece shorter than four digits: the rule applies to the
    // concatenated number (0797-12-345 keeps 2345).
    let rows = records(&out);
    assert_eq!(rows[2][3..6], ["****", "*2", "345"], "{out}");
    scan_agrees("default", Format::Csv, LOCAL_NUMBERS);
}

const EC_CUBE: &str = "order_id,order_name01,order_name02,order_kana01,order_kana02,order_zip01,order_zip02,order_tel01,order_tel02,order_tel03,product_name,message
1001,東海林,花子,ショウジ,ハナコ,150,0002,03,7664,1234,りんご,花子です
";

#[test]
fn numbered_name_and_number_fields() {
    let out = run("default", Format::Csv, EC_CUBE);
    check(
        EC_CUBE,
        &out,
        &Expect {
            phones: &[&["order_tel01", "order_tel02", "order_tel03"]],
            postals: &[&["order_zip01", "order_zip02"]],
            names: &[("order_name01", &["S."]), ("order_name02", &["H."])],
            kept: &["order_id", "product_name"],
        },
    );
    assert_eq!(records(&out)[1][11], "H.です", "{out}");
}

fn json(preset: &str, input: &str) -> Vec<serde_json::Value> {
    let out = run(preset, Format::Jsonl, input);
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn json_user_name_seeds_its_record_only() {
    let input = "{\"user_name\":\"中川晃\",\"text\":\"中川の件で明日伺います。\"}\n\
                 {\"user_name\":\"佐藤一郎\",\"text\":\"中川の件で明日伺います。\"}\n\
                 {\"user_name\":\"東海林 花子\",\"user_name_kana\":\"ショウジ ハナコ\",\"text\":\"花子です\"}\n";
    let v = json("default", input);
    assert_eq!(v[0]["text"], "N.の件で明日伺います。");
    assert!(
        !v[0]["user_name"].as_str().unwrap().contains('['),
        "{}",
        v[0]
    );
    assert!(!v[0]["user_name"].as_str().unwrap().contains("中川"));
    // Not the next record's.
    assert_eq!(v[1]["text"], "中川の件で明日伺います。");
    // With a reading key: its initials, and the given name alone seeded.
    assert_eq!(v[2]["user_name"], "S.H.");
    assert_eq!(v[2]["user_name_kana"], "S.H.");
    assert_eq!(v[2]["text"], "H.です");
    scan_agrees("default", Format::Jsonl, input);
    // Strict labels the name field.
    let v = json("strict", input);
    assert_eq!(v[0]["user_name"], "[氏名]");
    assert!(!v[0]["text"].as_str().unwrap().contains("中川"), "{}", v[0]);
}

#[test]
fn json_split_keys() {
    let input = "[{\"id\":\"A-1\",\"last_name\":\"東海林\",\"first_name\":\"花子\",\"last_name_kana\":\"ショウジ\",\"first_name_kana\":\"ハナコ\",\"tel1\":\"03\",\"tel2\":\"7664\",\"tel3\":\"1234\",\"zip1\":\"150\",\"zip2\":\"0002\",\"note\":\"東海林の件\"},\
                  {\"id\":\"A-2\",\"last_name\":\"佐藤\",\"first_name\":\"次郎\",\"note\":\"東海林の件\"}]";
    let out = run("default", Format::Json, input);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = &v[0];
    assert_eq!(a["id"], "A-1");
    assert_eq!(a["last_name"], "S.");
    assert_eq!(a["first_name"], "H.");
    assert_eq!(
        (&a["tel1"], &a["tel2"], &a["tel3"]),
        (&"**".into(), &"****".into(), &"1234".into())
    );
    assert_eq!((&a["zip1"], &a["zip2"]), (&"***".into(), &"****".into()));
    assert_eq!(a["note"], "S.の件");
    // Each array element is its own record.
    assert_eq!(v[1]["note"], "東海林の件");
    assert!(
        !v[1]["last_name"].as_str().unwrap().contains('['),
        "{}",
        v[1]
    );
    scan_agrees("default", Format::Json, input);
}

#[test]
fn mail_from_display_name_is_initials_and_seeds_the_body() {
    let msg = "From: 中川 晃 <akira@example.jp>\r\nTo: 佐藤 <sato@example.jp>\r\nSubject: hi\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n中川の件で明日伺います。\r\n";
    let out = run("default", Format::Eml, msg);
    let from = out.lines().next().unwrap();
    assert!(!from.contains("中川") && !from.contains("[氏名]"), "{from}");
    assert!(out.contains("N.の件で明日伺います。"), "{out}");
    let strict = run("strict", Format::Eml, msg);
    // `[氏名]` as an RFC 2047 word, and in the body.
    assert!(
        strict.starts_with("From: =?UTF-8?B?W+awj+WQjV0=?= <"),
        "{strict}"
    );
    assert!(
        strict.contains("\r\n[氏名]の件で明日伺います。"),
        "{strict}"
    );
    scan_agrees("default", Format::Eml, msg);
}
