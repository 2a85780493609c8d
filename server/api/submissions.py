"""Submissions and their photos: POST the envelope, then PUT each missing photo (resumable)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from server import app_storage
from server.api.common import Blueprint, actor, request_lang, token_row
from server.api.schemas import AttachmentStatus, SubmissionIn, SubmissionOut
from server.errors import DomainError
from server.extensions import db
from server.services.accounts import access
from server.services.files import attachments as attachments_service
from server.services.surveys import ingest, signals

blp = Blueprint("submissions", __name__, url_prefix="/api/v1/submissions",
                description="Idempotent submissions and photo uploads")


def storage():
    return app_storage.current()


def limits() -> attachments_service.UploadLimits:
    return attachments_service.UploadLimits.from_config(current_app.config)


@blp.before_request
def _json_only():
    if request.method == "POST" and not request.is_json:
        raise DomainError("unsupported_media_type")
    if request.method == "POST" and (request.content_length or 0) > current_app.config["MAX_ENVELOPE_BYTES"]:
        raise DomainError("too_large")


def _out(status: str, receipt: ingest.Receipt) -> dict:
    return {"instance_id": receipt.instance_id, "status": status, "review_status": receipt.review_status,
            "house_id": receipt.house_uuid, "missing_attachments": receipt.missing_attachments}


@blp.route("", methods=["POST"])
@blp.arguments(SubmissionIn)
@blp.response(201, SubmissionOut)
@blp.alt_response(200, schema=SubmissionOut, description="The same submission again: nothing duplicated")
def post_submission(body):
    """Validate with the form engine and store once. 201 new, 200 same again, 409 conflict, 422 invalid."""
    user = actor()
    body["instance_id"] = str(body["instance_id"])
    body["house_id"] = str(body["house_id"]) if body.get("house_id") else None
    for att in body["attachments"]:
        att["sha256"] = att["sha256"].lower()
    device = token_row()
    try:
        status, sub = ingest.ingest(db.session, user, body, storage(), lang=request_lang(),
                                    device_id=device.device_id if device else None, limits=limits(),
                                    thresholds=signals.Thresholds.from_config(current_app.config))
        out = _out(status, sub)
        db.session.commit()
    except IntegrityError:  # the same instance_id arrived twice at once: judge it as a repeat
        db.session.rollback()
        sub = ingest.existing(db.session, body["instance_id"])
        if sub is None:
            raise
        status = ingest.replay(sub, body, user)
        out = _out(status, ingest.Receipt.of(sub))
    return out, (201 if status == "new" else 200)


@blp.route("/<instance_id>", methods=["GET"])
@blp.response(200, SubmissionOut)
def get_submission(instance_id):
    """Where a submission stands (review status, photos still missing)."""
    sub = ingest.existing(db.session, instance_id)
    if not access.can(actor(), "view", sub):
        raise DomainError("unknown_submission")
    return _out("stored", ingest.Receipt.of(sub))


@blp.route("/<instance_id>/attachments/<path:name>", methods=["PUT"])
@blp.response(200, AttachmentStatus)
def put_attachment(instance_id, name):
    """Raw bytes of one declared photo. `Content-Range: bytes a-b/total` appends a chunk (resume)."""
    user = actor()
    sub, att = attachments_service.find(db.session, user, instance_id, name)
    try:
        out = attachments_service.receive(
            db.session, storage(), sub, att, request.stream, request.headers.get("Content-Range"),
            request.content_length, limits(), signals.Thresholds.from_config(current_app.config))
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    _drain_body(limits().max_bytes)
    return out


def _drain_body(limit: int) -> None:
    """Read what is left of a body the service did not need (a photo already held, sent again after a lost
    answer): the phone's connection then stays open for its next photo; a server closes a connection that
    has unread bytes left (gunicorn: more than 64 KB)."""
    if (request.content_length or 0) <= limit:
        while request.stream.read(1 << 16):
            pass


@blp.route("/<instance_id>/attachments/<path:name>", methods=["HEAD", "GET"])
@blp.response(200, AttachmentStatus)
def attachment_status(instance_id, name):
    """How many bytes of this photo the server holds (`Upload-Offset` header too): resume from there."""
    user = actor()
    sub, att = attachments_service.find(db.session, user, instance_id, name)
    out = attachments_service.status(storage(), sub, att)
    if request.method == "HEAD":
        resp = jsonify()
        resp.set_data(b"")
        resp.headers["Upload-Offset"] = str(out["offset"])
        resp.headers["Upload-Length"] = str(out["size"])
        return resp
    return out
