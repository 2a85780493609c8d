"""pyxform's JSON tree -> the nodes of the definition (docs/architecture.md §1)."""

import re

from forms.compile.problems import problem
from forms.compile.types import DECLARATIONS, resolve
from forms.roles import BIND_KEY

# Keys pyxform puts on a question; any other key is a survey column XLSForm does not know (a typo?).
_PYXFORM_KEYS = {
    "type", "name", "label", "hint", "bind", "control", "media", "default", "parameters", "choice_filter",
    "itemset", "list_name", "choices", "children", "_dynamic_default", "actions", "guidance_hint", "flat",
    "instance", "query", "sms_field", "extra_data", "columns",
}  # fmt: skip
# Choices read from a file beside the form (select_one_from_file); the file is part of the form's media.
FILE_LISTS = (".csv", ".geojson")
_IGNORED = {"trigger": "the engine does not run 'trigger' (ODK recalculation on change); it is ignored"}
_YES = {"yes", "true", "true()", "1"}
_NO = {"no", "false", "false()", "0", ""}
_OTHER_RELEVANT = re.compile(r"^selected\(\.\./(\w[\w.-]*), 'other'\)$")
OTHER_LABELS = {"vi": "Ghi rõ lựa chọn khác", "en": "Specify other"}
OTHER_CHOICE = {"vi": "Khác", "en": "Other"}


class NodeBuilder:
    """Walks pyxform's children; collects problems instead of stopping at the first one."""

    def __init__(self, sheet, texts, problems, warnings=None):
        self.sheet = sheet
        self.texts = texts
        self.problems = problems
        self.warnings = warnings if warnings is not None else []
        self.names = {}
        self._warned = set()
        self.external = {}  # instance name -> file, from csv-external / xml-external rows

    def build(self, children, parent_path=""):
        nodes = []
        for child in children:
            if self._is_generated_meta(child):
                continue
            node = self.node(child, parent_path)
            if node is not None:
                nodes.append(node)
        return nodes

    def _is_generated_meta(self, child):
        return (
            child.get("name") == "meta" and child.get("type") == "group" and "meta" not in self.sheet.row_of
        )

    def node(self, q, parent_path):
        name = str(q.get("name", ""))
        row = self._row(name, q)
        raw_type = q.get("type", "")
        if raw_type in DECLARATIONS:
            self.external[name] = name + DECLARATIONS[raw_type]
            return None
        if raw_type == "loop":
            return self._loop(q, parent_path)
        resolved = resolve(raw_type)
        kind, defaults = resolved if resolved else (None, {})
        if kind is None:
            written = self.sheet.type_row(row) or raw_type
            self.problems.append(
                problem(
                    "survey",
                    row,
                    self.sheet.column("type"),
                    f"question type {written!r} is not supported by this form engine",
                    f"loại câu hỏi {written!r} không được hỗ trợ",
                )
            )
            return None
        path = f"{parent_path}/{name}"
        if path in self.names:  # pyxform refuses this first; a name may repeat only in another group
            self.problems.append(
                problem(
                    "survey",
                    row,
                    self.sheet.column("name"),
                    f"the name {name!r} is used twice in one group (also row {self.names[path]})",
                    f"tên {name!r} bị dùng hai lần trong cùng một nhóm (cả dòng {self.names[path]})",
                )
            )
        self.names[path] = row
        self._unknown_columns(q)
        bind = {**{k: v for k, v in defaults.items() if k != "hint"}, **(q.get("bind") or {})}
        if "hint" in defaults and not q.get("hint"):
            q = {**q, "hint": defaults["hint"]}
        control = q.get("control") or {}
        node = {"name": name, "type": kind, "path": path, "row": row}
        self._texts(node, q, bind)
        node["required"] = _flag_or_expression(bind.get("required"))
        node["read_only"] = str(bind.get("readonly", "")).strip().lower() in _YES
        for key, source in (
            ("relevant", "relevant"),
            ("constraint", "constraint"),
            ("calculation", "calculate"),
        ):
            value = bind.get(source)
            node[key] = str(value) if value not in (None, "") else None
        self._relevant_of_other(node, name)
        self._default(node, q, row)
        node["appearance"] = control.get("appearance") or None
        node["parameters"] = _parameters(q.get("parameters"))
        node["list_name"] = q.get("list_name") or q.get("itemset") or None
        self._check_list(node, row)
        if raw_type == "select one external":
            node["external"] = True
        node["choice_filter"] = q.get("choice_filter") or None
        node["or_other"] = kind in ("select_one", "select_multiple") and _has_or_other(
            self.sheet.type_row(row)
        )
        node["repeat_count"] = control.get("jr:count") if kind == "repeat" else None
        node["role"] = str(bind.get(BIND_KEY) or "").strip() or None
        if kind in ("group", "repeat"):
            node["children"] = self.build(q.get("children") or [], path)
        return node

    def _loop(self, q, parent_path):
        """`begin loop over LIST`: a group holding one group per choice of LIST (named after the choice),
        each with the loop's questions, `%(name)s` / `%(label)s` in their texts replaced by the choice's."""
        expanded = {
            "type": "group",
            "name": q.get("name"),
            "label": q.get("label"),
            "children": [
                {
                    "type": "group",
                    "name": column.get("name"),
                    "label": _substitute(q.get("label"), column),
                    "children": [_substituted(child, column) for child in q.get("children") or []],
                }
                for column in q.get("columns") or []
            ],
        }
        return self.node(expanded, parent_path)

    def _unknown_columns(self, q):
        for key in sorted(set(q) - _PYXFORM_KEYS - self._warned):
            self._warned.add(key)
            if key in _IGNORED:
                self.warnings.append(f"survey: {_IGNORED[key]}")
            else:
                self.warnings.append(
                    f"survey: the column {key!r} is not an XLSForm column and is ignored (a typo?)"
                    f" / cột {key!r} không phải cột của XLSForm nên bị bỏ qua (gõ sai?)"
                )

    def _row(self, name, q):
        row = self.sheet.take_row(name)
        if row is None and name.endswith("_other"):
            row = self.sheet.row_of.get(name[: -len("_other")])
        if row is None and name.endswith("_count"):
            row = self.sheet.row_of.get(name[: -len("_count")])
        return row

    def _texts(self, node, q, bind):
        node["label"] = self.texts.text(q.get("label"))
        node["hint"] = self.texts.text(q.get("hint"))
        node["required_message"] = self.texts.text(bind.get("jr:requiredMsg"))
        node["constraint_message"] = self.texts.text(bind.get("jr:constraintMsg"))

    def _relevant_of_other(self, node, name):
        """pyxform writes `selected(../q, 'other')` for or_other; the engine reads `${q}`."""
        match = _OTHER_RELEVANT.match(node["relevant"] or "")
        if match and name == match.group(1) + "_other":
            node["relevant"] = f"selected(${{{match.group(1)}}}, 'other')"
            node["label"] = {
                code: OTHER_LABELS.get(code, OTHER_LABELS["en"]) for code in self.texts.languages()
            }

    def _default(self, node, q, row):
        """A literal default, or (pyxform's dynamic default: ${...}, today(), ...) an expression the
        engine evaluates once when the survey is new or a repeat item is added."""
        default = q.get("default")
        default = None if default in (None, "") else str(default)
        if q.get("_dynamic_default"):
            node["default"], node["default_expr"] = None, default
        else:
            node["default"], node["default_expr"] = default, None

    def _check_list(self, node, row):
        if node["type"] not in ("select_one", "select_multiple"):
            node["list_name"] = None
            return
        list_name = node["list_name"] or ""
        if list_name.lower().endswith(FILE_LISTS) and "${" not in list_name:
            return
        if "${" in list_name or "." in list_name:
            self.problems.append(
                problem(
                    "survey",
                    row,
                    self.sheet.column("type"),
                    f"choices from {list_name!r} (a file or earlier answers) are not supported:"
                    " use a list on the choices sheet",
                    f"không hỗ trợ lựa chọn lấy từ {list_name!r} (tệp hoặc câu trả lời trước):"
                    " hãy dùng một danh sách trên trang choices",
                )
            )


