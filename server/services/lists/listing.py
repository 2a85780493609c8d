"""What every list page shares: the accent-insensitive search, a day range, a named sort, a page and a
count that stops early.

The search asks each folded word of the query (``forms.search.terms``) to begin a word of the list's
``search_text`` column (name | CCCD | village [| volunteer], folded when written): «Nguyen Van» finds
«Nguyễn Văn Em». On PostgreSQL a trigram index serves those LIKEs (``server/models/search_index.py``).
Days are Vietnamese days (midnight in Vietnam, stored as UTC).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms import clock
from forms.search import anywhere, terms
from server.errors import DomainError
from server.params import day_after, parse_day
from server.services.reports.formatting import stored_time

MAX_QUERY = 100  # characters of a search box that are read
COUNT_CAP = 1_000  # a list counts its matches up to here, then says «more than 1,000» (bench/search_map.py)


def matching(column, query: str | None):
    """SQL: every word of ``query`` begins a word of ``column`` (a long number: anywhere in it), as
    ``forms.search.matches`` says; True when the query has no word."""
    cond = [sa.true()]
    for w in terms((query or "")[:MAX_QUERY]):  # folded: letters and digits only, nothing to escape
        cond.append(column.contains(w if anywhere(w) else " " + w))  # the stored text begins with a space
    return sa.and_(*cond)


def day(raw) -> dt.date | None:
    try:
        return parse_day(raw)
    except ValueError:
        raise DomainError("bad_date") from None


def in_days(column, date_from=None, date_to=None):
    """SQL: ``column`` (a stored instant) falls on the Vietnamese days from ``date_from`` to ``date_to``."""
    start, end = day(date_from), day(date_to)
    cond = [sa.true()]
    if start:
        cond.append(column >= stored_time(dt.datetime.combine(start, dt.time.min, clock.VIETNAM)))
    if end and day_after(end):  # 9999-12-31: no upper bound rather than a date past the calendar
        cond.append(column < stored_time(dt.datetime.combine(day_after(end), dt.time.min, clock.VIETNAM)))
    return sa.and_(*cond)


def order(sorts: dict, name: str | None, default: str) -> tuple:
    """The ORDER BY of the named sort (``bad_sort`` for a name the list does not know)."""
    if name in (None, ""):
        name = default
    if name not in sorts:
        raise DomainError("bad_sort")
    return sorts[name]


@dataclass
class Page:
    items: list[dict]
    total: int  # matches, counted up to COUNT_CAP + 1
    page: int
    per_page: int

    cap = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        """Pages known to exist: past the count's cap, at least one after this one while it is full."""
        known = max(1, -(-min(self.total, COUNT_CAP) // self.per_page))
        return max(known, self.page + 1) if self.capped and len(self.items) == self.per_page else max(known, self.page)

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def count(session: Session, q) -> int:
    """How many rows ``q`` selects, stopping at COUNT_CAP + 1 (a search that matches half a province
    need not count them all: the page shows «more than 1,000» and a next page while pages are full)."""
    return session.scalar(sa.select(sa.func.count()).select_from(q.order_by(None).limit(COUNT_CAP + 1).subquery()))
