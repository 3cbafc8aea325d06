#!/usr/bin/env python3
"""Builds dictionaries/unidic_name_readings.bin, the common reading of a name
part, embedded by src/detect/name/readings.rs.

ENAMDICT lists a surface's readings in kana order, with no sign of which is
common (充: あつし, あつる, ..., たかし, ..., みつる), and IPADIC's costs for
person names often favour a rare one (充 タカシ before ミツル, 達郎 タツオ
before タツロウ). UniDic's costs come from a balanced corpus (BCCWJ), so its
cheapest reading of a surname or given name is the common one (充 ミツル,
達郎 タツロウ, 小和田 オワダ).

Inputs:
- UniDic's compiled MeCab dictionary `sys.dic`, as shipped by the PyPI
  package `unidic-lite` (UniDic 2.1.2; `pip download --no-deps unidic-lite`,
  unpack, `unidic_lite/dicdir/sys.dic`);
- the ENAMDICT file of the Debian package `enamdict` and IPADIC's
  `Noun.name.csv` (from dictionaries/ipadic-embed/data), which confirm a
  reading: UniDic's reading is kept only when ENAMDICT or IPADIC also has it
  as a person reading of the surface (UniDic has 颯太 only as フウタ, which
  neither lists: 颯太 keeps ENAMDICT's ソウタ).

    python3 dictionaries/gen_name_readings.py SYS_DIC ENAMDICT NOUN_NAME_CSV

Output (the names-table layout of gazetteer.rs, sorted byte-wise by key):
    SURFACE \\t FLAGS (KINDS KANA*)* \\n
FLAGS is 0x80 | the roles UniDic has the surface in (s=1, g=2); each reading
is one KINDS byte (0x80 | the roles it is the common reading of) and its
kana, cheapest first: at most one reading a role.
"""

import collections
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_names_table import MAX_CHARS, PERSON, encode_kana, katakana, parse  # noqa: E402

ROLE_BITS = {"姓": 1, "名": 2}
# MeCab sys.dic: a 72-byte header (ten u32 and a 32-byte charset), the
# double array, the tokens (16 bytes each: lcAttr, rcAttr, posid u16,
# wcost i16, feature offset u32, compound u32), the feature strings.
HEADER = struct.Struct("<10I")
TOKEN = struct.Struct("<HHHhII")


def unidic_names(path):
    """{(surface, role bit): {katakana reading: lowest cost}}"""
    d = Path(path).read_bytes()
    _, _, _, _, _, _, dsize, tsize, _, _ = HEADER.unpack_from(d, 0)
    charset = d[40:72].split(b"\0")[0].decode()
    toff = 72 + dsize
    foff = toff + tsize
    out = collections.defaultdict(dict)
    for i in range(tsize // TOKEN.size):
        _, _, _, cost, fe, _ = TOKEN.unpack_from(d, toff + TOKEN.size * i)
        end = d.index(b"\0", foff + fe)
        f = d[foff + fe : end].decode(charset).split(",")
        # pos1..4, cType, cForm, lForm (reading), lemma, orth, ...
        if len(f) < 9 or f[1] != "固有名詞" or f[2] != "人名" or f[3] not in ROLE_BITS:
            continue
        surface, reading = f[8], katakana(f[6])
        if not surface or len(surface) > MAX_CHARS or encode_kana(reading) is None:
            continue
        seen = out[(surface, ROLE_BITS[f[3]])]
        if reading not in seen or seen[reading] > cost:
            seen[reading] = cost
    return out


def ipadic_names(path):
    """{surface: {katakana reading}} of IPADIC's person names."""
    out = collections.defaultdict(set)
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        p = line.split(",")
        if len(p) > 11 and p[6] == "人名":
            out[p[0]].add(katakana(p[11]))
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    unidic = unidic_names(sys.argv[1])
    entries, _ = parse(sys.argv[2])
    ipadic = ipadic_names(sys.argv[3])
    best = collections.defaultdict(dict)  # surface -> {reading: (cost, roles)}
    dropped = 0
    for (surface, role), readings in unidic.items():
        confirmed = {katakana(r) for r, b in entries.get(surface, ()) if b & PERSON}
        confirmed |= ipadic.get(surface, set())
        ok = [(c, r) for r, c in readings.items() if r in confirmed]
        if not ok:
            dropped += 1
            continue
        cost, reading = min(ok)
        c0, roles = best[surface].get(reading, (cost, 0))
        best[surface][reading] = (min(c0, cost), roles | role)
    records = []
    for surface, readings in best.items():
        flags = 0
        rec = bytearray(surface.encode("utf-8")) + b"\t"
        body = bytearray()
        for reading, (_, roles) in sorted(readings.items(), key=lambda kv: kv[1][0]):
            flags |= roles
            k = encode_kana(reading)
            body += bytes([0x80 | roles]) + (b"" if k == encode_kana(surface) else k)
        rec += bytes([0x80 | flags]) + body
        records.append(bytes(rec))
    records.sort(key=lambda rec: rec.split(b"\t", 1)[0] + b"\t")
    out = Path(__file__).resolve().parent / "unidic_name_readings.bin"
    out.write_bytes(b"\n".join(records) + b"\n")
    print(f"{len(records)} surfaces; {dropped} (surface, role) pairs with no confirmed reading left out")


if __name__ == "__main__":
    main()
