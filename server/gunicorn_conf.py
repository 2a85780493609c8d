"""gunicorn settings for production: `gunicorn -c python:server.gunicorn_conf 'server:create_app()'`
(docs/production.md). Flags on the command line override these; `GUNICORN_CMD_ARGS` too.

Threaded workers (`gthread`) keep a phone's connection open between its requests: on EDGE a new
connection costs a 0.3 s round trip before its first byte, and one survey is 4+ requests. gunicorn's
default `sync` workers close every connection after one answer.
"""

import multiprocessing

bind = "127.0.0.1:8000"
workers = 2 * multiprocessing.cpu_count()
worker_class = "gthread"
threads = 4  # an idle kept connection costs no thread; a slow upload holds one, not a whole worker
keepalive = 75  # seconds an idle connection stays open (like nginx's keepalive_timeout default)
timeout = 120


def post_worker_init(worker) -> None:
    from server.services.files.photo_facts import warm_up

    warm_up()  # the first photo's pHash would otherwise load numpy and scipy inside a phone's upload
