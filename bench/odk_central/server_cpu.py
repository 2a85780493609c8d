"""Server CPU accounting for loadgen.py: per-process utime+stime from /proc/PID/stat, sampled, by category
(the server's own processes, the backends of its database, the rest of its PostgreSQL cluster)."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project (bench/odk_central/ lies inside it)
from bench.ingest import database_backends  # noqa: E402

PROJECT_DB = "maiam_odk_bench"  # project_server.py's database

S = Path(os.environ.get("ODK_BENCH_DIR", "/tmp/odk-bench"))
DATA = S / "data"
TICK = os.sysconf("SC_CLK_TCK")


def stat(pid: int):
    """(utime+stime, cutime+cstime) in ticks, or None."""
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(f[11]) + int(f[12]), int(f[13]) + int(f[14])
    except (OSError, IndexError, ValueError):
        return None


def run_delay(pid: int):
    """Seconds this process has spent runnable but waiting for a CPU (/proc/PID/schedstat), or None."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def children(pid: int) -> list[int]:
    out = []
    try:
        for t in Path(f"/proc/{pid}/task").iterdir():
            try:
                out += [int(x) for x in (t / "children").read_text().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


class Tracker:
    """Per-pid first/last CPU ticks, by category, for one side."""

    def __init__(self, side: str, exclude: set[int]):
        self.side, self.exclude = side, exclude
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.cat: dict[int, str] = {}
        self.rd_first: dict[int, float] = {}
        self.rd_last: dict[int, float] = {}
        self.started = False
        if side == "central":
            self.node = int((S / "central.pid").read_text())
            self.pm = int((S / "pg/data/postmaster.pid").read_text().split()[0])
            self.db_re = re.compile(r"(^|\s)jubilant(\s|$)")
        else:
            self.master = json.loads((DATA / "project.json").read_text())["pid"]

    def discover(self) -> dict[int, str]:
        found = {}
        if self.side == "central":
            found[self.node] = "app"
            found[self.pm] = "pg_rest"  # postmaster's own utime+stime (its cutime: see exact_central_total)
            for c in children(self.pm):
                if c in self.exclude:
                    continue
                title = cmdline(c)
                found[c] = "pg_db" if self.db_re.search(title.split("(")[0]) else "pg_rest"
        else:
            found[self.master] = "app"
            for c in children(self.master):
                found[c] = "app"
            for pid in database_backends(PROJECT_DB):  # bench/ingest.py's reading of the backends' titles
                if pid not in self.exclude:
                    found[pid] = "pg_db"
        return found

    def sample(self):
        for pid, cat in self.discover().items():
            v = stat(pid)
            if v is None:
                continue
            ticks = v[0]
            rd = run_delay(pid) or 0.0
            if pid not in self.first:
                self.first[pid] = ticks if not self.started else 0
                self.rd_first[pid] = rd if not self.started else 0.0
                self.cat[pid] = cat
            self.last[pid] = ticks
            self.rd_last[pid] = rd
        self.started = True

    def exact_central_total(self) -> int:
        """node + postmaster (own + reaped children) + live children, in ticks (no sampling gaps)."""
        tot = sum(stat(self.node) or (0, 0)) + sum(stat(self.pm) or (0, 0))
        for c in children(self.pm):
            if c not in self.exclude:
                tot += sum(stat(c) or (0, 0))
        return tot

    def vanished(self, cat: str) -> int:
        return sum(1 for pid, c in self.cat.items() if c == cat and stat(pid) is None)

    def delay_by_cat(self) -> dict[str, float]:
        out = {"app": 0.0, "pg_db": 0.0, "pg_rest": 0.0}
        for pid, cat in self.cat.items():
            out[cat] += self.rd_last[pid] - self.rd_first[pid]
        return out

    def by_cat(self) -> dict[str, float]:
        out = {"app": 0.0, "pg_db": 0.0, "pg_rest": 0.0}
        for pid, cat in self.cat.items():
            out[cat] += (self.last[pid] - self.first[pid]) / TICK
        return out


def machine_busy() -> float:
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(parts[:8]) - parts[3] - parts[4]) / TICK


def central_backlog(conn) -> int:
    return conn.execute("select count(*) from audits where processed is null and failures < 5 "
                        "and action like 'submission.%'").fetchone()[0]
