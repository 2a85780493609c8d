"""The OpenRosa routes: formList, the XForm, the manifest and its media files, HEAD/POST submission (docs/API.md "ODK Collect")."""

from __future__ import annotations

import mimetypes

from flask import current_app, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from server import app_clock, app_storage
from server.errors import DomainError, lang_of_request
from server.extensions import db
from server.openrosa import bp, responses
from server.services.accounts import access, collect_keys
from server.services.accounts import auth as auth_service
from server.services.files import attachments as attachments_service
from server.services.programme import xforms
from server.services.surveys import openrosa as openrosa_service
from server.services.surveys import signals

XML = "text/xml; charset=utf-8"
REALM = "Mai Am"  # ASCII: a header value


def _route(rule: str, endpoint: str, methods=("GET",)):
    """The same view under the key URL (first, so url_for with a key builds it) and the Basic URL."""

    def register(view):
        bp.add_url_rule("/key/<token>/<scope>" + rule, endpoint, view, methods=list(methods))
        bp.add_url_rule("/<scope>" + rule, endpoint, view, methods=list(methods))
        return view

    return register


def _accept_bytes() -> int:
    return int(current_app.config["OPENROSA_ACCEPT_BYTES"])


def _reply(body: bytes | str, status: int = 200, content_type: str = XML):
    resp = current_app.response_class(body, status=status, content_type=content_type)
    resp.headers["X-OpenRosa-Version"] = "1.0"
    resp.headers["Date"] = http_date(app_clock.now())
    return resp


# ---- who is asking ---------------------------------------------------------------------------------
def _actor():
    return request.environ["maiam.openrosa"]


@bp.before_request
def _authenticate():
    """The account (a key in the URL, else Basic over HTTPS), then the unit of the URL (404 outside the
    account's subtree). Before any body is read."""
    args = request.view_args or {}
    if args.get("token") is not None:
        user = collect_keys.user_for_key(db.session, args["token"])
    else:
        user = collect_keys.user_for_basic(db.session, request.headers.get("Authorization"), request.remote_addr or "",
                                           auth_service.Throttle.from_config(current_app.config), request.is_secure)
    scope = access.require_unit(db.session, user, "submit", args.get("scope"))
    request.environ["maiam.openrosa"] = (user, scope)
    db.session.commit()  # a key's last_seen_at


def _links(**values) -> dict:
    return {k: v for k, v in values.items() if v is not None}


# ---- forms -----------------------------------------------------------------------------------------
@_route("/formList", "form_list")
def form_list(scope, token=None):
    """The newest version of every form that has an XForm (``?formID=`` for one)."""
    entries = []
    for f in xforms.listed(db.session, request.args.get("formID") or None):
        where = _links(scope=scope, token=token, form_id=f.form_id, version=f.version)
        entries.append({"form_id": f.form_id, "name": f.name, "version": f.version, "md5": f.md5,
                        "download_url": url_for(".xform", _external=True, **where),
                        "manifest_url": url_for(".manifest", _external=True, **where) if f.has_media else None})
    db.session.commit()  # XForms made now are kept
    return _reply(responses.form_list(entries))


@_route("/forms/<form_id>/<version>/xform", "xform")
def xform(scope, form_id, version, token=None):
    _, text = xforms.served(db.session, form_id, version)
    db.session.commit()
    return _reply(text)


@_route("/forms/<form_id>/<version>/manifest", "manifest")
def manifest(scope, form_id, version, token=None):
    """The version's media files (villages.csv ...), each with its md5 and where to download it."""
    row, _ = xforms.served(db.session, form_id, version)
    where = _links(scope=scope, token=token, form_id=form_id, version=version)
    files = [{"filename": m.filename, "md5": m.md5, "download_url": url_for(".media", _external=True, file=m.filename,
                                                                              **where)}
             for m in xforms.media_files(db.session, row)]
    db.session.commit()
    return _reply(responses.manifest(files))


