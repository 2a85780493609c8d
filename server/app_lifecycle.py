"""The programme's house lifecycle for a request: built from the app's configuration in one place.

API handlers, web views and commands ask here and pass the table into the services (``lc=``), so the
API, the dashboard, reports and review all see the same steps once ``HOUSE_EXTRA_STEPS`` is set."""

from __future__ import annotations

from flask import current_app

from server.services.houses import lifecycle


def current() -> lifecycle.Lifecycle:
    return lifecycle.from_config(current_app.config)
