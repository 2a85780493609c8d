"""Compiled definition JSON (docs/architecture.md §1) -> `forms.model.Form`.

Every expression is parsed once here; unknown references and circular calculations are
`DefinitionError`s naming the question and its survey row, never a crash while filling.
"""

from __future__ import annotations

import heapq
import json
from typing import Any

from forms import roles as roles_catalogue
from forms.expr import ExprError, parse
from forms.media import MediaFiles
from forms.model import Choice, Form, Node

SCHEMA_VERSION = 1
QUESTION_TYPES = frozenset(
    "text integer decimal select_one select_multiple date time datetime geopoint image note calculate "
    "acknowledge hidden start end today deviceid username group repeat "
    "phonenumber email simserial subscriberid start-geopoint audit "
    "barcode range geotrace geoshape audio video file osm".split()
)
_EXPR_FIELDS = ("relevant", "constraint", "calculation", "choice_filter", "repeat_count", "default_expr")
# Edges that change a value or a relevance (and so order the evaluation).
_VALUE_FIELDS = ("relevant", "calculation", "repeat_count")


class DefinitionError(ValueError):
    """A definition the engine cannot run. `problems` lists {question, row, message}."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(_describe(p) for p in problems))


def _describe(p: dict) -> str:
    where = f"question '{p['question']}'" if p.get("question") else "form"
    if p.get("row"):
        where += f" (survey row {p['row']})"
    return f"{where}: {p['message']}"


def load(definition: dict | str | bytes, media: Any = None) -> Form:
    """Load a compiled definition (dict or JSON text). ``media``: its media files (a mapping name ->
    bytes, a loader name -> bytes, or forms.media.MediaFiles), checked against the definition's
    sha256 (forms.media.MediaError); without them the form loads but a session or validate needs them."""
    if isinstance(definition, (str, bytes)):
        try:
            definition = json.loads(definition)
        except ValueError as exc:
            raise DefinitionError([{"message": f"not JSON: {exc}"}]) from None
    if not isinstance(definition, dict):
        raise DefinitionError([{"message": "a definition must be a JSON object"}])
    problems: list[dict] = []
    version = definition.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        problems.append({"message": f"unsupported schema_version {version!r} (expected {SCHEMA_VERSION})"})
    if not isinstance(definition.get("questions"), list):
        raise DefinitionError(problems + [{"message": "missing 'questions' list"}])

    nodes: dict[str, Node] = {}
    keys = answer_keys(definition["questions"])
    questions = [_node(q, None, nodes, problems, keys) for q in definition["questions"]]
    choices = _choices(definition.get("choices") or {}, problems)
    default_language = definition.get("default_language") or "vi"
    languages = list(definition.get("languages") or [default_language])
    instance_name = _parse(definition.get("instance_name"), None, "instance_name", problems)

    for node in nodes.values():
        for attr, expr in node.expressions():
            for ref in expr.refs:
                if ref not in nodes:
                    problems.append(_problem(node, f"{attr} refers to unknown question ${{{ref}}}"))
        if node.type in ("select_one", "select_multiple") and node.list_name not in choices and not any(
            m.get("name") == node.list_name for m in definition.get("media") or [] if isinstance(m, dict)
        ):
            problems.append(_problem(node, f"choice list '{node.list_name}' does not exist"))
    if problems:
        raise DefinitionError(problems)

    roles = _roles(nodes, problems)
    order, dependants = _graph(nodes, problems)
    declared = [dict(m) for m in definition.get("media") or [] if isinstance(m, dict) and m.get("name")]
    _check_lists(nodes, choices, declared, problems)
    if problems:
        raise DefinitionError(problems)
    files = MediaFiles.for_form(declared, media, default_language) if media is not None else None
    return Form(
        form_id=str(definition.get("form_id") or ""),
        version=str(definition.get("version") or ""),
        title=_texts(definition.get("title"), default_language),
        default_language=default_language,
        languages=languages,
        instance_name=instance_name,
        questions=questions,
        choices=choices,
        nodes=nodes,
        order=order,
        dependants=dependants,
        definition=definition,
        roles=roles,
        media=declared,
        files=files,
    )


def _check_lists(nodes: dict[str, Node], choices: dict, media: list[dict], problems: list) -> None:
    """Every list an expression reads (instance('x'), pulldata('x', ...)) is a choice list or a media file."""
    files = {str(m["name"]) for m in media}
    for node in nodes.values():
        for attr, expr in node.expressions():
            for name in expr.instances:
                if name not in choices and not files & {name, name + ".csv", name + ".geojson"}:
                    problems.append(_problem(node, f"{attr} reads the list '{name}', which is neither a choice"
                                                   f" list nor a media file ({name}.csv)"))


def _roles(nodes: dict[str, Node], problems: list) -> dict[str, Node]:
    """role -> node, checked by the one rule of forms.roles (known, one per form, type, not repeated)."""
    out: dict[str, Node] = {}
    for node in nodes.values():
        if not node.role:
            continue
        taken = out.get(node.role)
        why = roles_catalogue.problem(node.role, node.type, bool(node.repeats), taken.name if taken else None)
        if why is not None:
            problems.append(_problem(node, why[0]))
        else:
            out[node.role] = node
    return out


def _problem(node: Node | dict, message: str) -> dict:
    if isinstance(node, Node):
        return {"question": node.name, "row": node.row, "message": message}
    return {"question": node.get("name"), "row": node.get("row"), "message": message}


def _texts(value: Any, default_language: str = "vi") -> dict[str, str]:
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v is not None}
    return {default_language: str(value)}


def _parse(text, node, attr, problems):
    if text is None or text == "" or isinstance(text, bool):
        return None
    try:
        return parse(str(text))
    except ExprError as exc:
        where = node if node is not None else {"name": None}
        problems.append(_problem(where, f"{attr}: {exc.message}"))
        return None


def answer_keys(questions: list) -> dict[int, str]:
    """id(raw node) -> its key in answers and in `Form.nodes`: the name, or - when XLSForm's name is
    used by several questions in different groups - its group path below the nearest repeat
    ('g1/phone'), or the whole path when even that is shared (docs/architecture.md §2)."""
    found: list[tuple[dict, str, str]] = []  # (raw, name, path below the repeat), full path

    def walk(nodes: Any, below: list[str], full: list[str]) -> None:
        for raw in nodes if isinstance(nodes, list) else []:
            if not isinstance(raw, dict) or not raw.get("name"):
                continue
            name = str(raw["name"])
            found.append((raw, "/".join([*below, name]), "/".join([*full, name])))
            inner = [] if raw.get("type") == "repeat" else [*below, name]
            walk(raw.get("children"), inner, [*full, name])

    walk(questions, [], [])
    names: dict[str, int] = {}
    for raw, _, _ in found:
        names[str(raw["name"])] = names.get(str(raw["name"]), 0) + 1
    relative: dict[str, int] = {}
    for raw, below, _ in found:
        if names[str(raw["name"])] > 1:
            relative[below] = relative.get(below, 0) + 1
    keys = {}
    for raw, below, full in found:
        name = str(raw["name"])
        keys[id(raw)] = name if names[name] == 1 else below if relative[below] == 1 else full
    return keys


def _node(raw: Any, parent: Node | None, nodes: dict, problems: list, keys: dict[int, str]) -> Node:
    if not isinstance(raw, dict) or not raw.get("name") or not raw.get("type"):
        problems.append({"message": f"a question needs a name and a type: {raw!r:.80}"})
        return Node(name="?", type="note", path="?")
    qtype = raw["type"]
    if qtype not in QUESTION_TYPES:
        problems.append(_problem(raw, f"unsupported question type '{qtype}'"))
    name = keys.get(id(raw), str(raw["name"]))
    node = Node(
        name=name,
        type=qtype,
        path=raw.get("path") or ((parent.path if parent else "") + "/" + str(raw["name"])),
        row=raw.get("row"),
        label=_texts(raw.get("label")),
        hint=_texts(raw.get("hint")),
        required_message=_texts(raw.get("required_message")),
        constraint_message=_texts(raw.get("constraint_message")),
        default=None if raw.get("default") in (None, "") else str(raw["default"]),
        read_only=raw.get("read_only") in (True, "yes", "true", "true()"),
        appearance=raw.get("appearance") or None,
        parameters=dict(raw.get("parameters") or {}),
        list_name=raw.get("list_name") or None,
        or_other=bool(raw.get("or_other")),
        role=str(raw["role"]) if raw.get("role") else None,
        parent=parent,
        raw=raw,
    )
    if name in nodes:
        problems.append(_problem(node, f"the name '{name}' is used twice"))
    nodes[name] = node
    for attr in _EXPR_FIELDS:
        setattr(node, attr, _parse(raw.get(attr), node, attr, problems))
    req = raw.get("required", False)
    if isinstance(req, str) and req.strip().lower() in ("yes", "true", "true()", "1"):
        req = True
    elif isinstance(req, str) and req.strip().lower() in ("", "no", "false", "false()", "0"):
        req = False
    node.required = req if isinstance(req, bool) else (_parse(req, node, "required", problems) or False)
    node.children = [_node(c, node, nodes, problems, keys) for c in raw.get("children") or []]
    return node


def _choices(raw: Any, problems: list) -> dict[str, list[Choice]]:
    out: dict[str, list[Choice]] = {}
    if not isinstance(raw, dict):
        problems.append({"message": "'choices' must be an object of lists"})
        return out
    for list_name, items in raw.items():
        out[list_name] = [
            Choice(name=str(c.get("name")), label=_texts(c.get("label")), props=dict(c.get("props") or {}))
            for c in items or []
            if isinstance(c, dict)
        ]
    return out


def _graph(nodes: dict[str, Node], problems: list) -> tuple[list[Node], dict[str, frozenset[str]]]:
    """Evaluation order (Kahn, ties in document order) and the transitive dependants of each name."""
    value_deps, any_deps = _dependencies(nodes, problems)
    order = _evaluation_order(nodes, value_deps)
    if len(order) < len(nodes):
        placed = {node.name for node in order}
        stuck = [n for n in nodes if n not in placed]
        cycle = _find_cycle(stuck, value_deps)
        first = nodes[cycle[0]]
        problems.append(_problem(first, "circular calculation/relevance: " + " -> ".join(cycle)))
        return order, {}
    return order, _dependants(nodes, any_deps)


def _dependencies(nodes: dict[str, Node], problems: list) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(value_deps, any_deps): what each node's value must be computed after, and what its state reads.

    A calculation that reads itself is a problem; every other self-reference is dropped from the ordering.
    """
    value_deps: dict[str, set[str]] = {n: set() for n in nodes}   # n depends on these (ordering)
    any_deps: dict[str, set[str]] = {n: set() for n in nodes}     # n's state reads these
    for node in nodes.values():
        if node.parent is not None:
            value_deps[node.name].add(node.parent.name)
        for attr, expr in node.expressions():
            refs = set(expr.refs)
            any_deps[node.name] |= refs
            if attr in _VALUE_FIELDS:
                value_deps[node.name] |= refs
        any_deps[node.name] |= value_deps[node.name]
    for name, node in nodes.items():
        if name in value_deps[name] and node.calculation is not None and name in node.calculation.refs:
            problems.append(_problem(node, "its calculation refers to itself"))
        value_deps[name].discard(name)
    return value_deps, any_deps


