"""Several columns masked together (mask.table), as the CLI masks a CSV."""

import pytest

import mask
from mask.table import mask_table


def test_names_from_a_name_column_are_masked_in_free_text_columns():
    m = mask.Masker(threads=1)
    names = ["氏名", "電話番号", "備考"]
    cols = [
        ["鈴木 美咲", "佐藤 健太", None],
        ["090-1234-5678", "03-1234-5678", "06-1111-2222"],
        ["鈴木美咲様宛に領収書を同封してください", "佐藤宛", "置き配可"],
    ]
    out = mask_table(m, names, cols)
    assert out[0] == ["S.M.", "S.K.", None]
    assert all(v.endswith(v0[-4:]) and v0[:8] not in v for v, v0 in zip(out[1], cols[1]))
    assert "鈴木" not in out[2][0] and "美咲" not in out[2][0]
    assert out[2][0].endswith("様宛に領収書を同封してください")
    assert "佐藤" not in out[2][1]
    assert out[2][2] == "置き配可"


def test_cells_with_quotes_commas_and_newlines_come_back_whole():
    m = mask.Masker(threads=1)
    cells = ['a "quoted", b', "line1\nline2", "", ",", '"']
    out = mask_table(m, ["メモ"], [cells])
    assert out == [cells]


def test_blocked_cells_raise_or_become_labels():
    strict = mask.Masker("strict", threads=1)
    names = ["電話番号", "備考"]
    cols = [["090-1234-5678", "03-1234-5678"], ["個人番号 123456789018", "なし"]]
    with pytest.raises(mask.BlockedError):
        mask_table(strict, names, cols)
    out = mask_table(strict, names, cols, errors="withhold")
    assert out[1][0].startswith("[mask: withheld")
    assert "123456789018" not in repr(out)
    assert out[1][1] == "なし"
    assert "1234-5678" not in out[0][0]
    with pytest.raises(ValueError):
        mask_table(strict, names, cols, errors="ignore")
