"""Answer values on the wire (docs/architecture.md §2): normalising input and showing values to XPath."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
_INT = re.compile(r"^[+-]?\d+$")


class BadValue(ValueError):
    """The value does not fit the question type; `key` names the message in forms.issues."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def normalise(qtype: str, value: Any) -> Any:
    """The canonical JSON value for `qtype`, or None when empty. Raises BadValue."""
    if is_empty(value):
        return None
    fn = _NORMALISERS.get(qtype, _text)
    return fn(value)


def _text(value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise BadValue("type.text")
    return value if isinstance(value, str) else _number_text(value)


INTEGER_LIMIT = 2**63  # an integer answer fits a signed 64-bit number (what a database column holds)


def _integer(value):
    if isinstance(value, bool):
        raise BadValue("type.integer")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and _INT.match(value.strip()) and len(value.strip()) <= 20:
        value = int(value.strip())
    if isinstance(value, int) and -INTEGER_LIMIT < value < INTEGER_LIMIT:
        return value
    raise BadValue("type.integer")


def _decimal(value):
    if isinstance(value, bool):
        raise BadValue("type.decimal")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an int past 1e308
            raise BadValue("type.decimal") from None
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            raise BadValue("type.decimal") from None
    else:
        raise BadValue("type.decimal")
    if math.isnan(number) or math.isinf(number):
        raise BadValue("type.decimal")
    return number


def _select_one(value):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadValue("type.text")
    return str(value)


def _select_multiple(value):
    if isinstance(value, str):
        items = value.split()
    elif isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        items = [str(v) for v in value]
    else:
        raise BadValue("type.select_multiple")
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen or None


def _date(value):
    if isinstance(value, str) and _DATE.match(value):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise BadValue("type.date")


def _time(value):
    if isinstance(value, str):
        m = _TIME.match(value.strip())
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60 and int(m.group(3) or 0) < 60:
            return value.strip() if m.group(3) else value.strip()[:5] + ":00" + value.strip()[5:]
    raise BadValue("type.time")


def _datetime(value):
    if isinstance(value, str) and len(value) >= 16:
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value
        except ValueError:
            pass
    raise BadValue("type.datetime")


def _geopoint(value):
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value]
    elif isinstance(value, str):
        parts = value.split()
    else:
        raise BadValue("type.geopoint")
    if not 2 <= len(parts) <= 4:
        raise BadValue("type.geopoint")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise BadValue("type.geopoint") from None
    lat, lon = nums[0], nums[1]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or any(math.isnan(n) or math.isinf(n) for n in nums):
        raise BadValue("type.geopoint")
    if len(nums) == 4 and nums[3] < 0:
        raise BadValue("type.geopoint")
    # JavaRosa keeps the parts it was given: a point typed without altitude/accuracy has none, so an
    # "accuracy <= 50 m" rule cannot pass on an accuracy nobody measured (never padded with "0 0")
    return " ".join(_number_text(n) for n in nums)


def _image(value):
    if not isinstance(value, str) or "/" in value or "\\" in value or "\x00" in value or value in (".", ".."):
        raise BadValue("type.image")
    return value


def _file(value):
    try:
        return _image(value)
    except BadValue:
        raise BadValue("type.file") from None


def _points(value, least, closed):
    """ODK geotrace / geoshape: points 'lat lon [alt [acc]]' separated by ';' (a shape ends where it began)."""
    if not isinstance(value, str):
        raise BadValue("type.geotrace")
    try:
        points = [_geopoint(p.strip()) for p in value.split(";") if p.strip()]
    except BadValue:
        raise BadValue("type.geotrace") from None
    if len(points) < least or (closed and points[0].split()[:2] != points[-1].split()[:2]):
        raise BadValue("type.geoshape" if closed else "type.geotrace")
    return ";".join(points)


def _geotrace(value):
    return _points(value, 2, False)


def _geoshape(value):
    return _points(value, 4, True)


def _range(value):
    number = _decimal(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _acknowledge(value):
    if value in ("OK", "ok", True, "yes", "1", 1):
        return "OK"
    raise BadValue("type.acknowledge")


def _number_text(n) -> str:
    if isinstance(n, float) and n.is_integer():
        return str(int(n))
    return repr(n) if isinstance(n, float) else str(n)


_NORMALISERS = {
    "integer": _integer,
    "decimal": _decimal,
    "select_one": _select_one,
    "select_multiple": _select_multiple,
    "date": _date,
    "time": _time,
    "datetime": _datetime,
    "geopoint": _geopoint,
    "image": _image,
    "audio": _file,
    "video": _file,
    "file": _file,
    "osm": _file,
    "audit": _file,
    "acknowledge": _acknowledge,
    "start-geopoint": _geopoint,
    "geotrace": _geotrace,
    "geoshape": _geoshape,
    "range": _range,
}


def to_xpath(value: Any) -> Any:
    """How an answer looks to an expression: '' when empty, lists space-joined, numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def from_result(qtype: str, result: Any) -> Any:
    """A calculation's XPath result as an answer value (None when empty / NaN)."""
    if isinstance(result, list):
        result = result[0] if result else ""
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, float):
        if math.isnan(result) or math.isinf(result):
            return None
        if result.is_integer() and abs(result) < 2**53:
            return int(result)
        return result
    if result == "":
        return None
    if qtype in ("integer", "decimal", "range", "select_multiple", "date", "geopoint"):
        try:
            return normalise(qtype, result)
        except BadValue:
            return None
    return result
