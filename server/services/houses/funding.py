"""Support amounts (mức hỗ trợ) and per-house funding by source.

The rules are configuration: a programme maps beneficiary group x build kind to an amount, plus a
top-up table used when the house's unit is flagged as a poor district (huyện nghèo). Defaults follow
PROGRAMME.md §4 (Quảng Nam, NQ 13/2023/NQ-HĐND): 60 M / 30 M VND for new build / repair, and a
14 M / 7 M provincial top-up for poor and near-poor households in the poor districts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from forms.roles import FUND_SOURCES, funds_role
from forms.text import Catalogue
from server.errors import DomainError
from server.models import OrgUnit
from server.models.funding import HouseFunding, HouseFundingEvent, PoorDistrict
from server.params import MAX_MONEY, MAX_WORKDAYS, bounded_int
from server.services.houses import writes as house_writes
from server.services.reports.formatting import stored_time
from server.services.surveys.survey_facts import answer as form_answer

GROUPS = ("nguoi_co_cong", "poor", "other")
KINDS = ("new", "repair")
SOURCES = tuple(FUND_SOURCES)  # the one list of funding sources (forms.roles: a form's funds_<source>)
SOURCE_LABELS = Catalogue({
    "central_budget": {"vi": "Ngân sách trung ương", "en": "Central budget"},
    "provincial_budget": {"vi": "Ngân sách tỉnh", "en": "Provincial budget"},
    "local_budget": {"vi": "Ngân sách huyện, xã", "en": "District / commune budget"},
    "fund_for_the_poor": {"vi": "Quỹ Vì người nghèo", "en": "Fund for the Poor"},
    "gratitude_fund": {"vi": "Quỹ Đền ơn đáp nghĩa", "en": "Gratitude fund"},
    "sponsor": {"vi": "Nhà tài trợ", "en": "Sponsors"},
    "veterans_association": {"vi": "Hội Cựu chiến binh", "en": "Veterans Association"},
    "household": {"vi": "Hộ gia đình", "en": "Household"},
    "loan": {"vi": "Vốn vay", "en": "Loans"},
})
GROUP_LABELS = Catalogue({
    "nguoi_co_cong": {"vi": "Người có công", "en": "Meritorious service"},
    "poor": {"vi": "Hộ nghèo, cận nghèo", "en": "Poor / near-poor"},
    "other": {"vi": "Hộ khó khăn khác", "en": "Other hardship"},
})
# Answer values seen in forms, mapped onto the rule keys.
_GROUP_ALIASES = {
    "nguoi_co_cong": "nguoi_co_cong", "ncc": "nguoi_co_cong", "merit": "nguoi_co_cong",
    "martyr_relative": "nguoi_co_cong", "poor": "poor", "near_poor": "poor", "poor_near_poor": "poor",
    "ho_ngheo": "poor", "can_ngheo": "poor", "other": "other",
}
_KIND_ALIASES = {"new": "new", "new_build": "new", "xay_moi": "new", "build": "new",
                 "repair": "repair", "sua_chua": "repair"}

M = 1_000_000


def rule_error(what: str, value) -> DomainError:
    """An unknown beneficiary group, build kind or source, or an amount / workdays out of range."""
    if what in ("amount", "planned", "disbursed"):
        return DomainError("money_out_of_range", params={"value": value}, field=None if what == "amount" else what)
    if what == "workdays":
        return DomainError("workdays_out_of_range", params={"value": value}, field=what)
    return DomainError(f"unknown_{what}", params={"value": repr(value)}, field=what)


@dataclass(frozen=True)
class Programme:
    """Support levels of one programme (VND per house)."""

    name: str = "Quảng Nam 2023-2025 (NQ 13/2023/NQ-HĐND)"
    amounts: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: {
        "nguoi_co_cong": {"new": 60 * M, "repair": 30 * M},
        "poor": {"new": 60 * M, "repair": 30 * M},
        "other": {"new": 60 * M, "repair": 30 * M},
    })
    # In poor districts these groups get the provincial top-up instead (on top of MTQG money).
    poor_district_amounts: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: {
        "poor": {"new": 14 * M, "repair": 7 * M},
    })

    @classmethod
    def from_config(cls, cfg: Mapping | None) -> Programme:
        if not cfg:
            return cls()
        base = cls()
        return cls(
            name=cfg.get("name", base.name),
            amounts=cfg.get("amounts", base.amounts),
            poor_district_amounts=cfg.get("poor_district_amounts", base.poor_district_amounts),
        )


DEFAULT_PROGRAMME = Programme()


def normalise_group(value) -> str:
    key = _GROUP_ALIASES.get(str(value or "").strip().lower())
    if key is None:
        raise rule_error("group", value)
    return key


def normalise_kind(value) -> str:
    key = _KIND_ALIASES.get(str(value or "").strip().lower())
    if key is None:
        raise rule_error("kind", value)
    return key


def support_amount(group, kind, poor_district: bool, programme: Programme = DEFAULT_PROGRAMME) -> int:
    """The support (VND) one house is entitled to under the programme."""
    g, k = normalise_group(group), normalise_kind(kind)
    if poor_district and g in programme.poor_district_amounts:
        return int(programme.poor_district_amounts[g][k])
    return int(programme.amounts[g][k])


def check_source(source: str) -> str:
    if source not in SOURCES:
        raise rule_error("source", source)
    return source


# ---- the database side ---------------------------------------------------------------------------------


def is_poor_district(session, org_unit_id: int) -> bool:
    """True when the unit or one of its ancestors is flagged as a poor district."""


    unit = session.get(OrgUnit, org_unit_id)
    if unit is None:
        return False
    flagged = sa.select(OrgUnit.path).join(PoorDistrict, PoorDistrict.org_unit_id == OrgUnit.id)
    return any(unit.path.startswith(p) for p in session.scalars(flagged))


def poor_district_ids(session, unit_ids) -> set[int]:
    """Which of these units carry the poor-district flag themselves."""


    ids = list(unit_ids)
    return set(session.scalars(sa.select(PoorDistrict.org_unit_id).where(PoorDistrict.org_unit_id.in_(ids))))


def set_poor_district(session, org_unit_id: int, flagged: bool, note: str | None = None) -> None:
    """Flag (or unflag) a unit as a poor district; the support rules read the flag on the unit or an ancestor."""

    row = session.get(PoorDistrict, org_unit_id)
    if flagged and row is None:
        session.add(PoorDistrict(org_unit_id=org_unit_id, note=note))
    elif not flagged and row is not None:
        session.delete(row)
    session.flush()


def rule_inputs(form, answers: dict) -> tuple[str | None, str | None]:
    """(beneficiary group, build kind) as the form's `support_group` / `support_kind` questions say."""
    return form_answer(form, "support_group", answers), form_answer(form, "support_kind", answers)


