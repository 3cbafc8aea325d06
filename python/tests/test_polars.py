"""mask.polars: columns of a DataFrame masked, the rest untouched."""

import csv
import io
import pathlib
import subprocess
import sys

from conftest import require

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def test_mask_columns_masks_only_the_chosen_columns():
    pl = require("polars")
    from mask.polars import mask_columns

    df = pl.DataFrame(
        {
            "氏名": ["山田 太郎", None, "佐藤 花子"],
            "電話番号": ["090-1234-5678", "03-1111-2222", None],
            "金額": ["1200", "090-1234-5678", "3000"],
        }
    )
    out = mask_columns(df, ["氏名", "電話番号"])
    assert out["氏名"].to_list() == ["Y.T.", None, "S.H."]
    assert out["電話番号"].to_list() == ["***-****-5678", "**-****-2222", None]
    assert out["金額"].to_list() == df["金額"].to_list()
    lazy = mask_columns(df.lazy(), ["電話番号"]).collect()
    assert lazy["電話番号"].to_list() == out["電話番号"].to_list()


def test_polars_example_masks_a_generated_export(tmp_path):
    require("polars")
    src, dst = tmp_path / "orders.csv", tmp_path / "masked.csv"
    subprocess.run([sys.executable, EXAMPLES / "gen_orders.py", "300", src], check=True)
    run = subprocess.run(
        [sys.executable, EXAMPLES / "polars_mask_orders.py", src, dst],
        check=True, capture_output=True, text=True,
    )
    assert "300 rows" in run.stdout
    check_masked_export(src, dst)


def check_masked_export(src, dst_text_or_path):
    """Personal columns masked, the others byte for byte."""
    sys.path.insert(0, str(EXAMPLES))
    from gen_orders import HEADER, PERSONAL

    before = list(csv.DictReader(open(src, encoding="utf-8")))
    if isinstance(dst_text_or_path, pathlib.Path):
        dst_text_or_path = dst_text_or_path.read_text(encoding="utf-8")
    after = list(csv.DictReader(io.StringIO(dst_text_or_path)))
    assert len(after) == len(before)
    by_id = {r["注文番号"]: r for r in after}
    for b in before:
        a = by_id[b["注文番号"]]
        for col in HEADER:
            if col not in PERSONAL:
                assert a[col] == b[col], col
        assert a["電話番号"][-4:] == b["電話番号"][-4:] and b["電話番号"][:8] not in a["電話番号"]
        assert b["氏名"].split()[0] not in a["氏名"] and "." in a["氏名"]
        assert a["住所"] in {"東京都", "大阪府", "愛知県", "福岡県", "北海道", "京都府"}
        assert b["メールアドレス"] != a["メールアドレス"]
        surname = b["氏名"].split()[0]
        assert surname not in a["備考"]
