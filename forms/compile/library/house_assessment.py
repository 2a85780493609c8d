"""house_assessment (Khảo sát nhà tạm, nhà dột nát): the source of forms/library/house_assessment.xlsx.

Criteria from QĐ 55/QĐ-BXD (20/1/2025) as in shared/domain/PROGRAMME.md §2, fields from §6.
Edit here, then run `python -m forms.compile.library` to rewrite the .xlsx (a test keeps them equal).
"""

from forms.compile.library.assessment_rows import BIRTH_YEAR, YEAR, _yes_no
from forms.compile.library.choices import ASSESSMENT_CHOICES, VILLAGES
from forms.compile.library.house_assessment_house import HOUSE_ROWS
from forms.compile.library.rows import calc, end, q, settings

SETTINGS = settings(
    "house_assessment",
    "2026120201",
    ("Khảo sát nhà tạm, nhà dột nát", "Temporary / dilapidated house assessment"),
    "concat(${head_name}, ' - ', coalesce(${village_other}, ${village}))",
)

SURVEY = [
    q("start", "start"),
    q("end", "end"),
    q("today", "today"),
    q("deviceid", "deviceid"),
    q("username", "username"),
    # --- Location -------------------------------------------------------------------------------
    q("begin group", "location", ("Địa điểm", "Location"), appearance="field-list"),
    q(
        "text",
        "commune_code",
        ("Mã xã", "Commune code"),
        (
            "Mã đơn vị hành chính của xã, gồm 5 chữ số (ví dụ 20968).",
            "The 5-digit code of the commune (e.g. 20968).",
        ),
        required=True,
        constraint=(
            "regex(., '^[0-9]{5}$')",
            "Mã xã gồm đúng 5 chữ số.",
            "The commune code has exactly 5 digits.",
        ),
        appearance="numbers",
        role="commune",
    ),
    q(
        "select_one_from_file villages.csv",
        "village",
        ("Thôn / tổ dân phố", "Village / residential group"),
        (
            "Chỉ hiện các thôn của xã đã nhập ở trên. Không thấy thôn của mình: chọn «Thôn khác».",
            "Only the villages of the commune above are listed. Yours is missing: pick «Another village».",
        ),
        required=True,
        choice_filter="commune = ${commune_code} or commune = '*'",
        role="village",
    ),
    q(
        "text",
        "village_other",
        ("Tên thôn / tổ dân phố", "Name of the village / residential group"),
        required=("Hãy ghi tên thôn.", "Write the village's name."),
        relevant="${village} = 'other'",
        role="village_name",
    ),
    q("text", "address_detail", ("Địa chỉ chi tiết (xóm, số nhà)", "Address details (hamlet, house number)")),
    q(
        "geopoint",
        "gps",
        ("Vị trí GPS của ngôi nhà", "GPS position of the house"),
        (
            "Đứng trước cửa nhà, chờ đến khi sai số dưới 50 m rồi lưu.",
            "Stand at the front door and save once the accuracy is within 50 m.",
        ),
        required=("Cần lấy vị trí GPS của ngôi nhà.", "The GPS position of the house is required."),
        constraint=(
            # a point typed by hand has no accuracy: kept (the reviewer sees it flagged gps_manual)
            "selected-at(., 3) = '' or number(selected-at(., 3)) <= 50",
            "Sai số GPS phải dưới 50 m. Hãy ra chỗ thoáng và đo lại.",
            "GPS accuracy must be within 50 m. Move to open sky and measure again.",
        ),
        role="house_location",
    ),
    end(),
    # --- Household head ---------------------------------------------------------------------------
    q("begin group", "household", ("Chủ hộ", "Household head"), appearance="field-list"),
    q(
        "text",
        "head_name",
        ("Họ và tên chủ hộ", "Name of the household head"),
        required=True,
        constraint=("string-length(.) >= 2", "Hãy ghi đủ họ và tên.", "Write the full name."),
        role="head_name",
    ),
    q(
        "text",
        "head_cccd",
        ("Số CCCD của chủ hộ", "Citizen ID (CCCD) number of the head"),
        ("Gồm 12 chữ số, in trên thẻ căn cước.", "12 digits, printed on the citizen ID card."),
        required=True,
        constraint=(
            "regex(., '^[0-9]{12}$')",
            "Số CCCD gồm đúng 12 chữ số.",
            "The CCCD number has exactly 12 digits.",
        ),
        appearance="numbers",
        role="id_number",
    ),
    q(
        "integer",
        "head_birth_year",
        ("Năm sinh của chủ hộ", "Birth year of the head"),
        required=True,
        constraint=BIRTH_YEAR,
        role="birth_year",
    ),
    q("select_one gender", "head_gender", ("Giới tính", "Gender"), required=True, appearance="horizontal"),
    q(
        "select_one ethnicity or_other",
        "head_ethnicity",
        ("Dân tộc", "Ethnicity"),
        required=True,
        appearance="minimal",
    ),
    q(
        "text",
        "head_phone",
        ("Số điện thoại", "Phone number"),
        ("Bỏ trống nếu không có.", "Leave empty if there is none."),
        constraint=(
            "regex(., '^0[0-9]{9}$')",
            "Số điện thoại gồm 10 chữ số, bắt đầu bằng số 0.",
            "The phone number has 10 digits and starts with 0.",
        ),
        appearance="numbers",
    ),
    _yes_no("head_disabled", "Chủ hộ có khuyết tật không?", "Is the head disabled?"),
    calc("head_age", f"{YEAR} - ${{head_birth_year}}"),
    end(),
    # --- Members ---------------------------------------------------------------------------------
    q(
        "integer",
        "household_size",
        ("Số người trong hộ (kể cả chủ hộ)", "People in the household (including the head)"),
        required=True,
        constraint=(". >= 1 and . <= 30", "Số người từ 1 đến 30.", "Between 1 and 30 people."),
    ),
    q(
        "begin repeat",
        "members",
        ("Thành viên khác trong hộ", "Other household members"),
        repeat_count="${household_size} - 1",
    ),
    q("text", "member_name", ("Họ và tên", "Name"), required=True),
    q(
        "select_one relationship",
        "member_relationship",
        ("Quan hệ với chủ hộ", "Relationship to the head"),
        required=True,
    ),
    q("integer", "member_birth_year", ("Năm sinh", "Birth year"), required=True, constraint=BIRTH_YEAR),
    _yes_no("member_disabled", "Người này có khuyết tật không?", "Is this person disabled?"),
    calc("member_age", f"{YEAR} - ${{member_birth_year}}"),
    calc("member_elderly", "if(${member_age} >= 60, 1, 0)"),
    calc("member_disabled_n", "if(${member_disabled} = 'yes', 1, 0)"),
    end("repeat"),
    calc("lives_alone", "if(${household_size} = 1, 'yes', 'no')"),
    calc("elderly_count", "sum(${member_elderly}) + if(${head_age} >= 60, 1, 0)"),
    calc("disabled_count", "sum(${member_disabled_n}) + if(${head_disabled} = 'yes', 1, 0)"),
    calc("has_elderly", "if(${elderly_count} > 0, 'yes', 'no')"),
    calc("has_disabled", "if(${disabled_count} > 0, 'yes', 'no')"),
    # --- Category ----------------------------------------------------------------------------------
    q("begin group", "category", ("Diện đối tượng", "Household category"), appearance="field-list"),
    q(
        "select_multiple category",
        "household_category",
        ("Hộ thuộc diện nào?", "Which categories does the household belong to?"),
        ("Chọn tất cả các diện phù hợp.", "Choose every category that applies."),
        required=True,
    ),
    q(
        "text",
        "poverty_cert_number",
        ("Số giấy chứng nhận hộ nghèo / cận nghèo", "Poor / near-poor certificate number"),
        required=True,
        relevant="selected(${household_category}, 'ho_ngheo') or selected(${household_category}, 'ho_can_ngheo')",
    ),
    q(
        "integer",
        "poverty_cert_year",
        ("Năm cấp giấy chứng nhận", "Year the certificate was issued"),
        required=True,
        relevant="selected(${household_category}, 'ho_ngheo') or selected(${household_category}, 'ho_can_ngheo')",
        constraint=(
            f". >= 2016 and . <= {YEAR}",
            "Năm cấp từ 2016 đến năm nay.",
            "Between 2016 and this year.",
        ),
    ),
    _yes_no(
        "disaster_area",
        "Hộ ở vùng thường xuyên bị thiên tai?",
        "Does the household live in a disaster-prone area?",
    ),
    _yes_no(
        "separate_3_years",
        "Hộ đã tách hộ ở riêng từ 3 năm trở lên?",
        "Has it been a separate household for 3 years or more?",
    ),
    _yes_no(
        "helped_before",
        "Hộ đã từng được hỗ trợ nhà ở chưa?",
        "Has the household had housing support before?",
        role="helped_before",
    ),
    q(
        "text",
        "helped_programme",
        ("Được hỗ trợ từ chương trình nào?", "Which programme gave that support?"),
        required=True,
        relevant="${helped_before} = 'yes'",
    ),
    q(
        "integer",
        "helped_year",
        ("Năm được hỗ trợ", "Year of that support"),
        required=True,
        relevant="${helped_before} = 'yes'",
        constraint=(f". >= 1990 and . <= {YEAR}", "Năm từ 1990 đến năm nay.", "Between 1990 and this year."),
    ),
    end(),
    calc(
        "beneficiary_group",
        "if(selected(${household_category}, 'nguoi_co_cong') or selected(${household_category}, 'than_nhan_liet_si'),"
        " 'nguoi_co_cong', if(selected(${household_category}, 'ho_ngheo')"
        " or selected(${household_category}, 'ho_can_ngheo'), 'poor', 'other'))",
        ("Nhóm đối tượng (tự tính)", "Beneficiary group (computed)"),
        role="support_group",
    ),
    # --- Land ------------------------------------------------------------------------------------
    q("begin group", "land", ("Đất ở", "Land"), appearance="field-list"),
    _yes_no("residential_land", "Nhà có nằm trên đất ở không?", "Does the house stand on residential land?"),
    q(
        "select_one land_certificate",
        "land_certificate",
        ("Giấy chứng nhận quyền sử dụng đất (sổ đỏ)", "Land-use certificate (red book)"),
        required=True,
        relevant="${residential_land} = 'yes'",
    ),
    _yes_no("land_dispute", "Đất có đang tranh chấp không?", "Is the land in dispute?"),
    end(),
    calc(
        "land_ok",
        "if(${residential_land} = 'yes' and ${land_dispute} = 'no', 'yes', 'no')",
        ("Đất ở hợp lệ (tự tính)", "Land in order (computed)"),
        role="land_status",
    ),
    *HOUSE_ROWS,  # the house, the proposal, its money and its photos: house_assessment_house.py
]

CHOICES = ASSESSMENT_CHOICES
# The form's media files (house_assessment-media/ beside the .xlsx): the villages of each commune.
MEDIA = {"villages.csv": VILLAGES}
