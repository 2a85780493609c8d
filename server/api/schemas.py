"""marshmallow schemas for the shape of every request and response body of the sync API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from server.services.files.attachments import check_name


class Strict(Schema):
    class Meta:
        unknown = RAISE


class TokenIn(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))


class PasswordChangeIn(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))


class EnrolIn(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))


class UnitOut(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()


class CommuneOut(Schema):
    code = fields.String()
    name = fields.String()


class UserOut(Schema):
    username = fields.String()
    full_name = fields.String(allow_none=True)
    role = fields.String()
    org_unit = fields.Nested(UnitOut)
    communes = fields.List(fields.Nested(CommuneOut), metadata={
        "description": "The communes in force today in the account's scope, by name: the commune question's choices"})
    commune = fields.String(allow_none=True, metadata={
        "description": "The default commune: the account's own, or the only one of its scope"})


class TokenOut(Schema):
    token = fields.String()
    user = fields.Nested(UserOut)


class FormSummary(Schema):
    form_id = fields.String()
    version = fields.String()
    title = fields.String(allow_none=True)
    hash = fields.String()


class AttachmentIn(Strict):
    name = fields.String(required=True)
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-fA-F]{64}$"))
    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    content_type = fields.String(load_default="image/jpeg",
                                 validate=validate.OneOf(["image/jpeg", "image/png", "image/webp"]))

    @validates("name")
    def _name(self, value, **_):
        try:
            check_name(value)
        except Exception:
            raise ValidationError("invalid file name") from None


class SubmissionIn(Strict):
    instance_id = fields.UUID(required=True)
    form_id = fields.String(required=True, validate=validate.Length(min=1, max=80))
    form_version = fields.String(required=True, validate=validate.Length(min=1, max=40))
    house_id = fields.UUID(load_default=None, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    answers = fields.Dict(required=True, keys=fields.String())
    attachments = fields.List(fields.Nested(AttachmentIn), load_default=list,
                              validate=validate.Length(max=50))


class SubmissionOut(Schema):
    instance_id = fields.String()
    status = fields.String(metadata={"description": "new | duplicate"})
    review_status = fields.String()
    house_id = fields.String(allow_none=True)
    missing_attachments = fields.List(fields.String())


class AttachmentStatus(Schema):
    instance_id = fields.String()
    name = fields.String()
    received = fields.Boolean()
    offset = fields.Integer()
    size = fields.Integer()
    missing_attachments = fields.List(fields.String())


class SyncQuery(Schema):
    since = fields.String(load_default=None)


class SyncOut(Schema):
    cursor = fields.String()
    more = fields.Boolean()
    submissions = fields.List(fields.Dict())
    houses = fields.List(fields.Dict())
    events = fields.List(fields.Dict())
