"""The auto-sync loop without a window: the Android background service, and a plain process on a desktop.

On Android, python-for-android runs this file as the service `Sync` declared in mobile/buildozer.spec
(`services = Sync:mobile/background.py:foreground`) while the app is closed: the app starts it when
it goes to the background and stops it when it is opened again (mobile/ui/devices/android.py), and
passes its data folder as the service argument (JSON `{"data": ...}` in PYTHON_SERVICE_ARGUMENT).
The loop is the open app's: every TICK_SECONDS it asks `AutoSync.due()` (a finished survey waiting
whose backoff has passed, or decisions not pulled for 30 minutes) and runs `SyncClient.sync_once()`.
A lock file in the data folder keeps two processes from syncing at once.

On a desktop (and in tests): `python -m mobile.background --data DIR [--cycles N] [--tick SECONDS]`
runs N cycles (default: until stopped) and prints one line per sync. No Kivy is imported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python-for-android services): the app folder holds mobile/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mobile.core.autosync import TICK_SECONDS, AutoSync  # noqa: E402
from mobile.core.store import Store  # noqa: E402
from mobile.core.sync_client import SyncClient  # noqa: E402

LOCK_FILE = "sync.lock"


@contextmanager
def sync_lock(data_dir: Path):
    """Yields True when this process may sync now (no other process holds the data folder's lock)."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: nothing to lock with, and no second process there
        yield True
        return
    with open(data_dir / LOCK_FILE, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run(data_dir: Path, cycles: int | None = None, tick: float = TICK_SECONDS, first_due: bool = True,
        out=sys.stdout) -> int:
    """The loop; returns how many syncs ran. `first_due`: the first cycle syncs when a survey waits or
    the decisions are due, as the app's timer would after `tick` seconds (a service starts late)."""
    store = Store(data_dir)
    client = SyncClient(store)
    auto = AutoSync(store, client.outbox)
    if first_due:
        auto.last_attempt -= auto.pull_every  # a service starting means the app was away: pull too
    syncs, done = 0, 0
    try:
        while cycles is None or done < cycles:
            if done:
                time.sleep(tick)
            done += 1
            if not auto.due(False):
                continue
            with sync_lock(data_dir) as mine:
                if not mine:
                    continue
                auto.attempted()
                result = client.sync_once()
                syncs += 1
                print(f"sync: sent={result.sent} retrying={result.retrying} failed={result.failed} "
                      f"reopened={result.reopened} offline={result.offline} needs_login={result.needs_login}",
                      file=out, flush=True)
    finally:
        store.close()
    return syncs


def service_data_dir() -> Path | None:
    """The data folder the app gave the Android service (None outside a service)."""
    argument = os.environ.get("PYTHON_SERVICE_ARGUMENT")
    if not argument:
        return None
    try:
        return Path(json.loads(argument)["data"])
    except (ValueError, KeyError, TypeError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mobile.background", description="Mái Ấm auto-sync loop")
    parser.add_argument("--data", help="the app's data folder (default: the service argument)")
    parser.add_argument("--cycles", type=int, help="stop after this many cycles (default: run until stopped)")
    parser.add_argument("--tick", type=float, default=TICK_SECONDS, help="seconds between cycles")
    args = parser.parse_args(argv)
    data = Path(args.data) if args.data else service_data_dir()
    if data is None:
        parser.error("--data is required outside an Android service")
    run(data, args.cycles, args.tick)
    return 0


if __name__ == "__main__":
    sys.exit(main([] if os.environ.get("PYTHON_SERVICE_ARGUMENT") else None))
