"""What the phone says for each error code: the server's codes (every code of server/errors.py, no
other: tests/mobile/test_error_codes_match_server.py compares the two lists) and the phone's own.

The phone keeps its own words (offline, and for a volunteer rather than an office user); it never shows
or parses the server's message. One shape for all text: ``forms.text.Catalogue``.
"""

from __future__ import annotations

from forms.text import Catalogue

_AGAIN = {"vi": "Hãy đăng nhập lại.", "en": "Please log in again."}
_DAMAGED = {"vi": "Ảnh gửi lên bị lỗi (không khớp). Sẽ gửi lại từ đầu.",
            "en": "A photo arrived damaged (mismatch). It will be sent again."}
_TELL = {"vi": "Máy chủ không nhận yêu cầu này. Hãy báo cán bộ phụ trách.",
         "en": "The server refused this request. Tell your coordinator."}
_OFFICE = {"vi": "Việc này chỉ làm được trên trang web của cán bộ.", "en": "This can only be done on the office web pages."}

SERVER_ERRORS = Catalogue({
    "bad_json": _TELL,
    "bad_request": {"vi": "Máy chủ không nhận yêu cầu này", "en": "The server refused this request"},
    "invalid_request": _TELL,
    "unsupported_media_type": _TELL,
    "unauthorized": {"vi": "Phiên đăng nhập đã hết hạn. " + _AGAIN["vi"], "en": "Your login has expired. " + _AGAIN["en"]},
    "bad_credentials": {"vi": "Sai tên đăng nhập hoặc mật khẩu", "en": "Wrong user name or password"},
    "token_revoked": {"vi": "Phiên đăng nhập đã bị thu hồi. " + _AGAIN["vi"], "en": "Your login was revoked. " + _AGAIN["en"]},
    "token_expired": {"vi": "Phiên đăng nhập đã hết hạn. " + _AGAIN["vi"], "en": "Your login has expired. " + _AGAIN["en"]},
    "account_disabled": {"vi": "Tài khoản này đã bị khoá. Hãy liên hệ cán bộ phụ trách.",
                         "en": "This account is disabled. Contact your coordinator."},
    "too_many_attempts": {"vi": "Đăng nhập sai quá nhiều lần. Hãy chờ 15 phút rồi thử lại.",
                          "en": "Too many failed logins. Wait 15 minutes and try again."},
    "weak_password": {"vi": "Mật khẩu quá yếu: cần ít nhất 8 ký tự, không toàn chữ số.",
                      "en": "The password is too weak: at least 8 characters, not only digits."},
    "demo_in_production": _OFFICE,
    "forbidden": {"vi": "Tài khoản này không có quyền làm việc này", "en": "This account is not allowed to do this"},
    "outside_unit": {"vi": "Địa bàn của phiếu không thuộc xã/đơn vị của bạn. Hãy báo cán bộ phụ trách.",
                     "en": "This survey's place is outside your unit. Tell your coordinator."},
    "not_found": {"vi": "Máy chủ không tìm thấy dữ liệu này", "en": "The server cannot find this"},
    "unknown_form": {"vi": "Máy chủ không có biểu mẫu này (có thể đã bị thay). Hãy báo cán bộ phụ trách.",
                     "en": "The server does not have this form (it may have been replaced). Tell your coordinator."},
    "unknown_submission": {"vi": "Máy chủ không tìm thấy phiếu này. Phiếu sẽ được gửi lại.",
                           "en": "The server cannot find this survey. It will be sent again."},
    "method_not_allowed": _TELL,
    "conflict": {"vi": "Phiếu này đã được gửi trước đó với nội dung khác. Hãy báo cán bộ phụ trách.",
                 "en": "This survey was already sent with different content. Tell your coordinator."},
    "invalid_answers": {"vi": "Phiếu còn {count} lỗi cần sửa", "en": "The survey still has {count} problems to fix"},
    "too_large": {"vi": "Tệp quá lớn để gửi", "en": "The file is too large to send"},
    "bad_attachment_name": {"vi": "Tên tệp ảnh không hợp lệ", "en": "The photo's file name is not valid"},
    "undeclared_attachment": {"vi": "Ảnh này không có trong phiếu đã gửi. Hãy báo cán bộ phụ trách.",
                              "en": "This photo is not part of the survey sent. Tell your coordinator."},
    "checksum_mismatch": _DAMAGED,
    "size_mismatch": _DAMAGED,
    "not_an_image": {"vi": "Tệp gửi lên không phải là ảnh", "en": "The file sent is not a picture"},
    "image_too_big": {"vi": "Ảnh quá lớn", "en": "The picture is too large"},
    "upload_busy": {"vi": "Ảnh này vẫn đang được gửi. Sẽ thử lại sau ít giây.",
                    "en": "This photo is still being sent. Will retry in a few seconds."},
    "bad_range": _DAMAGED,
    "attachment_too_large": {"vi": "Ảnh quá lớn để máy chủ nhận. Hãy chụp lại ảnh đó.",
                             "en": "The photo is too large for the server. Take it again."},
    "upload_quota": {"vi": "Máy chủ còn giữ nhiều ảnh gửi dở của tài khoản này. Sẽ gửi lại sau.",
                     "en": "The server still holds many unfinished photos of this account. Will send again later."},
    "bad_cursor": {"vi": "Mốc đồng bộ không hợp lệ. Sẽ tải lại từ đầu.", "en": "Invalid sync position. Will fetch again."},
    "already_decided": {"vi": "Khảo sát này đã được người khác quyết định trước.",
                        "en": "Someone else has already decided this survey."},
    "house_changed": {"vi": "Nhà này vừa được người khác chuyển trạng thái.", "en": "Someone else has just moved this house."},
    "house_closed": {"vi": "Nhà của khảo sát này đang ở trạng thái không thể duyệt (ví dụ: đã rút).",
                     "en": "The survey's house is at a stage that cannot be approved (e.g. withdrawn)."},
    "own_submission": {"vi": "Không được tự duyệt khảo sát do chính mình gửi.",
                       "en": "You may not decide on a survey you sent yourself."},
    "server_error": {"vi": "Máy chủ đang gặp sự cố. Sẽ thử lại sau.", "en": "The server has a problem. Will retry later."},
    "unavailable": {"vi": "Máy chủ đang bận. Sẽ thử lại sau.", "en": "The server is busy. Will retry later."},
    "comment_too_long": {"vi": "Ý kiến quá dài.", "en": "The comment is too long."},
    "amount_out_of_range": {"vi": "Số tiền nằm ngoài khoảng cho phép. Hãy sửa lại phiếu.",
                            "en": "An amount is out of range. Correct the survey."},
    "bad_date": _TELL,
    "bad_flag": _TELL,
    "bad_sort": _TELL,
    "bad_action": _TELL,
    "comment_required": {"vi": "Cần ghi ý kiến khi không duyệt hoặc yêu cầu sửa.",
                         "en": "A comment is required to reject or request changes."},
    "bad_status": _TELL,
    "illegal_transition": _OFFICE,
    "unknown_group": _OFFICE,
    "unknown_kind": _OFFICE,
    "unknown_source": _OFFICE,
    "money_out_of_range": _OFFICE,
    "workdays_out_of_range": _OFFICE,
    "required": _OFFICE,
    "not_a_number": _OFFICE,
    "out_of_range": _OFFICE,
    "bad_effective_date": _OFFICE,
    "split_mismatch": _OFFICE,
    "bad_report_kind": _OFFICE,
    "bad_report_figures": _OFFICE,
    "needs_override": _OFFICE,
    "override_reason_required": _OFFICE,
    "bad_duplicate_choice": _OFFICE,
    "bad_year": _OFFICE,
    "bad_export": _OFFICE,
    "bad_format": _OFFICE,
})

