"""One sync at a time in a background thread, so that the screen never waits on the network."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from mobile.core.i18n import t
from mobile.core.sync_client import SyncClient
from mobile.core.sync_results import SyncResult

log = logging.getLogger("mobile.core.sync_client")  # the sync's one log: ids, counts and codes


class SyncRunner:
    """Runs `SyncClient.sync_once` in a background thread; one run at a time."""

    def __init__(self, client: SyncClient, on_done: Callable[[SyncResult], None] | None = None):
        self.client = client
        self.on_done = on_done
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.last_result: SyncResult | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        """Start a sync unless one is running; True when started."""
        with self._lock:
            if self.running:
                return False
            self._thread = threading.Thread(target=self._run, name="maiam-sync", daemon=True)
            self._thread.start()
            return True

    def join(self, timeout: float | None = None) -> SyncResult | None:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.last_result

    def _run(self) -> None:
        try:
            result = self.client.sync_once()
        except Exception as exc:  # noqa: BLE001 - the thread must report, never die silently
            result = SyncResult(errors=["unknown"])
            log.error("sync crashed: %s", type(exc).__name__)
            self.client.emit(
                "error",
                message=t("error.unknown", self.client.lang, code=type(exc).__name__),
                code="unknown",
            )
        self.last_result = result
        if self.on_done is not None:
            self.on_done(result)
