"""Peak memory of the field app while a volunteer fills the house assessment with 10 photos.

    .venv/bin/python bench/mobile_memory.py [--photos 10] [--megapixels 12]

Desktop proxy for a cheap phone: the real app (Kivy widgets, offscreen SDL window 360x640) in a child
process; the camera hands it 10 camera-sized JPEGs (12 Mpx, made beforehand in another process so
their decoding does not count); each is taken on the assessment's photo questions in turn (a retake
replaces the answer), then every page of the form is shown and the summary opened. Printed: the
process's RSS after start, after each photo, and its peak (ru_maxrss, which also sees what Pillow and
SDL allocate outside Python); then the peak of a bare Kivy window in the same offscreen setup, and
the app's own share (peak minus that) against the 150 MB budget. On a desktop the GL driver is Mesa's
software renderer (llvmpipe, ~95 MB for the window alone; GALLIUM_DRIVER=softpipe trades it for
another), which a phone's GPU driver does not cost the app in the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MB = 150


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_photos(folder: Path, count: int, megapixels: float) -> list[str]:
    from PIL import Image, ImageDraw

    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    paths = []
    for i in range(count):
        img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
        noise = Image.effect_noise((width // 4, height // 4), 40 + i).resize((width, height)).convert("RGB")
        img = Image.blend(img, noise, 0.5)  # grain, so that it compresses like a camera photo
        draw = ImageDraw.Draw(img)
        for k in range(40):  # some detail, so the JPEG is camera-sized, not a flat file
            x, y = (k * 97 + i * 31) % width, (k * 53 + i * 17) % height
            draw.rectangle((x, y, x + width // 9, y + height // 11), fill=((k * 40) % 255, (i * 25) % 255, 90))
        path = folder / f"camera_{i}.jpg"
        img.save(path, "JPEG", quality=92)
        paths.append(str(path))
    return paths


def bare(data: Path) -> None:
    """The same offscreen window with nothing of ours in it: what Python, Kivy, SDL and the GL driver
    (on a desktop, Mesa's software renderer) cost before the app does anything."""
    os.environ.update(SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KCFG_KIVY_LOG_LEVEL="error",
                      KIVY_NO_FILELOG="1", KIVY_HOME=str(data / "kivy-bare"))
    from kivy.config import Config

    Config.set("graphics", "width", "360")
    Config.set("graphics", "height", "640")
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.uix.label import Label

    class Bare(App):
        def build(self):
            Clock.schedule_once(lambda _dt: self.stop(), 1.0)
            return Label(text="Mái Ấm")

    Bare().run()
    print("REPORT " + json.dumps({"peak": peak_mb()}), flush=True)


def child(data: Path, photos: list[str]) -> None:
    os.environ.update(SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KCFG_KIVY_LOG_LEVEL="error",
                      KIVY_NO_FILELOG="1", KIVY_HOME=str(data / "kivy"))
    sys.path.insert(0, str(ROOT))
    from mobile.ui import quiet

    quiet.install()
    from kivy.config import Config

    Config.set("graphics", "width", "360")
    Config.set("graphics", "height", "640")
    from forms.compile import compile_file
    from mobile.core.devices import FileCamera
    from mobile.core.store import TOKEN, Store

    store = Store(data / "phone")
    store.save_form(compile_file(ROOT / "forms" / "library" / "house_assessment.xlsx"), "bench")
    store.set_setting(TOKEN, "offline")
    store.close()
    from mobile.ui.app import MaiAmApp
    from mobile.ui.devices import Devices
    from mobile.ui.driving import Driver, press

    class Roll(FileCamera):
        def take_photo(self, dest_dir, on_done):
            self.next_path = photos.pop(0)
            super().take_photo(dest_dir, on_done)

    report: dict = {"after_photo": []}
    app = MaiAmApp(data / "phone", devices=Devices(Roll(), None, True))

    def scenario(app):
        yield 0.3
        report["after_start"] = rss_mb()
        app.open_draft(app.home_presenter.new_draft("house_assessment"))
        yield 0.2
        screen = app.form_screen
        presenter = screen.presenter
        fields = [path for path, _name in presenter.form.image_answers(
            {n: "x.jpg" for n, node in presenter.form.nodes.items() if node.type == "image"})]
        for i in range(len(photos)):
            field = fields[i % len(fields)]
            screen.jump(field)
            yield 0.05
            before = presenter.session.get(field)
            press(screen.widgets[field].button)
            for _ in range(200):
                yield 0.05
                if presenter.session.get(field) != before:
                    break
            report["after_photo"].append(round(rss_mb(), 1))
        for index in range(presenter.page_count):
            presenter.index = index
            screen.show_page()
            yield 0.02
        screen.show_summary()
        yield 0.2
        report["end"] = rss_mb()

    driver = Driver(app, scenario)
    app.run()
    report["peak"] = peak_mb()
    report["error"] = driver.error
    print("REPORT " + json.dumps(report), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=10)
    parser.add_argument("--megapixels", type=float, default=12.0)
    parser.add_argument("--child", nargs=2, metavar=("DATA", "PHOTOS_JSON"), help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=3, metavar=("DIR", "COUNT", "MPX"), help=argparse.SUPPRESS)
    parser.add_argument("--bare", metavar="DATA", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        print(json.dumps(make_photos(Path(args.make[0]), int(args.make[1]), float(args.make[2]))))
        return 0
    if args.child:
        child(Path(args.child[0]), json.loads(args.child[1]))
        return 0
    if args.bare:
        bare(Path(args.bare))
        return 0
    with tempfile.TemporaryDirectory(prefix="maiam-mem-") as tmp:
        made = subprocess.run([sys.executable, __file__, "--make", tmp, str(args.photos), str(args.megapixels)],
                              capture_output=True, text=True, check=True)
        photos = json.loads(made.stdout)
        sizes = [Path(p).stat().st_size for p in photos]
        run = subprocess.run([sys.executable, __file__, "--child", tmp, json.dumps(photos)],
                             capture_output=True, text=True, cwd=ROOT)
        line = next((ln for ln in run.stdout.splitlines() if ln.startswith("REPORT ")), None)
        if line is None:
            print(run.stdout[-2000:], run.stderr[-4000:])
            return 1
        report = json.loads(line[len("REPORT "):])
        bare_run = subprocess.run([sys.executable, __file__, "--bare", tmp], capture_output=True, text=True, cwd=ROOT)
        window = json.loads(next(ln for ln in bare_run.stdout.splitlines() if ln.startswith("REPORT "))[7:])["peak"]
    if report["error"]:
        print(report["error"])
        return 1
    print(f"{args.photos} photos of {args.megapixels:g} Mpx ({sum(sizes) / len(sizes) / 1e6:.1f} MB each as JPEG)")
    print(f"RSS after start:      {report['after_start']:.1f} MB")
    print(f"RSS after each photo: {', '.join(f'{v:.0f}' for v in report['after_photo'])} MB")
    print(f"RSS at the end:       {report['end']:.1f} MB")
    print(f"peak RSS:             {report['peak']:.1f} MB")
    own = report["peak"] - window
    print(f"a bare Kivy window:   {window:.1f} MB peak (Python + Kivy + SDL + the GL driver, nothing of ours)")
    print(f"the app above it:     {own:.1f} MB (budget {BUDGET_MB} MB: {'within' if own < BUDGET_MB else 'OVER'})")
    return 0 if own < BUDGET_MB else 2


if __name__ == "__main__":
    sys.exit(main())
