#!/usr/bin/env python3
"""Builds dictionaries/word_clusters.bin, the distributional word classes
embedded by src/detect/name/clusters.rs.

A name the model never saw in training (`ユリウス`, `班固`, `ラッセル`) has
no useful surface weight; what generalises is which words it is used like.
GiNZA's word vectors (chiVe, word2vec over the NWJC web corpus) are pruned
to 20,000 rows, and each of the 480,000 words is mapped to its nearest row,
so a row is already a class of words used alike: `項羽` shares its row
with `ソンケン` and `シュウユ`, `ピタゴラス` with `Euler` and `Laplace`,
`山田` with `典吾` and `佳臣`. This script writes, for every word, that row
and two coarser classes: spherical k-means over the rows' vectors into
1,024 and 128 classes (seeded, deterministic). Only the vectors are used,
never GiNZA's named-entity model (trained on annotated corpora).

Input: the `vocab/` directory of the PyPI package `ja-ginza` 5.3.0
(`pip download --no-deps ja-ginza==5.3.0`, unzip the wheel,
`ja_ginza/ja_ginza-5.3.0/vocab`). Needs numpy and msgpack.

    python3 dictionaries/gen_word_clusters.py VOCAB_DIR > dictionaries/word_clusters.bin

Words kept: 1-12 characters of kana/kanji (and `・`/`＝`), or a Latin word
that starts with a capital; nothing with digits.

Output (sorted byte-wise by key, the names-table layout of gazetteer.rs):
    SURFACE \\t R1 R2 F1 F2 C \\n
R = the row (0..20000) as two 7-bit bytes, F = the 1,024-class as two,
C = the 128-class as one; every byte has its high bit set, so none is a
tab or a line break.
"""

import json
import re
import struct
import sys
from pathlib import Path

import msgpack
import numpy as np

KEEP_JA = re.compile(r"[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶー・＝]{1,12}")
KEEP_LATIN = re.compile(r"[A-Z][A-Za-z'\-.]{1,11}")
FINE, COARSE = 1024, 128


def murmur64a(data, seed=1):
    """MurmurHash64A, the hash spaCy keys its strings by."""
    m, r, mask = 0xC6A4A7935BD1E995, 47, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    n8 = len(data) // 8
    for i in range(n8):
        k = struct.unpack_from("<Q", data, i * 8)[0]
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h ^= k
        h = (h * m) & mask
    tail = data[n8 * 8 :]
    for i in range(len(tail) - 1, -1, -1):
        h ^= tail[i] << (8 * i)
    if tail:
        h = (h * m) & mask
    h ^= h >> r
    h = (h * m) & mask
    h ^= h >> r
    return h


def kmeans(x, k, seed, iters=25):
    """Spherical k-means (cosine), k-means++ start; x is row-normalised."""
    rng = np.random.RandomState(seed)
    centers = [x[rng.randint(len(x))]]
    best = 1 - x @ centers[0]
    for _ in range(1, k):
        p = np.maximum(best, 0) ** 2
        c = x[rng.choice(len(x), p=p / p.sum())]
        centers.append(c)
        best = np.minimum(best, 1 - x @ c)
    c = np.array(centers)
    for _ in range(iters):
        label = np.argmax(x @ c.T, axis=1)
        for j in range(k):
            members = x[label == j]
            if len(members):
                v = members.sum(axis=0)
                c[j] = v / max(np.linalg.norm(v), 1e-9)
    return np.argmax(x @ c.T, axis=1)


def main():
    vocab = Path(sys.argv[1])
    key2row = msgpack.unpackb((vocab / "key2row").read_bytes(), strict_map_key=False)
    vectors = np.load(vocab / "vectors")
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    fine = kmeans(vectors, FINE, seed=1)
    coarse = kmeans(vectors, COARSE, seed=2)
    out = []
    for word in json.loads((vocab / "strings.json").read_text(encoding="utf-8")):
        if not (KEEP_JA.fullmatch(word) or KEEP_LATIN.fullmatch(word)):
            continue
        row = key2row.get(murmur64a(word.encode()))
        if row is None:
            continue
        f, c = int(fine[row]), int(coarse[row])
        value = bytes(
            [0x80 | row >> 7, 0x80 | row & 0x7F, 0x80 | f >> 7, 0x80 | f & 0x7F, 0x80 | c]
        )
        out.append((word.encode(), value))
    out.sort()
    w = sys.stdout.buffer
    for key, value in out:
        w.write(key + b"\t" + value + b"\n")
    print(f"{len(out)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
