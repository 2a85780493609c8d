"""Sync-server ingest benchmark: gunicorn (2 workers) + PostgreSQL on loopback, 8 concurrent clients.

    .venv/bin/python bench/ingest.py [--clients 8] [--submissions 800] [--surveys 120] [--workers 2] [--distinct-photos]
                                     [--database postgresql+psycopg://postgres@127.0.0.1:5432/maiam_bench]

It drops and recreates the benchmark database, runs `python -m server db upgrade` and `seed-demo`,
starts `gunicorn -w 2 'server:create_app()'` on a free 127.0.0.1 port and logs in as the demo
volunteer. Envelopes (answers from `forms.example.generate` for the published house_assessment) and
photos (~300 KB JPEGs, each one unique: by default one picture with distinct bytes, so that every upload
after the fifth survey is flagged `photo_similar`; `--distinct-photos`: different pictures, the usual case
in the field) are prepared before the clock starts. Then:

- phase A: submissions/s, POST /api/v1/submissions only (photos left missing);
- phase B: complete surveys/s, one POST and exactly three photo PUTs per survey (seeds whose answers
  name another number of photos are skipped).

PostgreSQL CPU counts only the backends of the benchmark database (the postmaster's children whose
title names it), sampled every 0.2 s so that backends opened during a phase are counted too.

Prints throughput, p50/p95 latency per request (A) and per complete survey (B), and the peak
resident memory of the gunicorn master + workers. Traffic goes to 127.0.0.1 only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

from forms.definition import load  # noqa: E402
from forms.envelope import make_envelope as build_envelope  # noqa: E402
from forms.example import generate  # noqa: E402

PHOTOS = ROOT / "tests" / "fixtures" / "photos"  # the same camera photos, with their licence note
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/maiam_bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgresql+psycopg", "postgresql") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def base_photo() -> bytes:
    src = PHOTOS / "iphone_hdr_NO.jpg"
    with Image.open(src) as img:
        img = img.convert("RGB")
        img.thumbnail((1280, 1280))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def distinct_photos():
    """A maker of ~300 KB JPEGs that are different pictures (a random crop of a fixture photo, maybe mirrored),
    unlike `unique_jpeg`'s one picture: near-identical photos are the rare case in the field, and with one
    picture every upload after the fifth survey is flagged `photo_similar`."""
    from bench.photo_signals import fixtures  # the fixture photos that open (one is broken on purpose)

    sources = fixtures()

    def make(tag: str) -> bytes:
        rnd = random.Random(tag)
        img = sources[rnd.randrange(len(sources))]
        w, h = img.size
        cw, ch = int(w * rnd.uniform(0.5, 0.9)), int(h * rnd.uniform(0.5, 0.9))
        x, y = rnd.randrange(w - cw + 1), rnd.randrange(h - ch + 1)
        out = img.crop((x, y, x + cw, y + ch))
        if rnd.random() < 0.5:
            out = ImageOps.mirror(out)
        out = out.resize((1280, 960))
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=93)  # ~300 KB, like the phone's photos after its own resize
        return buf.getvalue()

    return make


def unique_jpeg(base: bytes, tag: str) -> bytes:
    """The same picture with a different JPEG comment segment: distinct bytes, distinct sha256."""
    text = tag.encode()
    return base[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + base[2:]


def make_envelope(form, form_row: dict, seed: int, photo: bytes | None):
    answers = generate(form, seed=seed, meta={"username": "volunteer"})
    blobs, attachments = {}, []
    for i, name in enumerate(form.image_files(answers)):
        if photo is None:
            data = b"\xff\xd8" + bytes(16)  # never uploaded in phase A
        elif callable(photo):  # distinct_photos()
            data = photo(f"{seed}-{i}")
        else:
            data = unique_jpeg(photo, f"{seed}-{i}")
        blobs[name] = data
        attachments.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                            "content_type": "image/jpeg"})
    env = build_envelope(form, str(uuid.uuid4()), answers, attachments, datetime.now(UTC).isoformat(),
                         form_version=form_row["version"])
    return json.dumps(env, ensure_ascii=False).encode(), env["instance_id"], blobs


def surveys_with_photos(form, form_row: dict, count: int, photo: bytes, per_survey: int = 3) -> list:
    """`count` surveys of exactly `per_survey` photos each (a survey whose answers name another number of
    photos, e.g. one that also answers photo_damage, is skipped), so that phase B's unit is fixed."""
    jobs, seed = [], 50_000
    while len(jobs) < count:
        job = make_envelope(form, form_row, seed, photo)
        seed += 1
        if len(job[2]) == per_survey:
            jobs.append(job)
        if seed > 50_000 + 100 * count:
            raise RuntimeError(f"too few surveys with {per_survey} photos")
    return jobs


