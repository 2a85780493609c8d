"""Roll-up, report and export benchmark on national-scale synthetic data in PostgreSQL (run by hand).

    python bench/rollup.py [--scale 1.0] [--db maiam_bench] [--keep]

Creates (or re-creates) its own database (default ``maiam_bench``, never ``test``), builds the schema with
the app's models, bulk-loads with COPY: 63 provinces, ~700 districts, 10,000 communes, 500,000 houses,
2,000,000 house events and funding rows for approved houses (``--scale`` shrinks everything), then prints:
dashboard roll-up median at province and district level (and the national root), the completions-by-month
query, export rows/s for CSV / GeoJSON / XLSX of every house and for the labelled survey exports (every row of
every sheet, and surveys/s), and peak Python memory of the exports (tracemalloc) at growing sizes.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import itertools
import json
import random
import resource
import statistics
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402

STAGES = ["assessed", "approved", "started", "completed", "handed_over"]
WEIGHTS = [0.15, 0.15, 0.15, 0.3, 0.2]  # plus rejected / withdrawn below


def _admin(db: str):
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        conn.execute(f'CREATE DATABASE "{db}"')
        # SSD-class storage: index lookups cost little more than sequential reads (PostgreSQL's default 4.0
        # assumes spinning disks and makes the planner scan all houses for one province).
        conn.execute(f'ALTER DATABASE "{db}" SET random_page_cost = 1.1')


def _build(url: str):
    from server import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})


def load(conn, scale: float, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    n_prov, n_dist, n_comm = 63, max(2, int(700 * scale)), max(4, int(10_000 * scale))
    n_house, n_event = max(10, int(500_000 * scale)), max(40, int(2_000_000 * scale))
    t0 = time.perf_counter()
    units = [(1, "VN", "Việt Nam", "country", None, "/VN/", True)]
    provs = [(2 + i, f"P{i:02d}", f"Tỉnh {i}", "province", 1, f"/VN/P{i:02d}/", True) for i in range(n_prov)]
    units += provs
    dists = []
    for j in range(n_dist):
        p = provs[j % n_prov]
        dists.append((len(units) + len(dists) + 1, f"D{j:04d}", f"Huyện {j}", "district", p[0], f"{p[5]}D{j:04d}/", True))
    units += dists
    comms = []
    for k in range(n_comm):
        d = dists[k % n_dist]
        comms.append((len(units) + len(comms) + 1, f"C{k:05d}", f"Xã {k}", "commune", d[0], f"{d[5]}C{k:05d}/", True))
    units += comms
    with conn.cursor() as cur:
        with cur.copy("COPY org_units (id, code, name, level, parent_id, path, active) FROM STDIN") as cp:
            for u in units:
                cp.write_row(u)
        house_rows = []
        now = dt.datetime.now(dt.UTC)
        cols = "id, uuid, org_unit_id, status, head_name, lat, lon, created_at, updated_at"
        with cur.copy(f"COPY houses ({cols}) FROM STDIN") as cp:
            for h in range(1, n_house + 1):
                r = rnd.random()
                status = "rejected" if r < 0.03 else "withdrawn" if r < 0.04 else rnd.choices(STAGES, WEIGHTS)[0]
                c = comms[rnd.randrange(n_comm)]
                house_rows.append((h, status))
                cp.write_row((h, str(uuid.UUID(int=rnd.getrandbits(128), version=4)), c[0], status, f"Hộ {h}",
                              10 + rnd.random() * 12, 103 + rnd.random() * 6, now, now))
        start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        written = 0
        with cur.copy("COPY house_events (house_id, kind, from_status, to_status, created_at, reason) FROM STDIN") as cp:
            for h, status in house_rows:  # the real path of each house first
                path = ["assessed"] + (STAGES[1:STAGES.index(status) + 1] if status in STAGES else [status])
                prev = None
                for step in path:
                    written += 1
                    at = start + dt.timedelta(days=rnd.randrange(700), seconds=rnd.randrange(86400))
                    cp.write_row((h, "status", prev, step, at, "bench"))
                    prev = step
            while written < n_event:  # padding: review events that do not change the status
                h, status = house_rows[rnd.randrange(n_house)]
                cp.write_row((h, "review_request_changes", status, status,
                              start + dt.timedelta(days=rnd.randrange(700)), "bench"))
                written += 1
        examples = _examples(50)
        n_sub = max(10, int(100_000 * scale))
        cols = "instance_id, form_id, form_version, org_unit_id, house_id, answers, review_status, received_at, complete"
        with cur.copy(f"COPY submissions ({cols}) FROM STDIN") as cp:
            for i in range(n_sub):
                h = rnd.randrange(1, n_house + 1)
                a = dict(examples[i % len(examples)], head_name=f"Hộ {h}")
                cp.write_row((str(uuid.UUID(int=rnd.getrandbits(128), version=4)), "house_assessment", "bench",
                              comms[rnd.randrange(n_comm)][0], h, json.dumps(a, ensure_ascii=False),
                              rnd.choice(["received", "approved", "approved", "changes_requested"]), now, True))
        with cur.copy("COPY house_funding (house_id, source, planned, disbursed, workdays, updated_at) FROM STDIN") as cp:
            for h, status in house_rows:
                if status in STAGES[1:]:
                    cp.write_row((h, "provincial_budget", 60_000_000, 30_000_000, rnd.randrange(40), now))
        cur.execute("SELECT setval(pg_get_serial_sequence('house_events','id'), (SELECT max(id) FROM house_events))")
    conn.commit()
    with conn.cursor() as cur:
        cur.execute("ANALYZE")
    conn.commit()
    return {"units": len(units), "communes": n_comm, "houses": n_house, "events": written, "submissions": n_sub,
            "load_s": round(time.perf_counter() - t0, 1)}


def _examples(n: int) -> list[dict]:
    """Valid answers of the library's house assessment, made by the form engine's example generator."""
    from forms.compile import load_file
    from forms.example import generate

    form = load_file(Path(__file__).resolve().parent.parent / "forms" / "library" / "house_assessment.xlsx")
    return [generate(form, seed=i) for i in range(n)]


def _median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def _after_reorganisation(s, prov, runs: int) -> dict:
    """Retire the province's districts and merge its communes two by two into new ones (effective 1/7/2025,
    through reorganise.plan/apply), then time the roll-up by today's tree (every house resolved through the
    lineage) and by the tree of 31/12/2024 (the old districts)."""
    from server.models import OrgUnit
    from server.services.programme import reorganise
    from server.services.reports import progress

    s.execute(sa.text("SELECT setval('org_units_id_seq', (SELECT max(id) FROM org_units))"))  # COPY gave the ids
    communes = list(s.scalars(sa.select(OrgUnit).where(OrgUnit.path.like(prov.path + "%"),
                                                        OrgUnit.level == "commune").order_by(OrgUnit.code)))
    units = "level,code,name,parent_code\n" + "".join(
        f"commune,N{c.code},Xã mới {c.code},{prov.code}\n" for c in communes[::2])
    mapping = "old_code,new_code\n" + "".join(f"{c.code},N{communes[i - i % 2].code}\n" for i, c in enumerate(communes))
    t0 = time.perf_counter()
    plan = reorganise.plan(s, mapping, dt.date(2025, 7, 1), units)
    assert not plan.problems, plan.problem_texts("en")[:3]
    reorganise.apply(s, plan, today=dt.date(2026, 1, 1))
    s.commit()
    took = time.perf_counter() - t0
    old_day = dt.date(2024, 12, 31)
    return {"reorganise_province_s": round(took, 2), "reorganised": plan.counts()["retired_by_level"],
            "province_rollup_after_reorganisation_ms": _median_ms(lambda: progress.rollup(s, prov), runs),
            "province_rollup_as_of_2024_ms": _median_ms(lambda: progress.rollup(s, prov, as_of=old_day), runs),
            "rows_today_vs_2024": (len(progress.rollup(s, prov).rows),
                                   len(progress.rollup(s, prov, as_of=old_day).rows))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--db", default="maiam_bench")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--reuse", action="store_true", help="skip loading; reuse the existing database")
    args = ap.parse_args(argv)
    if args.db == "test":
        ap.error("use a separate database, not 'test'")
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    if not args.reuse:
        _admin(args.db)
    app = _build(url)
    from server.extensions import db
    from server.models import Form, OrgUnit
    from server.services.programme import forms as forms_service
    from server.services.reports import book, exports, progress, survey_tables
    from server.services.reports import periodic as reports

    with app.app_context():
        if not args.reuse:
            db.create_all()
            raw = db.engine.raw_connection()
            try:
                info = load(raw.driver_connection, args.scale)
            finally:
                raw.close()
            print("loaded:", info)
        s = db.session
        root = s.scalar(db.select(OrgUnit).where(OrgUnit.code == "VN"))
        prov = s.scalar(db.select(OrgUnit).where(OrgUnit.code == "P07"))
        dist = s.scalar(db.select(OrgUnit).where(OrgUnit.code == "D0007"))
        res = {
            "province_rollup_ms": _median_ms(lambda: progress.rollup(s, prov), args.runs),
            "district_rollup_ms": _median_ms(lambda: progress.rollup(s, dist), args.runs),
            "national_rollup_ms": _median_ms(lambda: progress.rollup(s, root), max(3, args.runs // 3)),
            "province_by_month_ms": _median_ms(lambda: progress.completions_by_month(s, prov), args.runs),
            "province_half_year_report_ms": _median_ms(
                lambda: reports.build(s, prov, "half_year", 2025, signer="bench", figures="today"), max(3, args.runs // 3)),
            "province_half_year_report_at_period_end_ms": _median_ms(
                lambda: reports.build(s, prov, "half_year", 2025, signer="bench", figures="period_end"),
                max(3, args.runs // 3)),
        }
        res.update(_after_reorganisation(s, prov, args.runs))
        p = progress.rollup(s, prov)
        res["province_houses"] = p.totals.assessed + p.totals.rejected + p.totals.withdrawn
        if not s.scalar(db.select(db.func.count()).select_from(Form)):
            forms_service.publish_file(s, Path(__file__).resolve().parent.parent / "forms" / "library"
                                       / "house_assessment.xlsx")  # the labelled export's columns
            s.commit()
        runs = [("export_province", prov, "houses", "csv"), ("export_national", root, "houses", "csv"),
                ("export_national_geojson", root, "houses", "geojson"),
                ("export_national_xlsx", root, "houses", "xlsx"),
                ("export_submissions_csv_zip", root, "submissions", "csv"),
                ("export_submissions_xlsx", root, "submissions", "xlsx"),
                ("export_submissions_xlsx_codes", root, "submissions", "xlsx:codes")]
        for label, unit, what, fmt in runs:
            fmt, _, labels = fmt.partition(":")
            s.rollback()
            if what == "houses":
                rows = sum(1 for _ in exports.house_rows(s, unit))
            else:  # every row of every sheet: the surveys, and the household members on their own sheet
                tables = survey_tables.SurveyTables(s, "house_assessment", labels or "vi")
                counts = collections.Counter(i for i, _ in tables.rows(s, unit))
                rows = sum(counts.values())
                res[f"{label}_surveys"] = counts[0]
            s.rollback()
            t = time.perf_counter()
            n_bytes = sum(len(chunk) for chunk in exports.export(s, unit, what, fmt, labels=labels or "vi")[2])
            elapsed = time.perf_counter() - t
            res[f"{label}_rows"] = rows
            res[f"{label}_rows_per_s"] = round(rows / elapsed)
            if what == "submissions":
                res[f"{label}_surveys_per_s"] = round(res[f"{label}_surveys"] / elapsed)
            res[f"{label}_mib"] = round(n_bytes / 2**20, 1)
        # memory: Python's peak while streaming N rows, for growing N (flat = independent of N)
        for n in (10_000, 100_000, 400_000):
            s.rollback()
            tracemalloc.start()
            for _ in exports.csv_chunks(exports.HOUSE_COLUMNS, itertools.islice(exports.house_rows(s, root), n)):
                pass
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            res[f"export_csv_peak_mib_at_{n}_rows"] = round(peak / 2**20, 2)
        # the labelled XLSX of surveys (two sheets, spooled members): peak for growing N
        for n in (2_000, 20_000, 80_000):
            s.rollback()
            tables = survey_tables.SurveyTables(s, "house_assessment", "vi")
            tracemalloc.start()
            for _ in book.xlsx(tables.sheets, itertools.islice(tables.rows(s, root), n)):
                pass
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            res[f"export_surveys_xlsx_peak_mib_at_{n}_rows"] = round(peak / 2**20, 2)
        res["process_max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    for k, v in res.items():
        print(f"{k:32s} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
