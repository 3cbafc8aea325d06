"""Writes a generated Japanese EC order export (CSV, UTF-8) for the scale-out
examples: ``python examples/gen_orders.py ROWS OUT.csv``. Deterministic (seed 7).

Every row has a customer name and its reading, a phone number, an e-mail
address, a postal code and address, and a free-text note that sometimes
repeats the name or a phone number; the order id, date, item, quantity and
price are not personal and must come out unchanged.
"""

import csv
import random
import sys

SURNAMES = [("山田", "ヤマダ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"),
            ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("中村", "ナカムラ"),
            ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山本", "ヤマモト")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("健一", "ケンイチ"), ("美咲", "ミサキ"),
         ("大輔", "ダイスケ"), ("陽菜", "ヒナ"), ("翔太", "ショウタ"), ("由美", "ユミ")]
PLACES = [("東京都", "渋谷区渋谷", "150-0002"), ("大阪府", "大阪市北区梅田", "530-0001"),
          ("愛知県", "名古屋市中区栄", "460-0008"), ("福岡県", "福岡市中央区天神", "810-0001"),
          ("北海道", "札幌市中央区北一条西", "060-0001"), ("京都府", "京都市下京区烏丸通", "600-8216")]
ITEMS = ["有田焼 マグカップ", "今治タオル 2枚組", "静岡県産 深蒸し茶 100g", "南部鉄器 急須",
         "信州そば 乾麺 6束", "備前焼 花瓶"]
NOTES = ["置き配希望", "", "ギフト包装をお願いします", "午前中指定",
         "{name}様宛に領収書を同封してください", "不在時は{phone}へ連絡ください"]


def row(i, rnd):
    (sn, sr), (gn, gr) = rnd.choice(SURNAMES), rnd.choice(GIVEN)
    pref, town, postal = rnd.choice(PLACES)
    phone = f"090-{rnd.randrange(10000):04d}-{rnd.randrange(10000):04d}"
    name = f"{sn} {gn}"
    note = rnd.choice(NOTES).format(name=sn + gn, phone=phone)
    return [
        f"ORD-{i:08d}", f"2026-11-{1 + i % 28:02d} 10:{i % 60:02d}", name, f"{sr} {gr}",
        phone, f"user{i}@example.co.jp", postal,
        f"{pref}{town}{rnd.randrange(1, 5)}-{rnd.randrange(1, 30)}-{rnd.randrange(1, 20)}",
        rnd.choice(ITEMS), str(rnd.randrange(1, 5)), str(rnd.randrange(5, 300) * 100), note,
    ]


HEADER = ["注文番号", "注文日時", "氏名", "フリガナ", "電話番号", "メールアドレス",
          "郵便番号", "住所", "商品名", "数量", "金額", "備考"]
PERSONAL = ["氏名", "フリガナ", "電話番号", "メールアドレス", "郵便番号", "住所", "備考"]


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(7)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            w.writerow(row(i, rnd))


if __name__ == "__main__":
    main()
