"""The JSON API under /api/v1: one blueprint per resource, registered here (and the web pages)."""

from __future__ import annotations


def register_blueprints(app, api) -> None:
    from server.api import auth, forms, houses, progress, review, submissions, sync
    from server.extensions import csrf

    for module in (auth, forms, submissions, sync, review, houses, progress):
        csrf.exempt(module.blp)  # token-authenticated JSON, no cookies: CSRF does not apply
        api.register_blueprint(module.blp)
    try:
        from server import web
    except ImportError:  # pragma: no cover
        return
    web.init_app(app)