# A form gives money per source with its `funds_<source>` questions (forms.roles): requested in an
# assessment, received to date in a construction-progress report; `workdays` pledged or given.
FUND_ROLES = {funds_role(src): src for src in SOURCES}
WORKDAYS = "workdays"
SUPPORT_SOURCES = tuple(s for s in SOURCES if s not in ("household", "loan"))  # "support", not own money


TEXT = Catalogue({  # the answer problems refused at ingest
    "workdays_range": {"vi": "Số ngày công phải từ 0 đến 1.000.000.", "en": "Workdays must be between 0 and 1,000,000."},
    "amount_range": {"vi": "Số tiền phải là số nguyên không âm, dưới 1 triệu tỷ đồng.",
                     "en": "The amount must be a whole number >= 0, below 10^15 đồng."},
})


def answer_problems(form, answers: dict, lang: str = "vi") -> list[dict]:
    """Money and workday answers beyond what the database and common sense hold, as field errors in
    the form engine's shape (refused at ingest, so that an approval can never fail on them)."""
    problems = []
    for role in (*FUND_ROLES, WORKDAYS):
        value = form_answer(form, role, answers)
        if value in (None, ""):
            continue
        key = form.node_for(role).name
        high = MAX_WORKDAYS if role == WORKDAYS else MAX_MONEY
        try:
            bounded_int(value, 0, high)
        except ValueError:
            msg = TEXT.text("workdays_range" if role == WORKDAYS else "amount_range", lang)
            problems.append({"field": key, "code": "constraint", "message": msg})
    return problems


def _amounts(form, answers: dict) -> dict[str, int]:
    """Positive amounts per source. An amount out of range (only in data stored before ingest
    refused them) raises money_out_of_range: the approval is refused rather than half written."""
    out = {}
    for role, source in FUND_ROLES.items():
        try:
            value = int(form_answer(form, role, answers) or 0)
        except (TypeError, ValueError):
            continue
        if value > MAX_MONEY:
            raise rule_error("amount", value)
        if value > 0:
            out[source] = value
    return out