@_route("/forms/<form_id>/<version>/media/<file>", "media")
def media(scope, form_id, version, file, token=None):
    """One media file of a published version, as the manifest lists it."""
    row, _ = xforms.served(db.session, form_id, version)
    data = xforms.media_file(db.session, row, file)
    db.session.commit()
    kind = mimetypes.guess_type(file)[0] or "application/octet-stream"
    resp = _reply(data, content_type=kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
    resp.headers["Cache-Control"] = "private, no-cache"
    return resp


# ---- submissions ------------------------------------------------------------------------------------
def _submission_headers(resp):
    resp.headers["X-OpenRosa-Accept-Content-Length"] = str(_accept_bytes())
    return resp


@_route("/submission", "submission", methods=("GET", "POST"))
def submission(scope, token=None):
    """HEAD/GET: 204 and the size a POST may have; POST: the instance and its photos."""
    if request.method != "POST":
        return _submission_headers(_reply(b"", 204))
    user, unit = _actor()
    xml, media = _parts()
    cfg = current_app.config
    kwargs = {"limits": attachments_service.UploadLimits.from_config(cfg),
              "thresholds": signals.Thresholds.from_config(cfg)}
    storage = app_storage.current()
    device = (request.args.get("deviceID") or "")[:120] or None
    try:
        outcome = openrosa_service.submit(db.session, user, unit, xml, media, storage, lang=lang_of_request(),
                                          device_id=device, **kwargs)
        db.session.commit()
    except IntegrityError:  # the same instance arrived twice at once: judged as a repeat
        db.session.rollback()
        for part in media:
            part.stream.seek(0)
        outcome = openrosa_service.replay(db.session, user, unit, xml, media, storage, **kwargs)
        db.session.commit()
    lang = lang_of_request()
    text = responses.TEXT.text({"new": "taken", "more": "more", "duplicate": "duplicate"}[outcome.status], lang)
    if outcome.receipt.missing_attachments:
        text += " " + responses.TEXT.text("missing", lang, names=", ".join(outcome.receipt.missing_attachments))
    return _submission_headers(_reply(responses.message(text), outcome.http_status))


def _parts() -> tuple[bytes, list[openrosa_service.Media]]:
    """The instance (at most MAX_ENVELOPE_BYTES) and the other file parts (each checked by name)."""
    if request.mimetype != "multipart/form-data":
        raise DomainError("bad_instance", params={"why": _why("not_multipart")})
    part = request.files.get("xml_submission_file")
    if part is None:
        raise DomainError("bad_instance", params={"why": _why("no_xml")})
    limit = int(current_app.config["MAX_ENVELOPE_BYTES"])
    xml = part.stream.read(limit + 1)
    if len(xml) > limit:
        raise DomainError("too_large")
    media = []
    for field, f in request.files.items(multi=True):
        if field == "xml_submission_file":
            continue
        name = attachments_service.check_name(f.filename or field)
        media.append(openrosa_service.Media(name, f.stream))
    return xml, media


def _why(key: str) -> dict:
    return {"vi": responses.TEXT.text(key, "vi"), "en": responses.TEXT.text(key, "en")}


# ---- errors: OpenRosa's XML, never HTML, never a 500 page -------------------------------------------
def _details(err: DomainError) -> str:
    """The per-answer reasons of a refusal, for the person reading Collect's message."""
    if not isinstance(err.fields, list):
        return ""
    found = [f"{f.get('field')}: {f.get('message')}" for f in err.fields if isinstance(f, dict) and f.get("message")]
    return (" " + "; ".join(found[:10])) if found else ""


@bp.errorhandler(DomainError)
def _domain_error(err: DomainError):
    db.session.rollback()
    resp = _reply(responses.message(err.message(lang_of_request()) + _details(err), "error"), err.status)
    if err.status == 401 and request.is_secure:
        resp.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    if isinstance(err, auth_service.Throttled):
        resp.headers["Retry-After"] = str(err.retry_after_s)
    return resp


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    code = {413: "too_large", 404: "not_found", 405: "method_not_allowed"}.get(exc.code or 400, "bad_request")
    return _domain_error(DomainError(code, status=exc.code))


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    current_app.logger.exception("unhandled error (openrosa)")
    return _domain_error(DomainError("server_error"))
