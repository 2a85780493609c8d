"""The error catalogue: stable codes with vi/en messages, and the one handler that renders them.

Every error under /api/ is `{"error": {"code", "message", "fields"?}}` with the right status, never
HTML and never a stack trace. The phone maps codes to its own text; people read the messages.
"""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from forms.text import DEFAULT_LANG, Catalogue

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
    "bad_mapping": (422, "Không áp dụng được việc sắp xếp đơn vị: {detail}", "The reorganisation cannot be applied: {detail}"),
    "reorganisation_in_future": (422, "Việc sắp xếp đơn vị có hiệu lực từ {day}: chỉ áp dụng từ ngày đó trở đi.",
                                 "The reorganisation takes effect on {day}: apply it on or after that day."),
    "bad_as_of": (400, "Ngày {value} không hợp lệ (cần dạng YYYY-MM-DD).", "The date {value} is not valid (YYYY-MM-DD)."),
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
    "already_decided": (409, "Khảo sát này đã được {who} {verb} lúc {when} (trạng thái hiện tại: «{state}»).",
                        "This survey was already {verb} by {who} at {when} (its state now: «{state}»)."),
    "house_changed": (409, "Nhà này đã được chuyển sang “{actual}” bởi {who} lúc {when}; thao tác dựa trên trạng thái “{expected}” "
                           "không được thực hiện. Hãy xem lại nhà này.",
                      "This house was moved to “{actual}” by {who} at {when}; the change based on “{expected}” was not made. "
                      "Look at the house again."),
    "house_closed": (409, "Không thể {verb} khảo sát này: nhà đang ở trạng thái “{status}”. "
                          "Hãy không duyệt hoặc yêu cầu sửa khảo sát, hoặc mở lại hồ sơ nhà trước.",
                     "This survey cannot be {verb}: the house is “{status}”. "
                     "Reject the survey or request changes, or reopen the house first."),
    # --- end races ---
    # --- access ---
    "own_submission": (403, "Không được tự duyệt khảo sát do chính mình gửi.",
                       "You may not decide on a survey you sent yourself."),
    "server_error": (500, "Máy chủ gặp lỗi. Dữ liệu của bạn vẫn an toàn; hãy thử lại sau.",
                     "Server error. Your data is safe; try again later."),
    "unavailable": (503, "Máy chủ đang bận. Hãy thử lại sau.", "The server is busy. Try again later."),
    # --- inputs ---
    "comment_too_long": (422, "Ý kiến quá dài (tối đa {n} ký tự).", "The comment is too long (at most {n} characters)."),
    "amount_out_of_range": (422, "Số tiền {value} đồng nằm ngoài khoảng cho phép (0 đến dưới 1 triệu tỷ đồng). "
                                 "Hãy yêu cầu sửa khảo sát.",
                            "The amount {value} đồng is out of range (0 to below 10^15). Request changes to the survey."),
    # --- errors (one catalogue: the refusals of review, houses, funding, targets, reports, exports) ---
    "bad_date": (400, "Ngày không hợp lệ (ngày/tháng/năm, ví dụ 30/11/2026).", "Invalid date (day/month/year, e.g. 30/11/2026)."),
    "bad_flag": (400, "Cảnh báo không hợp lệ.", "Unknown flag."),
    "bad_sort": (400, "Cách sắp xếp không hợp lệ.", "Unknown sort order."),
    "bad_geojson": (422, "Tệp ranh giới không hợp lệ: {why}", "The boundaries file is not valid: {why}"),
    "boundaries_no_match": (422, "Không vùng nào trong tệp khớp mã một đơn vị trong phạm vi của bạn (thuộc tính «{prop}»).",
                            "No feature of the file matches the code of a unit in your area (property «{prop}»)."),
    "bad_action": (422, "Quyết định không hợp lệ (approve, reject, request_changes).",
                   "Unknown action (approve, reject, request_changes)."),
    "comment_required": (422, "Cần ghi ý kiến khi không duyệt hoặc yêu cầu sửa.",
                         "A comment is required to reject or request changes."),
    "bad_status": (422, "Trạng thái không hợp lệ.", "Unknown status."),
    "illegal_transition": (409, "Nhà không thể chuyển từ “{current}” sang “{target}”. Bước tiếp theo được phép: {allowed}.",
                           "A house cannot go from “{current}” to “{target}”. Allowed next: {allowed}."),
    "unknown_group": (422, "Không rõ nhóm đối tượng: {value}", "Unknown group: {value}"),
    "unknown_kind": (422, "Không rõ loại hỗ trợ: {value}", "Unknown kind: {value}"),
    "unknown_source": (422, "Không rõ nguồn kinh phí: {value}", "Unknown source: {value}"),
    "money_out_of_range": (422, "Số tiền {value} đồng nằm ngoài khoảng cho phép (0 đến dưới 1 triệu tỷ đồng).",
                           "The amount {value} đồng is out of range (0 to below 10^15)."),
    "workdays_out_of_range": (422, "Số ngày công {value} nằm ngoài khoảng cho phép (0 đến 1.000.000).",
                              "{value} workdays is out of range (0 to 1,000,000)."),
    "required": (422, "Cần nhập {field}.", "{field} is required."),
    "not_a_number": (422, "{field}: cần là số nguyên không âm.", "{field}: must be a whole number."),
    "out_of_range": (422, "{field}: cần là số nguyên không âm.", "{field}: must be a whole number >= 0."),
    "bad_effective_date": (422, "Ngày hiệu lực không hợp lệ (ngày/tháng/năm, ví dụ 01/01/2026).",
                           "Invalid effective date (day/month/year, e.g. 01/01/2026)."),
    "split_mismatch": (422, "Xây mới ({new_builds}) + sửa chữa ({repairs}) phải bằng tổng ({houses}).",
                       "New builds ({new_builds}) + repairs ({repairs}) must equal the total ({houses})."),
    "bad_report_kind": (400, "Loại báo cáo không hợp lệ: {kind}", "Unknown report kind: {kind}"),
    "bad_report_figures": (400, "Cách lấy số liệu không hợp lệ: {figures}", "Unknown figures option: {figures}"),
    "bad_year": (400, "Năm không hợp lệ: {year}", "Invalid year: {year}"),
    "bad_labels": (400, "Kiểu tiêu đề cột không hợp lệ: {labels} (vi, en, codes)",
                   "Unknown column headings: {labels} (vi, en, codes)"),
    "bad_export": (404, "Không có dữ liệu xuất {what}.", "Nothing to export as {what}."),
    "bad_format": (404, "Định dạng không hỗ trợ: {format} (csv, xlsx, geojson)",
                   "Unsupported format: {format} (csv, xlsx, geojson)"),
    # --- end errors ---
    # --- forms page ---
    "xlsform_missing": (422, "Hãy chọn tệp XLSForm (.xlsx) để tải lên.", "Choose an XLSForm file (.xlsx) to upload."),
    "xlsform_too_large": (413, "Tệp XLSForm quá lớn (tối đa {max_mb} MB).", "The XLSForm file is too large (at most {max_mb} MB)."),
    "xlsform_not_xlsx": (415, "Tệp «{name}» không phải bảng tính Excel .xlsx đọc được.",
                         "«{name}» is not a readable Excel .xlsx workbook."),
    "form_media_too_large": (413, "Tệp đính kèm quá lớn hoặc quá nhiều (tối đa {max_files} tệp, mỗi tệp {max_mb} MB).",
                             "Too many or too large media files (at most {max_files} files of {max_mb} MB each)."),
    "xlsform_invalid": (422, "Biểu mẫu có {n} lỗi. Hãy sửa trong tệp Excel rồi tải lên lại.",
                        "The form has {n} error(s). Fix them in the Excel file and upload it again."),
    "form_version_used": (409, "Phiên bản «{version}» của biểu mẫu {form_id} đã được phát hành ngày {when}. Máy điện thoại "
                               "chỉ nhận biết biểu mẫu mới khi phiên bản khác: hãy đổi «version» trên trang settings, "
                               "hoặc nhập phiên bản mới dưới đây.",
                          "Version «{version}» of form {form_id} was published on {when}. Phones only notice a new form "
                          "when its version differs: change «version» on the settings sheet, or type a new version below."),
    "form_unchanged": (409, "Tệp này giống hệt phiên bản «{version}» đã phát hành: không có gì mới để phát hành.",
                       "This file is identical to the published version «{version}»: nothing new to publish."),
    "bad_form_version": (422, "Phiên bản chỉ gồm chữ, số, dấu chấm, gạch ngang hoặc gạch dưới (tối đa 40 ký tự).",
                         "A version is letters, digits, dots, dashes or underscores (at most 40 characters)."),
    # --- end forms page ---
    # --- signals ---
    "needs_override": (409, "Chưa duyệt được: {why}. Nếu vẫn duyệt, hãy chọn «Duyệt vượt cảnh báo» và ghi lý do.",
                       "Not approved: {why}. To approve anyway, choose override and give a reason."),
    "override_reason_required": (422, "Duyệt vượt cảnh báo cần ghi lý do.", "An override needs a reason in the comment."),
    "bad_duplicate_choice": (422, "Hãy chọn «cùng hộ» (same) hoặc «khác hộ» (different).",
                             "Choose \"same\" or \"different\" household."),
    # --- end signals ---
    # --- openrosa (ODK Collect, KoboCollect, Enketo: server/openrosa) ---
    "bad_instance": (400, "Không đọc được phiếu gửi lên: {why}.", "The submitted form could not be read: {why}."),
    "https_required": (403, "Chỉ đăng nhập bằng mật khẩu qua HTTPS. Hãy dùng địa chỉ có mã khoá ODK Collect "
                            "(trang «ODK Collect» của tài khoản).",
                       "Password sign-in is accepted over HTTPS only. Use the address with an ODK Collect key "
                       "(the account's «ODK Collect» page)."),
    "too_many_keys": (409, "Tài khoản đã có {n} mã khoá ODK Collect. Hãy thu hồi mã không dùng nữa.",
                      "This account already has {n} ODK Collect keys. Revoke the ones no longer used."),
    # --- end openrosa ---
    # --- accounts (the accounts page, bulk import, one-time passwords, phone set-up by QR code) ---
    "password_change_required": (403, "Mật khẩu này chỉ dùng một lần: hãy đặt mật khẩu mới trước khi tiếp tục.",
                                 "This is a one-time password: set a new password before going on."),
    "password_mismatch": (422, "Hai lần nhập mật khẩu mới không giống nhau.", "The two new passwords differ."),
    "bad_username": (422, "Tên đăng nhập «{value}» không hợp lệ: 3–40 ký tự gồm chữ thường không dấu, chữ số, "
                          "dấu chấm, gạch dưới hoặc gạch ngang.",
                     "Invalid username «{value}»: 3–40 characters, lower-case letters without accents, digits, "
                     "dot, underscore or hyphen."),
    "username_taken": (409, "Tên đăng nhập «{value}» đã có người dùng.", "The username «{value}» is taken."),
    "duplicate_in_file": (422, "Tên đăng nhập «{value}» trùng với dòng {other} trong tệp.",
                          "The username «{value}» repeats row {other} of the file."),
    "bad_role": (422, "Vai trò «{value}» không hợp lệ (tình nguyện viên, cán bộ duyệt, cán bộ quản lý, quản trị).",
                 "Unknown role «{value}» (volunteer, reviewer, manager, admin)."),
    "role_not_allowed": (403, "Bạn không được giao vai trò «{value}».", "You may not give the role «{value}»."),
    "unknown_unit": (422, "Không có đơn vị «{value}».", "No unit «{value}»."),
    "ambiguous_unit": (422, "Có nhiều đơn vị tên «{value}»: hãy ghi mã đơn vị.",
                       "Several units are named «{value}»: give the unit's code."),
    "unit_outside_scope": (403, "Đơn vị «{value}» nằm ngoài phạm vi bạn quản lý.",
                           "The unit «{value}» is outside what you manage."),
    "bad_phone": (422, "Số điện thoại «{value}» không hợp lệ (10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84).",
                  "Invalid phone number «{value}» (10 or 11 digits, starting with 0 or +84)."),
    "name_too_long": (422, "Họ tên quá dài (tối đa {n} ký tự).", "The full name is too long (at most {n} characters)."),
    "own_account": (403, "Không tự đổi vai trò hay đơn vị của chính mình: hãy nhờ một quản trị viên khác.",
                    "You may not change your own role or unit: ask another administrator."),
    "bad_spreadsheet": (422, "Không đọc được tệp: cần tệp Excel (.xlsx) theo mẫu tải về từ trang này.",
                        "The file cannot be read: an Excel file (.xlsx) made from this page's template is needed."),
    "missing_columns": (422, "Dòng tiêu đề của tệp thiếu cột: {columns}.", "The file's header row lacks: {columns}."),
    "too_many_rows": (413, "Tệp có quá nhiều dòng (tối đa {n} tài khoản một lần).",
                      "The file has too many rows (at most {n} accounts at once)."),
    "import_refused": (422, "Chưa nhập tài khoản nào: {n} dòng có lỗi. Hãy sửa các dòng dưới đây rồi tải tệp lên lại.",
                       "No account was imported: {n} rows have errors. Fix the rows below and upload the file again."),
    "enrolment_code_invalid": (401, "Mã cài đặt không đúng (hoặc đã được thay bằng mã mới).",
                               "Wrong set-up code (or it was replaced by a newer one)."),
    "enrolment_code_used": (409, "Mã cài đặt này đã được dùng. Hãy xin quản trị viên một mã mới.",
                            "This set-up code was already used. Ask an administrator for a new one."),
    "enrolment_code_expired": (410, "Mã cài đặt đã hết hạn. Hãy xin quản trị viên một mã mới.",
                               "This set-up code has expired. Ask an administrator for a new one."),
    # --- end accounts ---
}

