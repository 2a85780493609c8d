"""The JSON API under /api/v1: one blueprint per resource, registered here (and the web pages)."""

from __future__ import annotations

# Endpoints open without a bearer token (the OpenAPI document is served by flask-smorest's own
# blueprint, outside these). Every other API endpoint checks the token before reading the body.
PUBLIC_ENDPOINTS = frozenset({"auth.create_token", "auth.change_password", "auth.enrol"})


def register_blueprints(app, api) -> None:
    from server.api import auth, forms, houses, progress, review, submissions, sync
    from server.extensions import csrf

    modules = (auth, forms, submissions, sync, review, houses, progress)
    for module in modules:
        csrf.exempt(module.blp)  # token-authenticated JSON, no cookies: CSRF does not apply
        api.register_blueprint(module.blp)
    names = frozenset(module.blp.name for module in modules)
    app.before_request(lambda: _authenticate_first(names))
    from server import openrosa

    openrosa.init_app(app)  # ODK Collect / Enketo (OpenRosa XML, its own authentication)
    try:
        from server import web
    except ImportError:  # pragma: no cover
        return
    web.init_app(app)


def _authenticate_first(api_blueprints: frozenset) -> None:
    """401 for an API call without a valid bearer token, before its body or query is parsed (which
    would otherwise answer an anonymous caller with a 422 describing the expected body)."""
    from flask import request

    from server.api.common import actor

    if request.method == "OPTIONS" or request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint.split(".")[0] in api_blueprints:
        actor()
    return None