def wait_until_up(url: str, proc, log: Path, limit: float = 180) -> None:
    """Wait for the server to answer, with growing timeouts and pauses: on a loaded machine the first
    answers can take seconds (a ReadTimeout is a slow start, not a failure)."""
    deadline, timeout, pause = time.monotonic() + limit, 2.0, 0.3
    while True:
        try:
            if requests.get(f"{url}/api/v1/openapi.json", timeout=timeout).ok:
                return
        except requests.RequestException:  # refused while starting, or slow to answer
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f"server not answering after {limit:.0f} s: " + log.read_text()[-2000:])
        time.sleep(pause)
        timeout, pause = min(timeout * 2, 30.0), min(pause * 2, 5.0)


class Client:
    """A lean HTTP/1.1 keep-alive client (http.client): the load generator shares the two cores with
    the server, so it should cost as little CPU as possible (requests costs ~1-2 ms per call)."""

    def __init__(self, url: str, token: str):
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port, self.token = host, int(port), token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, method: str, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": content_type}
        for attempt in range(2):  # a keep-alive connection the server closed: reconnect once
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def client_run(args) -> tuple[list[float], float]:
    """One client process: its share of the work; one latency per unit (request or whole survey) and
    the CPU seconds this client used."""
    url, token, jobs, with_photos = args
    client = Client(url, token)
    cpu0 = time.process_time()
    lat = []
    for body, iid, blobs in jobs:
        t = time.perf_counter()
        status, text = client.call("POST", "/api/v1/submissions", body, "application/json")
        if status != 201:
            raise RuntimeError(f"POST {status}: {text[:300]!r}")
        if with_photos:
            for name, data in blobs.items():
                status, text = client.call("PUT", f"/api/v1/submissions/{iid}/attachments/{name}", data,
                                           "image/jpeg")
                if status not in (200, 201):
                    raise RuntimeError(f"PUT {status}: {text[:300]!r}")
            if json.loads(text).get("missing_attachments"):
                raise RuntimeError(f"survey incomplete: {text[:300]!r}")
        lat.append(time.perf_counter() - t)
    return lat, time.process_time() - cpu0


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_seconds(pids) -> float:
    """utime + stime of these processes, in seconds (from /proc/<pid>/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def database_backends(dbname: str) -> list[int]:
    """The PostgreSQL backends serving this database: the postmaster's children whose title names it
    (`postgres: 15/main: USER DBNAME ADDRESS STATE`), never the backends of other databases."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if (d / "comm").read_text().strip() != "postgres":
                continue
            title = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
        except OSError:
            continue
        if len(title) >= 4 and title[0] == "postgres:" and title[3] == dbname:
            out.append(int(d.name))
    return out


class BackendCpu:
    """CPU of a database's backends over a phase, sampled repeatedly: a backend that starts during the
    phase counts from its first tick, one that was there before from where it stood at the start."""

    def __init__(self, dbname: str):
        self.dbname = dbname
        self.start = {pid: cpu_seconds([pid]) for pid in database_backends(dbname)}
        self.last = dict(self.start)

    def sample(self) -> None:
        for pid in database_backends(self.dbname):
            self.last[pid] = max(self.last.get(pid, 0.0), cpu_seconds([pid]))

    def seconds(self) -> float:
        self.sample()
        return sum(v - self.start.get(pid, 0.0) for pid, v in self.last.items())


def gunicorn_pids(master: int) -> list[int]:
    kids = Path(f"/proc/{master}/task/{master}/children")
    extra = [int(p) for p in kids.read_text().split()] if kids.exists() else []
    return [master, *extra]


