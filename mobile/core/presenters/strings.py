"""The words of the field app's screens, in Vietnamese (default) and English.

Presenters translate with `tr(key, lang, **values)`; keys missing here fall back to the phone core's
catalogue (`mobile.core.i18n.t`) so status and error texts of the outbox and sync stay in one place.
One shape for all text: ``forms.text.Catalogue``.
"""

from __future__ import annotations

from forms.text import Catalogue

UI_STRINGS = Catalogue({
    "app.title": {"vi": "Mái Ấm", "en": "Mái Ấm"},
    # first run / login
    "login.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "login.server": {"vi": "Địa chỉ máy chủ", "en": "Server address"},
    "login.username": {"vi": "Tên đăng nhập", "en": "User name"},
    "login.password": {"vi": "Mật khẩu", "en": "Password"},
    "login.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "login.submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "login.busy": {"vi": "Đang đăng nhập…", "en": "Signing in…"},
    "login.need_all": {"vi": "Hãy nhập địa chỉ máy chủ, tên đăng nhập và mật khẩu.",
                       "en": "Please enter the server address, user name and password."},
    "login.bad_server": {"vi": "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://",
                         "en": "The server address must start with http:// or https://"},
    "login.failed": {"vi": "Sai tên đăng nhập hoặc mật khẩu.", "en": "Wrong user name or password."},
    "login.offline": {"vi": "Không kết nối được máy chủ. Kiểm tra mạng và địa chỉ.",
                      "en": "Cannot reach the server. Check the network and the address."},
    "login.new_password": {"vi": "Mật khẩu mới (ít nhất 8 ký tự)", "en": "New password (at least 8 characters)"},
    "login.new_password_again": {"vi": "Nhập lại mật khẩu mới", "en": "New password again"},
    "login.set_new": {"vi": "Đặt mật khẩu mới và đăng nhập", "en": "Set the new password and sign in"},
    "login.passwords_differ": {"vi": "Hai lần nhập mật khẩu mới không giống nhau.", "en": "The two new passwords differ."},
    "login.enrol_title": {"vi": "Hoặc cài đặt bằng mã QR do cán bộ cấp", "en": "Or set up with the QR code from your coordinator"},
    "login.enrol_hint": {"vi": "Dán nội dung mã QR, hoặc nhập mã (ABCD-EFGH-JKMN)",
                         "en": "Paste the QR code text, or type the code (ABCD-EFGH-JKMN)"},
    "login.enrol_submit": {"vi": "Cài đặt bằng mã", "en": "Set up with the code"},
    "login.enrol_scan": {"vi": "Quét mã QR bằng máy ảnh", "en": "Scan the QR code with the camera"},
    "login.enrol_busy": {"vi": "Đang cài đặt…", "en": "Setting up…"},
    "lang.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "lang.en": {"vi": "English", "en": "English"},
    # home
    "home.title": {"vi": "Trang chính", "en": "Home"},
    "home.hello": {"vi": "Xin chào, {user}", "en": "Hello, {user}"},
    "home.forms": {"vi": "Phiếu khảo sát", "en": "Survey forms"},
    "home.no_forms": {"vi": "Chưa có phiếu. Bấm Đồng bộ khi có mạng.",
                      "en": "No forms yet. Press Sync when you have a network."},
    "home.new_survey": {"vi": "Khảo sát mới: {title}", "en": "New survey: {title}"},
    "home.drafts": {"vi": "Đang làm", "en": "Drafts"},
    "home.waiting": {"vi": "Chờ gửi", "en": "To send"},
    "home.sent": {"vi": "Đã gửi", "en": "Sent"},
    "home.sync": {"vi": "Đồng bộ", "en": "Sync"},
    "home.syncing": {"vi": "Đang đồng bộ… {done}/{total}", "en": "Syncing… {done}/{total}"},
    "home.last_sync": {"vi": "Đồng bộ lần cuối: {when}", "en": "Last sync: {when}"},
    "home.never_synced": {"vi": "Chưa đồng bộ lần nào", "en": "Never synced"},
    "home.sync_ok": {"vi": "Đồng bộ xong.", "en": "Sync finished."},
    "home.sync_failed": {"vi": "Đồng bộ chưa xong: {error}", "en": "Sync not finished: {error}"},
    "home.my_houses": {"vi": "Nhà của tôi", "en": "My houses"},
    "home.no_houses": {"vi": "Chưa có nhà nào.", "en": "No houses yet."},
    "home.outbox": {"vi": "Hộp thư đi", "en": "Outbox"},
    "home.continue": {"vi": "Làm tiếp", "en": "Continue"},
    "home.logout": {"vi": "Đăng xuất", "en": "Sign out"},
    "house.comment": {"vi": "Ý kiến người duyệt: {comment}", "en": "Reviewer's comment: {comment}"},
    "house.fix": {"vi": "Sửa phiếu", "en": "Fix the survey"},
    # form
    "form.next": {"vi": "Tiếp", "en": "Next"},
    "form.back": {"vi": "Quay lại", "en": "Back"},
    "form.summary": {"vi": "Xem lại", "en": "Review"},
    "form.page": {"vi": "Trang {n}/{total}", "en": "Page {n}/{total}"},
    "form.fix_first": {"vi": "Hãy sửa các ô báo đỏ trước khi sang trang.",
                       "en": "Please fix the fields marked in red first."},
    "form.add_repeat": {"vi": "Thêm {label}", "en": "Add {label}"},
    "form.remove_repeat": {"vi": "Xoá mục {n}", "en": "Remove item {n}"},
    "form.repeat_item": {"vi": "{label} — mục {n}", "en": "{label} — item {n}"},
    "form.home": {"vi": "Trang chính", "en": "Home"},
    "form.saved": {"vi": "Đã lưu", "en": "Saved"},
    "form.reviewer_comment": {"vi": "Người duyệt yêu cầu sửa: {comment}",
                              "en": "The reviewer asks for changes: {comment}"},
    "summary.title": {"vi": "Xem lại trước khi gửi", "en": "Review before sending"},
    "summary.missing": {"vi": "Còn thiếu {n} câu (bấm để sửa):", "en": "{n} answers still missing (tap to fix):"},
    "summary.errors": {"vi": "Có {n} câu cần sửa (bấm để sửa):", "en": "{n} answers need fixing (tap to fix):"},
    "summary.ready": {"vi": "Đã trả lời đủ. Bấm Hoàn thành để đưa vào hộp thư đi.",
                      "en": "All answered. Press Finish to put it in the outbox."},
    "summary.answered": {"vi": "Đã trả lời {n} câu.", "en": "{n} questions answered."},
    "summary.finish": {"vi": "Hoàn thành", "en": "Finish"},
    "summary.finished": {"vi": "Đã đưa phiếu vào hộp thư đi.", "en": "The survey is in the outbox."},
    # question widgets
    "q.day": {"vi": "Ngày", "en": "Day"},
    "q.month": {"vi": "Tháng", "en": "Month"},
    "q.year": {"vi": "Năm", "en": "Year"},
    "q.hour": {"vi": "Giờ", "en": "Hour"},
    "q.minute": {"vi": "Phút", "en": "Minute"},
    "q.today": {"vi": "Hôm nay", "en": "Today"},
    "q.now": {"vi": "Bây giờ", "en": "Now"},
    "q.bad_date": {"vi": "Ngày không hợp lệ.", "en": "Not a valid date."},
    "q.bad_time": {"vi": "Giờ không hợp lệ.", "en": "Not a valid time."},
    "q.bad_number": {"vi": "Hãy nhập một số.", "en": "Please enter a number."},
    "q.acknowledge": {"vi": "Tôi đã hiểu", "en": "I understand"},
    "q.required": {"vi": "Bắt buộc", "en": "Required"},
    "q.photo_take": {"vi": "Chụp ảnh", "en": "Take a photo"},
    "q.photo_pick": {"vi": "Chọn ảnh", "en": "Choose a photo"},
    "q.photo_retake": {"vi": "Chụp lại", "en": "Take again"},
    "q.photo_done": {"vi": "Đã có ảnh", "en": "Photo taken"},
    "q.photo_none": {"vi": "Chưa có ảnh", "en": "No photo yet"},
    "q.photo_failed": {"vi": "Không đọc được ảnh này.", "en": "This photo cannot be read."},
    "q.photo_cancel": {"vi": "Huỷ", "en": "Cancel"},
    "q.gps_start": {"vi": "Lấy vị trí", "en": "Get location"},
    "q.gps_stop": {"vi": "Dừng", "en": "Stop"},
    "q.gps_waiting": {"vi": "Đang tìm vị trí…", "en": "Finding the location…"},
    "q.gps_accuracy": {"vi": "Độ chính xác: {acc} m", "en": "Accuracy: {acc} m"},
    "q.gps_none": {"vi": "Chưa có vị trí", "en": "No location yet"},
    "q.gps_from_photo": {"vi": "Lấy từ ảnh", "en": "From a photo"},
    "q.gps_no_exif": {"vi": "Ảnh này không có toạ độ.", "en": "This photo has no coordinates."},
    "q.gps_typed": {"vi": "Nhập toạ độ", "en": "Type coordinates"},
    "q.gps_unavailable": {"vi": "Máy không có GPS. Hãy nhập toạ độ hoặc lấy từ ảnh.",
                          "en": "No GPS on this device. Type the coordinates or take them from a photo."},
    "q.gps_value": {"vi": "{lat}, {lon} (±{acc} m)", "en": "{lat}, {lon} (±{acc} m)"},
    "q.ok": {"vi": "Đồng ý", "en": "OK"},
    # outbox
    "outbox.title": {"vi": "Hộp thư đi", "en": "Outbox"},
    "outbox.empty": {"vi": "Không có phiếu nào chờ gửi.", "en": "Nothing waiting to be sent."},
    "outbox.back": {"vi": "Về trang chính", "en": "Home"},
    "outbox.photos": {"vi": "{sent}/{total} ảnh đã gửi", "en": "{sent}/{total} photos sent"},
    "draft.untitled": {"vi": "Phiếu chưa đặt tên", "en": "Untitled survey"},
})


def tr(key: str, lang: str = "vi", **values) -> str:
    """The text for `key` in `lang` (Vietnamese when missing), with `{name}` values filled in."""
    if key in UI_STRINGS:
        return UI_STRINGS.text(key, lang, **values)
    from mobile.core.i18n import t

    return t(key, lang, **values)
