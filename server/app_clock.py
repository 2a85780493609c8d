"""The clock of a request: the one clock (forms/clock.py), unless the app was given another.

Views and API handlers ask here and pass the time into the services (``now=`` / ``today=``); a test
sets ``app.config["CLOCK"]`` to a function returning a fixed aware datetime."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from forms import clock


def now() -> dt.datetime:
    return clock.in_vietnam((current_app.config.get("CLOCK") or clock.now)())


def today() -> dt.date:
    return now().date()
