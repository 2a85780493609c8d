"""The import rules of docs/architecture.md: the pure cores never pull in UI, web or compiler code."""

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN_FOR_CORES = ["pyxform", "kivy", "flask", "sqlalchemy", "lxml", "server", "mobile"]


def _modules(package: str, skip: tuple[str, ...] = ()) -> list[str]:
    pkg_path = ROOT / package.replace(".", "/")
    names = [package]
    for info in pkgutil.walk_packages([str(pkg_path)], prefix=package + "."):
        if not info.name.startswith(tuple(package + "." + s for s in skip)):
            names.append(info.name)
    return names


def _imported_after(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys, json\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted({k.split('.')[0] for k in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    import json

    return set(json.loads(out.stdout))


def test_forms_engine_is_pure_python():
    mods = _modules("forms", skip=("compile", "__main__"))
    loaded = _imported_after(mods)
    bad = loaded & set(FORBIDDEN_FOR_CORES)
    assert not bad, f"forms (engine) imported {bad}"


def test_mobile_core_never_imports_kivy_or_flask():
    mods = _modules("mobile.core")
    loaded = _imported_after(mods)
    bad = loaded & {"kivy", "flask", "sqlalchemy", "server", "pyxform"}
    assert not bad, f"mobile.core imported {bad}"


def test_services_do_not_touch_the_request():
    services = ROOT / "server" / "services"
    offenders = [
        str(p) for p in services.rglob("*.py") if "flask import request" in p.read_text() or "flask.request" in p.read_text()
    ]
    assert not offenders, offenders


# Reading a compiled definition's tree by hand (its "children", "questions", node "type"s) is the
# engine's job: outside `forms/`, code goes through forms.model.Form, FormSession and forms.display.
RAW_DEFINITION_WALKS = re.compile(
    r"""["']children["']|\[\s*["']questions["']\s*\]|\.get\(\s*["']questions["']|"""
    r"""\[\s*["']type["']\s*\]|\.get\(\s*["']type["']|\[\s*["']list_name["']|\.get\(\s*["']list_name["']"""
)


def test_nothing_outside_forms_walks_the_raw_definition():
    found = []
    for package in ("server", "mobile"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if RAW_DEFINITION_WALKS.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "read the form through forms.model / forms.session / forms.display:\n" + "\n".join(found)
