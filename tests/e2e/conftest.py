"""A real server process on 127.0.0.1: `python -m server --demo` on a free port, with its own
instance folder (SQLite database, photos). Shared by the server, phone and browser end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    url: str
    instance: Path
    media_root: Path
    database_url: str
    process: subprocess.Popen
    log: object = None

    def token(self, username: str, password: str = "demo") -> str:
        r = requests.post(f"{self.url}/api/v1/auth/token", json={"username": username, "password": password},
                          timeout=10)
        r.raise_for_status()
        return r.json()["token"]


def phone_form(base: str, headers: dict, form_id: str = "house_assessment", timeout: float = 30):
    """(definition, engine Form) of a live server's newest version, with the media files it names (the
    villages.csv list), downloaded as the phone does."""
    from forms.definition import load

    definition = requests.get(f"{base}/api/v1/forms/{form_id}", headers=headers, timeout=timeout).json()
    media = {m["name"]: requests.get(f"{base}/api/v1/forms/{form_id}/media/{m['name']}", headers=headers,
                                     timeout=timeout).content for m in definition.get("media") or []}
    return definition, load(definition, media or None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, extra_env: dict | None = None) -> LiveServer:
    port = free_port()
    instance = tmp / "instance"
    media = instance / "media"
    db_url = f"sqlite:///{instance / 'maiam.db'}"
    env = dict(os.environ, MAIAM_INSTANCE=str(instance), MEDIA_ROOT=str(media), DATABASE_URL=db_url,
               PYTHONUNBUFFERED="1", MAIAM_MAP_TILE_URL="")  # no tiles from the internet in a test
    env.update(extra_env or {})
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, "-m", "server", "--demo", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.close()
            raise RuntimeError(f"server exited: {(tmp / 'server.log').read_text()[-3000:]}")
        try:
            if requests.get(f"{url}/api/v1/openapi.json", timeout=2).status_code == 200:
                return LiveServer(url, instance, media, db_url, proc, log)
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    proc.kill()
    proc.wait()
    log.close()
    raise RuntimeError("server did not start in time")


def start_gunicorn(log_path: Path, env: dict, *args: str, limit: float = 120) -> tuple[subprocess.Popen, int, object]:
    """gunicorn serving `server:create_app()` on a free 127.0.0.1 port with these extra arguments, once it
    answers: (process, port, open log file; stop_process closes it)."""
    port = free_port()
    log = open(log_path, "wb")  # noqa: SIM115 - closed by stop_process
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", *args, "-b", f"127.0.0.1:{port}", "server:create_app()"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.close()
            raise AssertionError(log_path.read_text()[-3000:])
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5).ok:
                return proc, port, log
        except requests.RequestException:
            pass
        time.sleep(0.3)
    stop_process(proc, log)
    raise AssertionError(f"gunicorn did not start: {log_path.read_text()[-3000:]}")


def stop_process(proc: subprocess.Popen, log=None, grace: float = 10) -> None:
    """Stop a server process (SIGTERM, then SIGKILL after ``grace`` seconds) and close its log file."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if log is not None:
        log.close()


def stop_server(server: LiveServer) -> None:
    stop_process(server.process, server.log)


@pytest.fixture
def live_server(tmp_path):
    server = start_server(tmp_path)
    yield server
    stop_server(server)
