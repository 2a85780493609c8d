"""A survey as an XForm instance (what ODK Collect, KoboCollect and Enketo send) <-> our answers (§2).

The instance follows the XForm's structure: the root element (``id`` = form id, ``version``), one
element per question, an element per group holding its questions, one element per repeat item, and
``meta/instanceID`` (``uuid:...``), ``meta/deprecatedID`` for an edit. Answers are keyed as everywhere
else (``Node.name``: the question's name, or its group path below the nearest repeat - 'g1/phone' - when
the name is used in two groups; groups transparent, repeats lists of objects); elements are named by the
XLSForm name (``_tag``). Both directions walk the form
model, never element names alone, so an element the form does not know is ignored and a question
missing from the instance is unanswered. Namespaces are ignored (Collect writes ``meta``, older forms
``orx:meta``).

Untrusted bytes are parsed by ``parse`` (expat through the standard library): a document type
declaration (and with it every entity, the "billion laughs" and external-entity attacks) is refused,
and so is nesting deeper than ``MAX_DEPTH``. Pure Python; the server and the tests share it.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from forms.model import Form, Node
from forms.text import Catalogue
from forms.values import BadValue, normalise

MAX_DEPTH = 64
ORX = "http://openrosa.org/xforms"
JR = "http://openrosa.org/javarosa"
_TEMPLATE = f"{{{JR}}}template"

REASONS = Catalogue({
    "malformed": {"vi": "tệp XML hỏng hoặc không đầy đủ", "en": "the XML is malformed or cut short"},
    "dtd": {"vi": "tệp XML có khai báo DOCTYPE/ENTITY (không được phép)",
            "en": "the XML declares a DOCTYPE or entities (not allowed)"},
    "too_deep": {"vi": "tệp XML lồng quá sâu", "en": "the XML is nested too deeply"},
    "no_form_id": {"vi": "phần tử gốc thiếu thuộc tính id (mã biểu mẫu)",
                   "en": "the root element has no id attribute (the form id)"},
    "no_instance_id": {"vi": "thiếu meta/instanceID dạng uuid:…",
                       "en": "meta/instanceID (uuid:…) is missing or not a UUID"},
    "bad_deprecated_id": {"vi": "meta/deprecatedID không phải uuid:…", "en": "meta/deprecatedID is not a UUID"},
})


class InstanceError(ValueError):
    """The bytes are not an instance we can read; ``reason`` is a key of ``REASONS``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def text(self, lang: str) -> str:
        return REASONS.text(self.reason, lang)


@dataclass(frozen=True)
class Head:
    """What the root and meta say before the form is known."""

    form_id: str
    version: str | None
    instance_id: str
    deprecated_id: str | None
    instance_name: str | None


# ---- safe parsing -----------------------------------------------------------------------------------
def _qname(name: str) -> str:
    return "{" + name if "}" in name else name


def _forbid(*_args) -> int:
    raise InstanceError("dtd")


def parse(data: bytes) -> ET.Element:
    """The root element of ``data``; InstanceError for a malformed document, a DTD or entities."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    depth = [0]

    def start(name, attrs):
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise InstanceError("too_deep")
        builder.start(_qname(name), {_qname(k): v for k, v in attrs.items()})

    def end(name):
        depth[0] -= 1
        builder.end(_qname(name))

    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        return builder.close()
    except expat.ExpatError:
        raise InstanceError("malformed") from None
    except (AssertionError, IndexError):  # TreeBuilder: nothing or unbalanced
        raise InstanceError("malformed") from None


def local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in elem if local(c.tag) == name), None)


def _uuid(text: str | None) -> str | None:
    raw = (text or "").strip()
    raw = raw[5:] if raw.lower().startswith("uuid:") else raw
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def head(root: ET.Element) -> Head:
    """Form id, version, instanceID (a UUID, without ``uuid:``), deprecatedID, instanceName."""
    form_id = (root.get("id") or "").strip()
    if not form_id:
        raise InstanceError("no_form_id")
    meta = _child(root, "meta")

    def get(name: str) -> str | None:
        found = _child(meta, name) if meta is not None else None
        return found.text if found is not None else None

    instance_id = _uuid(get("instanceID"))
    if instance_id is None:
        raise InstanceError("no_instance_id")
    deprecated_text = get("deprecatedID")
    deprecated = _uuid(deprecated_text)
    if deprecated_text and deprecated_text.strip() and deprecated is None:
        raise InstanceError("bad_deprecated_id")
    version = root.get("version")
    return Head(form_id, version.strip() if version and version.strip() else None, instance_id, deprecated,
                (get("instanceName") or "").strip() or None)


# ---- instance -> answers ----------------------------------------------------------------------------
def answers_of(form: Form, root: ET.Element) -> dict[str, Any]:
    """The §2 answers of an instance (values normalised where they fit; a value that does not is kept
    as sent, so ``forms.validate`` names it with the question)."""
    out: dict[str, Any] = {}
    _read(form.questions, root, out)
    return out


def _read(nodes: list[Node], elem: ET.Element, out: dict) -> None:
    by_name: dict[str, list[ET.Element]] = {}
    for child in elem:
        by_name.setdefault(local(child.tag), []).append(child)
    for node in nodes:
        found = by_name.get(_tag(node)) or []
        if node.is_group:
            if found:
                _read(node.children, found[0], out)
        elif node.is_repeat:
            items = []
            for item in found:
                if item.get(_TEMPLATE) is not None:
                    continue
                values: dict = {}
                _read(node.children, item, values)
                items.append(values)
            if items:
                out[node.name] = items
        elif node.has_answer and found:
            value = _value(node, "".join(found[0].itertext()))
            if value is not None:
                out[node.name] = value


def _tag(node: Node) -> str:
    """The element of a node: its XLSForm name (the last segment of its path), not its answer key."""
    return node.path.rsplit("/", 1)[-1] or node.name


def _value(node: Node, text: str) -> Any:
    if text.strip() == "":
        return None
    try:
        return normalise(node.type, text)
    except BadValue:
        return text


# ---- answers -> instance ----------------------------------------------------------------------------
def to_xml(form: Form, answers: dict, instance_id: str, deprecated_id: str | None = None,
           root_name: str = "data") -> bytes:
    """The instance Collect would send for ``answers`` (every question present, empty when unanswered)."""
    ET.register_namespace("orx", ORX)
    ET.register_namespace("jr", JR)
    root = ET.Element(root_name, {"id": form.form_id, "version": form.version})
    _write(form.questions, answers, root)
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "instanceID").text = f"uuid:{instance_id}"
    if deprecated_id:
        ET.SubElement(meta, "deprecatedID").text = f"uuid:{deprecated_id}"
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _write(nodes: list[Node], values: dict, parent: ET.Element) -> None:
    for node in nodes:
        if node.is_group:
            _write(node.children, values, ET.SubElement(parent, _tag(node)))
        elif node.is_repeat:
            for item in values.get(node.name) or []:
                if isinstance(item, dict):
                    _write(node.children, item, ET.SubElement(parent, _tag(node)))
        else:
            ET.SubElement(parent, _tag(node)).text = _text(values.get(node.name)) if node.has_answer else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
