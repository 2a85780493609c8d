"""The OpenRosa documents the server answers with (form list, manifest, response message), written with
ElementTree (every value escaped), and their texts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from forms.text import Catalogue

XFORMS_LIST = "http://openrosa.org/xforms/xformsList"
MANIFEST = "http://openrosa.org/xforms/xformsManifest"
RESPONSE = "http://openrosa.org/http/response"

TEXT = Catalogue({
    "taken": {"vi": "Đã nhận phiếu khảo sát. Cán bộ sẽ duyệt; kết quả xem ở trang «Khảo sát của tôi».",
              "en": "Survey received. A reviewer will look at it; see the outcome on the «My surveys» page."},
    "more": {"vi": "Đã nhận thêm ảnh của phiếu khảo sát.", "en": "More photos of the survey received."},
    "duplicate": {"vi": "Phiếu khảo sát này đã được nhận trước đó.", "en": "This survey was already received."},
    "missing": {"vi": "Còn thiếu ảnh: {names}.", "en": "Photos still missing: {names}."},
    "no_xml": {"vi": "thiếu phần xml_submission_file", "en": "the xml_submission_file part is missing"},
    "not_multipart": {"vi": "cần gửi multipart/form-data", "en": "multipart/form-data is expected"},
})


def _doc(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def _text(parent: ET.Element, tag: str, value: str | None) -> None:
    ET.SubElement(parent, tag).text = value


def form_list(entries: list[dict]) -> bytes:
    """``<xforms>`` with one ``<xform>`` per entry {form_id, name, version, md5, download_url, manifest_url}."""
    root = ET.Element("xforms", {"xmlns": XFORMS_LIST})
    for e in entries:
        x = ET.SubElement(root, "xform")
        _text(x, "formID", e["form_id"])
        _text(x, "name", e["name"])
        _text(x, "version", e["version"])
        _text(x, "hash", "md5:" + e["md5"])
        _text(x, "downloadUrl", e["download_url"])
        if e.get("manifest_url"):
            _text(x, "manifestUrl", e["manifest_url"])
    return _doc(root)


def manifest(files: list[dict]) -> bytes:
    """``<manifest>`` with one ``<mediaFile>`` per file {filename, md5, download_url}."""
    root = ET.Element("manifest", {"xmlns": MANIFEST})
    for f in files:
        m = ET.SubElement(root, "mediaFile")
        _text(m, "filename", f["filename"])
        _text(m, "hash", "md5:" + f["md5"])
        _text(m, "downloadUrl", f["download_url"])
    return _doc(root)


def message(text: str, nature: str = "submit_success") -> bytes:
    """``<OpenRosaResponse>`` with one message (Collect shows its text)."""
    root = ET.Element("OpenRosaResponse", {"xmlns": RESPONSE, "items": "0"})
    ET.SubElement(root, "message", {"nature": nature}).text = text
    return _doc(root)
