"""Pages of a survey, laid out from the compiled definition (docs/architecture.md §1):

- a top-level question is a page; a `field-list` group is one page with all its questions;
- a group without `field-list` is transparent: each of its children is laid out as if top-level;
- a repeat is one page: for each item a header (with Remove) and its questions, then an Add button
  (a field-list group inside a repeat item is shown inline).
Items: ('question', path) / ('repeat_item', repeat_path, index) / ('repeat_add', repeat_path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HIDDEN_TYPES = frozenset({"calculate", "hidden", "start", "end", "today", "deviceid", "username"})


@dataclass
class Page:
    key: str
    node: dict
    prefix: str = ""
    items: list = field(default_factory=list)


def index_nodes(definition: dict) -> dict[str, dict]:
    """name -> node for every node of the form (names are unique)."""
    out: dict[str, dict] = {}

    def walk(nodes):
        for node in nodes:
            out[node["name"]] = node
            walk(node.get("children") or [])

    walk(definition.get("questions") or [])
    return out


def page_nodes(definition: dict) -> list[dict]:
    """The top-level nodes that make pages (transparent groups opened up, hidden types left out)."""
    pages: list[dict] = []

    def walk(nodes):
        for node in nodes:
            kind = node.get("type")
            if kind in HIDDEN_TYPES:
                continue
            if kind == "group" and "field-list" not in (node.get("appearance") or ""):
                walk(node.get("children") or [])
            else:
                pages.append(node)

    walk(definition.get("questions") or [])
    return pages


def layout(node: dict, count_items, prefix: str = "") -> list[tuple]:
    """The items of the page made by `node`; `count_items(repeat_path)` says how many items a repeat has."""
    items: list[tuple] = []
    kind = node.get("type")
    path = f"{prefix}{node['name']}"
    if kind in HIDDEN_TYPES:
        return items
    if kind == "group":
        for child in node.get("children") or []:
            items.extend(layout(child, count_items, prefix))
    elif kind == "repeat":
        for index in range(1, count_items(path) + 1):
            items.append(("repeat_item", path, index))
            for child in node.get("children") or []:
                items.extend(layout(child, count_items, f"{path}[{index}]/"))
        items.append(("repeat_add", path))
    else:
        items.append(("question", path))
    return items


def value_at(answers: dict, path: str):
    """The answer at a field path ('name', 'rep[2]/name', 'rep[2]/inner[1]/name') in §2 answers."""
    node: Any = answers
    for part in path.split("/"):
        if not isinstance(node, dict):
            return None
        if part.endswith("]") and "[" in part:
            name, index = part[:-1].split("[")
            items = node.get(name) or []
            i = int(index) - 1
            node = items[i] if 0 <= i < len(items) else None
        else:
            node = node.get(part)
    return node
