"""Texts of the labelled exports, the reports at every level and the household record
(``forms.text.Catalogue``), merged into ``server.web.i18n.TEXT``."""

from __future__ import annotations

from forms.text import Catalogue

RECORDS_TEXT = Catalogue({
    "nation": {"vi": "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"},  # never translated
    "motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Độc lập - Tự do - Hạnh phúc"},
    "record_title": {"vi": "Hồ sơ hộ gia đình", "en": "Household record"},
    "record_link": {"vi": "In hồ sơ hộ", "en": "Print the household record"},
    "record_heading": {"vi": "PHIẾU THÔNG TIN HỘ GIA ĐÌNH ĐỀ NGHỊ HỖ TRỢ NHÀ Ở",
                       "en": "HOUSEHOLD RECORD: REQUEST FOR HOUSING SUPPORT"},
    "record_print_hint": {"vi": "Khổ A4 đứng, một hoặc hai trang. Chọn «Lưu dưới dạng PDF» trong hộp thoại in để có tệp PDF.",
                          "en": "A4 portrait, one or two pages. Choose «Save as PDF» in the print dialogue for a PDF."},
    "printed_on": {"vi": "In lúc {when}", "en": "Printed {when}"},
    "record_history": {"vi": "Quá trình xử lý hồ sơ (ai, khi nào, lý do)", "en": "History (who, when, why)"},
    "record_map": {"vi": "Vị trí nhà", "en": "Where the house is"},
    "record_household": {"vi": "Hộ gia đình", "en": "Household"},
    "record_above": {"vi": "Thuộc", "en": "Within"},
    "record_answers": {"vi": "Nội dung khảo sát", "en": "Survey answers"},
    "record_no_survey": {"vi": "Chưa có phiếu khảo sát nào của hộ này.", "en": "No survey of this household yet."},
    "record_map_note": {"vi": "Ô lưới 50 m; vòng tròn: sai số GPS ({accuracy} m).",
                        "en": "50 m grid; circle: GPS accuracy ({accuracy} m)."},
    "record_sign_commune": {"vi": "XÁC NHẬN CỦA UBND XÃ", "en": "CONFIRMED BY THE COMMUNE PEOPLE'S COMMITTEE"},
    "record_sign_association": {"vi": "XÁC NHẬN CỦA HỘI CỰU CHIẾN BINH", "en": "CONFIRMED BY THE VETERANS ASSOCIATION"},
    "record_sign_stamp": {"vi": "(Ký, ghi rõ họ tên, đóng dấu)", "en": "(Signature, full name, seal)"},
    "photo_missing": {"vi": "Ảnh chưa được gửi lên", "en": "Photo not sent yet"},
    "report_view": {"vi": "Xem và in", "en": "View and print"},
    "report_paper": {"vi": "Tệp XLSX và trang in đều khổ A4 nằm ngang. Muốn có PDF: mở «Xem và in», bấm «In» "
                           "rồi chọn «Lưu dưới dạng PDF».",
                     "en": "The XLSX and the printable page are A4 landscape. For a PDF: open «View and print», "
                           "press «Print» and choose «Save as PDF»."},
    "report_of_units_below": {"vi": "Báo cáo của đơn vị cấp dưới", "en": "Reports of the units below"},
    "print": {"vi": "In", "en": "Print"},
    "exports_note": {"vi": "Mỗi câu hỏi một cột, tiêu đề là nội dung câu hỏi; câu trả lời lặp lại (thành viên trong hộ…) "
                           "ở trang tính riêng (XLSX) hoặc tệp riêng (CSV trong tệp zip), nối với khảo sát bằng mã nhà "
                           "và mã khảo sát; giờ Việt Nam.",
                     "en": "One column per question, headed by its label; repeated answers (household members…) on "
                           "their own sheet (XLSX) or file (CSV in a zip), linked to the survey by house id and "
                           "survey id; Vietnam time."},
    "export_labels": {"vi": "Tiêu đề cột", "en": "Column headings"},
    "labels_vi": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "labels_en": {"vi": "Tiếng Anh", "en": "English"},
    "labels_codes": {"vi": "Mã (tên câu hỏi, mã lựa chọn)", "en": "Codes (question and choice names)"},
    "received_from": {"vi": "Nhận từ ngày", "en": "Received from"},
    "print_pdf_hint": {"vi": "Khổ A4. Chọn «Lưu dưới dạng PDF» trong hộp thoại in để có tệp PDF.",
                       "en": "A4 paper. Choose «Save as PDF» in the print dialogue for a PDF file."},
})
