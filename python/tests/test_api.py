"""The Python API: functions, Masker reuse, batches, errors."""

import threading

import pytest

import mask

MAIL = "山田太郎様\nお電話 090-1234-5678、メール taro.yamada@example.co.jp までご連絡ください。\n"


def test_mask_text_applies_the_default_policy():
    out = mask.mask_text(MAIL)
    assert "Y.T.様" in out
    assert "***-****-5678" in out
    assert "山田" not in out and "1234" not in out
    assert "までご連絡ください。" in out


def test_scan_returns_locations_never_values():
    found = mask.scan(MAIL)
    cats = [f.category for f in found]
    assert cats.count("phone") == 1 and "email" in cats and "name" in cats
    phone = next(f for f in found if f.category == "phone")
    assert (phone.line, phone.column) == (2, 5)
    assert "090" not in repr(found)


def test_masker_is_reused_and_reports_counts():
    m = mask.Masker("default", threads=2)
    text, counts = m.mask_with_counts(MAIL)
    assert counts["phone"] == 1 and counts["name"] >= 1
    assert m.mask(MAIL) == text
    assert m.policy == "default"


def test_mask_batch_matches_single_calls_in_order():
    m = mask.Masker(threads=2)
    texts = [f"{i}: 担当 佐藤花子 TEL 03-{i:04d}-5678" for i in range(200)]
    assert m.mask_batch(texts) == [m.mask(t) for t in texts]


def test_mask_batch_releases_the_gil():
    m = mask.Masker(threads=2)
    texts = ["TEL 090-1234-5678 " * 2000] * 64
    ticks = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks.append(1)

    t = threading.Thread(target=spin)
    t.start()
    try:
        m.mask_batch(texts)
    finally:
        stop.set()
        t.join()
    # The other Python thread ran while the batch was masked.
    assert len(ticks) > 100


def test_blocked_text_raises_and_returns_nothing():
    strict = mask.Masker("strict", threads=1)
    with pytest.raises(mask.BlockedError) as e:
        strict.mask("個人番号 123456789018")
    assert "123456789018" not in str(e.value)
    assert isinstance(e.value, mask.MaskError)


def test_batch_withhold_replaces_a_blocked_text_by_a_label():
    strict = mask.Masker("strict", threads=1)
    out = strict.mask_batch(["TEL 090-1234-5678", "個人番号 123456789018"], errors="withhold")
    assert out[0] == "TEL [電話番号]"
    assert out[1].startswith("[mask: withheld: blocked by policy")
    assert "123456789018" not in out[1]
    with pytest.raises(mask.BlockedError):
        strict.mask_batch(["個人番号 123456789018"])
    with pytest.raises(ValueError):
        strict.mask_batch([], errors="ignore")


def test_bad_policy_and_format_are_errors():
    with pytest.raises(mask.PolicyError):
        mask.Masker("/no/such/policy.toml")
    with pytest.raises(ValueError):
        mask.mask_text("x", format="xml")
    with pytest.raises(mask.FormatError):
        mask.mask_text("{not json", format="json")


def test_structured_text_is_masked_by_structure():
    csv_text = "氏名,電話番号,商品名\n山田太郎,090-1234-5678,有田焼 マグカップ\n"
    out = mask.mask_text(csv_text)
    assert out.splitlines()[0] == "氏名,電話番号,商品名"
    assert "有田焼 マグカップ" in out and "山田" not in out and "1234" not in out
