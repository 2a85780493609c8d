"""The choice lists of the built-in forms (the choices sheet), shared where both forms ask the same."""

from forms.compile.library.rows import EN, VI, choices

YES_NO = choices("yes_no", ("yes", "Có", "Yes"), ("no", "Không", "No"))

ASSESSMENT_CHOICES = [
    *YES_NO,
    *choices("gender", ("male", "Nam", "Male"), ("female", "Nữ", "Female")),
    *choices(
        "ethnicity",
        ("kinh", "Kinh", "Kinh"),
        ("co_tu", "Cơ Tu", "Co Tu"),
        ("xo_dang", "Xơ Đăng", "Xo Dang"),
        ("gie_trieng", "Giẻ Triêng", "Gie Trieng"),
        ("co", "Co", "Co"),
        ("hoa", "Hoa", "Hoa"),
    ),
    *choices(
        "relationship",
        ("spouse", "Vợ / chồng", "Spouse"),
        ("child", "Con", "Child"),
        ("parent", "Cha / mẹ", "Parent"),
        ("grandchild", "Cháu", "Grandchild"),
        ("sibling", "Anh / chị / em", "Sibling"),
        ("other", "Quan hệ khác", "Other relative"),
    ),
    *choices(
        "category",
        ("nguoi_co_cong", "Người có công với cách mạng", "Person with meritorious service to the revolution"),
        ("than_nhan_liet_si", "Thân nhân liệt sĩ", "Relative of a martyr"),
        ("ho_ngheo", "Hộ nghèo", "Poor household"),
        ("ho_can_ngheo", "Hộ cận nghèo", "Near-poor household"),
        ("dan_toc_thieu_so", "Hộ đồng bào dân tộc thiểu số", "Ethnic-minority household"),
        ("bao_tro_xa_hoi", "Có đối tượng bảo trợ xã hội", "Has a social-protection beneficiary"),
        (
            "cuu_chien_binh",
            "Hội viên Hội Cựu chiến binh hoặc cựu chiến binh",
            "Veterans Association member or veteran",
        ),
        ("kho_khan_khac", "Hộ khó khăn khác", "Other hardship household"),
    ),
    *choices(
        "land_certificate",
        ("has", "Đã có", "Has one"),
        ("pending", "Đang làm thủ tục", "Being processed"),
        ("none", "Chưa có", "None"),
    ),
    *choices(
        "durability", ("durable", "Bền chắc", "Durable"), ("not_durable", "Không bền chắc", "Not durable")
    ),
    *choices("recommendation", ("new_build", "Xây mới", "Build new"), ("repair", "Sửa chữa", "Repair")),
    *choices(
        "strand",
        (
            "nguoi_co_cong",
            "Hỗ trợ người có công với cách mạng",
            "Support for people with meritorious service",
        ),
        (
            "mtqg",
            "Chương trình mục tiêu quốc gia (giảm nghèo; dân tộc thiểu số và miền núi)",
            "National target programmes (poverty reduction; ethnic-minority and mountain areas)",
        ),
        (
            "campaign",
            "Chương trình phát động xóa nhà tạm, nhà dột nát",
            "Campaign to eliminate temporary houses",
        ),
    ),
    *choices(
        "priority",
        ("p1", "1. Hộ nghèo đồng bào dân tộc thiểu số", "1. Poor ethnic-minority household"),
        (
            "p2",
            "2. Hộ nghèo có người có công với cách mạng",
            "2. Poor household with a revolutionary contributor",
        ),
        (
            "p3",
            "3. Hộ nghèo, cận nghèo có đối tượng bảo trợ xã hội",
            "3. Poor / near-poor household with a social-protection beneficiary",
        ),
        (
            "p4",
            "4. Hộ đặc biệt khó khăn (người cao tuổi, neo đơn, khuyết tật)",
            "4. Special hardship (elderly, living alone, disabled)",
        ),
        ("p5", "5. Hộ ở vùng thường xuyên bị thiên tai", "5. Household in a disaster-prone area"),
        ("p6", "6. Hộ khác", "6. Other household"),
    ),
]

# villages.csv, a media file of the house assessment: one row per village, `commune` its commune's
# code; `*` rows are offered in every commune (the province's village lists are not all loaded yet, and
# a required question with no choice to pick would stop the survey).
VILLAGES = [
    ["name", f"label::{VI}", f"label::{EN}", "commune"],
    ["2096801", "Thôn 1", "Village 1", "20968"],
    ["2096802", "Thôn 2", "Village 2", "20968"],
    ["2096803", "Thôn 3", "Village 3", "20968"],
    ["other", "Thôn khác (ghi tên bên dưới)", "Another village (name it below)", "*"],
]

PROGRESS_CHOICES = [
    *YES_NO,
    *choices(
        "stage",
        ("started", "Đã khởi công", "Started"),
        (
            "stage_checked",
            "Đã nghiệm thu giai đoạn (xong móng, khung, tường)",
            "Stage checked (foundation, frame, walls)",
        ),
        ("completed", "Đã hoàn thành, đưa vào sử dụng", "Completed and in use"),
        ("handed_over", "Đã bàn giao", "Handed over"),
    ),
]
