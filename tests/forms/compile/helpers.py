"""Small XLSForms for the compiler tests, written as Markdown tables (pyxform's .md format)."""

from pyxform.xls2json_backends import md_table_to_workbook

from forms.compile import compile_file


def write_md(tmp_path, text, name="form.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(tmp_path, text, name="form.xlsx"):
    path = tmp_path / name
    md_table_to_workbook(text).save(path)
    return path


def compile_md(tmp_path, text, name="form.md"):
    return compile_file(write_md(tmp_path, text, name))


def survey(*rows, header="| | type | name | label |", extra=""):
    """A survey sheet from row strings like '| | text | a | A |', plus optional other sheets."""
    return "\n".join(["| survey |", header, *rows]) + "\n" + extra


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node.get("children") or [])


def by_name(definition):
    return {node["name"]: node for node in walk(definition["questions"])}
