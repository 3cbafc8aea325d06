#!/usr/bin/env python3
"""Builds the ENAMDICT person-name tables embedded by src/detect/name/gazetteer.rs.

Input: the ENAMDICT file of the Debian package `enamdict` (EUC-JP, EDICT
format: `SURFACE [READING] /(kinds) Romaji/`), by default as unpacked by

    apt-get download enamdict && dpkg-deb -x enamdict_*_all.deb x
    python3 dictionaries/gen_names_table.py x/usr/share/edict/enamdict

Output (both sorted byte-wise by key, one record a line, '\\n'-terminated,
searched by binary search over the bytes; see gazetteer.rs):

- dictionaries/enamdict_names.bin: every surface (at most MAX_CHARS
  characters) with a person entry (s, g, m, f, u):
      SURFACE \\t FLAGS (KINDS KANA*)* \\n
  FLAGS is 0x80 | the kinds of every entry of the surface (place and
  company entries included, as negative evidence); each reading is one
  KINDS byte (0x80 | the kinds of that entry) followed by its kana, one byte
  a kana (see KANA_BASE); a reading equal to the surface (a kana surface) is
  written empty. Readings of person entries only, best first: more kinds
  first (ENAMDICT tags a common reading with several: 充 みつる (m,f)
  before あつる (g)), then readings more surfaces share for the same role,
  then ENAMDICT's order.
- dictionaries/enamdict_readings.bin: every reading of a person entry with
  the union of its kinds (for names written in Latin letters):
      KANA* \\t KINDS \\n
- dictionaries/enamdict_persons.bin: the full names of particular persons
  (kind h: `青山圭秀`, `ジョージソロス`, `バーソロミュー・ロバーツ`), at most
  MAX_FULL_CHARS characters, keyed as text is looked up: with `・`, `＝`,
  `=` and spaces removed (`バーソロミューロバーツ`); and, for katakana
  names, their ASCII romaji, lower-cased with spaces removed
  (`georgesoros`):
      KEY \\t SPLIT \\n
  SPLIT is 0x80 | the characters of the surname part when ENAMDICT spells
  the split (a surname of the table whose reading begins the full name's
  reading, `青山|圭秀`; or the last `・` of a katakana surface), else 0x80.
  The names table's kinds byte is full (0x80 + 7 kinds), so `h` has a table
  of its own; a surface with both keeps its other kinds in the names table.

Kind bits: s=1 g=2 m=4 f=8 u=16 p=32 c=64 (h is kept apart, see above).
"""

import collections
import re
import sys
from pathlib import Path

KIND_BITS = {"s": 1, "g": 2, "m": 4, "f": 8, "u": 16, "p": 32, "c": 64}
PERSON = 1 | 2 | 4 | 8 | 16
SURNAME = 1
GIVEN = 2 | 4 | 8
MAX_CHARS = 6
# Full names (kind h) longer than this are left out (0.4% of them).
MAX_FULL_CHARS = 16
# Removed from a full name's key (text writes katakana names with them).
JOINERS = re.compile(r"[・＝=\s\u3000]")
# Katakana ァ (U+30A1) .. ヺ (U+30FA) -> 0x20 .. 0x79; ー ヽ ヾ -> 0x7A 0x7B 0x7C.
KANA_BASE = 0x20
EXTRA = {"ー": 0x7A, "ヽ": 0x7B, "ヾ": 0x7C}

LINE = re.compile(r"^(\S+) (?:\[(\S+)\] )?/\(([^)]*)\) (.*)$")


def katakana(s):
    return "".join(
        chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" or c in "ゝゞ" else c for c in s
    )


def encode_kana(r):
    """One byte a kana, or None when the reading holds anything else."""
    out = bytearray()
    for c in katakana(r):
        if "ァ" <= c <= "ヺ":
            out.append(KANA_BASE + ord(c) - 0x30A1)
        elif c in EXTRA:
            out.append(EXTRA[c])
        else:
            return None
    return bytes(out)


def parse(path):
    """(surface -> [(reading, kinds bits)] in file order,
    [(surface, reading, romaji glosses)] of the full names, kind h)."""
    entries = collections.defaultdict(list)
    full = []
    text = Path(path).read_bytes().decode("euc_jp", errors="replace")
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        surfaces, readings, kinds, glosses = m.groups()
        if "h" in kinds.split(","):
            for s in surfaces.split(";"):
                if "\t" not in s and "\ufffd" not in s:
                    full.append((s, (readings or s).split(";")[0], glosses))
        bits = 0
        for k in kinds.split(","):
            bits |= KIND_BITS.get(k, 0)
        if bits == 0:
            continue
        for s in surfaces.split(";"):
            for r in (readings or s).split(";"):
                if "\t" in s or "\ufffd" in s:
                    continue
                entries[s].append((r, bits))
    return entries, full


