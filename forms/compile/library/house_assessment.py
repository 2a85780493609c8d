"""house_assessment (Khảo sát nhà tạm, nhà dột nát): the source of forms/library/house_assessment.xlsx.

Criteria from QĐ 55/QĐ-BXD (20/1/2025) as in shared/domain/PROGRAMME.md §2, fields from §6.
Edit here, then run `python -m forms.compile.library` to rewrite the .xlsx (a test keeps them equal).
"""

from forms.compile.library.choices import ASSESSMENT_CHOICES, VILLAGES
from forms.compile.library.rows import PHOTO, REQUIRED, calc, end, q, settings
from forms.roles import funds_role

YEAR = "int(format-date(today(), '%Y'))"
BIRTH_YEAR = (
    f". >= 1900 and . <= {YEAR}",
    "Năm sinh phải từ 1900 đến năm nay.",
    "The birth year must be between 1900 and this year.",
)
MONEY = (". >= 0", "Số tiền không được âm.", "The amount cannot be negative.")
YES = "'yes'"


def _money(name, vi, en, source):
    return q(
        "integer", name, (vi, en), required=REQUIRED, constraint=MONEY, default="0", role=funds_role(source)
    )


def _durable(name, vi, en, hint_vi, hint_en):
    return q(
        "select_one durability", name, (vi, en), (hint_vi, hint_en), required=True, appearance="horizontal"
    )


