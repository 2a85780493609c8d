"""Row makers and expressions the house assessment's parts share (forms/compile/library/house_assessment.py,
house_assessment_house.py)."""

from forms.compile.library.rows import REQUIRED, q
from forms.roles import funds_role

YEAR = "int(format-date(today(), '%Y'))"
BIRTH_YEAR = (
    f". >= 1900 and . <= {YEAR}",
    "Năm sinh phải từ 1900 đến năm nay.",
    "The birth year must be between 1900 and this year.",
)
MONEY = (". >= 0", "Số tiền không được âm.", "The amount cannot be negative.")
YES = "'yes'"


def _money(name, vi, en, source):
    return q(
        "integer", name, (vi, en), required=REQUIRED, constraint=MONEY, default="0", role=funds_role(source)
    )


def _durable(name, vi, en, hint_vi, hint_en):
    return q(
        "select_one durability", name, (vi, en), (hint_vi, hint_en), required=True, appearance="horizontal"
    )


def _yes_no(name, vi, en, **kw):
    return q("select_one yes_no", name, (vi, en), required=True, appearance="horizontal", **kw)
