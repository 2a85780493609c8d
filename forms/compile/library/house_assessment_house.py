"""house_assessment, second part: the current house and its assessment, the proposal, its cost and funding,
the photos and the volunteer's confirmation (the household and the place: house_assessment.py)."""

from forms.compile.library.assessment_rows import YEAR, YES, _durable, _money, _yes_no
from forms.compile.library.rows import PHOTO, calc, end, q

HOUSE_ROWS = [
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
