"""Time to send one survey with 3 photos over a slow link, measured end to end on loopback.

    .venv/bin/python bench/mobile_link.py [--kbit 200] [--photos 3]

Starts `python -m server --demo` on a free 127.0.0.1 port (temporary database and media), puts a
throttling proxy in front of it (tests/mobile/throttle.py: the phone's bytes go up at --kbit kbit/s,
the answers come back at full speed), queues one house assessment whose photos are 12 Mpx camera
JPEGs prepared as the phone prepares them (max-pixels 1600), and times `SyncClient.push` until the
survey is `sent`. Prints the bytes on the wire, the time, and the time the payload alone would take.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forms.compile import compile_file  # noqa: E402
from mobile.core.example import fill_survey  # noqa: E402
from mobile.core.outbox import Outbox  # noqa: E402
from mobile.core.store import SERVER_URL, TOKEN, USERNAME, Store  # noqa: E402
from mobile.core.sync_client import SyncClient  # noqa: E402
from tests.e2e.conftest import start_server, stop_server  # noqa: E402
from tests.mobile.throttle import ThrottlingProxy  # noqa: E402


def make_photos(folder: Path, count: int, megapixels: float) -> list[str]:
    """The camera photos of bench/mobile_memory.py (12 Mpx, grainy like a real photo)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mobile_memory", ROOT / "bench" / "mobile_memory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_photos(folder, count, megapixels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kbit", type=float, default=200.0)
    parser.add_argument("--photos", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="maiam-link-") as tmp:
        tmp = Path(tmp)
        server = start_server(tmp)
        target = urlparse(server.url)
        proxy = ThrottlingProxy(target.hostname, target.port, args.kbit * 1000)
        try:
            store = Store(tmp / "phone")
            store.save_form(compile_file(ROOT / "forms" / "library" / "house_assessment.xlsx"), "bench")
            store.set_setting(SERVER_URL, proxy.url)
            store.set_setting(USERNAME, "volunteer")
            store.set_setting(TOKEN, server.token("volunteer"))
            (tmp / "camera").mkdir()
            camera = make_photos(tmp / "camera", args.photos, 12.0)
            outbox = Outbox(store)
            photos = camera + camera[: max(0, 4 - len(camera))]  # the form's 4 photo questions
            item = fill_survey(store, outbox, "house_assessment", seed=9, photo_files=photos[:4])
            payload = sum(a.size for a in outbox.attachments(item.instance_id))
            client = SyncClient(store, outbox)
            start = time.perf_counter()
            result = client.push()
            elapsed = time.perf_counter() - start
            state = outbox.get(item.instance_id).state
            store.close()
        finally:
            proxy.close()
            stop_server(server)
    n = len({p for p in photos[:4]})
    print(f"link: {args.kbit:g} kbit/s up (throttling proxy on 127.0.0.1)")
    print(f"survey: 1 house assessment, {n} photos of 12 Mpx -> {payload / 1024:.0f} KB of photos")
    print(f"bytes up on the wire: {proxy.forwarded_up / 1024:.0f} KB ({proxy.forwarded_up / max(1, payload):.2f} per photo byte)")
    print(f"time to send: {elapsed:.1f} s (the photo bytes alone: {payload * 8 / (args.kbit * 1000):.1f} s); "
          f"state {state}, sent={result.sent}")
    return 0 if state == "sent" else 1


if __name__ == "__main__":
    sys.exit(main())
