"""Masking columns of a Polars DataFrame on one machine.

>>> import polars as pl
>>> from mask.polars import mask_columns
>>> df = pl.DataFrame({"tel": ["090-1234-5678"], "qty": [1]})
>>> mask_columns(df, ["tel"])["tel"].to_list()
['***-****-5678']

The chosen columns are masked together, batch by batch, as the CLI masks a
CSV (:func:`mask.table.mask_table`: roles from the column names, a row's
names masked in its free-text columns); :func:`mask_series` masks one Series
as text. Nulls stay null, other columns are not touched. A cell the policy blocks raises :class:`mask.BlockedError` unless
``errors="withhold"`` (the cell then holds a ``[mask: withheld: ...]`` label).
"""

from __future__ import annotations

from typing import Iterable, Optional

import polars as pl

from . import Masker, masker as shared_masker
from .table import mask_table


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
    """``df`` with ``columns`` masked (a LazyFrame stays lazy). The columns
    are masked together, row by row, as the CLI masks a CSV
    (:func:`mask.table.mask_table`): pass a row's free-text columns along
    with its name columns, so the names are masked there too."""
    cols = list(columns)
    if not cols:
        return df
    m = shared_masker(policy)
    tmp = "__mask_masked__"

    def run(s: pl.Series) -> pl.Series:
        frame = s.struct.unnest()
        values = [frame[c].cast(pl.Utf8).to_list() for c in cols]
        masked = mask_table(m, cols, values, errors)
        return pl.DataFrame(
            {c: pl.Series(c, v, dtype=pl.Utf8) for c, v in zip(cols, masked)}
        ).to_struct(s.name)

    dtype = pl.Struct({c: pl.Utf8 for c in cols})
    return (
        df.with_columns(pl.struct(cols).map_batches(run, return_dtype=dtype).alias(tmp))
        .with_columns([pl.col(tmp).struct.field(c).alias(c) for c in cols])
        .drop(tmp)
    )
