"""POST/DELETE /api/v1/auth/token: the phone's sign-in (token kept, password never)."""

from __future__ import annotations

from flask import current_app, request

from server.api.common import Blueprint, token_row
from server.api.schemas import TokenIn, TokenOut
from server.errors import json_error
from server.extensions import db
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


@blp.route("/token", methods=["DELETE"])
@blp.response(204)
def delete_token():
    """Revoke the token used for this request."""
    auth_service.revoke(db.session, token_row())
    db.session.commit()


def user_json(user) -> dict:
    unit = user.org_unit
    return {"username": user.username, "full_name": user.full_name, "role": user.role,
            "org_unit": {"code": unit.code, "name": unit.name, "level": unit.level}}
