"""`forms.preview` (every page as the phone will show it, whatever the answers) and `forms.explain`
(an expression in words: labels for questions and choices)."""

from forms.definition import load
from forms.explain import in_words
from forms.preview import MAX_CHOICES, preview
from forms.session import FormSession
from tests.forms.engine_helpers import definition, group, q, repeat, yes_no


def _form():
    kinds = [{"name": f"k{i}", "label": {"vi": f"Loại {i}", "en": f"Kind {i}"}} for i in range(MAX_CHOICES + 5)]
    return load(definition(
        q("helped", "select_one", list_name="yn", label={"vi": "Đã được hỗ trợ?", "en": "Helped before?"},
          required=True),
        q("year", "integer", relevant="${helped} = 'yes'", constraint=". >= 1990 and . <= 2026",
          constraint_message={"vi": "Năm từ 1990.", "en": "From 1990."}, hint={"vi": "Năm nhận", "en": "Year"}),
        q("kinds", "select_multiple", list_name="kinds"),
        q("other", relevant="selected(${kinds}, 'k1') or not(selected(${kinds}, 'k2'))",
          required="${helped} != ''"),
        group("gated", [q("g1", relevant="${year} > 2000")], appearance="field-list", relevant="${helped} = 'no'"),
        group("open", [q("o1")], relevant="${year} < 2010"),  # transparent: its condition goes on o1
        repeat("rooms", [q("room"), repeat("windows", [q("width", "decimal")])]),
        q("total", "calculate", calculation="1"),
        choices={"yn": yes_no(), "kinds": kinds},
    ))


def test_every_page_is_there_whatever_the_answers():
    form = _form()
    assert [p.key for p in FormSession(form).pages()] == ["helped", "kinds", "other", "rooms"]  # empty answers
    pages = preview(form, "vi")
    assert [p.title for p in pages] == ["Đã được hỗ trợ?", "YEAR", "KINDS", "OTHER", "GATED", "O1", "ROOMS"]
    assert [p.number for p in pages] == list(range(1, 8))
    assert [p.kind for p in pages] == ["question"] * 4 + ["group", "question", "repeat"]


def test_a_question_reads_as_the_phone_shows_it():
    pages = preview(_form(), "vi")
    helped, year = pages[0].items[0], pages[1].items[0]
    assert (helped.label, helped.required, helped.choices) == ("Đã được hỗ trợ?", True, ("Có", "Không"))
    assert year.hint == "Năm nhận" and not year.required
    assert year.condition == "Chỉ hiện khi «Đã được hỗ trợ?» là «Có»."
    assert year.notes == ("Kiểm tra: câu trả lời từ 1990 trở lên và câu trả lời không quá 2026.",
                          "Nếu sai, máy báo: «Năm từ 1990.»")
    kinds = pages[2].items[0]
    assert len(kinds.choices) == MAX_CHOICES and kinds.more_choices == 5
    other = pages[3].items[0]
    assert other.required  # required on a condition still shows its «*»
    assert other.condition == "Chỉ hiện khi «KINDS» có chọn «Loại 1» hoặc «KINDS» không chọn «Loại 2»."
    assert other.notes == ("Bắt buộc khi «Đã được hỗ trợ?» đã trả lời.",)
    assert helped.condition == "" and pages[2].items[0].notes == ()


def test_groups_and_repeats_carry_their_conditions_and_items():
    pages = preview(_form(), "en")
    gated = pages[4]
    assert gated.condition == "Shown only when “Helped before?” is “No”."
    assert gated.items[0].condition == "Shown only when “year” is more than 2000."  # the group's own is the page's
    assert pages[5].items[0].condition == "Shown only when “year” is less than 2010."  # a transparent group's
    rooms = pages[6]
    assert [(i.kind, i.label) for i in rooms.items] == [
        ("repeat_item", "rooms [1]"), ("question", "room"), ("repeat_item", "windows [1]"), ("question", "width"),
        ("repeat_add", "windows"), ("repeat_add", "rooms")]


def test_expressions_in_words():
    form = _form()
    assert in_words("${helped} = 'yes'", form, "vi") == "«Đã được hỗ trợ?» là «Có»"
    assert in_words("'no' != ${helped}", form, "vi") == "«Đã được hỗ trợ?» không phải «Không»"
    assert in_words("${year} = ''", form, "en") == "“year” is empty"
    assert in_words("10 < ${year}", form, "vi") == "«YEAR» lớn hơn 10"
    assert in_words("${year} >= 1 and (${helped} = 'yes' or ${year} < 3)", form, "vi") == \
        "«YEAR» từ 1 trở lên và («Đã được hỗ trợ?» là «Có» hoặc «YEAR» nhỏ hơn 3)"
    assert in_words("string-length(.) <= 12", form, "vi") == "độ dài của câu trả lời không quá 12"
    assert in_words("${year} + 1 > today()", form, "en") == "“year” + 1 is more than today"
    assert in_words("regex(., '^[0-9]+$')", form, "en") == "regex(the answer, “^[0-9]+$”)"
    assert in_words("${nobody} = 1", form, "vi") == "«nobody» là 1"  # not a question of the form: its name
    assert in_words("${year} = (", form, "vi") == "${year} = ("  # does not parse: as written
    assert in_words(None, form, "vi") == ""
