"""server/gunicorn_conf.py picks the worker set-up from where the phones' connections end: plain `sync`
workers (one per core) behind a proxy that keeps connections open and buffers uploads, threaded keep-alive
workers when phones connect straight to gunicorn."""

from __future__ import annotations

import importlib
import multiprocessing

import pytest

from server import gunicorn_conf


@pytest.mark.parametrize(("proxies", "kind"), [("1", "sync"), ("2", "sync"), ("0", "gthread"), ("", "gthread"),
                                               (None, "gthread"), ("x", "gthread")])
def test_the_worker_class_follows_the_trusted_proxies_setting(monkeypatch, proxies, kind):
    if proxies is None:
        monkeypatch.delenv("MAIAM_TRUSTED_PROXIES", raising=False)
    else:
        monkeypatch.setenv("MAIAM_TRUSTED_PROXIES", proxies)
    conf = importlib.reload(gunicorn_conf)
    assert conf.worker_class == kind and conf.workers == multiprocessing.cpu_count()
    assert (getattr(conf, "threads", 1) > 1) == (kind == "gthread")
    assert conf.keepalive >= 60 and conf.bind.startswith("127.0.0.1:")
