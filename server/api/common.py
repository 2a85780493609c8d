"""What every API module shares: the bearer-token actor, errors, the request's language."""

from __future__ import annotations

import flask_smorest
from flask import jsonify, request
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request

from server.errors import DomainError, lang_of_request
from server.extensions import db
from server.params import loads_json
from server.services.accounts import access
from server.services.accounts import auth as auth_service


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise DomainError("unauthorized")
    return token.strip()


def actor():
    """The user behind the bearer token (401 otherwise); cached on this request (not on `g`, which
    outlives requests when a test holds an app context)."""
    cached = request.environ.get("maiam.actor")
    if cached is None:
        cached = auth_service.user_for_token(db.session, bearer_token())
        request.environ["maiam.actor"] = cached
    return cached[0]


def token_row():
    actor()
    return request.environ["maiam.actor"][1]


def with_etag(body, etag: str):
    """`body` as JSON with `ETag: etag` (a quoted string), or an empty 304 when the request's
    `If-None-Match` already names that ETag: the phone keeps what it has, one round trip, no body."""
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        resp = jsonify()
        resp.status_code = 304
        resp.set_data(b"")
    else:
        resp = jsonify(body)
    resp.headers["ETag"] = etag
    resp.headers["Cache-Control"] = "private, no-cache"
    return resp


def request_lang() -> str:
    return lang_of_request()


def unit_for(user, code: str | None, verb: str, day=None):
    """The unit named by ``code`` (in force on ``day``, default today; else the user's own), checked by the
    access gate for ``verb``."""
    return access.require_unit(db.session, user, verb, code, day)


def json_body() -> dict:
    """The request's JSON object (415 for another content type, 400 for malformed JSON)."""
    if not request.is_json:
        raise DomainError("unsupported_media_type")
    data = parse_json_body(request.get_data(cache=True))
    if not isinstance(data, dict):
        raise DomainError("invalid_request", fields={"_schema": ["must be a JSON object"]})
    return data


def parse_json_body(raw: bytes):
    """Every JSON request body goes through here: 400 ``bad_json`` for malformed JSON, nesting past
    ``params.MAX_JSON_DEPTH`` or an integer too long for Python's ``int()`` (never a 500)."""
    try:
        return loads_json(raw)
    except ValueError:
        raise DomainError("bad_json") from None


class JsonParser(FlaskParser):
    """webargs' parser for ``@blp.arguments``, reading JSON bodies with ``parse_json_body``."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return webargs_core.missing
        raw = req.get_data(cache=True)
        if not raw:
            return webargs_core.missing
        return parse_json_body(raw)


class Blueprint(flask_smorest.Blueprint):
    """The API's blueprints: flask-smorest's, with the safe JSON parser."""

    ARGUMENTS_PARSER = JsonParser()
