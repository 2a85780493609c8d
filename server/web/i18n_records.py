"""Texts of the labelled exports, the reports at every level and the household record
(``forms.text.Catalogue``), merged into ``server.web.i18n.TEXT``."""

from __future__ import annotations

from forms.text import Catalogue

RECORDS_TEXT = Catalogue({
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
    "recorded_from": {"vi": "Ghi nhận từ ngày", "en": "Recorded from"},
    "received_from": {"vi": "Nhận từ ngày", "en": "Received from"},
    "print_pdf_hint": {"vi": "Khổ A4. Chọn «Lưu dưới dạng PDF» trong hộp thoại in để có tệp PDF.",
                       "en": "A4 paper. Choose «Save as PDF» in the print dialogue for a PDF file."},
})
