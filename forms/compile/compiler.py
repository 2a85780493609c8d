"""compile_file / compile_bytes: read with pyxform, build the definition, check it, load it."""

import contextlib
import hashlib
import re
import warnings as python_warnings
from io import BytesIO
from pathlib import Path

from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from forms.compile.checks import check_expressions, check_media, check_roles
from forms.compile.languages import Translations, default_language, first_language_name
from forms.compile.nodes import OTHER_CHOICE, NodeBuilder
from forms.compile.problems import CompileError, from_pyxform, from_pyxform_error, problem
from forms.compile.sheet import SurveySheet
from forms.media import MediaError, MediaFiles, describe

SCHEMA_VERSION = 1
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".md", ".csv")
_DUPLICATE_HEADER = re.compile(r"Duplicate column header: (.+)$")
_CHOICE_TEXT_KEYS = {"name", "label", "media", "image", "audio", "video", "big-image", "list_name", "__row"}


def media_files(path, media=None):
    """A form's media files {name: bytes}: the files given (paths), else those in the folder
    ``<form name>-media`` beside it (ODK Collect's layout), else none."""
    path = Path(path)
    if media is None:
        folder = path.parent / f"{path.stem}-media"
        media = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    files = {}
    for item in media:
        item = Path(item)
        try:
            files[item.name] = item.read_bytes()
        except OSError as err:
            raise CompileError([problem(None, None, None, f"cannot read {item}: {err.strerror}",
                                        f"không đọc được tệp {item}: {err.strerror}")]) from None
    return files


def compile_file(path, warnings=None, media=None):
    """The definition dict of the XLSForm at ``path``; CompileError says what is wrong and where.
    pyxform's warnings (e.g. a missing translation) are appended to ``warnings`` when given.
    ``media``: the form's media file paths (default: the ``<name>-media`` folder beside it)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CompileError(
            [
                problem(
                    None,
                    None,
                    None,
                    f"cannot read {path}: {err.strerror}",
                    f"không đọc được tệp {path}: {err.strerror}",
                )
            ]
        ) from None
    return compile_bytes(data, path.name, warnings, media_files(path, media))


def load_file(path, media=None, warnings=None):
    """The engine's Form of an XLSForm, with its media files (what the CLI, tests and tools run)."""
    from forms.definition import load

    files = media_files(path, media)
    return load(compile_bytes(Path(path).read_bytes(), Path(path).name, warnings, files), files)


def compile_bytes(data, filename, warnings=None, media=None):
    """Like compile_file for the bytes of an upload; ``filename``'s suffix says the format;
    ``media``: {file name: bytes} of the form's media files (CSV / GeoJSON lists ...)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise CompileError(
            [
                problem(
                    None,
                    None,
                    None,
                    f"{filename}: not an XLSForm file (expected .xlsx, .xls, .md or .csv)",
                    f"{filename}: không phải tệp XLSForm (cần .xlsx, .xls, .md hoặc .csv)",
                )
            ]
        )
    warnings = warnings if warnings is not None else []
    workbook = _read(data, suffix, filename, warnings)
    pyx = _to_json(workbook, Path(filename).stem, warnings)
    return _definition(pyx, workbook, filename, data, warnings, dict(media or {}))


def _read(data, file_type, filename, warnings):
    try:
        with _captured(warnings):
            return get_xlsform(BytesIO(data), file_type=file_type)
    except PyXFormError as err:
        header = _DUPLICATE_HEADER.search(str(err))
        if header is None:
            raise _unreadable(file_type, filename) from None
        # pyxform's own reason, not "the file is damaged"
        raise CompileError([problem(None, 1, header.group(1), f"Duplicate column header: {header.group(1)}",
                                    f"Cột tiêu đề bị lặp: {header.group(1)}")]) from None
    except Exception:  # noqa: BLE001 - every reader failure is "this is not a readable workbook"
        raise _unreadable(file_type, filename) from None


def _unreadable(file_type, filename):
    return CompileError([problem(
        None, None, None,
        f"{filename} cannot be read as a {file_type} XLSForm: the file is damaged or of another kind",
        f"không đọc được {filename} như một XLSForm {file_type}: tệp bị hỏng hoặc không đúng loại",
    )])


def _to_json(workbook, stem, warnings):
    if not workbook.survey and not workbook.survey_header:
        raise CompileError(
            [
                problem(
                    "survey",
                    None,
                    None,
                    "the workbook has no 'survey' sheet (sheets: "
                    + ", ".join(workbook.sheet_names or ["none"])
                    + ")",
                    "tệp không có trang 'survey' (các trang: "
                    + ", ".join(workbook.sheet_names or ["không có"])
                    + ")",
                )
            ]
        )
    try:
        with _captured(warnings):
            pyx = workbook_to_json(workbook, form_name="data", fallback_form_name=stem, warnings=warnings)
        # We translate the generated 'other' choice and question ourselves (nodes.OTHER_*).
        warnings[:] = [w for w in warnings if "or_other and translations" not in str(w)]
        return pyx
    except PyXFormError as err:
        raise CompileError(from_pyxform_error(err)) from None
    except Exception as err:  # noqa: BLE001 - pyxform bugs on odd input must not become tracebacks
        raise CompileError([from_pyxform(f"{type(err).__name__}: {err}")]) from None


def _definition(pyx, workbook, filename, data, warnings, media):
    sheet = SurveySheet(workbook.survey, workbook.survey_header)
    first = first_language_name(sheet.headers)
    texts = Translations(default_language(pyx.get("default_language"), first))
    problems: list = []
    builder = NodeBuilder(sheet, texts, problems, warnings)
    title = _title(pyx, texts)
    questions = builder.build(pyx.get("children") or [])
    choices = {
        name: [_choice(c, texts) for c in options] for name, options in (pyx.get("choices") or {}).items()
    }
    for name, options in _external_choices(workbook).items():
        choices.setdefault(name, [_choice(c, texts) for c in options])
    definition = {
        "schema_version": SCHEMA_VERSION,
        "form_id": str(pyx.get("id_string") or Path(filename).stem),
        "version": str(pyx.get("version") or ""),
        "title": title,
        "default_language": texts.default_code,
        "languages": [],
        "instance_name": pyx.get("instance_name") or None,
        "questions": questions,
        "choices": choices,
        "source": {"filename": filename, "sha256": hashlib.sha256(data).hexdigest()},
    }
    definition["languages"] = texts.languages()
    if media:
        definition["media"] = describe(media)
    files = MediaFiles(media, texts.default_code)
    check_media(definition, builder.external, files, sheet, problems)
    check_expressions(definition, sheet, problems, _choice_columns(workbook), files)
    check_roles(definition["questions"], sheet, problems)
    if problems:
        raise CompileError(problems)
    _load(definition, sheet, media)
    return definition


@contextlib.contextmanager
def _captured(found):
    """openpyxl's and pyxform's Python warnings go into the result's warnings, never to stderr."""
    with python_warnings.catch_warnings(record=True) as caught:
        python_warnings.simplefilter("always")
        yield
    found.extend(f"{w.category.__name__}: {w.message}" for w in caught
                 if not issubclass(w.category, (DeprecationWarning, ResourceWarning)))