def _evaluation_order(nodes: dict[str, Node], value_deps: dict[str, set[str]]) -> list[Node]:
    """Kahn's topological sort, ties broken by document order; nodes on a cycle are left out."""
    position = {name: i for i, name in enumerate(nodes)}
    indegree = {n: len(d) for n, d in value_deps.items()}
    users: dict[str, list[str]] = {n: [] for n in nodes}
    for n, deps in value_deps.items():
        for d in deps:
            users[d].append(n)
    heap = [(position[n], n) for n, k in indegree.items() if k == 0]
    heapq.heapify(heap)
    order: list[Node] = []
    while heap:
        _, n = heapq.heappop(heap)
        order.append(nodes[n])
        for u in users[n]:
            indegree[u] -= 1
            if indegree[u] == 0:
                heapq.heappush(heap, (position[u], u))
    return order


def _dependants(nodes: dict[str, Node], any_deps: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """Each name -> every node whose state reads it, directly or through other nodes."""
    readers: dict[str, set[str]] = {n: set() for n in nodes}
    for n, deps in any_deps.items():
        for d in deps:
            if d != n:
                readers[d].add(n)
    dependants: dict[str, frozenset[str]] = {}
    for name in nodes:
        seen: set[str] = set()
        stack = list(readers[name])
        while stack:
            x = stack.pop()
            if x not in seen:
                seen.add(x)
                stack.extend(readers[x] - seen)
        dependants[name] = frozenset(seen)
    return dependants


def _find_cycle(stuck: list[str], deps: dict[str, set[str]]) -> list[str]:
    stuck_set = set(stuck)
    start = stuck[0]
    path, seen = [start], {start: 0}
    current = start
    while True:
        nxt = next(d for d in sorted(deps[current]) if d in stuck_set)
        if nxt in seen:
            cyc = path[seen[nxt]:] + [nxt]
            return cyc
        seen[nxt] = len(path)
        path.append(nxt)
        current = nxt
