"""gunicorn settings for production: `gunicorn -c python:server.gunicorn_conf 'server:create_app()'`
(docs/production.md). Flags on the command line override these; `GUNICORN_CMD_ARGS` too.

Two set-ups, chosen by where the phones' connections end (`MAIAM_TRUSTED_PROXIES`, which says it already):

- **Behind nginx or a load balancer** (`MAIAM_TRUSTED_PROXIES` >= 1): the proxy keeps the phones'
  connections open and buffers their uploads (`proxy_request_buffering on`), so gunicorn's plain `sync`
  workers, one per core, get whole requests over loopback. This costs the least CPU per request:
  measured side by side (bench/odk_central/), 13.0 ms per submission and 72 ms per survey with 3 photos,
  against 15.2-17.1 ms and 82-88 ms for threaded workers (2-4 workers x 2-4 threads); more workers than
  cores cost more too (3: 17.0 ms, 4: 17.8 ms).
- **Phones straight to gunicorn** (no proxy, the default): threaded workers (`gthread`) keep a phone's
  connection open between its requests; on EDGE a new connection costs a 0.3 s round trip before its first
  byte, and one survey is 4+ requests. A slow upload holds one thread, not a whole worker.
"""

import multiprocessing
import os

bind = "127.0.0.1:8000"
timeout = 120
keepalive = 75  # seconds an idle connection stays open (like nginx's keepalive_timeout default)


def _behind_proxy() -> bool:
    try:
        return int(os.environ.get("MAIAM_TRUSTED_PROXIES", "0") or 0) >= 1
    except ValueError:
        return False  # the app itself refuses a malformed value at start-up


workers = multiprocessing.cpu_count()
if _behind_proxy():
    worker_class = "sync"
    threads = 1
else:
    worker_class = "gthread"
    threads = 4  # an idle kept connection costs no thread; a slow upload holds one, not a whole worker


def post_worker_init(worker) -> None:
    from server.services.files.photo_facts import warm_up

    warm_up()  # the first photo's pHash would otherwise load numpy and scipy inside a phone's upload
