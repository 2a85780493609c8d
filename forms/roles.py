"""What a question IS for the programme (its role), declared by the form, never guessed from its name.

An XLSForm declares a role in the survey column ``bind::maiam:role`` (pyxform passes ``bind::``
columns through as bind attributes, so the form stays valid for ODK and Kobo). The compiler checks
each role (``problem``), the definition carries ``role`` per node, and `forms.model.Form` answers
``form.node_for(role)`` / ``form.answer_for(role, answers)``. A form without a role simply lacks the
feature that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMN = "bind::maiam:role"
BIND_KEY = "maiam:role"
NAMESPACE = 'maiam="https://maiam.vn/xforms"'  # the settings `namespaces` cell XForms need for it

_CHOSEN = frozenset({"select_one", "calculate", "hidden", "text"})
_NUMBER = frozenset({"integer", "decimal", "calculate", "hidden"})


@dataclass(frozen=True)
class Role:
    id: str
    types: frozenset[str]
    vi: str
    en: str


# The funding sources (server.services.houses.funding.SOURCES): a form's `funds_<source>` question gives the
# money of that source (requested in an assessment, received to date in a progress report).
FUND_SOURCES = {
    "central_budget": ("Ngân sách trung ương", "Central budget"),
    "provincial_budget": ("Ngân sách tỉnh", "Provincial budget"),
    "local_budget": ("Ngân sách huyện, xã", "District / commune budget"),
    "fund_for_the_poor": ("Quỹ Vì người nghèo", "Fund for the Poor"),
    "gratitude_fund": ("Quỹ Đền ơn đáp nghĩa", "Gratitude fund"),
    "sponsor": ("Nhà tài trợ", "Sponsors"),
    "veterans_association": ("Hội Cựu chiến binh", "Veterans Association"),
    "household": ("Hộ tự có", "Household's own money"),
    "loan": ("Vốn vay", "Loans"),
}


def funds_role(source: str) -> str:
    return f"funds_{source}"


ROLES: dict[str, Role] = {
    r.id: r
    for r in (
        Role("head_name", frozenset({"text", "hidden", "calculate"}), "Họ và tên chủ hộ", "Household head's name"),
        Role("id_number", frozenset({"text", "hidden", "calculate"}), "Số CCCD của chủ hộ", "Head's ID (CCCD) number"),
        Role("birth_year", frozenset({"integer", "calculate", "hidden"}), "Năm sinh của chủ hộ", "Head's birth year"),
        Role("house_location", frozenset({"geopoint"}), "Vị trí ngôi nhà", "Where the house is"),
        Role("commune", frozenset({"text", "select_one", "hidden", "calculate"}), "Mã xã", "Commune code"),
        Role("village", frozenset({"select_one", "text", "hidden", "calculate"}), "Thôn", "Village"),
        Role("village_name", frozenset({"text"}), "Tên thôn không có trong danh sách", "Village typed by name"),
        Role("house_ref", frozenset({"text", "hidden"}), "Mã nhà do máy chủ cấp", "The server's house id"),
        Role("support_group", _CHOSEN, "Nhóm đối tượng hỗ trợ", "Beneficiary group"),
        Role("support_kind", _CHOSEN, "Xây mới hay sửa chữa", "Build new or repair"),
        Role("eligibility", _CHOSEN, "Kết luận đủ tiêu chí (yes/no)", "Eligibility verdict (yes/no)"),
        Role("land_status", _CHOSEN, "Kết luận về đất ở (yes/no)", "Land verdict (yes/no)"),
        Role("helped_before", _CHOSEN, "Đã từng được hỗ trợ nhà ở (yes/no)", "Had housing support before (yes/no)"),
        Role("construction_stage", frozenset({"select_one", "calculate", "hidden"}), "Giai đoạn xây dựng",
             "Construction stage"),
        Role("workdays", _NUMBER, "Số ngày công", "Workdays"),
        *(Role(funds_role(s), _NUMBER, f"Kinh phí: {vi}", f"Funds: {en}") for s, (vi, en) in FUND_SOURCES.items()),
    )
}


def problem(role: str, node_type: str, in_repeat: bool, taken_by: str | None) -> tuple[str, str] | None:
    """Why ``role`` cannot go on this question, as (en, vi); None when it can. ``taken_by``: the
    question that already has the role in this form, if any."""
    known = ROLES.get(role)
    if known is None:
        return (
            f"unknown role {role!r}; known roles: {', '.join(sorted(ROLES))}",
            f"vai trò {role!r} không tồn tại; các vai trò: {', '.join(sorted(ROLES))}",
        )
    if taken_by is not None:
        return (
            f"the role {role!r} is already given to {taken_by!r}: one question per role",
            f"vai trò {role!r} đã gán cho câu {taken_by!r}: mỗi vai trò chỉ một câu hỏi",
        )
    if node_type not in known.types:
        allowed = ", ".join(sorted(known.types))
        return (
            f"the role {role!r} ({known.en}) needs a question of type {allowed}, not {node_type!r}",
            f"vai trò {role!r} ({known.vi}) cần câu hỏi loại {allowed}, không phải {node_type!r}",
        )
    if in_repeat:
        return (
            f"the role {role!r} cannot be inside a repeat (one answer per survey)",
            f"vai trò {role!r} không được nằm trong nhóm lặp (mỗi phiếu chỉ một câu trả lời)",
        )
    return None
