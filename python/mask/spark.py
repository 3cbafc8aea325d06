"""Masking columns of a Spark DataFrame, one Masker per executor process.

``mask_columns(df, ["氏名", "電話番号"])`` returns a DataFrame with those string
columns masked; the rest pass through untouched. It runs as
``DataFrame.mapInArrow``: each Python worker builds its :class:`mask.Masker` once
(on first use, kept for the worker's life — Spark reuses workers by default)
and masks every Arrow batch's chosen columns together, as the CLI masks a
CSV (:func:`mask.table.mask_table`: roles from the column names, a row's
names masked in its free-text columns). The package (with its Rust
extension) must be installed where the executors' Python runs.

A cell the policy blocks fails the task (``errors="raise"``, the default) or
is replaced by a ``[mask: withheld: ...]`` label (``errors="withhold"``):
never passed through.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

from . import masker as shared_masker


def _mask_batches(columns, policy, errors, threads):
    import pyarrow as pa

    def run(batches: Iterator["pa.RecordBatch"]) -> Iterator["pa.RecordBatch"]:
        from . import Masker
        from .table import mask_table

        # One masker per worker process, built on the first batch.
        m = shared_masker(policy) if threads is None else Masker(policy, threads=threads)
        for batch in batches:
            names = [n for n in batch.schema.names if n in columns]
            values = [batch.column(n).to_pylist() for n in names]
            masked = dict(zip(names, mask_table(m, names, values, errors)))
            arrays = [
                pa.array(masked[n], type=pa.string()) if n in masked else col
                for n, col in zip(batch.schema.names, batch.columns)
            ]
            yield pa.RecordBatch.from_arrays(arrays, schema=batch.schema)

    return run


def mask_columns(
    df,
    columns: Iterable[str],
    policy: Optional[str] = None,
    errors: str = "raise",
    threads: Optional[int] = None,
):
    """``df`` with the string ``columns`` masked (see the module docs).

    ``threads`` sizes each worker's masker pool (default: every core of the
    worker); with several Python workers per machine, 1 avoids
    oversubscription."""
    from pyspark.sql.types import StringType

    cols = set(columns)
    missing = cols - set(df.columns)
    if missing:
        raise ValueError(f"no such columns: {sorted(missing)}")
    for f in df.schema.fields:
        if f.name in cols and not isinstance(f.dataType, StringType):
            raise TypeError(f"column {f.name!r} is {f.dataType.simpleString()}, not string")
    return df.mapInArrow(_mask_batches(cols, policy, errors, threads), df.schema)
