"""Masks the personal columns of an order export with Polars on one machine:
``python examples/polars_mask_orders.py IN.csv OUT.csv``. Prints rows,
seconds, rows/s and MB/s of input."""

import os
import sys
import time

import polars as pl

from mask.polars import mask_columns

sys.path.insert(0, os.path.dirname(__file__))
from gen_orders import PERSONAL  # noqa: E402


def main():
    src, dst = sys.argv[1], sys.argv[2]
    t0 = time.time()
    df = pl.read_csv(src, infer_schema=False)
    out = mask_columns(df, PERSONAL)
    out.write_csv(dst)
    secs = time.time() - t0
    mb = os.path.getsize(src) / 1e6
    print(f"polars: {out.height} rows, {secs:.1f} s, {out.height / secs:,.0f} rows/s, {mb / secs:.1f} MB/s")


if __name__ == "__main__":
    main()
