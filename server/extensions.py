"""Extension objects, unbound: create_app binds them to an app."""

from flask_migrate import Migrate
from flask_smorest import Api as _Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from marshmallow import Schema
from marshmallow import fields as ma_fields
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class ErrorDetail(Schema):
    code = ma_fields.String(required=True, metadata={"description": "stable code (server/errors.py CATALOGUE)"})
    message = ma_fields.String(required=True, metadata={"description": "for people, in Accept-Language (vi, en)"})
    fields = ma_fields.Raw(metadata={"description": "per-field details: {field: [message]} or a list of "
                                                    "{field, code, message} (answers)"})


class Error(Schema):
    """Every API error: ``{"error": {"code", "message", "fields"?}}`` (server/errors.py)."""

    error = ma_fields.Nested(ErrorDetail, required=True)


class Api(_Api):
    """flask-smorest's Api documenting the error body the API really sends."""

    ERROR_SCHEMA = Error


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
csrf = CSRFProtect()
