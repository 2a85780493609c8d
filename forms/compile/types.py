"""The question type written on the survey sheet -> the definition's type (docs/architecture.md §1).

pyxform leaves most aliases as written ('gps', 'add text prompt', 'q int', 'get device id', ...) in
its JSON and resolves them only when it builds the XForm, from its QUESTION_TYPE_DICT. We read the
same dictionary, so every alias pyxform knows means here what it means in ODK:

- a preload (`jr:preload` timestamp/date/property) is a metadata question the engine fills;
- an upload is a file answer (image, audio, video, osm, file);
- an input is typed by its bind type (string, int, decimal, date, geopoint, geotrace, barcode ...);
- a few aliases also carry a constraint/hint (`phone number`: digits only), which the row keeps
  unless it writes its own.
"""

from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

# Names the definition uses for pyxform's own type names (after its aliases).
DIRECT = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one",
    "date": "date",
    "time": "time",
    "dateTime": "datetime",
    "datetime": "datetime",
    "geopoint": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
    "barcode": "barcode",
    "range": "range",
    "photo": "image",
    "image": "image",
    "audio": "audio",
    "video": "video",
    "file": "file",
    "osm": "osm",
    "note": "note",
    "calculate": "calculate",
    "acknowledge": "acknowledge",
    "trigger": "acknowledge",
    "hidden": "hidden",
    "start": "start",
    "end": "end",
    "today": "today",
    "deviceid": "deviceid",
    "username": "username",
    "phonenumber": "phonenumber",
    "email": "email",
    "simserial": "simserial",
    "subscriberid": "subscriberid",
    "start-geopoint": "start-geopoint",
    "audit": "audit",
    "group": "group",
    "repeat": "repeat",
}
# Rows that declare something instead of asking: an external CSV/XML instance (its file is media).
DECLARATIONS = {"csv-external": ".csv", "xml-external": ".xml"}

_INPUTS = {
    "string": "text",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "time": "time",
    "dateTime": "datetime",
    "geopoint": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
    "barcode": "barcode",
}
_UPLOADS = {"image": "image", "audio": "audio", "video": "video", "osm": "osm", "application": "file"}
_PROPERTIES = ("deviceid", "username", "phonenumber", "email", "simserial", "subscriberid")


def resolve(written):
    """(type, defaults) for a pyxform type name, or None when the engine has no such type.
    ``defaults`` are bind values the alias brings (e.g. a constraint), to use when the row has none."""
    if written in DIRECT:
        return DIRECT[written], {}
    entry = QUESTION_TYPE_DICT.get(written)
    if not entry:
        return None
    kind = _kind(entry)
    if kind is None:
        return None
    bind = entry.get("bind") or {}
    defaults = {k: v for k, v in bind.items() if k in ("constraint", "readonly")}
    if entry.get("hint"):
        defaults["hint"] = entry["hint"]
    return kind, defaults


def _kind(entry):
    bind = entry.get("bind") or {}
    control = entry.get("control") or {}
    preload, param = bind.get("jr:preload"), str(bind.get("jr:preloadParams") or "")
    if preload == "timestamp":
        return param if param in ("start", "end") else None
    if preload == "date":
        return "today"
    if preload == "property":
        name = param.removeprefix("uri:")
        return name if name in _PROPERTIES else None
    tag = control.get("tag")
    if tag == "upload":
        return _UPLOADS.get(str(control.get("mediatype", "")).split("/")[0])
    if tag == "select1":
        return "select_one"
    if tag == "select":
        return "select_multiple"
    if tag == "trigger":
        return "acknowledge" if bind.get("type") in (None, "string") else None
    if tag == "range":
        return "range"
    if tag == "input":
        return "note" if bind.get("readonly") == "true()" else _INPUTS.get(str(bind.get("type")))
    if tag is None and bind.get("type") == "string":
        return "calculate"
    return None
