"""Benchmark of the field app (run by hand: `python bench/mobile.py`); prints medians.

- open: load the house assessment definition from the phone's store, build the FormSession and the
  first page's real Kivy widgets (aim <= 300 ms);
- update: one answer typed into a real TextInput -> FormSession.set -> SQLite save (WAL, FULL
  sync) -> the changed widgets shown again (aim <= 16 ms, one frame);
- photo: prepare_photo on a 12-megapixel camera JPEG (aim <= 1.5 s and <= 500 KB).
Renders offscreen (SDL_VIDEODRIVER=offscreen); numbers depend on the machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "error")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="maiam-kivy-"))

OPEN_RUNS = 15
UPDATE_RUNS = 200
PHOTO_RUNS = 3
RELEVANCE_RUNS = 100
RESULTS: dict[str, list[float]] = {"open_ms": [], "update_ms": [], "relevance_ms": []}


def median_ms(values):
    return statistics.median(values) if values else float("nan")


def seed(data: Path) -> str:
    from forms.compile import compile_file
    from mobile.core.store import USERNAME, Store

    store = Store(data)
    definition = compile_file(ROOT / "forms" / "library" / "house_assessment.xlsx")
    store.save_form(definition, "bench")
    store.set_setting(USERNAME, "volunteer")
    store.close()
    return definition["form_id"]


def scenario(app, form_id):
    from mobile.core.presenters.form import FormPresenter

    yield 0.2
    screen = app.form_screen
    for _ in range(OPEN_RUNS):
        draft_id = app.home_presenter.new_draft(form_id)
        screen.widgets = {}  # no widget re-use between runs: build the first page from scratch
        t0 = time.perf_counter()
        presenter = FormPresenter(app.store, draft_id, lang="vi", meta=app.meta())
        screen.open(presenter)
        RESULTS["open_ms"].append((time.perf_counter() - t0) * 1000)
        yield 0
    app.sm.current = "form"
    target = _text_widget(screen)
    for i in range(UPDATE_RUNS):
        t0 = time.perf_counter()
        target.input.text = f"Nguyễn Văn {i}"
        RESULTS["update_ms"].append((time.perf_counter() - t0) * 1000)
        if i % 20 == 0:
            yield 0
    # a tap that changes relevance: 'helped before?' yes/no shows/hides two questions (page re-laid out)
    assert screen.presenter.go_to("helped_before")
    screen.show_page()
    yield 0
    rows = {row.value: row for row in screen.widgets["helped_before"].rows}
    for i in range(RELEVANCE_RUNS):
        row = rows["yes" if i % 2 == 0 else "no"]
        t0 = time.perf_counter()
        row._do_press()
        row.dispatch("on_press")
        RESULTS["relevance_ms"].append((time.perf_counter() - t0) * 1000)
        if i % 20 == 0:
            yield 0


def _text_widget(screen):
    presenter = screen.presenter
    for index in range(presenter.page_count):
        presenter.index = index
        screen.show_page()
        for widget in screen.widgets.values():
            if widget.view.type == "text" and not widget.view.appearance and widget.parent is not None:
                return widget
    raise SystemExit("no text question in the form")


def bench_photo(tmp: Path) -> tuple[float, int, tuple[int, int]]:
    from PIL import Image

    from mobile.core.photos import prepare_photo

    source = ROOT / "tests" / "fixtures" / "photos" / "iphone_hdr_NO.jpg"
    big = tmp / "12mp.jpg"
    if source.exists():
        with Image.open(source) as img:
            exif = img.info.get("exif", b"")
            img.resize((4000, 3000), Image.Resampling.BICUBIC).save(big, "JPEG", quality=92, exif=exif)
    else:
        Image.effect_noise((4000, 3000), 60).convert("RGB").save(big, "JPEG", quality=92)
    times = []
    info = None
    for i in range(PHOTO_RUNS):
        out = tmp / f"out{i}"
        t0 = time.perf_counter()
        info = prepare_photo(big, out)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), info.size, (info.width, info.height)


def main() -> int:
    from kivy.config import Config

    Config.set("graphics", "width", "360")
    Config.set("graphics", "height", "640")
    from mobile.core.devices import FileCamera
    from mobile.ui.app import MaiAmApp
    from mobile.ui.devices import Devices
    from mobile.ui.driving import Driver

    tmp = Path(tempfile.mkdtemp(prefix="maiam-bench-"))
    form_id = seed(tmp / "phone")
    app = MaiAmApp(tmp / "phone", devices=Devices(FileCamera(), None, False))
    driver = Driver(app, lambda a: scenario(a, form_id))
    app.run()
    if driver.error:
        print(driver.error, file=sys.stderr)
        return 1
    open_ms, update_ms = median_ms(RESULTS["open_ms"]), median_ms(RESULTS["update_ms"])
    print(f"open house assessment (definition + session + first page widgets): median {open_ms:.1f} ms "
          f"over {len(RESULTS['open_ms'])} runs (aim <= 300 ms)")
    print(f"answer update (TextInput -> FormSession.set -> SQLite save -> widgets): median {update_ms:.2f} ms, "
          f"p95 {sorted(RESULTS['update_ms'])[int(0.95 * len(RESULTS['update_ms'])) - 1]:.2f} ms "
          f"over {len(RESULTS['update_ms'])} updates (aim <= 16 ms)")
    print(f"tap that changes relevance (select_one -> FormSession.set -> save -> page re-laid out): median "
          f"{median_ms(RESULTS['relevance_ms']):.2f} ms over {len(RESULTS['relevance_ms'])} taps (aim <= 16 ms)")
    seconds, size, dims = bench_photo(tmp)
    print(f"12 MP photo resize (prepare_photo, 4000x3000 -> {dims[0]}x{dims[1]}): median {seconds:.2f} s, "
          f"{size / 1024:.0f} KB (aim <= 1.5 s, <= 500 KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
