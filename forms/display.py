"""Answers as a reader sees them: one row per answered question, under its label, in form order.

`answer_rows(form, answers, lang)` is what the review page shows and what the phone may show:
groups and repeat items become heading rows (`is_group`, with `depth`), select answers their choice
labels, geopoints «lat, lon (± acc m)», dates dd/mm/yyyy (how Vietnamese readers write them), images
the file name in `image`. Notes and meta questions are left out, and so are calculations the form
gives no label (a labelled one is shown, its code turned into words by the caller's `value_texts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms.model import META_TYPES, Form, Node

SKIPPED = frozenset({"note", *META_TYPES})


@dataclass(frozen=True)
class Row:
    label: str
    value_text: str = ""
    path: str = ""           # field path (§2): 'name', 'rooms[2]/area'; a group's or repeat item's path
    depth: int = 0           # how many groups / repeat items enclose the row
    is_group: bool = False   # a heading: a group, or one item of a repeat
    image: str | None = None  # image answers: the file name

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1].split("[")[0]


def answer_rows(form: Form, answers: dict, lang: str, *, images: bool = True,
                value_texts: Mapping[str, str] | None = None) -> list[Row]:
    """Every non-empty answer in form order. A group's heading comes only when something inside it is
    answered; a repeat gives one heading per item («Label [2]»). `images=False` leaves photos out (a
    page that shows them as pictures). Top-level answers the form does not describe come last, under
    their key, so nothing received is hidden from a reviewer."""
    value_texts = value_texts or {}
    answers = answers if isinstance(answers, dict) else {}

    def rows_of(nodes: list[Node], values: dict, prefix: str, depth: int) -> list[Row]:
        out: list[Row] = []
        for node in nodes:
            path = prefix + node.name
            if node.is_group:
                inner = rows_of(node.children, values, prefix, depth + 1)
                if inner:
                    out.append(Row(form.text(node.label, lang) or node.name, path=path, depth=depth, is_group=True))
                    out.extend(inner)
            elif node.is_repeat:
                label = form.text(node.label, lang) or node.name
                for i, item in enumerate(values.get(node.name) or [], start=1):
                    out.append(Row(f"{label} [{i}]", path=f"{path}[{i}]", depth=depth, is_group=True))
                    out.extend(rows_of(node.children, item if isinstance(item, dict) else {}, f"{path}[{i}]/",
                                       depth + 1))
            elif node.type in SKIPPED or (node.type == "image" and not images):
                continue
            elif node.is_hidden and not form.text(node.label, lang):
                continue  # a calculation is shown to reviewers when the form gives it a label
            elif values.get(node.name) not in (None, "", []):
                value = values[node.name]
                if node.is_hidden:  # a computed code: the caller's words for it (yes/no, groups)
                    out.append(Row(form.text(node.label, lang), value_texts.get(str(value), str(value)), path, depth))
                else:
                    out.append(Row(form.text(node.label, lang) or node.name, value_text(form, node, value, lang),
                                   path, depth, image=value if node.type == "image" else None))
        return out

    rows = rows_of(form.questions, answers, "", 0)
    for key, value in answers.items():
        if key not in form.nodes and not isinstance(value, (list, dict)) and value not in (None, ""):
            rows.append(Row(str(key), str(value), str(key)))
    return rows


def value_text(form: Form, node: Node, value: Any, lang: str) -> str:
    """One answer in words: choice labels, «lat, lon (± acc m)», dd/mm/yyyy, HH:MM."""
    kind = node.type
    if kind == "select_one":
        return choice_label(form, node, value, lang)
    if kind == "select_multiple":
        values = value if isinstance(value, list) else str(value).split()
        return ", ".join(choice_label(form, node, v, lang) for v in values)
    if kind == "geopoint":
        parts = str(value).split()
        if len(parts) >= 2:
            accuracy = f" (± {float(parts[3]):.0f} m)" if len(parts) >= 4 and _number(parts[3]) else ""
            return f"{parts[0]}, {parts[1]}{accuracy}"
    if kind in ("geotrace", "geoshape"):
        points = [p.split() for p in str(value).split(";") if p.strip()]
        return " → ".join(f"{p[0]}, {p[1]}" for p in points if len(p) >= 2)
    if kind in ("date", "datetime", "time"):
        return _moment(kind, str(value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def choice_label(form: Form, node: Node, value: Any, lang: str) -> str:
    for choice in form.list_items(node.list_name or ""):
        if choice.name == str(value):
            return form.text(choice.label, lang) or choice.name
    return str(value)


def _moment(kind: str, text: str) -> str:
    try:
        if kind == "date":
            return dt.date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
        if kind == "time":
            return dt.time.fromisoformat(text[:8]).strftime("%H:%M")
        return dt.datetime.fromisoformat(text).strftime("%H:%M %d/%m/%Y")
    except ValueError:
        return text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
