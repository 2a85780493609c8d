"""Benchmark of the form engine on a generated XLSForm (run by hand: `python bench/forms_engine.py`).

The form: 300 questions (integers, texts, select_ones, a few calculations, 10 groups), 100 relevance
and 50 constraint expressions. Prints the compile time (pyxform + our checks), the load time of the
compiled definition, the median re-evaluation after one answer (FormSession.set), a full validation,
and the peak memory of load + session + validation. Aims: load <= 50 ms, one update <= 2 ms median,
full validation <= 20 ms.
"""

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forms.compile import compile_file  # noqa: E402

HEADER = ["type", "name", "label", "relevant", "constraint", "constraint_message", "calculation", "required"]


def generate_rows(questions=300, relevants=100, constraints=50, groups=10):
    """Rows of a survey sheet with the requested counts; every 3rd question is relevant on an earlier one."""
    rows, per_group = [], questions // groups
    made_rel = made_con = 0
    for i in range(questions):
        if i % per_group == 0:
            if i:
                rows.append({"type": "end group"})
            rows.append(
                {"type": "begin group", "name": f"g{i // per_group}", "label": f"Group {i // per_group}"}
            )
        kind = ("integer", "text", "select_one level", "integer", "calculate")[i % 5]
        row = {"type": kind, "name": f"q{i}", "label": f"Question {i}"}
        if kind == "calculate":
            row.pop("label")
            row["calculation"] = f"coalesce(${{q{i - 1}}}, 0) + coalesce(${{q{i - 2}}}, 0)"
        elif made_con < constraints and kind == "integer":
            row["constraint"] = ". >= 0 and . <= 100"
            row["constraint_message"] = "0..100"
            made_con += 1
        if made_rel < relevants and i % 3 == 1:
            ref = next(j for j in range(i - 1, -1, -1) if j % 5 in (0, 3))  # an earlier integer
            row["relevant"] = f"${{q{ref}}} > 3 or ${{q{ref}}} = ''"
            made_rel += 1
        rows.append(row)
    rows.append({"type": "end group"})
    return rows, made_rel, made_con


def write_form(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(c) for c in HEADER])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for n in ("low", "mid", "high"):
        choices.append(["level", n, n.title()])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append(["bench_300", "1"])
    book.save(path)


def answers_for(rows):
    out = {}
    for row in rows:
        name, kind = row.get("name"), row["type"]
        if kind == "integer":
            out[name] = 5 + int(name[1:]) % 50
        elif kind == "text":
            out[name] = f"answer {name}"
        elif kind.startswith("select_one"):
            out[name] = "mid"
    return out


def cold_load_ms(definition):
    """forms.expr caches parsed expressions, so time one load in a fresh interpreter too."""
    root = Path(__file__).resolve().parent.parent
    code = (
        "import json, sys, time\n"
        "from forms.definition import load\n"
        "d = json.loads(sys.stdin.read())\n"
        "t = time.perf_counter(); load(d); print((time.perf_counter() - t) * 1000)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(definition),
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    return float(out.stdout)


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rows, n_rel, n_con = generate_rows()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_300.xlsx"
        write_form(path, rows)
        compile_ms = timed(lambda: compile_file(path), 5)
        definition = compile_file(path)
    n_questions = sum(1 for r in rows if r.get("name") and not r["type"].startswith("begin"))
    print(f"form: {n_questions} questions, {n_rel} relevance, {n_con} constraint expressions")
    print(f"compile (pyxform + checks + load): {compile_ms:8.2f} ms median of 5")

    from forms.definition import load
    from forms.session import FormSession
    from forms.validate import validate

    copies = [copy.deepcopy(definition) for _ in range(args.repeat)]
    load_ms = timed(lambda: load(copies.pop()), args.repeat)
    form = load(definition)
    answers = answers_for(rows)
    session = FormSession(form, answers=answers)
    integers = [r["name"] for r in rows if r["type"] == "integer"]
    updates, changed = [], []
    for k in range(200):
        field = integers[k % len(integers)]
        value = (k * 7) % 10  # crosses the "> 3" relevance threshold back and forth
        start = time.perf_counter()
        result_set = session.set(field, value)
        updates.append((time.perf_counter() - start) * 1000)
        changed.append(len(result_set))
    validate_ms = timed(lambda: validate(form, answers), args.repeat)
    result = validate(form, answers)

    tracemalloc.start()
    peak_form = load(copy.deepcopy(definition))
    peak_session = FormSession(peak_form, answers=answers)
    validate(peak_form, answers)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del peak_session

    update_ms = statistics.median(updates)
    p95 = sorted(updates)[int(len(updates) * 0.95)]
    cold_ms = cold_load_ms(definition)
    print(f"load definition, cold process:      {cold_ms:8.2f} ms (expression cache empty; aim <= 50)")
    print(f"load definition, warm:              {load_ms:8.2f} ms median of {args.repeat}")
    print(f"one answer (FormSession.set):       {update_ms:8.3f} ms median of 200, p95 {p95:.3f}  (aim <= 2)")
    print(f"  fields reported changed per set: median {statistics.median(changed)}, max {max(changed)}")
    print(f"full validation:                    {validate_ms:8.2f} ms median of {args.repeat}  (aim <= 20)")
    print(f"  validation ok={result.ok}, errors={len(result.errors)}")
    print(f"peak memory (load + session + validate): {peak / 1024 / 1024:.2f} MiB")


if __name__ == "__main__":
    main()