def _substitute(text, column):
    """pyxform's loop texts: '%(label)s' / '%(name)s' -> the choice's label (same language) / name."""
    if isinstance(text, dict):
        labels = column.get("label")
        return {
            lang: _substitute(value, {**column, "label": labels.get(lang, "") if isinstance(labels, dict) else labels})
            for lang, value in text.items()
        }
    if not isinstance(text, str):
        return text
    label = column.get("label")
    if isinstance(label, dict):
        label = next(iter(label.values()), "")
    return text.replace("%(label)s", str(label or "")).replace("%(name)s", str(column.get("name") or ""))


def _substituted(q, column):
    out = {k: _substitute(v, column) if k in ("label", "hint") else v for k, v in q.items()}
    if q.get("children"):
        out["children"] = [_substituted(c, column) for c in q["children"]]
    return out


def _flag_or_expression(value):
    if value is None:
        return False
    text = str(value).strip()
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    return text


def _parameters(value):
    """pyxform gives 'max-pixels=1600' (string) or a dict; numbers become ints."""
    if not value:
        return {}
    if isinstance(value, str):
        pairs = {}
        for part in value.replace(";", " ").replace(",", " ").split():
            key, _, val = part.partition("=")
            if key:
                pairs[key.strip()] = val.strip()
        value = pairs
    return {k: (int(v) if isinstance(v, str) and v.isdigit() else v) for k, v in value.items()}


def _has_or_other(type_cell):
    words = type_cell.lower().replace("_", " ")
    return words.endswith(" or other") or words.endswith(" or specify other")
