"""Every expression of the form is parsed by forms.expr at compile time, so a mistake is found in the
office (with its sheet, row and column), never on a volunteer's phone."""

from forms import roles
from forms.compile.problems import problem
from forms.expr import ExprError, parse
from forms.media import LIST_SUFFIXES, MediaError

EXPRESSION_FIELDS = ("relevant", "constraint", "calculation", "required", "choice_filter", "repeat_count")
# Choice columns a choice_filter may always read.
_CHOICE_BUILTINS = {"name", "label"}


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children") or [])


def check_media(definition, external, files, sheet, problems):
    """Every file the form reads is among its media files and readable: choices from a file
    (select_one_from_file), csv-external rows, instance('x') / pulldata('x') of a list not on the
    choices sheet."""
    wanted: dict = {}  # file -> (row, column) that needs it
    for node in walk(definition["questions"]):
        if str(node.get("list_name") or "").lower().endswith(LIST_SUFFIXES):
            wanted.setdefault(node["list_name"], (node.get("row"), "type"))
        for field in EXPRESSION_FIELDS:
            text = node.get(field)
            expr = _quiet_parse(text)
            for name in expr.instances if expr is not None else ():
                if name not in definition["choices"] and files.file_for(name) is None:
                    wanted.setdefault(name + ".csv", (node.get("row"), field))
    for name, file in external.items():
        wanted.setdefault(file, (sheet.row_of.get(name), "type"))
    for file, (row, field) in sorted(wanted.items()):
        if file not in files.files:
            problems.append(problem(
                "survey", row, sheet.column(field),
                f"the form reads the file {file!r}: add it to the form's media files (the folder beside it)",
                f"biểu mẫu đọc tệp {file!r}: hãy thêm tệp này vào các tệp đính kèm của biểu mẫu (thư mục bên cạnh)",
            ))
            continue
        try:
            files.items(file) if file.lower().endswith(LIST_SUFFIXES) else None
        except MediaError as err:
            problems.append(problem(None, None, None, err.text("en"), err.text("vi")))


def _quiet_parse(text):
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse(text)
    except ExprError:
        return None  # check_expressions reports it


def check_expressions(definition, sheet, problems, choice_columns=(), files=None):
    seen: dict[str, int] = {}
    for node in walk(definition["questions"]):
        seen[node["name"]] = seen.get(node["name"], 0) + 1
    names = {name for name, count in seen.items() if count == 1}
    for node in walk(definition["questions"]):
        for field in EXPRESSION_FIELDS:
            text = node.get(field)
            if not isinstance(text, str) or not text.strip():
                continue
            expr = _parse(text, "survey", node.get("row"), sheet.column(field), problems)
            if expr is None:
                continue
            _check_refs(expr, names, "survey", node.get("row"), sheet.column(field), problems)
            if field == "choice_filter":
                columns = set(choice_columns)
                list_name = str(node.get("list_name") or "")
                if files is not None and list_name in files.files:
                    columns = _file_columns(files, list_name)
                _check_columns(expr, node, definition["choices"], sheet, problems, columns)
    instance_name = definition.get("instance_name")
    if instance_name:
        expr = _parse(instance_name, "settings", 2, "instance_name", problems)
        if expr is not None:
            _check_refs(expr, names, "settings", 2, "instance_name", problems)


def _parse(text, sheet_name, row, column, problems):
    try:
        return parse(text)
    except ExprError as err:
        problems.append(
            problem(
                sheet_name,
                row,
                column,
                f"{err.message} in {text!r}",
                f"{err.message_vi} trong {text!r}",
            )
        )
        return None


def _check_refs(expr, names, sheet_name, row, column, problems):
    """Only a name used once may be referred to as ${name} (pyxform's rule: refs must be unambiguous)."""
    for ref in sorted(expr.refs - names):
        problems.append(
            problem(
                sheet_name,
                row,
                column,
                f"${{{ref}}} refers to no question: there is no question named {ref!r}",
                f"${{{ref}}} không trỏ tới câu hỏi nào: không có câu hỏi tên {ref!r}",
            )
        )


def _file_columns(files, name):
    try:
        return files.columns(name)
    except MediaError:
        return set()  # check_media reports it


def _check_columns(expr, node, choices, sheet, problems, choice_columns=()):
    options = choices.get(node.get("list_name") or "", [])
    known = set(_CHOICE_BUILTINS) | set(choice_columns)  # a column may be empty for this list
    for option in options:
        known.update(option.get("props", {}))
    for column in sorted(expr.columns - known):
        problems.append(
            problem(
                "survey",
                node.get("row"),
                sheet.column("choice_filter"),
                f"the choice_filter reads the column {column!r}, which the list"
                f" {node.get('list_name')!r} on the choices sheet does not have",
                f"choice_filter đọc cột {column!r} nhưng danh sách {node.get('list_name')!r}"
                " trên trang choices không có cột này",
            )
        )


def check_roles(nodes, sheet, problems, in_repeat=False, taken=None):
    """Each declared role: known, on one question only, of the right type, outside repeats (forms.roles)."""
    taken = {} if taken is None else taken
    for node in nodes:
        role = node.get("role")
        if role:
            why = roles.problem(role, node["type"], in_repeat, taken.get(role))
            if why is not None:
                problems.append(problem("survey", node.get("row"), sheet.column("role"), *why))
            else:
                taken[role] = node["name"]
        children = node.get("children") or []
        check_roles(children, sheet, problems, in_repeat or node["type"] == "repeat", taken)