# the phone's own codes: what was typed or chosen, the network, the device
CLIENT_ERRORS = Catalogue({
    "coordinates_format": {
        "vi": "Toạ độ chưa đúng. Nhập vĩ độ và kinh độ, ví dụ: 15.5734, 108.4740 "
              "(thêm sai số của máy GPS nếu có, ví dụ ±8)",
        "en": "Coordinates not understood. Type latitude and longitude, e.g. 15.5734, 108.4740 "
              "(add the GPS receiver's accuracy if you have it, e.g. ±8)"},
    "coordinates_range": {"vi": "Toạ độ ngoài phạm vi: vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180",
                          "en": "Coordinates out of range: latitude -90 to 90, longitude -180 to 180"},
    "photo_unreadable": {"vi": "Không đọc được ảnh này. Hãy chụp hoặc chọn ảnh khác.",
                         "en": "This photo cannot be read. Take or choose another one."},
    "photo_has_no_location": {"vi": "Ảnh này không có vị trí GPS", "en": "This photo has no GPS location"},
    "photo_missing": {"vi": "Thiếu tệp ảnh của câu hỏi {field}. Hãy chụp lại.",
                      "en": "The photo file of question {field} is missing. Please take it again."},
    "draft_not_found": {"vi": "Không tìm thấy bản nháp", "en": "Draft not found"},
    "form_not_found": {"vi": "Máy chưa có biểu mẫu này. Hãy đồng bộ khi có mạng.",
                       "en": "This form is not on the phone yet. Sync when you have network."},
    "network": {"vi": "Không kết nối được máy chủ. Dữ liệu vẫn an toàn trên máy, sẽ thử lại sau.",
                "en": "Cannot reach the server. Your data is safe on the phone; will retry later."},
    "bad_url": {"vi": "Địa chỉ máy chủ chưa đúng, ví dụ: http://192.168.1.10:5000",
                "en": "The server address is not valid, e.g. http://192.168.1.10:5000"},
    "timeout": {"vi": "Máy chủ trả lời quá chậm. Sẽ thử lại sau.", "en": "The server is too slow to answer. Will retry later."},
    "bad_response": {"vi": "Máy chủ trả lời không đúng định dạng. Sẽ thử lại sau.",
                     "en": "The server's answer was not understood. Will retry later."},
    "attachment_mismatch": _DAMAGED,
    "unknown": {"vi": "Có lỗi ({code}). Sẽ thử lại sau.", "en": "Something went wrong ({code}). Will retry later."},
})
