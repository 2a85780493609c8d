"""The error catalogue: stable codes with vi/en messages, and the one handler that renders them.

Every error under /api/ is `{"error": {"code", "message", "fields"?}}` with the right status, never
HTML and never a stack trace. The phone maps codes to its own text; people read the messages.
"""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

CATALOGUE: dict[str, tuple[int, str, str]] = {
    # code: (status, vi, en)
    "bad_json": (400, "Nội dung gửi lên không phải JSON hợp lệ.", "The request body is not valid JSON."),
    "bad_request": (400, "Yêu cầu không hợp lệ.", "Bad request."),
    "invalid_request": (422, "Dữ liệu gửi lên sai định dạng.", "The request does not have the expected shape."),
    "unsupported_media_type": (415, "Kiểu nội dung không được hỗ trợ.", "Unsupported content type."),
    "unauthorized": (401, "Cần đăng nhập lại.", "Please sign in again."),
    "bad_credentials": (401, "Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "token_revoked": (401, "Phiên đăng nhập đã bị thu hồi. Hãy đăng nhập lại.", "This sign-in was revoked. Sign in again."),
    "token_expired": (401, "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.", "This sign-in has expired. Sign in again."),
    "account_disabled": (403, "Tài khoản đã bị khoá.", "This account is disabled."),
    "too_many_attempts": (429, "Đăng nhập sai quá nhiều lần. Hãy thử lại sau ít phút.",
                          "Too many failed sign-ins. Try again in a few minutes."),
    # --- auth ---
    "weak_password": (422, "Mật khẩu quá yếu: cần ít nhất 8 ký tự, không toàn chữ số và khác tên đăng nhập.",
                      "The password is too weak: at least 8 characters, not only digits, not the username."),
    "demo_in_production": (409, "Không được nạp dữ liệu mẫu khi MAIAM_ENV=production.",
                           "Demo data is refused when MAIAM_ENV=production."),
    # --- end auth ---
    "forbidden": (403, "Bạn không có quyền làm việc này.", "You are not allowed to do this."),
    "outside_unit": (403, "Địa bàn này nằm ngoài đơn vị của bạn.", "This place is outside your unit."),
    "not_found": (404, "Không tìm thấy.", "Not found."),
    "unknown_form": (404, "Không có biểu mẫu này (hoặc phiên bản này).", "No such form (or form version)."),
    "unknown_submission": (404, "Không tìm thấy phiếu khảo sát này.", "No such submission."),
    "method_not_allowed": (405, "Phương thức không được phép.", "Method not allowed."),
    "conflict": (409, "Mã phiếu này đã được gửi với nội dung khác.",
                 "This instance_id was already sent with different content."),
    "invalid_answers": (422, "Câu trả lời chưa hợp lệ.", "Some answers are not valid."),
    "too_large": (413, "Tệp hoặc nội dung quá lớn.", "The file or body is too large."),
    "bad_attachment_name": (400, "Tên tệp ảnh không hợp lệ.", "Invalid attachment name."),
    "undeclared_attachment": (404, "Ảnh này không có trong phiếu.", "This attachment is not declared by the submission."),
    "checksum_mismatch": (422, "Ảnh bị lỗi khi truyền (sai mã kiểm tra). Hãy gửi lại.",
                          "The photo was damaged in transit (sha256 mismatch). Send it again."),
    "size_mismatch": (422, "Kích thước ảnh không khớp với khai báo.", "The photo size does not match the declared size."),
    "not_an_image": (415, "Tệp không phải ảnh JPEG, PNG hay WebP đọc được.",
                     "The file is not a readable JPEG, PNG or WebP image."),
    "image_too_big": (422, "Ảnh có quá nhiều điểm ảnh.", "The image has too many pixels."),
    "upload_busy": (409, "Ảnh này đang được tải lên ở một kết nối khác. Hãy thử lại sau ít giây.",
                    "This photo is still being uploaded on another connection. Try again in a few seconds."),
    "bad_range": (416, "Phần tải lên không nối tiếp phần đã nhận.", "The uploaded range does not continue what was received."),
    # --- uploads ---
    "attachment_too_large": (413, "Ảnh quá lớn: mỗi ảnh tối đa bằng giới hạn của máy chủ (xem «max_bytes»).",
                             "The photo is too large: each photo must fit the server's limit (see max_bytes)."),
    "upload_quota": (429, "Tài khoản này còn quá nhiều ảnh gửi dở trên máy chủ. Hãy gửi nốt các ảnh đó "
                          "hoặc thử lại sau.",
                     "This account has too many unfinished photo uploads on the server. Finish them or "
                     "try again later."),
    "bad_cursor": (400, "Mốc đồng bộ không hợp lệ.", "Invalid sync cursor."),
    # --- races --- (the request that lost gets a message naming the winner; these are the fallbacks)
    "already_decided": (409, "Khảo sát này đã được người khác quyết định trước.",
                        "Someone else has already decided this survey."),
    "house_changed": (409, "Nhà này vừa được người khác chuyển trạng thái. Hãy xem lại nhà này.",
                      "Someone else has just moved this house. Look at the house again."),
    "house_closed": (409, "Nhà của khảo sát này đang ở trạng thái không thể duyệt (ví dụ: đã rút).",
                     "The survey's house is at a stage that cannot be approved (e.g. withdrawn)."),
    # --- end races ---
    # --- access ---
    "own_submission": (403, "Không được tự duyệt khảo sát do chính mình gửi.",
                       "You may not decide on a survey you sent yourself."),
    "server_error": (500, "Máy chủ gặp lỗi. Dữ liệu của bạn vẫn an toàn; hãy thử lại sau.",
                     "Server error. Your data is safe; try again later."),
    "unavailable": (503, "Máy chủ đang bận. Hãy thử lại sau.", "The server is busy. Try again later."),
    # --- inputs ---
    "comment_too_long": (422, "Ý kiến quá dài (tối đa 2.000 ký tự).", "The comment is too long (at most 2,000 characters)."),
    "amount_out_of_range": (422, "Số tiền nằm ngoài khoảng cho phép (0 đến dưới 1 triệu tỷ đồng). Hãy yêu cầu sửa khảo sát.",
                            "An amount is out of range (0 to below 10^15 đồng). Request changes to the survey."),
    # --- signals ---
    "needs_override": (409, "Chưa duyệt được: phiếu có cảnh báo (không đủ điều kiện, đất không hợp lệ hoặc có thể "
                            "trùng hộ). Nếu vẫn duyệt, hãy chọn «Duyệt vượt cảnh báo» và ghi lý do.",
                       "Not approved: the survey has warnings (not eligible, land not valid or a possible "
                       "duplicate household). To approve anyway, choose override and give a reason."),
    "override_reason_required": (422, "Duyệt vượt cảnh báo cần ghi lý do.", "An override needs a reason in the comment."),
    "bad_duplicate_choice": (422, "Hãy chọn «cùng hộ» (same) hoặc «khác hộ» (different).",
                             "Choose \"same\" or \"different\" household."),
    # --- end signals ---
}


def lang_of_request() -> str:
    header = (request.headers.get("Accept-Language") or "") if request else ""
    first = header.split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "vi"


class DomainError(Exception):
    """A refusal with a stable code. `fields` carries per-field details (e.g. answer errors)."""

    def __init__(self, code: str, fields: list | dict | None = None, status: int | None = None,
                 message: str | None = None):
        super().__init__(code)
        self.code = code
        self.fields = fields
        self.status = status or CATALOGUE.get(code, (400,))[0]
        self.custom_message = message

    def message(self, lang: str = "vi") -> str:
        if self.custom_message:
            return self.custom_message
        entry = CATALOGUE.get(self.code)
        if entry is None:
            return self.code
        return entry[2] if lang == "en" else entry[1]

    def body(self, lang: str = "vi") -> dict:
        err: dict = {"code": self.code, "message": self.message(lang)}
        if self.fields is not None:
            err["fields"] = self.fields
        return {"error": err}


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
               422: "invalid_request", 429: "too_many_attempts", 503: "unavailable"}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def json_error(err: DomainError):
    resp = jsonify(err.body(lang_of_request()))
    resp.status_code = err.status
    return resp


def register(app) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        return json_error(err)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if not is_api_request():
            return exc
        code = _HTTP_CODES.get(exc.code or 500, "bad_request")
        fields = None
        data = getattr(exc, "data", None)  # flask-smorest / webargs validation messages
        if isinstance(data, dict) and data.get("messages"):
            fields = data["messages"]
            code = "invalid_request" if exc.code == 422 else code
        resp = json_error(DomainError(code, fields=fields, status=exc.code))
        allow = dict(exc.get_headers()).get("Allow")  # a 405 says which methods the path takes
        if allow:
            resp.headers["Allow"] = allow
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        from server.extensions import db

        db.session.rollback()
        if is_api_request():
            return json_error(DomainError("server_error"))
        raise exc
