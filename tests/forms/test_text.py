"""forms.text: the one shape of translated text, {key: {"vi", "en"}}, shared by the phone and the server."""

from __future__ import annotations

import pytest

from forms.text import Catalogue, merge, prefixed


def test_text_formats_falls_back_to_vietnamese_and_never_raises():
    cat = Catalogue({"sent": {"vi": "Đã gửi {n} phiếu", "en": "Sent {n} surveys"}, "vi_only": {"vi": "Chỉ tiếng Việt"}})
    assert cat.text("sent", "en", n=2) == "Sent 2 surveys"
    assert cat.text("sent", "fr", n=2) == "Đã gửi 2 phiếu"
    assert cat.text("vi_only", "en") == "Chỉ tiếng Việt"
    assert cat.text("sent", "vi") == "Đã gửi {n} phiếu"  # missing parameter: the raw text
    assert cat.text("nope", "vi") == "nope"
    assert cat.language("en") == {"sent": "Sent {n} surveys", "vi_only": "Chỉ tiếng Việt"}


def test_problems_name_a_missing_language_an_empty_text_and_different_placeholders():
    cat = Catalogue({"a": {"vi": "A"}, "b": {"vi": " ", "en": "B"}, "c": {"vi": "{x}", "en": "{y}"},
                     "ok": {"vi": "Được", "en": "OK"}})
    assert cat.problems() == ["a: no en text", "b: no vi text", "c: vi and en placeholders differ"]


def test_merge_refuses_a_key_defined_twice():
    one = Catalogue({"a": {"vi": "A", "en": "A"}})
    assert set(merge(one, prefixed("x.", one))) == {"a", "x.a"}
    with pytest.raises(ValueError, match="twice"):
        merge(one, one)