def _title(pyx, texts):
    """XLSForm's form_title is one text (a translated form_title breaks ODK's XForm); the other
    languages come from the settings column `maiam::form_title::English (en)`."""
    title = texts.text(pyx.get("title"))
    extra = (pyx.get("maiam") or {}).get("form_title") if isinstance(pyx.get("maiam"), dict) else None
    return {**title, **texts.text(extra)} if isinstance(extra, dict) else title


def _external_choices(workbook):
    """The external_choices sheet (select_one_external): rows by list, labels as pyxform gives them."""
    lists: dict = {}
    for row in workbook.external_choices or []:
        option: dict = {}
        for key, value in row.items():
            if value in (None, ""):
                continue
            head, _, lang = str(key).partition("::")
            if lang and head == "label":
                option.setdefault("label", {})[lang] = value
            else:
                option[str(key)] = value
        if option.get("list_name") and option.get("name") is not None:
            lists.setdefault(str(option["list_name"]), []).append(option)
    return lists


def _choice_columns(workbook):
    """Every column of the choices and external_choices sheets (a filter may read one left empty)."""
    columns: set[str] = set()
    for header in (workbook.choices_header or []) + (workbook.external_choices_header or []):
        columns.update(str(k) for k in header)
    return columns


def _choice(option, texts):
    label = option.get("label")
    generated_other = (
        option.get("name") == "other" and isinstance(label, dict) and set(label.values()) == {"Other"}
    )
    if generated_other:
        label = {code: OTHER_CHOICE.get(code, OTHER_CHOICE["en"]) for code in texts.languages()}
    else:
        label = texts.text(label)
    props = {k: str(v) for k, v in option.items() if k not in _CHOICE_TEXT_KEYS and not isinstance(v, dict)}
    return {"name": str(option.get("name")), "label": label, "props": props}


def _load(definition, sheet, media):
    """The engine's own loader finds what only the whole form shows (e.g. circular calculations)."""
    from forms.definition import DefinitionError, load

    try:
        load(definition, media)
    except MediaError as err:
        raise CompileError([problem(None, None, None, err.text("en"), err.text("vi"))]) from None
    except DefinitionError as err:
        raise CompileError([_definition_problem(p, sheet) for p in err.problems]) from None


_ATTRIBUTES = (
    "relevant",
    "constraint",
    "calculation",
    "required",
    "choice_filter",
    "repeat_count",
    "default",
)


def _definition_problem(found, sheet):
    """forms.definition's {question, row, message} -> a Problem with its column and a Vietnamese text."""
    en = str(found.get("message", ""))
    row = found.get("row")
    lowered = en.lower()
    column: str | None
    if "circular" in lowered:
        column = "calculation"
        vi = "phép tính vòng tròn (các câu hỏi phụ thuộc lẫn nhau): " + en.partition(": ")[2]
    elif "refers to itself" in lowered:
        column = "calculation"
        vi = "phép tính của câu hỏi này dùng chính nó"
    else:
        column = next((a for a in _ATTRIBUTES if lowered.startswith(a)), None)
        vi = "lỗi định nghĩa biểu mẫu: " + en
    if found.get("question"):
        en = f"{found['question']}: {en}"
        vi = f"{found['question']}: {vi}"
    return problem("survey" if row else None, row, sheet.column(column) if column else None, en, vi)
