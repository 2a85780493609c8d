"""Error codes of answer validation and their messages (Vietnamese default, English second).

The phone maps codes to text and never parses messages; the server returns both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from forms.text import Catalogue

CODES = ("required", "constraint", "type", "choice")

MESSAGES = Catalogue({
    "required": {"vi": "Câu hỏi này bắt buộc phải trả lời.", "en": "This question is required."},
    "constraint": {"vi": "Câu trả lời không hợp lệ.", "en": "This answer is not allowed."},
    "choice": {"vi": "Lựa chọn không có trong danh sách.", "en": "Not one of the allowed choices."},
    "type.text": {"vi": "Phải là một chuỗi chữ.", "en": "Must be text."},
    "type.integer": {"vi": "Phải là một số nguyên.", "en": "Must be a whole number."},
    "type.decimal": {"vi": "Phải là một số.", "en": "Must be a number."},
    "type.date": {"vi": "Phải là ngày dạng NNNN-TT-NN.", "en": "Must be a date (YYYY-MM-DD)."},
    "type.time": {"vi": "Phải là giờ dạng GG:PP:GG.", "en": "Must be a time (HH:MM:SS)."},
    "type.datetime": {"vi": "Phải là ngày giờ ISO 8601.", "en": "Must be an ISO 8601 date and time."},
    "type.geopoint": {
        "vi": "Phải là toạ độ 'vĩ_độ kinh_độ độ_cao độ_chính_xác'.",
        "en": "Must be a point 'lat lon alt accuracy'.",
    },
    "type.select_multiple": {"vi": "Phải là danh sách các lựa chọn.", "en": "Must be a list of choices."},
    "type.image": {"vi": "Phải là tên tệp ảnh.", "en": "Must be an image file name."},
    "type.file": {"vi": "Phải là tên một tệp.", "en": "Must be a file name."},
    "type.geotrace": {
        "vi": "Phải là ít nhất 2 điểm 'vĩ_độ kinh_độ' cách nhau bởi ';'.",
        "en": "Must be at least 2 points 'lat lon' separated by ';'.",
    },
    "type.geoshape": {
        "vi": "Phải là một vùng khép kín: ít nhất 4 điểm, điểm cuối trùng điểm đầu.",
        "en": "Must be a closed shape: at least 4 points, the last one equal to the first.",
    },
    "repeat_count": {
        "vi": "Số mục yêu cầu ({n}) vượt quá giới hạn {max}: hãy kiểm tra câu trả lời quyết định số mục.",
        "en": "The number of entries asked for ({n}) is over the limit of {max}: check the answer that sets it.",
    },
    "range": {"vi": "Giá trị phải từ {start} đến {end}.", "en": "The value must be from {start} to {end}."},
    "type.repeat": {"vi": "Phải là danh sách các mục.", "en": "Must be a list of entries."},
    "type.answers": {"vi": "Câu trả lời phải là một đối tượng JSON.", "en": "Answers must be a JSON object."},
    "type.acknowledge": {"vi": "Phải là 'OK'.", "en": "Must be 'OK'."},
})


def message(key: str, lang: str = "vi", **values) -> str:
    return MESSAGES.text(key if key in MESSAGES else "constraint", lang, **values)


@dataclass(frozen=True)
class Issue:
    """One problem with one answer: `field` is a path (`members[2]/member_name`)."""

    field: str
    code: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)
