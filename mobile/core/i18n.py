"""The field app's core strings (outbox states, sync, GPS, house statuses) and its error texts.

One shape for all text (``forms.text.Catalogue``: ``{key: {"vi": ..., "en": ...}}``). `t(key, lang, **kw)`
formats a string; a missing English string falls back to Vietnamese, a missing key to the key itself (so a
forgotten string is visible, never a crash). Server errors are mapped by their stable `code`
(`error.<code>`, texts in ``mobile.core.error_texts``), never by parsing the server's message.
"""

from __future__ import annotations

from forms.text import DEFAULT_LANG, LANGUAGES, Catalogue, merge, prefixed
from mobile.core.error_texts import CLIENT_ERRORS, SERVER_ERRORS

__all__ = ["DEFAULT_LANG", "LANGUAGES", "CATALOGUE", "CodedError", "t", "error_text"]

CORE = Catalogue({
    "state.draft": {"vi": "Bản nháp", "en": "Draft"},
    "state.queued": {"vi": "Chờ gửi", "en": "Waiting to send"},
    "state.sending": {"vi": "Đang gửi", "en": "Sending"},
    "state.waiting_photos": {"vi": "Đang gửi ảnh ({done}/{total})", "en": "Sending photos ({done}/{total})"},
    "state.sent": {"vi": "Đã gửi", "en": "Sent"},
    "state.failed_permanent": {"vi": "Không gửi được", "en": "Could not be sent"},
    "sync.idle": {"vi": "Sẵn sàng", "en": "Ready"},
    "sync.running": {"vi": "Đang đồng bộ…", "en": "Syncing…"},
    "sync.done": {"vi": "Đồng bộ xong lúc {time}", "en": "Synced at {time}"},
    "sync.done_with_retry": {"vi": "Chưa gửi hết: sẽ thử lại sau", "en": "Not everything was sent: will retry later"},
    "sync.needs_login": {"vi": "Cần đăng nhập lại để gửi", "en": "Please log in again to send"},
    "sync.offline": {"vi": "Không có mạng: dữ liệu vẫn được lưu trên máy", "en": "No network: your data is kept on the phone"},
    "sync.never": {"vi": "Chưa đồng bộ lần nào", "en": "Never synced"},
    "sync.progress": {"vi": "Đã gửi {done}/{total} phiếu", "en": "Sent {done}/{total} surveys"},
    "sync.retry_at": {"vi": "Sẽ thử lại lúc {time}", "en": "Will retry at {time}"},
    "sync.photo_progress": {"vi": "Đang gửi ảnh {name}: {percent}%", "en": "Sending photo {name}: {percent}%"},
    "gps.waiting": {"vi": "Đang tìm vị trí…", "en": "Looking for your location…"},
    "gps.accuracy": {"vi": "Sai số: {accuracy} m", "en": "Accuracy: {accuracy} m"},
    "gps.accepted": {"vi": "Đã lấy vị trí (sai số {accuracy} m)", "en": "Location taken (accuracy {accuracy} m)"},
    "gps.not_good_enough": {"vi": "Vị trí chưa đủ chính xác (sai số {accuracy} m, cần ≤ {threshold} m). Chờ thêm hoặc bấm Dùng vị trí này.", "en": "Location not accurate enough yet ({accuracy} m, need ≤ {threshold} m). Wait, or tap Use this location."},
    "gps.from_photo": {"vi": "Vị trí lấy từ ảnh (không rõ sai số, ghi {accuracy} m)", "en": "Location from the photo (accuracy unknown, recorded as {accuracy} m)"},
    "gps.typed": {"vi": "Vị trí nhập tay, sai số {accuracy} m", "en": "Location typed in, accuracy {accuracy} m"},
    "gps.manual": {"vi": "Vị trí nhập tay (không có sai số): người duyệt sẽ thấy ghi chú này.",
                   "en": "Location typed in (no accuracy): the reviewer will see this noted."},
    "gps.improving": {"vi": "Sai số hiện tại: {accuracy} m (cần ≤ {threshold} m). Đứng yên chờ thêm, hoặc bấm «Dùng vị trí này».",
                      "en": "Accuracy now: {accuracy} m (need ≤ {threshold} m). Stand still and wait, or tap «Use this location»."},
    "gps.photo_has_no_location": {"vi": "Ảnh này không có vị trí GPS", "en": "This photo has no GPS location"},
    "review.changes_requested": {"vi": "Cán bộ yêu cầu sửa: {comment}", "en": "The reviewer asks for changes: {comment}"},
    "house.status.assessed": {"vi": "Chờ duyệt", "en": "Waiting for review"},
    "house.status.received": {"vi": "Chờ duyệt", "en": "Waiting for review"},
    "house.status.approved": {"vi": "Đã duyệt", "en": "Approved"},
    "house.status.rejected": {"vi": "Không duyệt", "en": "Rejected"},
    "house.status.changes_requested": {"vi": "Cần sửa", "en": "Changes requested"},
    "house.status.commune_reviewed": {"vi": "Xã đã xét", "en": "Reviewed by the commune"},
    "house.status.funded": {"vi": "Đã cấp vốn", "en": "Funded"},
    "house.status.stage_checked": {"vi": "Đã nghiệm thu giai đoạn", "en": "Stage checked"},
    "house.status.started": {"vi": "Đã khởi công", "en": "Construction started"},
    "house.status.completed": {"vi": "Đã hoàn thành", "en": "Completed"},
    "house.status.handed_over": {"vi": "Đã bàn giao", "en": "Handed over"},
    "house.status.withdrawn": {"vi": "Đã rút", "en": "Withdrawn"},
})

CATALOGUE = merge(CORE, prefixed("error.", SERVER_ERRORS), prefixed("error.", CLIENT_ERRORS))


class CodedError(Exception):
    """An error the user sees: `code` keys its text in the catalogue (`error_text(code, lang)`)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def t(key: str, lang: str | None = None, **kw) -> str:
    """The string `key` in `lang` (vi by default), formatted with `kw`; never raises."""
    return CATALOGUE.text(key, lang, **kw)


def error_text(code: str, lang: str | None = None, **kw) -> str:
    """The plain-language message for an error code (server catalogue code or the client's own)."""
    key = f"error.{code}"
    if key in CATALOGUE:
        return t(key, lang, **kw)
    return t("error.unknown", lang, code=code)
