"""The phone's sign-in (token kept, password never): POST/DELETE /api/v1/auth/token, POST
/api/v1/auth/password (a new password, e.g. replacing a one-time one, and a token) and POST
/api/v1/auth/enrol (a one-time enrolment code from the QR code exchanged for a token)."""

from __future__ import annotations

from flask import current_app, request

from server.api.common import Blueprint, token_row
from server.api.schemas import EnrolIn, PasswordChangeIn, TokenIn, TokenOut
from server.app_clock import now
from server.errors import json_error
from server.extensions import db
from server.services.accounts import access, enrolment
from server.services.accounts import auth as auth_service

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in with device tokens")


@blp.route("/token", methods=["POST"])
@blp.doc(security=[])  # the one public operation (server.api.PUBLIC_ENDPOINTS)
@blp.arguments(TokenIn)
@blp.response(201, TokenOut)
def create_token(body):
    """Exchange a username and password for a device token. Failed attempts are throttled."""
    cfg = current_app.config
    try:
        token, user = auth_service.login(
            db.session, body["username"], body["password"], body.get("device_id"), request.remote_addr or "",
            auth_service.Throttle.from_config(cfg), token_days=cfg["TOKEN_DAYS"])
    except auth_service.Throttled as err:
        response = json_error(err)
        response.headers["Retry-After"] = str(err.retry_after_s)
        return response
    db.session.commit()
    return {"token": token, "user": user_json(user)}


@blp.route("/password", methods=["POST"])
@blp.doc(security=[])  # public: the old password is the credential (server.api.PUBLIC_ENDPOINTS)
@blp.arguments(PasswordChangeIn)
@blp.response(201, TokenOut)
def change_password(body):
    """Set a new password with the current one (a one-time password from an administrator answers
    ``password_change_required`` at /auth/token) and get a device token in the same call. Throttled
    like sign-in; every other sign-in of the account ends."""
    cfg = current_app.config
    try:
        token, user = auth_service.login_with_new_password(
            db.session, body["username"], body["password"], body["new_password"], body.get("device_id"),
            request.remote_addr or "", auth_service.Throttle.from_config(cfg), token_days=cfg["TOKEN_DAYS"])
    except auth_service.Throttled as err:
        response = json_error(err)
        response.headers["Retry-After"] = str(err.retry_after_s)
        return response
    db.session.commit()
    return {"token": token, "user": user_json(user)}


@blp.route("/enrol", methods=["POST"])
@blp.doc(security=[])  # public: the one-time enrolment code is the credential
@blp.arguments(EnrolIn)
@blp.response(201, TokenOut)
def enrol(body):
    """Exchange a one-time enrolment code (the QR code of the account's web page) for a device token.
    A code works once (``enrolment_code_used`` afterwards) and until it expires."""
    cfg = current_app.config
    token, user = enrolment.redeem(db.session, body["username"], body["code"], body.get("device_id"),
                                   request.remote_addr or "", now=now(), token_days=cfg["TOKEN_DAYS"])
    db.session.commit()
    return {"token": token, "user": user_json(user)}


@blp.route("/token", methods=["DELETE"])
@blp.response(204)
def delete_token():
    """Revoke the token used for this request."""
    auth_service.revoke(db.session, token_row())
    db.session.commit()


def user_json(user) -> dict:
    """The account, with the communes of its scope by name (the phone's commune question offers them)."""
    unit = user.org_unit
    communes, default = access.scope_communes(db.session, user)
    return {"username": user.username, "full_name": user.full_name, "role": user.role,
            "org_unit": {"code": unit.code, "name": unit.name, "level": unit.level},
            "communes": [{"code": c.code, "name": c.name} for c in communes], "commune": default}