def _yes_no(name, vi, en, **kw):
    return q("select_one yes_no", name, (vi, en), required=True, appearance="horizontal", **kw)


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
    # --- Current house -----------------------------------------------------------------------------
    q("begin group", "house", ("Hiện trạng nhà ở", "Current house"), appearance="field-list"),
    q(
        "decimal",
        "floor_area",
        ("Diện tích sử dụng của nhà (m²)", "Usable floor area of the house (m²)"),
        required=True,
        constraint=(
            ". > 0 and . <= 500",
            "Diện tích phải lớn hơn 0 và không quá 500 m².",
            "The area must be more than 0 and at most 500 m².",
        ),
    ),
    q(
        "integer",
        "year_built",
        ("Năm xây dựng (nếu biết)", "Year built (if known)"),
        constraint=(f". >= 1900 and . <= {YEAR}", "Năm từ 1900 đến năm nay.", "Between 1900 and this year."),
    ),
    _durable(
        "foundation_durable",
        "Nền, móng",
        "Floor and foundation",
        "Bền chắc: vữa xi măng - cát, bê tông, bê tông cốt thép, gạch, đá, gạch lát, gỗ.",
        "Durable: cement-sand mortar, concrete, reinforced concrete, brick, stone, tiles, wood.",
    ),
    _durable(
        "walls_durable",
        "Khung, tường",
        "Frame and walls",
        "Bền chắc: khung, cột bê tông cốt thép, sắt, thép, gỗ bền chắc; tường gạch, đá, gỗ bền chắc, kim loại.",
        "Durable: frame of reinforced concrete, iron, steel or durable wood; walls of brick, stone,"
        " durable wood or metal.",
    ),
    _durable(
        "roof_durable",
        "Mái",
        "Roof",
        "Bền chắc: mái bê tông cốt thép, ngói; mái tôn đặt trên kết cấu chắc chắn, liên kết với tường xây"
        " hoặc cột bê tông cốt thép.",
        "Durable: reinforced concrete or clay tiles; metal sheets on a sturdy frame tied to masonry walls"
        " or RC columns.",
    ),
    _yes_no("leaking", "Nhà có bị dột không?", "Does the house leak?"),
    _yes_no("collapse_risk", "Nhà có nguy cơ sập đổ không?", "Is the house at risk of collapse?"),
    _yes_no("has_kitchen", "Nhà có bếp không?", "Is there a kitchen?"),
    _yes_no("has_toilet", "Nhà có nhà vệ sinh không?", "Is there a toilet?"),
    end(),
    calc(
        "area_per_person",
        "round(${floor_area} div ${household_size}, 1)",
        ("Diện tích bình quân (m²/người)", "Area per person (m²)"),
    ),
    calc(
        "non_durable_count",
        "if(${foundation_durable} = 'not_durable', 1, 0) + if(${walls_durable} = 'not_durable', 1, 0)"
        " + if(${roof_durable} = 'not_durable', 1, 0)",
        ("Số bộ phận không bền chắc", "Non-durable parts"),
    ),
    # QĐ 55/QĐ-BXD: one person < 18 m²; several people < 30 m² and < 8 m² per person.
    calc(
        "criterion_area",
        "if((${household_size} = 1 and ${floor_area} < 18) or (${household_size} > 1 and ${floor_area} < 30"
        " and ${floor_area} div ${household_size} < 8), 'yes', 'no')",
    ),
    calc("criterion_structure", "if(${non_durable_count} >= 2, 'yes', 'no')"),
    calc(
        "eligible",
        "if(${land_ok} = 'yes' and (${criterion_area} = 'yes' or ${criterion_structure} = 'yes'), 'yes', 'no')",
        ("Đạt tiêu chí nhà tạm, dột nát (tự tính)", "Meets the QĐ 55 criteria (computed)"),
        role="eligibility",
    ),
    # --- Assessment shown to the volunteer -------------------------------------------------------
    q("begin group", "assessment", ("Kết quả đánh giá", "Assessment result"), appearance="field-list"),
    q(
        "note",
        "note_area",
        (
            "Đạt tiêu chí diện tích: nhà quá chật so với số người ở.",
            "Meets the area criterion: the house is too small for the people living in it.",
        ),
        relevant="${criterion_area} = 'yes'",
    ),
    q(
        "note",
        "note_structure",
        (
            "Đạt tiêu chí kết cấu: ít nhất 2 trong 3 bộ phận chính (nền móng, khung tường, mái)"
            " làm bằng vật liệu không bền chắc.",
            "Meets the structure criterion: at least 2 of the 3 main parts (foundation, frame and walls,"
            " roof) are not durable.",
        ),
        relevant="${criterion_structure} = 'yes'",
    ),
    q(
        "note",
        "note_eligible",
        (
            "Nhà thuộc diện nhà tạm, nhà dột nát theo Quyết định 55/QĐ-BXD. Hãy điền tiếp đề xuất hỗ trợ.",
            "The house counts as temporary / dilapidated under Decision 55/QĐ-BXD. Go on with the"
            " support proposal.",
        ),
        relevant=f"${{eligible}} = {YES}",
    ),
    q(
        "note",
        "note_land_problem",
        (
            "Nhà không nằm trên đất ở hoặc đất đang tranh chấp nên chưa đủ điều kiện hỗ trợ.",
            "The house is not on residential land or the land is in dispute, so it does not qualify yet.",
        ),
        relevant="${land_ok} = 'no'",
    ),
    q(
        "note",
        "note_not_eligible",
        (
            "Nhà chưa đạt tiêu chí diện tích hay kết cấu của Quyết định 55/QĐ-BXD."
            " Vẫn gửi phiếu để xã, huyện xem xét.",
            "The house meets neither the area nor the structure criterion of Decision 55/QĐ-BXD."
            " Send the survey anyway for review.",
        ),
        relevant="${land_ok} = 'yes' and ${eligible} = 'no'",
    ),
    end(),
    # --- Proposal ----------------------------------------------------------------------------------
    q(
        "begin group",
        "proposal",
        ("Đề xuất hỗ trợ", "Support proposal"),
        relevant=f"${{eligible}} = {YES}",
        appearance="field-list",
    ),
    q(
        "select_one recommendation",
        "recommendation",
        ("Đề xuất", "Recommendation"),
        (
            "Xây mới khi nhà quá chật hoặc có nguy cơ sập; sửa chữa khi móng và khung còn dùng được.",
            "Build new when the house is too small or may collapse; repair when foundation and frame are usable.",
        ),
        required=True,
        role="support_kind",
    ),
    q("select_one strand", "strand", ("Chương trình hỗ trợ", "Funding strand"), required=True),
    q("select_one priority", "priority_group", ("Nhóm ưu tiên", "Priority group"), required=True),
    end(),
    # --- Cost and funding ---------------------------------------------------------------------------
    q(
        "begin group",
        "funding",
        ("Kinh phí (đồng)", "Cost and funding (VND)"),
        relevant=f"${{eligible}} = {YES}",
        appearance="field-list",
    ),
    q(
        "integer",
        "estimated_cost",
        ("Tổng chi phí dự kiến (đồng)", "Estimated total cost (VND)"),
        ("Ví dụ 120000000 cho 120 triệu đồng.", "For example 120000000 for 120 million VND."),
        required=True,
        constraint=(
            ". >= 1000000 and . <= 2000000000",
            "Chi phí từ 1 triệu đến 2 tỷ đồng.",
            "Between 1 million and 2 billion VND.",
        ),
    ),
    q(
        "note",
        "note_sources",
        (
            "Số tiền đề nghị hỗ trợ theo từng nguồn (đồng). Ghi 0 nếu không có.",
            "Support requested from each source (VND). Write 0 if none.",
        ),
    ),
    _money("req_central_budget", "Ngân sách trung ương", "Central budget", "central_budget"),
    _money("req_provincial_budget", "Ngân sách tỉnh", "Provincial budget", "provincial_budget"),
    _money("req_local_budget", "Ngân sách huyện, xã", "District / commune budget", "local_budget"),
    _money("req_fund_for_the_poor", "Quỹ Vì người nghèo", "Fund for the Poor", "fund_for_the_poor"),
    _money("req_gratitude_fund", "Quỹ Đền ơn đáp nghĩa", "Gratitude fund", "gratitude_fund"),
    _money("req_sponsor", "Nhà tài trợ", "Sponsors", "sponsor"),
    _money("req_veterans_association", "Hội Cựu chiến binh", "Veterans Association", "veterans_association"),
    _money(
        "household_contribution",
        "Hộ tự có (kể cả người thân giúp)",
        "Household's own money (with relatives)",
        "household",
    ),
    _money("loan_amount", "Vốn vay", "Loans", "loan"),
    q(
        "integer",
        "pledged_workdays",
        ("Số ngày công đóng góp dự kiến", "Pledged workdays"),
        required=True,
        default="0",
        constraint=(". >= 0", "Số ngày công không được âm.", "Workdays cannot be negative."),
        role="workdays",
    ),
    calc(
        "requested_total",
        "${req_central_budget} + ${req_provincial_budget} + ${req_local_budget} + ${req_fund_for_the_poor}"
        " + ${req_gratitude_fund} + ${req_sponsor} + ${req_veterans_association}",
    ),
    calc("funding_total", "${requested_total} + ${household_contribution} + ${loan_amount}"),
    q(
        "note",
        "note_over_budget",
        (
            "Lưu ý: tổng các nguồn lớn hơn chi phí dự kiến. Hãy kiểm tra lại.",
            "Note: the sources add up to more than the estimated cost. Please check.",
        ),
        relevant="${funding_total} > ${estimated_cost}",
    ),
    end(),
    # --- Photos and notes ----------------------------------------------------------------------------
    q("begin group", "photos", ("Ảnh chụp ngôi nhà", "Photos of the house"), appearance="field-list"),
    q(
        "image",
        "photo_front",
        ("Ảnh mặt trước nhà", "Front of the house"),
        ("Chụp toàn bộ mặt trước ngôi nhà.", "Take the whole front of the house."),
        required=("Cần chụp ảnh mặt trước nhà.", "A photo of the front is required."),
        parameters=PHOTO,
    ),
    q(
        "image",
        "photo_roof",
        ("Ảnh mái nhà", "Roof"),
        required=("Cần chụp ảnh mái nhà.", "A photo of the roof is required."),
        parameters=PHOTO,
    ),
    q(
        "image",
        "photo_inside",
        ("Ảnh bên trong nhà", "Inside the house"),
        required=("Cần chụp ảnh bên trong nhà.", "A photo of the inside is required."),
        parameters=PHOTO,
    ),
    q(
        "image",
        "photo_damage",
        ("Ảnh chỗ hư hỏng (nếu có)", "Damage (if any)"),
        parameters=PHOTO,
    ),
    end(),
    q("text", "notes", ("Ghi chú", "Notes"), appearance="multiline"),
    q(
        "acknowledge",
        "confirm",
        (
            "Tôi xác nhận đã xem tận nơi và thông tin trên là đúng.",
            "I confirm that I visited the house and the information above is correct.",
        ),
        required=True,
    ),
]

CHOICES = ASSESSMENT_CHOICES
# The form's media files (house_assessment-media/ beside the .xlsx): the villages of each commune.
MEDIA = {"villages.csv": VILLAGES}
