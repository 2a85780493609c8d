"""The web stack's own cost, without Mái Ấm's code: a bare Flask app under gunicorn (2 sync workers, as
`server/gunicorn_conf.py` runs behind a proxy) answering a JSON POST and a ~300 KB PUT it reads to the end.
8 client threads on loopback, a new connection per request (sync workers close it anyway); prints requests/s
and gunicorn's CPU (master + workers, from /proc) per request. The floor under bench/odk_central's figures.

    .venv/bin/python bench/web_floor.py [--requests 4000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

APP = '''
from flask import Flask, jsonify, request
app = Flask(__name__)

@app.route("/json", methods=["POST"])
def json_post():
    body = request.get_json()
    return jsonify({"instance_id": body.get("instance_id"), "status": "new"}), 201

@app.route("/put", methods=["PUT"])
def put():
    n = 0
    while chunk := request.stream.read(65536):
        n += len(chunk)
    return jsonify({"received": True, "size": n})
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run(port: int, pids: list[int], method: str, path: str, body: bytes, ctype: str, n: int) -> tuple[float, float]:
    def client():
        for _ in range(n // 8):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(method, path, body, {"Content-Type": ctype})
            conn.getresponse().read()
            conn.close()

    before, t0 = cpu_seconds(pids), time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    return (n // 8 * 8) / elapsed, 1000 * (cpu_seconds(pids) - before) / (n // 8 * 8)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=4000)
    args = ap.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "floor_app.py").write_text(APP)
        gun = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                                "floor_app:app"], cwd=tmp, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            time.sleep(1)  # both workers up
            kids = subprocess.run(["pgrep", "-P", str(gun.pid)], capture_output=True, text=True).stdout.split()
            pids = [gun.pid, *map(int, kids)]
            envelope = json.dumps({"instance_id": "x" * 36, "answers": {f"q{i}": i for i in range(60)}}).encode()
            rate, cpu = run(port, pids, "POST", "/json", envelope, "application/json", args.requests)
            print(f"JSON POST ({len(envelope)} B): {rate:.0f}/s, gunicorn CPU {cpu:.2f} ms per request")
            photo = os.urandom(312_866)
            rate, cpu = run(port, pids, "PUT", "/put", photo, "image/jpeg", max(8, args.requests // 3))
            print(f"PUT of {len(photo) // 1024} KB: {rate:.0f}/s, gunicorn CPU {cpu:.2f} ms per request")
        finally:
            os.killpg(gun.pid, signal.SIGTERM)
            gun.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
