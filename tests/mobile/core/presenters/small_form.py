"""A small compiled definition (docs/architecture.md §1) exercising what the form screen must handle."""


def L(vi, en=None):  # noqa: N802 - a label
    return {"vi": vi, "en": en or vi}


def q(name, type_, label, path=None, **kw):
    node = {"name": name, "type": type_, "path": path or f"/{name}", "label": L(*label) if isinstance(label, tuple) else L(label)}
    node.update(kw)
    return node


SMALL = {
    "schema_version": 1,
    "form_id": "small",
    "version": "1",
    "title": {"vi": "Phiếu nhỏ", "en": "Small form"},
    "default_language": "vi",
    "languages": ["vi", "en"],
    "questions": [
        q("intro", "note", ("Giới thiệu", "Intro")),
        q("head_name", "text", ("Họ tên chủ hộ", "Head of household"), required=True,
          required_message=L("Hãy nhập họ tên", "Please enter the name")),
        q("members", "integer", ("Số người", "People"), required=True, constraint=". >= 1 and . <= 20",
          constraint_message=L("Số người từ 1 đến 20", "Between 1 and 20 people")),
        q("has_roof", "select_one", ("Có mái không?", "Has a roof?"), list_name="yes_no", required=True),
        q("roof_material", "select_one", ("Vật liệu mái", "Roof material"), list_name="roof",
          relevant="${has_roof} = 'yes'", required=True),
        q("commune", "select_one", ("Xã", "Commune"), list_name="communes", required=True),
        q("village", "select_one", ("Thôn", "Village"), list_name="villages", required=True,
          choice_filter="commune = ${commune}"),
        q("visit_date", "date", ("Ngày khảo sát", "Visit date"), required=True),
        q("visit_time", "time", ("Giờ khảo sát", "Visit time")),
        q("location", "geopoint", ("Vị trí", "Location")),
        q("front", "image", ("Ảnh mặt trước", "Front photo"), parameters={"max-pixels": 800}),
        q("rooms", "repeat", ("Phòng", "Room"), children=[
            q("room_area", "decimal", ("Diện tích phòng (m²)", "Room area (m²)"), path="/rooms/room_area",
              required=True, constraint=". > 0"),
        ]),
    ],
    "choices": {
        "yes_no": [{"name": "yes", "label": L("Có", "Yes")}, {"name": "no", "label": L("Không", "No")}],
        "roof": [{"name": "tile", "label": L("Ngói", "Tiles")}, {"name": "metal", "label": L("Tôn", "Metal")}],
        "communes": [{"name": "20968", "label": L("Xã Tam Xuân I")}, {"name": "20971", "label": L("Xã Tam Xuân II")}],
        "villages": [
            {"name": "2096801", "label": L("Thôn 1"), "props": {"commune": "20968"}},
            {"name": "2096802", "label": L("Thôn 2"), "props": {"commune": "20968"}},
            {"name": "2097101", "label": L("Thôn Mới"), "props": {"commune": "20971"}},
        ],
    },
}
