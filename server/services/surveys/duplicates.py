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
    """The household this assessment seems to describe, within what the submitter may survey; None."""
    cccd = facts.answer(form, "id_number", answers)
    open_houses = sa.select(House).where(House.status.notin_(CLOSED)).order_by(House.id)
    if cccd:
        for house in session.scalars(open_houses.where(House.id_number == str(cccd))):
            if access.can(actor, "submit", house):
                return house
    name, year = normal_name(facts.answer(form, "head_name", answers)), facts.birth_year(form, answers)
    if not name or year is None:
        return None
    commune = unit_history.unit_at(session, commune_of(session, unit).id)  # both by today's tree
    q, d = unit_history.join_unit(sa.select(House.id, House.head_name).where(House.status.notin_(CLOSED)),
                                  House.org_unit_id)
    same = [row.id for row in session.execute(q.where(House.birth_year == year,
                                                      access.in_subtree(d.path, commune.path)).order_by(House.id))
            if normal_name(row.head_name) == name]  # names only: a commune has many houses of one birth year
    for house_id in same:
        house = session.get(House, house_id)
        if access.can(actor, "submit", house):
            return house
    return None