def is_katakana_name(s):
    return all("ァ" <= c <= "ヺ" or c in "ー・＝=" for c in s)


def surname_split(s, reading, entries):
    """Characters of the surname part of full name `s` read `reading`: the
    longest prefix that is a surname read as the reading begins (with a
    given-name rest preferred), or the last `・` of a katakana name; 0."""
    if is_katakana_name(s):
        key = JOINERS.sub("", s)
        cut = max(s.rfind("・"), s.rfind("＝"), s.rfind("="))
        if cut <= 0:
            return 0
        return len(JOINERS.sub("", s[:cut]))
    r = katakana(reading)
    best = 0
    for k in range(len(s) - 1, 0, -1):
        head, rest = s[:k], s[k:]
        heads = [katakana(x) for x, b in entries.get(head, []) if b & SURNAME]
        if not any(r.startswith(h) for h in heads):
            continue
        given = any(b & (GIVEN | 16) for _, b in entries.get(rest, []))
        if given:
            return k
        if best == 0:
            best = k
    return best


def romaji_keys(glosses):
    """Lower-cased ASCII romaji of a full name's glosses, spaces removed
    (`George Soros` -> `georgesoros`); one word or non-ASCII is skipped."""
    out = set()
    for g in glosses.split("/"):
        g = re.sub(r"\s*\([^)]*\)", "", g).strip()
        words = g.split()
        if 2 <= len(words) <= 4 and all(re.fullmatch(r"[A-Za-z][A-Za-z'.-]*", w) for w in words):
            out.add("".join(re.sub(r"[^A-Za-z]", "", w) for w in words).lower())
    return out


def full_names(full, entries):
    """The records of enamdict_persons.bin."""
    split = {}
    for s, r, glosses in full:
        key = JOINERS.sub("", s)
        if not 2 <= len(key) <= MAX_FULL_CHARS:
            continue
        k = surname_split(s, r, entries)
        split[key] = max(split.get(key, 0), min(k, 0x7F))
        if is_katakana_name(s):
            for rk in romaji_keys(glosses):
                split.setdefault(rk, 0)
    return sorted(k.encode("utf-8") + b"\t" + bytes([0x80 | v]) for k, v in split.items())


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "x/usr/share/edict/enamdict"
    out_dir = Path(__file__).resolve().parent
    entries, full = parse(src)
    person = {
        s: v
        for s, v in entries.items()
        if len(s) <= MAX_CHARS and any(b & PERSON for _, b in v)
    }
    # How many surfaces share a reading, per role.
    shared = collections.Counter()
    for s, v in person.items():
        for r, b in v:
            for role in (SURNAME, GIVEN, 16):
                if b & role:
                    shared[(katakana(r), role)] += 1

    def popularity(r, b):
        return max(shared[(katakana(r), role)] for role in (SURNAME, GIVEN, 16) if b & role)

    names = []
    reading_kinds = collections.defaultdict(int)
    for s, v in person.items():
        flags = 0
        for _, b in v:
            flags |= b
        own = encode_kana(s)
        ranked = sorted(
            ((i, r, b) for i, (r, b) in enumerate(v) if b & PERSON),
            key=lambda t: (-bin(t[2]).count("1"), -popularity(t[1], t[2]), t[0]),
        )
        rec = bytearray(s.encode("utf-8"))
        rec += b"\t" + bytes([0x80 | flags])
        seen = set()
        for _, r, b in ranked:
            k = encode_kana(r)
            if k is None or (k, b) in seen:
                continue
            seen.add((k, b))
            reading_kinds[k] |= b & PERSON
            rec += bytes([0x80 | b]) + (b"" if k == own else k)
        names.append(bytes(rec))
    names.sort(key=lambda rec: rec.split(b"\t", 1)[0] + b"\t")
    readings = sorted(k + b"\t" + bytes([0x80 | b]) for k, b in reading_kinds.items() if k)
    (out_dir / "enamdict_names.bin").write_bytes(b"\n".join(names) + b"\n")
    (out_dir / "enamdict_readings.bin").write_bytes(b"\n".join(readings) + b"\n")
    persons = full_names(full, entries)
    (out_dir / "enamdict_persons.bin").write_bytes(b"\n".join(persons) + b"\n")
    print(f"{len(names)} surfaces, {len(readings)} readings, {len(persons)} full names")


if __name__ == "__main__":
    main()
