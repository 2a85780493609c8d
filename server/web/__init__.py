"""The web pages (Jinja, sessions, CSRF on every form): review, dashboard, houses, targets, reports.

A thin shell: views parse the request, authorise through ``server.web.guards``, call one service and
render. Register with ``server.web.init_app(app)``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")


def init_app(app) -> None:
    from server.web import (  # noqa: F401  (routes, hooks and filters register themselves)
        error_pages,
        filters,
        guards,
        views_accounts,
        views_collect,
        views_devices,
        views_forms,
        views_houses,
        views_maps,
        views_reports,
        views_review,
        views_session,
        views_units,
    )

    app.register_blueprint(bp)