def _history(session, row, actor_id=None, at=None) -> None:
    """Append the amounts of ``row`` after a change to the funding history (same transaction)."""

    session.add(HouseFundingEvent(house_id=row.house_id, source=row.source, planned=row.planned,
                                  disbursed=row.disbursed, workdays=row.workdays, actor_id=actor_id,
                                  **({"created_at": stored_time(at)} if at is not None else {})))


def commit_support(session, house, form, answers: dict, *, actor_id=None, programme: Programme = DEFAULT_PROGRAMME,
                   at=None):
    """On approval of an assessment, commit the planned funding once per house: the amounts the survey
    requests per source when it gives any, else the programme's support amount (provincial budget).
    Unknown group or kind and no amounts: nothing is committed."""

    house_writes.lock(session, house)  # "once per house" holds when two approvals of one house land together
    if session.query(HouseFunding).filter_by(house_id=house.id).first() is not None:
        return None
    planned = _amounts(form, answers)
    if not any(src in SUPPORT_SOURCES for src in planned):
        group, kind = rule_inputs(form, answers)
        try:
            planned["provincial_budget"] = support_amount(group or "other", kind,
                                                          is_poor_district(session, house.org_unit_id), programme)
        except DomainError:
            pass
    workdays = _int(form_answer(form, WORKDAYS, answers))
    if workdays and planned:
        planned.setdefault("household", 0)
    for source, amount in planned.items():
        row = HouseFunding(house_id=house.id, source=source, planned=amount, disbursed=0,
                           workdays=workdays if source == "household" else 0, updated_by_id=actor_id,
                           note=programme.name if source == "provincial_budget" else None)
        session.add(row)
        _history(session, row, actor_id, at)
    session.flush()
    return planned


def record_received(session, house, form, answers: dict, *, actor_id=None, at=None) -> dict:
    """On approval of a construction-progress survey: money received to date per source, and workdays."""
    received = _amounts(form, answers)
    workdays = _int(form_answer(form, WORKDAYS, answers))
    for source, amount in received.items():
        set_funding(session, house, source, disbursed=amount, actor_id=actor_id, at=at)
    if workdays:
        set_funding(session, house, "household", workdays=workdays, actor_id=actor_id, at=at)
    return received


def _int(value) -> int:
    try:
        return min(MAX_WORKDAYS, max(0, int(value or 0)))
    except (TypeError, ValueError):
        return 0


def set_funding(session, house, source: str, *, planned=None, disbursed=None, workdays=None, actor_id=None,
                at=None):
    """Create or update the row for one source; amounts are whole VND >= 0. The new amounts are also
    appended to the funding history, stamped ``at`` (default: now)."""

    check_source(source)
    house_writes.lock(session, house)  # two first writes of one source at the same moment: one row, never a 500
    row = session.query(HouseFunding).filter_by(house_id=house.id, source=source).first()
    if row is None:
        row = HouseFunding(house_id=house.id, source=source, planned=0, disbursed=0, workdays=0)
        session.add(row)
    for name, value in (("planned", planned), ("disbursed", disbursed), ("workdays", workdays)):
        if value is not None:
            n = int(value)
            if not 0 <= n <= (MAX_WORKDAYS if name == "workdays" else MAX_MONEY):
                raise rule_error(name, value)
            setattr(row, name, n)
    row.updated_by_id = actor_id
    if at is not None:
        row.updated_at = stored_time(at)
    _history(session, row, actor_id, at)

    house_writes.record(session, house, actor_id=actor_id, kind="funding", at=at,
           reason=f"{SOURCE_LABELS[source]['vi']}: kế hoạch {row.planned:,} đ, giải ngân {row.disbursed:,} đ, "
                  f"{row.workdays} ngày công".replace(",", "."))
    session.flush()
    return row


def house_funding(session, house_id: int, lang: str = "vi") -> list[dict]:

    rows = session.query(HouseFunding).filter_by(house_id=house_id).order_by(HouseFunding.source).all()
    return [{"source": r.source, "source_label": SOURCE_LABELS.text(r.source, lang),
             "planned": r.planned, "disbursed": r.disbursed, "workdays": r.workdays} for r in rows]
