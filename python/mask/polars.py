"""Masking columns of a Polars DataFrame on one machine.

>>> import polars as pl
>>> from mask.polars import mask_columns
>>> df = pl.DataFrame({"tel": ["090-1234-5678"], "qty": [1]})
>>> mask_columns(df, ["tel"])["tel"].to_list()
['***-****-5678']

Each column is masked with :meth:`mask.Masker.mask_batch` (GIL released, on the
masker's rayon pool), batch by batch; nulls stay null, other columns are not
touched. A cell the policy blocks raises :class:`mask.BlockedError` unless
``errors="withhold"`` (the cell then holds a ``[mask: withheld: ...]`` label).
"""

from __future__ import annotations

from typing import Iterable, Optional

import polars as pl

from . import Masker, masker as shared_masker


def mask_series(s: pl.Series, m: Masker, errors: str = "raise") -> pl.Series:
    """The masked copy of a string Series (nulls kept)."""
    values = s.cast(pl.Utf8).to_list()
    present = [v for v in values if v is not None]
    masked = iter(m.mask_batch(present, "text", errors))
    return pl.Series(s.name, [None if v is None else next(masked) for v in values], dtype=pl.Utf8)


def mask_columns(
    df: pl.DataFrame | pl.LazyFrame,
    columns: Iterable[str],
    policy: Optional[str] = None,
    errors: str = "raise",
):
    """``df`` with ``columns`` masked (a LazyFrame stays lazy)."""
    m = shared_masker(policy)
    exprs = [
        pl.col(c).map_batches(lambda s, m=m: mask_series(s, m, errors), return_dtype=pl.Utf8)
        for c in columns
    ]
    return df.with_columns(exprs)
