"""Possible duplicate households: a new assessment that seems to describe a household already known.

A match is the same CCCD number (role `id_number`), or else the same head name and birth year (roles
`head_name`, `birth_year`) in the same commune, among households that are not rejected or withdrawn.
A matched survey changes no house: it is linked (``Submission.duplicate_of_house_id``, state ``open``)
and a reviewer decides "same household" (its facts are applied to that house on approval) or "different
household" (a new house is created on approval). Only houses inside the submitter's subtree are matched;
a CCCD found elsewhere is a signal (server.services.surveys.signals), never a link the volunteer could follow.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.models import House, OrgUnit, User
from server.services.accounts import access
from server.services.programme import unit_history
from server.services.surveys import survey_facts as facts

CLOSED = ("rejected", "withdrawn")  # households a new survey never joins


def normal_name(name) -> str:
    """«  Nguyễn  văn A » -> «nguyễn văn a» (NFC, case-folded, single spaces)."""
    return " ".join(unicodedata.normalize("NFC", str(name or "")).casefold().split())


def commune_of(session: Session, unit: OrgUnit) -> OrgUnit:
    if unit.level == "village" and unit.parent_id:
        return session.get(OrgUnit, unit.parent_id)
    return unit


def match(session: Session, actor: User, form, answers: dict, unit: OrgUnit) -> House | None:
    """The household this assessment seems to describe, within what the submitter may survey; None.
    Both ways of matching are read in one round trip: the CCCD's houses first, then same name and year."""
    cccd = facts.answer(form, "id_number", answers)
    name, year = normal_name(facts.answer(form, "head_name", answers)), facts.birth_year(form, answers)
    parts = []
    if cccd:
        parts.append(sa.select(sa.literal(0).label("way"), House.id, House.head_name)
                     .where(House.status.notin_(CLOSED), House.id_number == str(cccd)))
    if name and year is not None:
        commune = unit_history.unit_at(session, commune_of(session, unit).id)  # both by today's tree
        q, d = unit_history.join_unit(sa.select(sa.literal(1), House.id, House.head_name)
                                      .where(House.status.notin_(CLOSED)), House.org_unit_id)
        parts.append(q.where(House.birth_year == year, access.in_subtree(d.path, commune.path)))
    if not parts:
        return None
    rows = session.execute(sa.union_all(*(sa.select(part.subquery()) for part in parts))).all()
    for way, house_id, head_name in sorted(rows, key=lambda r: (r[0], r[1])):
        if way == 1 and normal_name(head_name) != name:  # names only: a commune has many houses of one year
            continue
        house = session.get(House, house_id)
        if access.can(actor, "submit", house):
            return house
    return None
