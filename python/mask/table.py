"""Masking several columns of a table together, as the CLI masks a CSV.

Columns are masked as one CSV (header = the column names), so each column
gets its role from its name (``氏名`` → initials, ``電話番号`` → last four
digits, ``住所`` → prefecture) and a row's names, known from its name
columns, are masked in its free-text columns too (``備考: 鈴木美咲様宛に…``).
Masking each column alone would miss those. Used by :mod:`mask.polars` and
:mod:`mask.spark`.

>>> from mask import masker
>>> from mask.table import mask_table
>>> mask_table(masker(), ["氏名", "備考"], [["鈴木 美咲"], ["鈴木美咲様宛に送付"]])
[['S.M.'], ['S.M.様宛に送付']]
"""

from __future__ import annotations

import csv
import io
from typing import List, Optional, Sequence

from ._mask import BlockedError, MaskError, Masker

Column = Sequence[Optional[str]]

WITHHELD = "[mask: withheld"


def _to_csv(names: Sequence[str], columns: Sequence[Column]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(names)
    for row in zip(*columns):
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def _from_csv(text: str, names: Sequence[str], rows: int) -> List[List[str]]:
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    body = parsed[1:]
    if len(body) != rows or any(len(r) != len(names) for r in body):
        raise MaskError(
            f"masked table has {len(body)} rows of widths "
            f"{sorted({len(r) for r in body})}, expected {rows} x {len(names)}"
        )
    return [[r[i] for r in body] for i in range(len(names))]


def mask_table(
    m: Masker,
    names: Sequence[str],
    columns: Sequence[Column],
    errors: str = "raise",
) -> List[List[Optional[str]]]:
    """The masked copies of ``columns`` (equal lengths, named ``names``):
    nulls stay null. A cell the policy blocks raises :class:`BlockedError`,
    or with ``errors="withhold"`` becomes a ``[mask: withheld: ...]`` label
    (the other cells are still masked together)."""
    if errors not in ("raise", "withhold"):
        raise ValueError(f"errors must be 'raise' or 'withhold', not {errors!r}")
    if len(names) != len(columns):
        raise ValueError("one name per column")
    rows = len(columns[0]) if columns else 0
    if any(len(c) != rows for c in columns):
        raise ValueError("columns of different lengths")
    cols = [list(c) for c in columns]
    try:
        masked = _from_csv(m.mask(_to_csv(names, cols), "csv"), names, rows)
    except BlockedError:
        if errors == "raise":
            raise
        # Find the blocked cells one by one, label them, mask the rest
        # together.
        for c in cols:
            present = [v for v in c if v is not None]
            labels = iter(m.mask_batch(present, "text", "withhold"))
            for i, v in enumerate(c):
                if v is not None:
                    label = next(labels)
                    if label.startswith(WITHHELD):
                        c[i] = label
        masked = _from_csv(m.mask(_to_csv(names, cols), "csv"), names, rows)
    return [
        [None if orig is None else new for orig, new in zip(c, mc)]
        for c, mc in zip(columns, masked)
    ]
