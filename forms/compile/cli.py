"""`python -m forms check | compile | validate | example` (contracts in DESIGN.md, "forms CLI").

Output is JSON on stdout; problems also go to stderr as one line each, in --lang (vi default).
Exit 0 when all is well, 1 on any problem with the input. Never a traceback.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from forms.compile.checks import walk
from forms.compile.compiler import SUFFIXES, compile_file, media_files
from forms.compile.problems import CompileError
from forms.media import MediaError
from forms.text import Catalogue

_TEXT = Catalogue({
    "error": {"vi": "lỗi", "en": "error"},
    "not_json": {"vi": "{name} không phải JSON hợp lệ: dòng {line}, cột {col}: {msg}",
                 "en": "{name} is not valid JSON: line {line}, column {col}: {msg}"},
    "not_object": {"vi": "{name} phải là một đối tượng JSON {{tên câu hỏi: giá trị}}, không phải {kind}",
                   "en": "{name} must be a JSON object {{question name: value}}, not {kind}"},
    "no_file": {"vi": "không tìm thấy tệp {name}", "en": "file not found: {name}"},
    "invalid": {"vi": "{n} lỗi trong câu trả lời", "en": "{n} error(s) in the answers"},
    "definition": {"vi": "định nghĩa biểu mẫu {name} không hợp lệ: {msg}",
                   "en": "the form definition {name} is not valid: {msg}"},
    "unexpected": {"vi": "lỗi không lường trước ({kind}): {msg}", "en": "unexpected error ({kind}): {msg}"},
    "accepted": {"vi": "✓ {name}: nhận ({form_id}, phiên bản {version}, {n} câu hỏi)",
                 "en": "✓ {name}: accepted ({form_id}, version {version}, {n} questions)"},
    "refused": {"vi": "✗ {name}: từ chối: {why}", "en": "✗ {name}: refused: {why}"},
    "refused_more": {"vi": "✗ {name}: từ chối: {why} (+{more} lỗi khác)",
                     "en": "✗ {name}: refused: {why} (+{more} more)"},
    "total": {"vi": "{ok} biểu mẫu được nhận, {bad} bị từ chối", "en": "{ok} form(s) accepted, {bad} refused"},
})


class CliError(Exception):
    """A problem to report in one line (exit 1)."""


def main(argv=None):
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = _parser().parse_args(argv)
    lang = args.lang
    try:
        return args.run(args)
    except CompileError as err:
        for p in err.problems:
            print(p.line(lang), file=sys.stderr)
        _print({"errors": err.errors(lang)})
        return 1
    except CliError as err:
        print(f"{_TEXT.text('error', lang)}: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - the promise: never a traceback
        msg = _TEXT.text("unexpected", lang, kind=type(err).__name__, msg=err)
        print(f"{_TEXT.text('error', lang)}: {msg}", file=sys.stderr)
        return 1


def _parser():
    parser = argparse.ArgumentParser(prog="python -m forms", description="XLSForm tools of Mái Ấm")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of messages (vi)")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", parents=[common],
                           help="compile and summarise an XLSForm; for a folder, one line per form")
    check.add_argument("file", help="an XLSForm, or a folder of them")
    check.set_defaults(run=_check)

    comp = sub.add_parser("compile", parents=[common], help="print or write the definition JSON")
    comp.add_argument("file")
    comp.add_argument("-o", "--output", help="write the JSON here instead of stdout")
    comp.set_defaults(run=_compile)

    val = sub.add_parser("validate", parents=[common], help="validate answers against a form")
    val.add_argument("form", help="an XLSForm or a compiled definition (.json)")
    val.add_argument("answers", help="answers JSON: {question name: value}, repeats as lists")
    val.add_argument("--meta", help="JSON object: username, deviceid, today, now")
    val.set_defaults(run=_validate)

    ex = sub.add_parser("example", parents=[common], help="print random answers that validate")
    ex.add_argument("form", help="an XLSForm or a compiled definition (.json)")
    ex.add_argument("--seed", type=int, default=0)
    ex.add_argument("--meta", help="JSON object: username, deviceid, today, now")
    ex.set_defaults(run=_example)
    return parser


def summary(definition, warnings=()):
    """form_id, version, counts by question type, languages - what `check` prints."""
    nodes = list(walk(definition["questions"]))
    return {
        "form_id": definition["form_id"],
        "version": definition["version"],
        "title": definition["title"],
        "default_language": definition["default_language"],
        "languages": definition["languages"],
        "questions": sum(1 for n in nodes if n["type"] not in ("group", "repeat")),
        "types": dict(sorted(Counter(n["type"] for n in nodes).items())),
        "choice_lists": len(definition["choices"]),
        "sha256": definition["source"]["sha256"],
        "warnings": [" ".join(str(w).split()) for w in warnings],
    }


def _check(args):
    if Path(args.file).is_dir():
        return _check_folder(Path(args.file), args.lang)
    warnings: list = []
    _print(summary(compile_file(_existing(args.file, args.lang), warnings), warnings))
    return 0


def _check_folder(folder, lang):
    """One line per XLSForm in the folder (media folders `<form>-media/` are the forms' files):
    accepted with its id, version and question count, or refused with the first reason. Exit 1
    when any is refused."""
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                   and not p.name.startswith(("~$", ".")))
    refused = 0
    for path in paths:
        try:
            info = summary(compile_file(path))
        except CompileError as err:
            refused += 1
            more = len(err.problems) - 1
            print(_TEXT.text("refused_more" if more else "refused", lang, name=path.name,
                             why=err.problems[0].line(lang), more=more))
            continue
        print(_TEXT.text("accepted", lang, name=path.name, form_id=info["form_id"], version=info["version"],
                         n=info["questions"]))
    print(_TEXT.text("total", lang, ok=len(paths) - refused, bad=refused))
    return 1 if refused else 0


def _compile(args):
    definition = compile_file(_existing(args.file, args.lang))
    text = json.dumps(definition, ensure_ascii=False, indent=2)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _validate(args):
    answers = _json_file(args.answers, args.lang)
    if not isinstance(answers, dict):
        raise CliError(_TEXT.text("not_object", args.lang, name=args.answers, kind=type(answers).__name__))
    form = _form(args.form, args.lang)
    from forms.validate import validate

    result = validate(form, answers, lang=args.lang, meta=_meta(args))
    if result.ok:
        _print(result.answers)
        return 0
    errors = [_issue(i) for i in result.errors]
    print(_TEXT.text("invalid", args.lang, n=len(errors)), file=sys.stderr)
    _print(errors)
    return 1


def _example(args):
    from forms.example import generate

    _print(generate(_form(args.form, args.lang), seed=args.seed, meta=_meta(args)))
    return 0


def _issue(issue):
    if isinstance(issue, dict):
        return {k: issue.get(k) for k in ("field", "code", "message")}
    return {"field": issue.field, "code": issue.code, "message": issue.message}


def _form(name, lang):
    """A loaded form from an XLSForm or a compiled definition JSON."""
    from forms.definition import DefinitionError, load

    path = _existing(name, lang)
    definition = _json_file(name, lang) if path.suffix.lower() == ".json" else compile_file(path)
    try:
        return load(definition, media_files(path) if definition.get("media") else None)
    except MediaError as err:
        raise CliError(err.text(lang)) from None
    except DefinitionError as err:
        raise CliError(_TEXT.text("definition", lang, name=name, msg=err)) from None


def _meta(args):
    if not args.meta:
        return None
    try:
        meta = json.loads(args.meta)
    except json.JSONDecodeError as err:
        raise CliError(
            _TEXT.text("not_json", args.lang, name="--meta", line=err.lineno, col=err.colno, msg=err.msg)
        ) from None
    if not isinstance(meta, dict):
        raise CliError(_TEXT.text("not_object", args.lang, name="--meta", kind=type(meta).__name__))
    return meta


def _existing(name, lang):
    path = Path(name)
    if not path.is_file():
        raise CliError(_TEXT.text("no_file", lang, name=name))
    return path


def _json_file(name, lang):
    path = _existing(name, lang)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CliError(
            _TEXT.text("not_json", lang, name=name, line=1, col=1, msg="not UTF-8 text")
        ) from None
    except json.JSONDecodeError as err:
        raise CliError(
            _TEXT.text("not_json", lang, name=name, line=err.lineno, col=err.colno, msg=err.msg)
        ) from None


def _print(value):
    print(json.dumps(value, ensure_ascii=False, indent=2))
