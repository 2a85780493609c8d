"""A form's media files (ODK's "form attachments"): CSV and GeoJSON lists read by the engine.

The definition names each file with its sha256 (`definition["media"]`); the bytes travel beside it
(server: stored with the form version; phone: downloaded with the definition, hash-checked; CLI: the
`<form>-media/` folder). `MediaFiles(files)` is given to `forms.definition.load`, `FormSession` or
`validate`; it checks the hashes and turns each file into items (`Choice`: name, label, props) for
`select_one_from_file`, `instance('name')/root/item[...]` and `pulldata()`.

CSV: a header row; `name` and `label` (or `label::Language (code)`) columns, every other column a
property. GeoJSON: a FeatureCollection; the feature's `id` (or property `id`) is the name, the
`title` property the label, the others properties, plus `geometry` in ODK's format ("lat lon 0 0",
points joined by ";").
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from forms.model import Choice
from forms.text import Catalogue

LIST_SUFFIXES = (".csv", ".geojson")
_LANG = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\s*\)\s*$")

MESSAGES = Catalogue({
    "missing": {"vi": "biểu mẫu cần tệp {name} nhưng không có tệp này",
                "en": "the form needs the file {name}, which is missing"},
    "hash": {"vi": "tệp {name} không đúng phiên bản của biểu mẫu (sha256 khác)",
             "en": "the file {name} is not the form's version of it (sha256 differs)"},
    "csv": {"vi": "tệp {name} không đọc được như CSV (UTF-8, dòng đầu là tên cột): {detail}",
            "en": "the file {name} cannot be read as CSV (UTF-8, a header row): {detail}"},
    "geojson": {"vi": "tệp {name} không phải GeoJSON FeatureCollection: {detail}",
                "en": "the file {name} is not a GeoJSON FeatureCollection: {detail}"},
})


class MediaError(ValueError):
    """A media file is missing, of another version, or unreadable. ``text(lang)`` says which."""

    def __init__(self, code: str, **params: Any):
        self.code, self.params = code, params
        super().__init__(MESSAGES.text(code, "en", **params))

    def text(self, lang: str = "vi") -> str:
        return MESSAGES.text(self.code, lang, **self.params)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def describe(files: Mapping[str, bytes]) -> list[dict]:
    """What a definition records of its media: name, sha256 and size of each file, by name."""
    return [{"name": name, "sha256": sha256(files[name]), "size": len(files[name])} for name in sorted(files)]


class MediaFiles:
    """The bytes of a form's media files by name; items of each list file, parsed once."""

    def __init__(self, files: Mapping[str, bytes] | None = None, default_language: str = "vi"):
        self.files = dict(files or {})
        self.default_language = default_language
        self._items: dict[str, list[Choice]] = {}

    @classmethod
    def for_form(cls, declared: list[dict], source: Mapping[str, bytes] | Callable[[str], bytes | None] | None,
                 default_language: str = "vi") -> MediaFiles:
        """The declared files, read from ``source`` (a mapping or a loader name -> bytes) and checked
        against their sha256: MediaError when one is missing or differs."""
        if isinstance(source, MediaFiles):
            source = source.files
        files: dict[str, bytes] = {}
        for entry in declared:
            name = str(entry.get("name"))
            data = source(name) if callable(source) else (source or {}).get(name)
            if data is None:
                raise MediaError("missing", name=name)
            if entry.get("sha256") and sha256(data) != entry["sha256"]:
                raise MediaError("hash", name=name)
            files[name] = data
        return cls(files, default_language)

    def file_for(self, instance: str) -> str | None:
        """The file behind ``instance('name')`` / ``pulldata('name', ...)``: the name itself or name.csv / .geojson."""
        for candidate in (instance, instance + ".csv", instance + ".geojson"):
            if candidate in self.files and candidate.lower().endswith(LIST_SUFFIXES):
                return candidate
        return None

    def items(self, name: str) -> list[Choice]:
        """The rows of a list file as items (name, label by language, other columns as props)."""
        if name not in self._items:
            data = self.files.get(name)
            if data is None:
                raise MediaError("missing", name=name)
            rows = geojson_rows(name, data) if name.lower().endswith(".geojson") else csv_rows(name, data)
            self._items[name] = [self._item(row) for row in rows]
        return self._items[name]

    def columns(self, name: str) -> set[str]:
        """Every column a list file has (for checking a choice_filter at compile time)."""
        out = {"name", "label"}
        for item in self.items(name):
            out.update(item.props)
        return out

    def _item(self, row: dict[str, str]) -> Choice:
        label: dict[str, str] = {}
        props: dict[str, str] = {}
        for key, value in row.items():
            head, _, language = key.partition("::")
            if head == "label":
                match = _LANG.search(language)
                code = match.group(1) if match else (language.strip() or self.default_language)
                label[code] = value
            elif key != "name":
                props[key] = value
        return Choice(name=str(row.get("name", "")), label=label, props=props)


def csv_rows(name: str, data: bytes) -> list[dict[str, str]]:
    """A CSV file (UTF-8, BOM allowed; ',' or ';' between cells) as dicts by header."""
    try:
        text = data.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t") if text.strip() else csv.excel
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        rows = [{str(k).strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    except (UnicodeDecodeError, csv.Error) as err:
        raise MediaError("csv", name=name, detail=str(err)[:120]) from None
    if not reader.fieldnames:
        raise MediaError("csv", name=name, detail="no header row")
    return rows


def geojson_rows(name: str, data: bytes) -> list[dict[str, str]]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        features = doc["features"] if doc.get("type") == "FeatureCollection" else None
        if not isinstance(features, list):
            raise ValueError("no 'features' list")
        rows = []
        for feature in features:
            props = {str(k): _text(v) for k, v in (feature.get("properties") or {}).items()}
            row = {"name": _text(feature.get("id", props.pop("id", ""))), "label": props.pop("title", "")}
            row.update(props)
            row["geometry"] = _geometry(feature.get("geometry") or {})
            rows.append(row)
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as err:
        raise MediaError("geojson", name=name, detail=str(err)[:120]) from None
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def _geometry(geometry: dict) -> str:
    """GeoJSON [lon, lat] coordinates -> ODK's 'lat lon 0 0' (points joined by ';')."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    points: Any
    if kind == "Point":
        points = [coords]
    elif kind == "LineString":
        points = coords
    elif kind == "Polygon":
        points = coords[0] if coords else []
    else:
        return ""
    return ";".join(f"{_text(p[1])} {_text(p[0])} 0 0" for p in points)
