"""Page texts of the search boxes and sorts, the maps and the charts (merged into ``server.web.i18n.TEXT``)."""

from __future__ import annotations

from forms.text import Catalogue

TEXT = Catalogue({
    # search and sort
    "search_hint": {"vi": "Tên chủ hộ, số CCCD, thôn, tình nguyện viên (gõ có dấu hay không dấu đều được)",
                    "en": "Head's name, CCCD number, village, volunteer (with or without accents)"},
    "search_houses_hint": {"vi": "Tên chủ hộ, số CCCD, thôn (gõ có dấu hay không dấu đều được)",
                           "en": "Head's name, CCCD number, village (with or without accents)"},
    "sort": {"vi": "Sắp xếp", "en": "Sort"},
    "sort_oldest": {"vi": "Cũ nhất trước", "en": "Oldest first"},
    "sort_newest": {"vi": "Mới nhất trước", "en": "Newest first"},
    "sort_name": {"vi": "Tên chủ hộ (A–Z)", "en": "Head's name (A–Z)"},
    "sort_id": {"vi": "Thứ tự ghi nhận", "en": "Order recorded"},
    "sort_status": {"vi": "Trạng thái", "en": "Status"},
    "recorded_from": {"vi": "Ghi nhận từ ngày", "en": "Recorded from"},
    "recorded_to": {"vi": "đến ngày", "en": "to"},
    "clear_filters": {"vi": "Bỏ lọc", "en": "Clear"},
    "cccd": {"vi": "CCCD", "en": "CCCD"},
    "recorded": {"vi": "Ngày ghi nhận", "en": "Recorded"},
    "more_than": {"vi": "hơn {n}", "en": "more than {n}"},
    "no_match": {"vi": "Không có kết quả phù hợp.", "en": "Nothing matches."},
    # maps
    "map_offline": {"vi": "Không tải được nền bản đồ (không có mạng): các điểm được vẽ trên lưới toạ độ.",
                    "en": "The base map could not be loaded (no network): points are drawn on a coordinate grid."},
    "map_grid_only": {"vi": "Bản đồ không có nền: các điểm được vẽ trên lưới toạ độ.",
                      "en": "No base map configured: points are drawn on a coordinate grid."},
    "map_clusters_note": {"vi": "Nhiều nhà được gộp thành một vòng tròn có số; phóng to để xem từng nhà.",
                          "en": "Many houses are grouped into a numbered circle; zoom in to see each house."},
    "map_legend_house": {"vi": "Vị trí nhà (GPS của phiếu)", "en": "The house (the survey's GPS)"},
    "map_legend_photo": {"vi": "Vị trí chụp ảnh (EXIF)", "en": "Where a photo was taken (EXIF)"},
    "map_legend_neighbour": {"vi": "Nhà lân cận", "en": "Neighbouring houses"},
    "photo_positions": {"vi": "Vị trí chụp các ảnh", "en": "Where the photos were taken"},
    "photo_no_position": {"vi": "ảnh không có toạ độ", "en": "no position in the photo"},
    "photo_distance": {"vi": "cách nhà {m}", "en": "{m} from the house"},
    "neighbours": {"vi": "Nhà lân cận (trong vòng {d})", "en": "Neighbouring houses (within {d})"},
    "boundaries": {"vi": "Ranh giới đơn vị", "en": "Unit boundaries"},
    "boundaries_title": {"vi": "Ranh giới xã, huyện (GeoJSON)", "en": "Commune and district boundaries (GeoJSON)"},
    "boundaries_explain": {"vi": "Tải lên một tệp GeoJSON (FeatureCollection) có ranh giới các đơn vị; mỗi vùng được "
                                 "ghép với đơn vị theo mã trong thuộc tính «{prop}» (mã đơn vị như trong danh mục). "
                                 "Tối đa {mb} MB.",
                           "en": "Upload a GeoJSON file (a FeatureCollection) of unit boundaries; each feature is "
                                 "matched to a unit by the code in its «{prop}» property (the unit code of the list). "
                                 "At most {mb} MB."},
    "boundaries_file": {"vi": "Tệp GeoJSON", "en": "GeoJSON file"},
    "boundaries_property": {"vi": "Thuộc tính chứa mã đơn vị", "en": "Property holding the unit code"},
    "boundaries_upload": {"vi": "Tải lên", "en": "Upload"},
    "boundaries_loaded": {"vi": "Đã lưu ranh giới của {n} đơn vị.", "en": "Boundaries of {n} units saved."},
    "boundaries_unmatched": {"vi": "{n} vùng không khớp mã đơn vị nào trong phạm vi của bạn: {codes}",
                             "en": "{n} features match no unit code in your area: {codes}"},
    "boundaries_none": {"vi": "Chưa có ranh giới nào.", "en": "No boundaries loaded yet."},
    "boundaries_have": {"vi": "Đơn vị đã có ranh giới", "en": "Units with a boundary"},
    "boundaries_points": {"vi": "Số điểm", "en": "Points"},
    "boundaries_by": {"vi": "Người tải", "en": "Loaded by"},
    "nav_boundaries": {"vi": "Ranh giới", "en": "Boundaries"},
    # charts
    "charts": {"vi": "Biểu đồ", "en": "Charts"},
    "chart_target_done": {"vi": "Chỉ tiêu và số nhà đã hoàn thành theo đơn vị", "en": "Target and houses completed by unit"},
    "chart_funnel": {"vi": "Số nhà qua từng giai đoạn", "en": "Houses through each stage"},
    "chart_months": {"vi": "Nhà hoàn thành theo tháng", "en": "Houses completed per month"},
    "chart_money": {"vi": "Kinh phí huy động theo nguồn (triệu đồng)", "en": "Money mobilised by source (million đồng)"},
    "chart_committed": {"vi": "Cam kết", "en": "Committed"},
    "chart_disbursed": {"vi": "Đã giải ngân", "en": "Disbursed"},
    "chart_no_data": {"vi": "Chưa có số liệu.", "en": "No figures yet."},
})
