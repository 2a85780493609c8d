"""construction_progress (Theo dõi tiến độ xây dựng, sửa chữa nhà): the source of
forms/library/construction_progress.xlsx. Stages and the "3 cứng" check: shared/domain/PROGRAMME.md §2, §5.
Edit here, then run `python -m forms.compile.library` to rewrite the .xlsx (a test keeps them equal).
"""

from forms.compile.library.choices import PROGRESS_CHOICES
from forms.compile.library.house_assessment import SURVEY as ASSESSMENT_SURVEY
from forms.compile.library.rows import PHOTO, REQUIRED, calc, end, q, settings
from forms.roles import funds_role

MONEY = (". >= 0", "Số tiền không được âm.", "The amount cannot be negative.")
DONE = "${stage} = 'completed' or ${stage} = 'handed_over'"


def _received(source, vi, en):
    return q(
        "integer",
        f"rec_{source}",
        (vi, en),
        required=REQUIRED,
        constraint=MONEY,
        default="0",
        role=funds_role(source),
    )


def _hard(name, vi, en):
    return q("select_one yes_no", name, (vi, en), required=True, appearance="horizontal")


def _same_as_assessment(name):
    return next(row for row in ASSESSMENT_SURVEY if row.get("name") == name)


SETTINGS = settings(
    "construction_progress",
    "2026112801",
    ("Theo dõi tiến độ xây dựng, sửa chữa nhà", "Construction progress follow-up"),
    "concat(${house_id}, ' - ', ${stage})",
)

SURVEY = [
    q("start", "start"),
    q("end", "end"),
    q("today", "today"),
    q("deviceid", "deviceid"),
    q("username", "username"),
    q("begin group", "house", ("Ngôi nhà", "The house"), appearance="field-list"),
    q(
        "text",
        "house_id",
        ("Mã nhà", "House id"),
        (
            "Mã do máy chủ cấp, được điền sẵn khi chọn nhà trong danh sách cần theo dõi.",
            "The server's id of the house, filled in when you pick it from the follow-up list.",
        ),
        required=("Cần chọn ngôi nhà được theo dõi.", "Choose the house this report follows up."),
        role="house_ref",
    ),
    _same_as_assessment("commune_code"),
    q(
        "select_one stage",
        "stage",
        ("Giai đoạn", "Stage"),
        required=True,
        role="construction_stage",
    ),
    q(
        "date",
        "stage_date",
        ("Ngày đạt giai đoạn này", "Date this stage was reached"),
        required=True,
        constraint=(
            ". >= '2023-01-01' and . <= today()",
            "Ngày phải từ 01/01/2023 đến hôm nay.",
            "The date must be between 1 January 2023 and today.",
        ),
    ),
    _same_as_assessment("gps"),
    end(),
    q("begin group", "photos", ("Ảnh chụp", "Photos"), appearance="field-list"),
    q(
        "image",
        "photo_progress",
        ("Ảnh công trình hiện tại", "The works as they are now"),
        required=("Cần chụp ảnh công trình.", "A photo of the works is required."),
        parameters=PHOTO,
    ),
    q(
        "image",
        "photo_record",
        ("Ảnh biên bản nghiệm thu (nếu có)", "Photo of the signed record (if any)"),
        ("Biên bản xác nhận hoàn thành giai đoạn hoặc đưa vào sử dụng.", "The stage or completion record."),
        parameters=PHOTO,
    ),
    end(),
    q("begin group", "funds", ("Kinh phí đã nhận (đồng)", "Funds received (VND)"), appearance="field-list"),
    q(
        "note",
        "note_funds",
        (
            "Số tiền hộ đã nhận đến nay theo từng nguồn (đồng). Ghi 0 nếu chưa nhận.",
            "Money the household has received so far from each source (VND). Write 0 if none.",
        ),
    ),
    _received("central_budget", "Ngân sách trung ương", "Central budget"),
    _received("provincial_budget", "Ngân sách tỉnh", "Provincial budget"),
    _received("local_budget", "Ngân sách huyện, xã", "District / commune budget"),
    _received("fund_for_the_poor", "Quỹ Vì người nghèo", "Fund for the Poor"),
    _received("gratitude_fund", "Quỹ Đền ơn đáp nghĩa", "Gratitude fund"),
    _received("sponsor", "Nhà tài trợ", "Sponsors"),
    _received("veterans_association", "Hội Cựu chiến binh", "Veterans Association"),
    _received("household", "Hộ tự có (kể cả người thân giúp)", "Household's own money (with relatives)"),
    _received("loan", "Vốn vay", "Loans"),
    q(
        "integer",
        "workdays_contributed",
        ("Số ngày công đã đóng góp", "Workdays contributed"),
        (
            "Ngày công của hội viên, đoàn viên, bà con giúp xây nhà.",
            "Days of work given by members and neighbours.",
        ),
        required=True,
        default="0",
        constraint=(". >= 0 and . <= 10000", "Từ 0 đến 10000 ngày công.", "Between 0 and 10000 workdays."),
        role="workdays",
    ),
    calc(
        "received_total",
        "${rec_central_budget} + ${rec_provincial_budget} + ${rec_local_budget} + ${rec_fund_for_the_poor}"
        " + ${rec_gratitude_fund} + ${rec_sponsor} + ${rec_veterans_association} + ${rec_household} + ${rec_loan}",
    ),
    end(),
    q(
        "begin group",
        "completion",
        ("Khi hoàn thành", "At completion"),
        relevant=DONE,
        appearance="field-list",
    ),
    q(
        "decimal",
        "new_floor_area",
        ("Diện tích sử dụng của nhà mới (m²)", "Usable floor area of the new house (m²)"),
        required=True,
        constraint=(
            ". > 0 and . <= 500",
            "Diện tích phải lớn hơn 0 và không quá 500 m².",
            "The area must be more than 0 and at most 500 m².",
        ),
    ),
    _hard("hard_floor", "Nền cứng?", "Hard floor?"),
    _hard("hard_frame_walls", "Khung - tường cứng?", "Hard frame and walls?"),
    _hard("hard_roof", "Mái cứng?", "Hard roof?"),
    calc(
        "three_hard",
        "if(${hard_floor} = 'yes' and ${hard_frame_walls} = 'yes' and ${hard_roof} = 'yes', 'yes', 'no')",
        ("Đạt “3 cứng” (tự tính)", "“3 hard” standard (computed)"),
    ),
    q(
        "note",
        "note_three_hard",
        ('Nhà đạt chuẩn "3 cứng".', 'The house meets the "3 hard" standard.'),
        relevant="${three_hard} = 'yes'",
    ),
    q(
        "note",
        "note_not_three_hard",
        (
            'Nhà chưa đạt chuẩn "3 cứng": hãy ghi rõ lý do trong phần ghi chú.',
            'The house does not meet the "3 hard" standard: explain why in the notes.',
        ),
        relevant="${three_hard} = 'no'",
    ),
    q(
        "image",
        "photo_completed",
        ("Ảnh ngôi nhà đã hoàn thành", "The finished house"),
        required=("Cần chụp ảnh ngôi nhà đã hoàn thành.", "A photo of the finished house is required."),
        parameters=PHOTO,
    ),
    end(),
    q("text", "notes", ("Ghi chú", "Notes"), appearance="multiline"),
]

CHOICES = PROGRESS_CHOICES
