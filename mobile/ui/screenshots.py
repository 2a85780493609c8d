"""`python -m mobile --screenshots DIR`: render the main screens headless to PNG files.

A throw-away data folder is seeded with the library's house assessment, a few houses and one
finished survey; then the real app is driven screen by screen and each is saved:
login, home (my houses, one tapped), follow_up (a progress report started from that house),
form_error (a page with an inline error), photo (a photo question with its thumbnail), summary, outbox. At 360x640 by default; `--size 720x1280` renders at density 2,
`--font-scale 1.3` as a phone set to large text (file names end in -720x1280 / -large-font).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_FORM = ROOT / "forms" / "library" / "house_assessment.xlsx"
PROGRESS_FORM = ROOT / "forms" / "library" / "construction_progress.xlsx"
FIXTURE_PHOTOS = ROOT / "tests" / "fixtures" / "photos"
ALL = ("login", "home", "follow_up", "first_page", "form_error", "photo", "summary", "outbox")


def render(out_dir: Path, size: str = "360x640", only: str | None = None, font_scale: float | None = None) -> int:
    width, height = (int(x) for x in size.lower().split("x"))
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "error")
    if "KIVY_HOME" not in os.environ:
        os.environ["KIVY_HOME"] = tempfile.mkdtemp(prefix="maiam-kivy-")
    if width >= 720 and "KIVY_METRICS_DENSITY" not in os.environ:
        os.environ["KIVY_METRICS_DENSITY"] = "2"  # a 720x1280 phone is an xhdpi screen
    if font_scale:
        os.environ["KIVY_METRICS_FONTSCALE"] = str(font_scale)  # the phone's "large text" setting
    from mobile.ui import quiet

    quiet.install()
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "resizable", "0")
    data = Path(tempfile.mkdtemp(prefix="maiam-shots-"))
    try:
        return _render(data, out_dir, width, height, only, font_scale)
    except Exception:  # noqa: BLE001 - Kivy swallows stderr once its logger is set up: say it plainly
        import traceback

        sys.__stderr__.write(traceback.format_exc())
        return 1
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _render(data, out_dir, width, height, only, font_scale=None) -> int:
    from mobile.core.devices import FileCamera
    from mobile.ui.app import MaiAmApp
    from mobile.ui.devices import Devices
    from mobile.ui.driving import Driver

    photo = sample_photo(data)
    seed(data, photo)
    camera = FileCamera()
    camera.next_path = photo
    app = MaiAmApp(data, devices=Devices(camera, None, False))
    wanted = [s for s in (only.split(",") if only else ALL) if s in ALL]
    suffix = ("" if (width, height) == (360, 640) else f"-{width}x{height}") + ("-large-font" if font_scale else "")
    driver = Driver(app, lambda a: _scenario(a, out_dir, wanted, suffix))
    app.run()
    if driver.error:
        sys.__stderr__.write(driver.error)
        return 1
    for name in wanted:
        print(out_dir / f"{name}{suffix}.png")
    return 0


def render_all(out_dir: Path) -> int:
    """Both sizes (one window per process: the large one runs in a child process)."""
    code = render(out_dir)
    big = subprocess.run([sys.executable, "-m", "mobile", "--screenshots", str(out_dir), "--size", "720x1280",
                          "--only", "home,form_error"], cwd=ROOT)
    large = subprocess.run([sys.executable, "-m", "mobile", "--screenshots", str(out_dir), "--font-scale", "1.3",
                            "--only", "home,form_error"], cwd=ROOT)
    return code or big.returncode or large.returncode


def sample_photo(data: Path) -> Path:
    """A real camera photo from the shared fixtures when present, else a drawn one."""
    fixture = FIXTURE_PHOTOS / "DSCN0010.jpg"
    if fixture.exists():
        return fixture
    from PIL import Image, ImageDraw

    path = data / "sample.jpg"
    img = Image.new("RGB", (800, 600), (170, 200, 230))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 420, 800, 600), fill=(120, 160, 90))
    draw.rectangle((250, 260, 550, 470), fill=(200, 180, 150))
    draw.polygon([(220, 270), (400, 140), (580, 270)], fill=(150, 70, 50))
    img.save(path, "JPEG", quality=85)
    return path


HOUSES = [("H-0001", "Bùi Thị Lý", "Thôn 1", "approved"), ("H-0002", "Lê Văn Tám", "Thôn 2", "assessed"),
          ("H-0003", "Phạm Văn Đức", "Thôn 3", "started"), ("H-0004", "Võ Thị Năm", "Thôn 1", "completed"),
          ("H-0005", "Huỳnh Văn Sáu", "Thôn 2", "handed_over"), ("H-0006", "Đặng Thị Bảy", "Thôn 3", "assessed")]


def seed(data: Path, photo: Path) -> None:
    """A logged-out phone that already has both forms, six houses (one sent back for changes, with its
    draft) and three finished surveys (one sending its photo, one waiting for the network, one sent)."""
    from forms.compile import compile_file, media_files
    from mobile.core.example import fill_survey
    from mobile.core.outbox import Outbox
    from mobile.core.store import LAST_SYNC_AT, SERVER_URL, USER, USERNAME, Store

    store = Store(data)
    try:
        definition = compile_file(LIBRARY_FORM)
        store.save_form(definition, "seed", media=media_files(LIBRARY_FORM))
        store.save_form(compile_file(PROGRESS_FORM), "seed")
        store.set_setting(SERVER_URL, "http://127.0.0.1:5000")
        store.set_setting(USERNAME, "volunteer")
        store.set_setting(USER, {"username": "volunteer", "full_name": "Nguyễn Văn Cựu", "role": "volunteer",
                                 "communes": [{"code": "20968", "name": "Xã Tam Xuân I"}], "commune": "20968"})
        store.set_setting(LAST_SYNC_AT, "2026-11-28T08:30:00+07:00")
        units = ["49", "517", "20968"]
        with store.tx() as c:
            for house_id, name, village, status in HOUSES:
                store.upsert_house(c, {"house_id": house_id, "head_name": f"{name} ({village})", "status": status,
                                       "units": [*units, f"209680{village[-1]}"],
                                       "follow_up": status in ("approved", "started", "completed")})
        store.create_draft(definition["form_id"], str(definition["version"]), house_id="H-0002",
                           answers={"head_name": "Lê Văn Tám"}, reviewer_comment="Bổ sung ảnh mái nhà và diện tích đo lại.")
        outbox = Outbox(store)
        sending = fill_survey(store, outbox, definition["form_id"], seed=3, photo_files=[photo] * 4)
        offline = fill_survey(store, outbox, definition["form_id"], seed=5, photo_files=[photo] * 4)
        sent = fill_survey(store, outbox, definition["form_id"], seed=6, photo_files=[photo] * 4)
        outbox.move(sent.instance_id, "sending")
        outbox.move(sent.instance_id, "sent", server_status="received")
        outbox.move(offline.instance_id, "sending")
        outbox.retry_later(offline.instance_id, "network")
        outbox.move(sending.instance_id, "sending")
        outbox.move(sending.instance_id, "waiting_photos", server_status="received")
    finally:
        store.close()


def _scenario(app, out_dir: Path, wanted: list[str], suffix: str):
    from mobile.core.store import TOKEN
    from mobile.ui import theme
    from mobile.ui.driving import capture, press

    def shot(name):
        if name in wanted:
            capture(out_dir / f"{name}{suffix}.png")

    yield 0.3
    shot("login")
    app.store.set_setting(TOKEN, "screenshot-token")  # never sent: no sync is started below
    app.show_home()
    yield 0.2
    press(app.home_screen.buttons["house:H-0001"])  # a tapped house offers «Báo cáo tiến độ»
    yield 0.2
    home = app.home_screen
    home.ids.scroll.scroll_to(home.buttons["house:H-0001"], padding=0, animate=False)
    yield 0.2
    home.ids.scroll.scroll_to(home.buttons["stage:"].parent, padding=theme.BUTTON_H, animate=False)  # filters on top
    yield 0.3
    shot("home")
    if "follow_up" in wanted:
        press(app.home_screen.buttons["follow_up:H-0001"])
        yield 0.3
        shot("follow_up")
        app.show_home()
    if not {"first_page", "form_error", "photo", "summary"} & set(wanted):
        yield from _outbox(app, shot)
        return
    app.open_draft(app.home_presenter.new_draft("house_assessment"))
    yield 0.2
    screen = app.form_screen
    shot("first_page")  # the commune by name (the volunteer's own chosen), no code to type
    _show_an_error(screen)
    yield 0.2
    shot("form_error")
    image = _first_of_type(screen.presenter, "image")
    if image is not None:
        screen.jump(image)
        yield 0.1
        press(screen.widgets[image].button)
        yield 0.3
        screen.jump(image)
        yield 0.2
        shot("photo")
    screen.show_summary()
    yield 0.2
    shot("summary")
    yield from _outbox(app, shot)


def _outbox(app, shot):
    """The outbox while its first survey sends its photo: 40 % then 60 % ten seconds later (the time
    left comes from that rate)."""
    from mobile.core.outbox import Outbox

    outbox = Outbox(app.store)
    item = next(i for i in outbox.items() if i.state == "waiting_photos")
    [photo] = outbox.attachments(item.instance_id)
    now = [0.0]
    app.outbox_screen.presenter.clock = lambda: now[0]
    outbox.set_attachment(item.instance_id, photo.name, uploaded_bytes=photo.size * 2 // 5, state="uploading")
    app.show_outbox()
    yield 0.1
    outbox.set_attachment(item.instance_id, photo.name, uploaded_bytes=photo.size * 3 // 5)
    now[0] = 10.0
    app.outbox_screen.refresh()
    yield 0.2
    shot("outbox")


def _first_of_type(presenter, qtype):
    for i in range(presenter.page_count):
        presenter.index = i
        for row in presenter.rows():
            if row.kind == "question" and row.view.type == qtype and row.view.relevant:
                presenter.index = 0
                return row.key
    presenter.index = 0
    return None


def _show_an_error(screen):
    """Type a value that breaks a constraint (else press Next on an empty page: 'required')."""
    presenter = screen.presenter
    for i in range(presenter.page_count):
        presenter.index = i
        screen.show_page()
        for path, widget in screen.widgets.items():
            if widget.view.type in ("integer", "decimal") and widget.parent is not None:
                for bad in ("-5", "0", "100000"):
                    widget.input.text = bad
                    if presenter.shown_errors.get(path):
                        screen.ids.scroll.scroll_to(widget, animate=False)
                        return
                widget.input.text = ""
    presenter.index = 0
    screen.show_page()
    screen.next()
