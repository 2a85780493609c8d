"""The field app's string catalogue: Vietnamese (default) and English.

`t(key, lang, **kw)` formats a string; a missing English string falls back to Vietnamese, a missing key
to the key itself (so a forgotten string is visible, never a crash). Server errors are mapped by their
stable `code` (`error.<code>`), never by parsing the server's message. The UI may append its own keys.
"""

from __future__ import annotations

DEFAULT_LANG = "vi"
LANGUAGES = ("vi", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    "vi": {
        # outbox item states, as shown next to each survey
        "state.draft": "Bản nháp",
        "state.queued": "Chờ gửi",
        "state.sending": "Đang gửi",
        "state.waiting_photos": "Đang gửi ảnh ({done}/{total})",
        "state.sent": "Đã gửi",
        "state.failed_permanent": "Không gửi được",
        # sync run status
        "sync.idle": "Sẵn sàng",
        "sync.running": "Đang đồng bộ…",
        "sync.done": "Đồng bộ xong lúc {time}",
        "sync.done_with_retry": "Chưa gửi hết: sẽ thử lại sau",
        "sync.needs_login": "Cần đăng nhập lại để gửi",
        "sync.offline": "Không có mạng: dữ liệu vẫn được lưu trên máy",
        "sync.never": "Chưa đồng bộ lần nào",
        "sync.progress": "Đã gửi {done}/{total} phiếu",
        "sync.retry_at": "Sẽ thử lại lúc {time}",
        "sync.photo_progress": "Đang gửi ảnh {name}: {percent}%",
        # GPS
        "gps.waiting": "Đang tìm vị trí…",
        "gps.accuracy": "Sai số: {accuracy} m",
        "gps.accepted": "Đã lấy vị trí (sai số {accuracy} m)",
        "gps.not_good_enough": "Vị trí chưa đủ chính xác (sai số {accuracy} m, cần ≤ {threshold} m). "
        "Chờ thêm hoặc bấm Dùng vị trí này.",
        "gps.from_photo": "Vị trí lấy từ ảnh (không rõ sai số, ghi {accuracy} m)",
        "gps.typed": "Vị trí nhập tay (không rõ sai số, ghi {accuracy} m)",
        "gps.photo_has_no_location": "Ảnh này không có vị trí GPS",
        # problems with what was typed or chosen (client side)
        "error.coordinates_format": "Toạ độ chưa đúng. Nhập vĩ độ và kinh độ, ví dụ: 15.5734, 108.4740 "
        "(thêm sai số của máy GPS nếu có, ví dụ ±8)",
        "error.coordinates_range": "Toạ độ ngoài phạm vi: vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180",
        "error.photo_unreadable": "Không đọc được ảnh này. Hãy chụp hoặc chọn ảnh khác.",
        "error.photo_has_no_location": "Ảnh này không có vị trí GPS",
        "error.photo_missing": "Thiếu tệp ảnh của câu hỏi {field}. Hãy chụp lại.",
        "error.draft_not_found": "Không tìm thấy bản nháp",
        "error.form_not_found": "Máy chưa có biểu mẫu này. Hãy đồng bộ khi có mạng.",
        "error.invalid_answers": "Phiếu còn {count} lỗi cần sửa",
        # network and server (codes of the server's error catalogue, plus the client's own)
        "error.network": "Không kết nối được máy chủ. Dữ liệu vẫn an toàn trên máy, sẽ thử lại sau.",
        "error.bad_url": "Địa chỉ máy chủ chưa đúng, ví dụ: http://192.168.1.10:5000",
        "error.timeout": "Máy chủ trả lời quá chậm. Sẽ thử lại sau.",
        "error.server_error": "Máy chủ đang gặp sự cố. Sẽ thử lại sau.",
        "error.unauthorized": "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.",
        "error.invalid_credentials": "Sai tên đăng nhập hoặc mật khẩu",
        "error.forbidden": "Tài khoản này không có quyền làm việc này",
        "error.conflict": "Phiếu này đã được gửi trước đó với nội dung khác. Hãy báo cán bộ phụ trách.",
        "error.validation": "Phiếu chưa hợp lệ theo máy chủ. Hãy mở lại phiếu và sửa các ô bị đánh dấu.",
        "error.invalid": "Phiếu chưa hợp lệ theo máy chủ. Hãy mở lại phiếu và sửa các ô bị đánh dấu.",
        "error.not_found": "Máy chủ không tìm thấy dữ liệu này",
        "error.unknown_form": "Máy chủ không có biểu mẫu này (có thể đã bị thay). Hãy báo cán bộ phụ trách.",
        "error.attachment_mismatch": "Ảnh gửi lên bị lỗi (không khớp). Sẽ gửi lại từ đầu.",
        "error.too_large": "Tệp quá lớn để gửi",
        "error.bad_request": "Máy chủ không nhận yêu cầu này",
        "error.bad_response": "Máy chủ trả lời không đúng định dạng. Sẽ thử lại sau.",
        "error.bad_credentials": "Sai tên đăng nhập hoặc mật khẩu",
        "error.token_revoked": "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.",
        "error.outside_unit": "Địa bàn của phiếu không thuộc xã/đơn vị của bạn. Hãy báo cán bộ phụ trách.",
        "error.too_many_attempts": "Đăng nhập sai quá nhiều lần. Hãy chờ 15 phút rồi thử lại.",
        "error.size_mismatch": "Ảnh gửi lên bị lỗi (không khớp). Sẽ gửi lại từ đầu.",
        "error.checksum_mismatch": "Ảnh gửi lên bị lỗi (không khớp). Sẽ gửi lại từ đầu.",
        "error.not_an_image": "Tệp gửi lên không phải là ảnh",
        "error.image_too_big": "Ảnh quá lớn",
        "error.attachment_too_large": "Ảnh quá lớn để máy chủ nhận. Hãy chụp lại ảnh đó.",
        "error.upload_quota": "Máy chủ còn giữ nhiều ảnh gửi dở của tài khoản này. Sẽ gửi lại sau.",
        "error.bad_attachment_name": "Tên tệp ảnh không hợp lệ",
        "error.unknown": "Có lỗi ({code}). Sẽ thử lại sau.",
        # drafts coming back from review
        "review.changes_requested": "Cán bộ yêu cầu sửa: {comment}",
        "house.status.assessed": "Chờ duyệt",
        "house.status.received": "Chờ duyệt",
        "house.status.approved": "Đã duyệt",
        "house.status.rejected": "Không duyệt",
        "house.status.changes_requested": "Cần sửa",
        "house.status.started": "Đã khởi công",
        "house.status.completed": "Đã hoàn thành",
        "house.status.handed_over": "Đã bàn giao",
        "house.status.withdrawn": "Đã rút",
    },
    "en": {
        "state.draft": "Draft",
        "state.queued": "Waiting to send",
        "state.sending": "Sending",
        "state.waiting_photos": "Sending photos ({done}/{total})",
        "state.sent": "Sent",
        "state.failed_permanent": "Could not be sent",
        "sync.idle": "Ready",
        "sync.running": "Syncing…",
        "sync.done": "Synced at {time}",
        "sync.done_with_retry": "Not everything was sent: will retry later",
        "sync.needs_login": "Please log in again to send",
        "sync.offline": "No network: your data is kept on the phone",
        "sync.never": "Never synced",
        "sync.progress": "Sent {done}/{total} surveys",
        "sync.retry_at": "Will retry at {time}",
        "sync.photo_progress": "Sending photo {name}: {percent}%",
        "gps.waiting": "Looking for your location…",
        "gps.accuracy": "Accuracy: {accuracy} m",
        "gps.accepted": "Location taken (accuracy {accuracy} m)",
        "gps.not_good_enough": "Location not accurate enough yet ({accuracy} m, need ≤ {threshold} m). "
        "Wait, or tap Use this location.",
        "gps.from_photo": "Location from the photo (accuracy unknown, recorded as {accuracy} m)",
        "gps.typed": "Location typed in (accuracy unknown, recorded as {accuracy} m)",
        "gps.photo_has_no_location": "This photo has no GPS location",
        "error.coordinates_format": "Coordinates not understood. Type latitude and longitude, e.g. 15.5734, 108.4740 "
        "(add the GPS receiver's accuracy if you have it, e.g. ±8)",
        "error.coordinates_range": "Coordinates out of range: latitude -90 to 90, longitude -180 to 180",
        "error.photo_unreadable": "This photo cannot be read. Take or choose another one.",
        "error.photo_has_no_location": "This photo has no GPS location",
        "error.photo_missing": "The photo file of question {field} is missing. Please take it again.",
        "error.draft_not_found": "Draft not found",
        "error.form_not_found": "This form is not on the phone yet. Sync when you have network.",
        "error.invalid_answers": "The survey still has {count} problems to fix",
        "error.network": "Cannot reach the server. Your data is safe on the phone; will retry later.",
        "error.bad_url": "The server address is not valid, e.g. http://192.168.1.10:5000",
        "error.timeout": "The server is too slow to answer. Will retry later.",
        "error.server_error": "The server has a problem. Will retry later.",
        "error.unauthorized": "Your login has expired. Please log in again.",
        "error.invalid_credentials": "Wrong user name or password",
        "error.forbidden": "This account is not allowed to do this",
        "error.conflict": "This survey was already sent with different content. Tell your coordinator.",
        "error.validation": "The server found problems in this survey. Open it and fix the marked fields.",
        "error.invalid": "The server found problems in this survey. Open it and fix the marked fields.",
        "error.not_found": "The server cannot find this",
        "error.unknown_form": "The server does not have this form (it may have been replaced). Tell your coordinator.",
        "error.attachment_mismatch": "A photo arrived damaged (mismatch). It will be sent again.",
        "error.too_large": "The file is too large to send",
        "error.bad_request": "The server refused this request",
        "error.bad_response": "The server's answer was not understood. Will retry later.",
        "error.bad_credentials": "Wrong user name or password",
        "error.token_revoked": "Your login has expired. Please log in again.",
        "error.outside_unit": "This survey's place is outside your unit. Tell your coordinator.",
        "error.too_many_attempts": "Too many failed logins. Wait 15 minutes and try again.",
        "error.size_mismatch": "A photo arrived damaged (mismatch). It will be sent again.",
        "error.checksum_mismatch": "A photo arrived damaged (mismatch). It will be sent again.",
        "error.not_an_image": "The file sent is not a picture",
        "error.image_too_big": "The picture is too large",
        "error.attachment_too_large": "The photo is too large for the server. Take it again.",
        "error.upload_quota": "The server still holds many unfinished photos of this account. Will send again later.",
        "error.bad_attachment_name": "The photo's file name is not valid",
        "error.unknown": "Something went wrong ({code}). Will retry later.",
        "review.changes_requested": "The reviewer asks for changes: {comment}",
        "house.status.assessed": "Waiting for review",
        "house.status.received": "Waiting for review",
        "house.status.approved": "Approved",
        "house.status.rejected": "Rejected",
        "house.status.changes_requested": "Changes requested",
        "house.status.started": "Construction started",
        "house.status.completed": "Completed",
        "house.status.handed_over": "Handed over",
        "house.status.withdrawn": "Withdrawn",
    },
}


class CodedError(Exception):
    """An error the user sees: `code` keys its text in the catalogue (`error_text(code, lang)`)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def t(key: str, lang: str | None = None, **kw) -> str:
    """The string `key` in `lang` (vi by default), formatted with `kw`; never raises."""
    table = CATALOGUE.get(lang or DEFAULT_LANG, CATALOGUE[DEFAULT_LANG])
    text = table.get(key) or CATALOGUE[DEFAULT_LANG].get(key)
    if text is None:
        return key
    try:
        return text.format(**kw)
    except (KeyError, IndexError, ValueError):
        return text


def error_text(code: str, lang: str | None = None, **kw) -> str:
    """The plain-language message for an error code (server catalogue code or the client's own)."""
    key = f"error.{code}"
    if key in CATALOGUE[DEFAULT_LANG]:
        return t(key, lang, **kw)
    return t("error.unknown", lang, code=code)


def add_strings(lang: str, strings: dict[str, str]) -> None:
    """Let the UI append its own keys (it owns their wording)."""
    CATALOGUE.setdefault(lang, {}).update(strings)
