"""The clock of a request: the one clock (forms/clock.py), unless the app was given another.

Views and API handlers ask here and pass the time into the services (``now=`` / ``today=``); a test
sets ``app.config["CLOCK"]`` to a function returning a fixed aware datetime."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request

from forms import clock
from server.errors import DomainError
from server.params import parse_day


def now() -> dt.datetime:
    return clock.in_vietnam((current_app.config.get("CLOCK") or clock.now)())


def today() -> dt.date:
    return now().date()


def as_of(raw: str | None = None) -> dt.date:
    """The day whose unit tree a page, report or export follows: ``?as_of=YYYY-MM-DD``, default today."""
    if raw is None:
        raw = request.args.get("as_of")
    try:
        day = parse_day(raw)
    except ValueError:
        raise DomainError("bad_as_of", params={"value": repr(str(raw)[:20])}) from None
    return day or today()
