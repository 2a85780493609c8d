"""OpenRosa 1.0 for ODK Collect, KoboCollect, Enketo and ODK Web Forms: form list, XForm download,
manifest, submission. A thin shell like the API: it authenticates (a Collect key in the URL, or HTTP
Basic over HTTPS: server.services.accounts.collect_keys), checks the unit of the URL with the access
gate, calls one service and answers in OpenRosa's XML.

Every route exists twice: ``/openrosa/<unit>/...`` (Basic) and ``/openrosa/key/<key>/<unit>/...``
(the key); the server URL typed into Collect is the part before ``/formList``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("openrosa", __name__, url_prefix="/openrosa")


def init_app(app) -> None:
    from server.extensions import csrf
    from server.openrosa import views  # noqa: F401  (routes and hooks register themselves)

    csrf.exempt(bp)  # no cookies: a key in the URL or a Basic header on each request
    app.register_blueprint(bp)
