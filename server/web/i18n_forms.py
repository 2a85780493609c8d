"""The forms page's texts (``forms.text.Catalogue``), merged into ``server.web.i18n.TEXT``."""

from __future__ import annotations

from forms.text import Catalogue

FORMS_TEXT = Catalogue({
    "nav_forms": {"vi": "Biểu mẫu", "en": "Forms"},
    "forms_title": {"vi": "Biểu mẫu khảo sát", "en": "Survey forms"},
    "forms_intro": {"vi": "Tải lên tệp XLSForm (.xlsx) đã sửa: máy chủ kiểm tra từng ô, cho xem trước mọi trang như "
                          "trên điện thoại, rồi phát hành thành phiên bản mới. Điện thoại nhận phiên bản mới ở lần "
                          "đồng bộ sau.",
                    "en": "Upload a changed XLSForm (.xlsx): the server checks every cell, shows every page as the "
                          "phone will, then publishes it as a new version. Phones get it at their next sync."},
    "upload_title": {"vi": "Tải lên biểu mẫu mới hoặc đã sửa", "en": "Upload a new or changed form"},
    "xlsform_file": {"vi": "Tệp XLSForm (.xlsx, tối đa {max_mb} MB)", "en": "XLSForm file (.xlsx, at most {max_mb} MB)"},
    "media_files": {"vi": "Tệp đính kèm của biểu mẫu (danh sách .csv, .geojson; không bắt buộc)",
                    "en": "The form's media files (.csv, .geojson lists; optional)"},
    "upload_check": {"vi": "Kiểm tra và xem trước", "en": "Check and preview"},
    "problems_intro": {"vi": "Chưa có gì được lưu. Mỗi dòng dưới đây chỉ một ô cần sửa trong tệp Excel:",
                       "en": "Nothing was saved. Each line below points at a cell to fix in the Excel file:"},
    "col_sheet": {"vi": "Trang tính", "en": "Sheet"},
    "col_row": {"vi": "Dòng", "en": "Row"},
    "col_column": {"vi": "Cột", "en": "Column"},
    "col_problem": {"vi": "Lỗi", "en": "Problem"},
    "versions_title": {"vi": "Các phiên bản", "en": "Versions"},
    "version": {"vi": "Phiên bản", "en": "Version"},
    "published_on": {"vi": "Phát hành", "en": "Published"},
    "surveys_received": {"vi": "Số khảo sát đã nhận", "en": "Surveys received"},
    "last_received": {"vi": "Nhận gần nhất", "en": "Last received"},
    "surveys_scope": {"vi": "Số khảo sát tính trong {unit}.", "en": "Surveys counted within {unit}."},
    "badge_newest": {"vi": "Đang phát hành: máy tải bản này", "en": "Current: phones download it"},
    "badge_still_used": {"vi": "Máy vẫn gửi bản này", "en": "Phones still send it"},
    "download_xlsx": {"vi": "Tải tệp XLSX", "en": "Download XLSX"},
    "no_source": {"vi": "không có tệp gốc", "en": "no source file"},
    "no_forms": {"vi": "Chưa có biểu mẫu nào.", "en": "No forms yet."},
    "form_versions_total": {"vi": "{n} phiên bản · {surveys} khảo sát", "en": "{n} version(s) · {surveys} survey(s)"},
    "draft_title": {"vi": "Xem trước: {title}", "en": "Preview: {title}"},
    "draft_intro": {"vi": "Bản nháp từ tệp «{file}»: biểu mẫu {form_id}, phiên bản «{version}». Chưa phát hành: "
                          "điện thoại chưa thấy bản này.",
                    "en": "Draft from «{file}»: form {form_id}, version «{version}». Not published: phones do not "
                          "see it yet."},
    "version_intro": {"vi": "Biểu mẫu {form_id}, phiên bản «{version}», phát hành {when}.",
                      "en": "Form {form_id}, version «{version}», published {when}."},
    "publish_version": {"vi": "Phát hành phiên bản «{version}»", "en": "Publish version «{version}»"},
    "new_version": {"vi": "Phiên bản mới", "en": "New version"},
    "publish_as": {"vi": "Phát hành với phiên bản này", "en": "Publish with this version"},
    "form_published": {"vi": "Đã phát hành biểu mẫu {form_id}, phiên bản «{version}». Điện thoại nhận bản này ở lần "
                             "đồng bộ sau.",
                       "en": "Published form {form_id}, version «{version}». Phones get it at their next sync."},
    "upload_other": {"vi": "Tải lên tệp khác", "en": "Upload another file"},
    "back_to_forms": {"vi": "‹ Biểu mẫu", "en": "‹ Forms"},
    "preview_pages": {"vi": "{n} trang, như trên điện thoại (mọi trang đều hiện ở đây, kể cả trang chỉ hiện khi có "
                            "điều kiện).",
                      "en": "{n} pages, as on the phone (every page is here, also those shown only on a condition)."},
    "phone_page": {"vi": "Trang {n}/{total}", "en": "Page {n}/{total}"},
    "phone_back": {"vi": "Quay lại", "en": "Back"},
    "phone_next": {"vi": "Tiếp", "en": "Next"},
    "w_text": {"vi": "Nhập chữ", "en": "Type text"},
    "w_integer": {"vi": "Nhập số nguyên", "en": "Type a whole number"},
    "w_decimal": {"vi": "Nhập số", "en": "Type a number"},
    "w_date": {"vi": "Chọn ngày (dd/mm/yyyy)", "en": "Pick a date (dd/mm/yyyy)"},
    "w_time": {"vi": "Chọn giờ", "en": "Pick a time"},
    "w_datetime": {"vi": "Chọn ngày và giờ", "en": "Pick a date and time"},
    "w_geopoint": {"vi": "Lấy vị trí GPS", "en": "Get the GPS position"},
    "w_image": {"vi": "Chụp ảnh", "en": "Take a photo"},
    "w_acknowledge": {"vi": "Xác nhận", "en": "Confirm"},
    "w_other": {"vi": "Câu hỏi loại {type}", "en": "A {type} question"},
    "add_item": {"vi": "+ Thêm {label}", "en": "+ Add {label}"},
    "remove_item": {"vi": "Xoá", "en": "Remove"},
    "more_choices": {"vi": "… và {n} lựa chọn khác", "en": "… and {n} more choices"},
    "required_legend": {"vi": "* là câu bắt buộc", "en": "* marks a required question"},
})