def run_phase(pool, url, token, jobs, clients, with_photos, master, dbname) -> dict:
    shares = [(url, token, jobs[i::clients], with_photos) for i in range(clients)]
    peak = [0]
    stop = threading.Event()
    pg = BackendCpu(dbname)

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_kb(gunicorn_pids(master)))
            pg.sample()
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    app_pids = gunicorn_pids(master)
    app0, all0 = cpu_seconds(app_pids), machine_cpu_seconds()
    t = time.perf_counter()
    parts = list(pool.map(client_run, shares))
    lat = [x for part, _ in parts for x in part]
    client_cpu = sum(cpu for _, cpu in parts)
    wall = time.perf_counter() - t
    stop.set()
    sampler.join()
    app1, pg_s, all1 = cpu_seconds(app_pids), pg.seconds(), machine_cpu_seconds()
    lat.sort()
    n = len(lat)
    return {"count": n, "per_s": n / wall, "p50_ms": statistics.median(lat) * 1000,
            "p95_ms": lat[int(n * 0.95) - 1] * 1000, "server_rss_mb": peak[0] / 1024,
            "app_cpu_ms": (app1 - app0) * 1000 / n, "pg_cpu_ms": pg_s * 1000 / n,
            "client_cpu_ms": client_cpu * 1000 / n,
            "busy": (all1 - all0) / (wall * (os.cpu_count() or 1))}


def machine_cpu_seconds() -> float:
    """Busy CPU seconds of the whole machine so far (all cores; /proc/stat minus idle and iowait)."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(parts[:8]) - parts[3] - parts[4]) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--submissions", type=int, default=800)
    ap.add_argument("--surveys", type=int, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    ap.add_argument("--database", default=DEFAULT_DB)
    ap.add_argument("--distinct-photos", action="store_true",
                    help="phase B's photos are different pictures (default: one picture, unique bytes)")
    a = ap.parse_args()

    recreate_database(a.database)
    tmp = Path(tempfile.mkdtemp(prefix="maiam-bench-"))
    env = dict(os.environ, DATABASE_URL=a.database, MAIAM_INSTANCE=str(tmp / "instance"),
               MEDIA_ROOT=str(tmp / "media"), PYTHONUNBUFFERED="1")
    py = sys.executable
    for cmd in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([py, "-m", "server", *cmd], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    gun = subprocess.Popen([str(Path(py).parent / "gunicorn"), "-w", str(a.workers), "--threads", str(a.threads), "-b", f"127.0.0.1:{port}",
                            "--timeout", "120", "server:create_app()"], cwd=ROOT, env=env, stdout=log,
                           stderr=subprocess.STDOUT)
    try:
        wait_until_up(url, gun, tmp / "gunicorn.log")
        r = requests.post(f"{url}/api/v1/auth/token", json={"username": "volunteer", "password": "demo"}, timeout=10)
        r.raise_for_status()
        token = r.json()["token"]
        h = {"Authorization": f"Bearer {token}"}
        form_row = requests.get(f"{url}/api/v1/forms/house_assessment", headers=h, timeout=10).json()
        form = load(form_row, lambda name: requests.get(f"{url}/api/v1/forms/house_assessment/media/{name}",
                                                        headers=h, timeout=10).content)
        photo = base_photo()
        print(f"preparing {a.submissions} envelopes + {a.surveys} surveys x photos of ~{len(photo) // 1024} KB ...")
        jobs_a = [make_envelope(form, form_row, 10_000 + i, None) for i in range(a.submissions)]
        jobs_b = surveys_with_photos(form, form_row, a.surveys, distinct_photos() if a.distinct_photos else photo,
                                     per_survey=3)
        with ProcessPoolExecutor(a.clients) as pool:
            dbname = a.database.rsplit("/", 1)[1].split("?")[0]
            res_a = run_phase(pool, url, token, jobs_a, a.clients, False, gun.pid, dbname)
            res_b = run_phase(pool, url, token, jobs_b, a.clients, True, gun.pid, dbname)
        print(f"gunicorn -w {a.workers} --threads {a.threads} + PostgreSQL, {a.clients} concurrent clients, loopback")
        for label, res in (("A submissions (no photos)", res_a), ("B complete surveys (POST + 3 photos)", res_b)):
            print(f"{label}: {res['count']}, {res['per_s']:.1f}/s, p50 {res['p50_ms']:.1f} ms, "
                  f"p95 {res['p95_ms']:.1f} ms, server RSS {res['server_rss_mb']:.0f} MB")
            print(f"    CPU per unit: gunicorn {res['app_cpu_ms']:.1f} ms, PostgreSQL {res['pg_cpu_ms']:.1f} ms, "
                  f"clients {res['client_cpu_ms']:.1f} ms; "
                  f"machine busy {res['busy'] * 100:.0f}% of {os.cpu_count()} cores")
    finally:
        gun.terminate()
        try:
            gun.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gun.kill()
            gun.wait()
        log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