# the texts in the one shape of translated text (forms.text); CATALOGUE keeps its (status, vi, en) rows so
# that every area adds its codes in one line each
MESSAGES = Catalogue({code: {"vi": vi, "en": en} for code, (_, vi, en) in CATALOGUE.items()})


def lang_of_request() -> str:
    header = (request.headers.get("Accept-Language") or "") if request else ""
    first = header.split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "vi"


class DomainError(Exception):
    """A refusal with a stable code; its vi/en text lives in CATALOGUE, never at the raise site.

    ``params`` fill the text's ``{placeholders}``; a value that is itself translated is given as
    ``{"vi": ..., "en": ...}``. ``field`` names the one input at fault (the API answers
    ``fields: {field: [message]}``); ``fields`` carries several (e.g. answer errors)."""

    def __init__(self, code: str, fields: list | dict | None = None, status: int | None = None,
                 message: str | None = None, *, params: dict | None = None, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.fields = fields
        self.field = field
        self.params = dict(params or {})
        self.status = status or CATALOGUE.get(code, (400,))[0]
        self.custom_message = message

    def message(self, lang: str = "vi") -> str:
        if self.custom_message:
            return self.custom_message
        return catalogue_text(self.code, lang, self.params)

    def body(self, lang: str = "vi") -> dict:
        err: dict = {"code": self.code, "message": self.message(lang)}
        if self.fields is not None:
            err["fields"] = self.fields
        elif self.field:
            err["fields"] = {self.field: [err["message"]]}
        return {"error": err}


class _Params(dict):
    """The params in one language; a placeholder nobody filled reads as "…" (never a KeyError)."""

    def __missing__(self, key):
        return "…"


def catalogue_text(code: str, lang: str = "vi", params: dict | None = None) -> str:
    text = MESSAGES.text(code, lang)
    values = _Params({k: (v.get(lang) or v.get(DEFAULT_LANG, "")) if isinstance(v, dict) else v
                      for k, v in (params or {}).items()})
    return text.format_map(values)


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
        from server.extensions import db

        db.session.rollback()  # a refusal never leaves a half-written record
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
