"""The one normalise function: accents, đ, case and punctuation fold away; a query's words begin words."""

from forms.search import fold, matches, search_text, terms


def test_fold_drops_tones_hats_and_case():
    assert fold("  Nguyễn  Văn-Đức ") == "nguyen van duc"
    assert fold("ƯỚC Ơ Ầ đồng") == "uoc o a dong"
    assert fold(None) == ""
    assert fold("Nguyễn") == fold("Nguyê\u0303n")  # composed or decomposed, the same


def test_search_text_keeps_facts_apart():
    assert search_text("Hồ Văn Em", "049201000123", None, "Thôn 1") == " ho van em | 049201000123 | thon 1"
    assert search_text(None, "") == ""


def test_terms_and_matches():
    text = search_text("Nguyễn Văn Em", "049201000123", "Thôn 2", "Tình nguyện viên A")
    assert terms("Nguyen Van nguyen") == ["nguyen", "van"]
    assert matches(text, "Nguyen Van")
    assert matches(text, "nguyễn em")
    assert matches(text, "thon 2")
    assert not matches(text, "thon 3")
    assert matches(text, "000123")  # a long number: anywhere (the end of a CCCD)
    assert not matches(text, "guyen")  # a word matches the start of a word
    assert matches(text, "") and matches(text, "  ,. ")
