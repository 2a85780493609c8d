"""Answers as flat tables, the way KoboToolbox's and ODK Central's exports lay them out.

One table for the survey (one column per question, groups transparent) and one per repeat (one row per
item, its enclosing items named by position), each column headed by the question's label in a language
(``"vi"``, ``"en"``) or by its name (``"codes"``). Values in a label language are what a reader reads:
choice labels, dates dd/mm/yyyy; in ``"codes"`` what the phone sent (choice names, ISO dates). A
geopoint is four columns (latitude, longitude, altitude, accuracy) as in both tools. Left out, as on
the review page (``forms.display``): notes, meta questions, calculations the form gives no label.

    flat = Flattener(form, "vi")
    flat.tables                        # [Table(...)] the survey first, then each repeat in form order
    flat.main_row(answers)             # [cell, ...] in flat.tables[0].columns order
    flat.repeat_rows(answers)          # [(table index, "2" / "2.1", [cell, ...]), ...]

Cells are str, int, float or None; the converters are built once per form, so a row costs a dict lookup
and a small function call per column (the exports stream hundreds of thousands of rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from forms.display import SKIPPED
from forms.model import Form, Node

LABELS = ("vi", "en", "codes")
GEO_PARTS = {"vi": ("vĩ độ", "kinh độ", "độ cao", "độ chính xác (m)"),
             "en": ("latitude", "longitude", "altitude", "accuracy (m)"),
             "codes": ("latitude", "longitude", "altitude", "precision")}
Cell = Any  # str | int | float | None
Convert = Callable[[Any], Cell]


@dataclass(frozen=True)
class Column:
    header: str
    node: Node
    convert: Convert
    width: int  # characters, for a spreadsheet


@dataclass(frozen=True)
class Table:
    name: str                  # "" for the survey, else the repeat's name
    title: str                 # the repeat's label (the survey: the form's title)
    repeat: Node | None
    columns: tuple[Column, ...]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _geo_part(i: int) -> Convert:
    def convert(value: Any) -> Cell:
        parts = str(value).split()
        return _number(parts[i]) if len(parts) > i else None
    return convert


def _day(value: Any) -> Cell:
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _moment(value: Any) -> Cell:
    try:
        return dt.datetime.fromisoformat(str(value)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return str(value)


def _plain(value: Any) -> Cell:
    if isinstance(value, (int, float, str)) or value is None:
        return value
    if isinstance(value, list):
        return " ".join(map(str, value))
    return str(value)


def _choices(form: Form, node: Node, labels: str) -> Convert:
    names = {c.name: (form.text(c.label, labels) or c.name) for c in form.choices.get(node.list_name or "", [])}
    if node.type == "select_one":
        def one(value: Any) -> Cell:
            found = names.get(value)
            return found if found is not None else names.get(str(value), str(value))
        return one

    def many(value: Any) -> Cell:
        items = value if isinstance(value, list) else str(value).split()
        return ", ".join(names.get(str(v), str(v)) for v in items)
    return many


def _converter(form: Form, node: Node, labels: str, texts: Mapping[str, str] | None = None) -> Convert:
    if labels == "codes":
        return _plain
    if texts is not None:  # the caller's words for this question's codes (a commune's name for its code)
        return lambda value: texts.get(str(value), str(value))
    if node.type in ("select_one", "select_multiple"):
        return _choices(form, node, labels)
    if node.type == "date":
        return _day
    if node.type == "datetime":
        return _moment
    return _plain


WIDTHS = {"text": 24, "select_one": 20, "select_multiple": 28, "integer": 12, "decimal": 12, "date": 12,
          "datetime": 17, "image": 22, "geopoint": 12}


def _columns(form: Form, node: Node, labels: str, texts: Mapping[str, str] | None = None) -> list[Column]:
    name = node.name
    header = name if labels == "codes" else (form.text(node.label, labels) or name)
    width = min(50, max(WIDTHS.get(node.type, 16), len(header) // 2 + 2))
    if node.type == "geopoint":
        parts = GEO_PARTS[labels]
        sep = "_" if labels == "codes" else " — "
        return [Column(f"{header}{sep}{parts[i]}", node, _geo_part(i), max(12, width)) for i in range(4)]
    return [Column(header, node, _converter(form, node, labels, texts), width)]


def _shown(form: Form, node: Node) -> bool:
    if node.type in SKIPPED or not node.has_answer:
        return False
    return not node.is_hidden or bool(node.label)  # a calculation only when the form gives it a label


def _plan(columns: tuple[Column, ...]) -> tuple[list[str], list[tuple[int, Convert]]]:
    """The names to read, and the (position, converter) of the cells that need more than the value."""
    names = [c.node.name for c in columns]
    special = [(i, c.convert) for i, c in enumerate(columns) if c.convert is not _plain or c.node.type in _LISTS]
    return names, special


_LISTS = ("select_multiple",)  # an answer that is a list even in codes (joined by spaces)


def _fill(values: list, special: list[tuple[int, Convert]]) -> list[Cell]:
    for i, convert in special:
        value = values[i]
        if value is not None and value != "" and value != []:
            values[i] = convert(value)
    return values


class Flattener:
    """The tables of one form in one label language, and the rows of one survey's answers."""

    def __init__(self, form: Form, labels: str = "vi", role_texts: Mapping[str, Mapping[str, str]] | None = None
                 ) -> None:
        """``role_texts``: {role: {code: words}} for questions whose answers are codes the form has no
        labels for (the ``commune`` role: unit codes), used in the label languages."""
        if labels not in LABELS:
            raise ValueError(f"labels must be one of {LABELS}")
        self.form, self.labels = form, labels
        title_lang = "vi" if labels == "codes" else labels
        tables: list[Table] = []

        def collect(nodes: list[Node], into: list[Column]) -> None:
            for node in nodes:
                if node.is_group:
                    collect(node.children, into)
                elif node.is_repeat:
                    own: list[Column] = []
                    index = len(tables)
                    tables.append(Table(node.name, form.text(node.label, title_lang) or node.name, node, ()))
                    collect(node.children, own)
                    tables[index] = Table(node.name, tables[index].title, node, tuple(own))
                elif _shown(form, node):
                    into.extend(_columns(form, node, labels, (role_texts or {}).get(node.role or "")))

        main: list[Column] = []
        tables.append(Table("", form.text(form.title, title_lang) or form.form_id, None, ()))
        collect(form.questions, main)
        tables[0] = Table("", tables[0].title, None, tuple(main))
        self.tables = tables
        self._main = _plan(tables[0].columns)
        # each repeat: the names of the repeats from the outermost down to it, and what to read in an item
        self._repeats = [(i, tuple(r.name for r in t.repeat.repeats) + (t.repeat.name,), *_plan(t.columns))
                         for i, t in enumerate(tables) if t.repeat is not None]

    def main_row(self, answers: dict) -> list[Cell]:
        get = answers.get
        names, special = self._main
        return _fill([get(n) for n in names], special)

    def repeat_rows(self, answers: dict) -> list[tuple[int, str, list[Cell]]]:
        """(table index, position «2» / «2.1» for an item inside item 2 of the outer repeat, cells)."""
        out: list[tuple[int, str, list[Cell]]] = []
        for index, chain, names, special in self._repeats:
            for position, item in _items(answers, chain, ""):
                get = item.get
                out.append((index, position, _fill([get(n) for n in names], special)))
        return out


def _items(values: dict, chain: tuple[str, ...], where: str):
    """(position, item) of the repeat at the end of ``chain``, inside ``values``."""
    items = values.get(chain[0])
    if not isinstance(items, list):
        return
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            position = f"{where}.{n}" if where else str(n)
            if len(chain) == 1:
                yield position, item
            else:
                yield from _items(item, chain[1:], position)
