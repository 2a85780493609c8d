"""Run one UI scenario in THIS process with the real app and widgets (offscreen), then print one JSON
line `RESULT {...}` on stdout. Kivy allows one window per process, so every test runs this file in a
subprocess: `python tests/mobile/ui/driver.py SCENARIO DATA_DIR [JSON_PARAMS]`.

Scenarios:
- login_and_fill: sign in on the login screen (params: server, username, password), wait for the
  forms to download, fill the whole form through the widgets with the answers of
  `forms.example.generate` (seed), a photo (params: photo), finish, sync, report the outbox.
- partial: open a new survey on a seeded phone, answer the first questions, print `READY` with the
  answers given, then wait to be killed.
- reopen: open the only draft and report what the widgets show.
- fill_local: like login_and_fill on a seeded phone without a server (no sync).
- auto_sync: no taps at all; waits until the app's own timer has sent what the outbox holds.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "error")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="maiam-kivy-"))

WINDOW = os.environ.get("MAIAM_TEST_WINDOW", "360x640")  # e.g. 720x1280 (set KIVY_METRICS_DENSITY=2 too)

from mobile.ui import quiet  # noqa: E402

quiet.install()

from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", WINDOW.split("x")[0])
Config.set("graphics", "height", WINDOW.split("x")[1])
Config.set("graphics", "resizable", "0")


from mobile.core.devices import FileCamera  # noqa: E402
from mobile.core.outbox import Outbox  # noqa: E402
from mobile.ui.app import MaiAmApp  # noqa: E402
from mobile.ui.devices import Devices  # noqa: E402
from mobile.ui.driving import Driver, press  # noqa: E402
from tests.mobile.ui import field_scenarios, form_filling, screen_scenarios  # noqa: E402

RESULT: dict = {}


def wait_for(condition, timeout=30.0, step=0.05):
    """Yield frames until `condition()` is true (raises after `timeout` seconds of waiting)."""
    waited = 0.0
    while not condition():
        if waited > timeout:
            raise TimeoutError(getattr(condition, "__doc__", None) or "condition")
        yield step
        waited += step


def fill_form(app, answers):
    """tests/mobile/ui/form_filling.py's `fill_form`, reporting into this run's RESULT."""
    yield from form_filling.fill_form(app, answers, RESULT)


def login(app, server, username, password):
    screen = app.login_screen
    screen.ids.server.text = server
    screen.ids.username.text = username
    screen.ids.password.text = password
    press(screen.ids.submit)
    yield from wait_for(lambda: app.sm.current == "home" or bool(screen.presenter.error), timeout=30)
    if app.sm.current != "home":
        raise AssertionError(f"login failed: {screen.presenter.error}")


def scenario_fill(app, params, with_server=True):
    if with_server:
        yield from login(app, params["server"], params.get("username", "volunteer"), params.get("password", "demo"))
        yield from wait_for(lambda: not app.runner.running and app.store.list_forms(), timeout=60)
    form_id = params.get("form_id") or app.store.list_forms()[0]["form_id"]
    yield 0.1
    press(app.home_screen.buttons[f"form:{form_id}"])
    yield 0.1
    from forms.example import generate

    # what the form opened with stays (the commune the phone chose from the account's scope): the example
    # answers the rest around it, as a volunteer would
    opened = {k: v for k, v in app.form_screen.presenter.session.answers.items() if k == "commune_code" and v}
    answers = generate(app.store.load_form(form_id), seed=params.get("seed", 1), preset=opened or None)
    yield from fill_form(app, answers)
    yield 0.1
    summary = app.summary_screen
    RESULT["summary_items"] = [item for item in summary.jumps]
    press(summary.ids.finish)
    yield 0.1
    RESULT["screen_after_finish"] = app.sm.current
    RESULT["draft_answers"] = app.store.query_one("SELECT answers FROM drafts ORDER BY id DESC")["answers"]
    yield from wait_for(lambda: not app.runner.running, timeout=120)  # Finish starts a sync
    yield 0.2
    outbox = Outbox(app.store)
    RESULT["outbox"] = [
        {"instance_id": i.instance_id, "state": i.state, "last_error": i.last_error,
         "attachments": [a.name for a in outbox.attachments(i.instance_id)]}
        for i in outbox.items()
    ]
    RESULT["envelope"] = json.dumps(outbox.items()[0].envelope, ensure_ascii=False) if outbox.items() else None
    RESULT["home_counts"] = app.home_presenter.view().counts
    RESULT["sync_status"] = app.home_presenter.view().sync_status


def scenario_login_error(app, params):
    screen = app.login_screen
    RESULT["title"] = screen.ids.title.text
    press(screen.ids.submit)  # nothing typed
    yield 0.05
    RESULT["empty"] = screen.ids.error.text
    screen.ids.server.text = params["server"]
    screen.ids.username.text = "volunteer"
    screen.ids.password.text = "demo"
    press(screen.ids.submit)
    yield from wait_for(lambda: not screen.presenter.busy, timeout=30)
    yield 0.05
    RESULT["unreachable"] = screen.ids.error.text
    RESULT["password_cleared"] = screen.ids.password.text == ""
    press(screen.lang_rows["en"])
    yield 0.05
    RESULT["english_title"] = screen.ids.title.text
    RESULT["screen"] = app.sm.current


def scenario_enrol(app, params):
    """Paste a set-up QR payload (or type a code) on the sign-in screen; the core redeems it."""
    screen = app.login_screen
    RESULT["scan_button"] = screen.ids.enrol_scan.parent is not None  # desktop: no camera, no scan button
    screen.ids.enrol_code.text = params["text"]
    press(screen.ids.enrol_submit)
    yield from wait_for(lambda: app.sm.current == "home" or bool(screen.presenter.error), timeout=30)
    RESULT["message"] = screen.presenter.error
    RESULT["screen"] = app.sm.current
    RESULT["server"] = app.store.get_setting("server_url")
    RESULT["username"] = app.store.get_setting("username")
    RESULT["has_token"] = bool(app.store.get_setting("token"))
    yield from wait_for(lambda: not app.runner.running, timeout=60)


def scenario_partial(app, params):
    form_id = app.store.list_forms()[0]["form_id"]
    press(app.home_screen.buttons[f"form:{form_id}"])
    yield 0.1
    screen = app.form_screen
    given = {}
    for path, widget in list(screen.widgets.items()):
        if widget.parent is None or widget.view.type not in ("text", "integer", "decimal"):
            continue
        value = {"text": "Nguyễn Thị Hoà", "integer": "4", "decimal": "27.5"}[widget.view.type]
        widget.input.text = value
        given[path] = value
        yield 0
        if len(given) >= int(params.get("count", 3)):
            break
    RESULT["draft_id"] = screen.presenter.draft_id
    RESULT["given"] = given
    print("READY " + json.dumps(RESULT, ensure_ascii=False), flush=True)
    while True:  # the test kills us here (SIGKILL)
        yield 1


def scenario_reopen(app, params):
    yield 0.1
    drafts = [k for k in app.home_screen.buttons if k.startswith("draft:")]
    RESULT["drafts"] = drafts
    press(app.home_screen.buttons[drafts[0]])
    yield 0.1
    shown = {}
    for path, widget in app.form_screen.widgets.items():
        if widget.view.type in ("text", "integer", "decimal") and widget.parent is not None:
            shown[path] = widget.input.text
    RESULT["shown"] = shown


def scenario_unsupported(app, params):
    """A form with questions this phone cannot capture: it opens, each says so, the rest still works."""
    form_id = app.store.list_forms()[0]["form_id"]
    press(app.home_screen.buttons[f"form:{form_id}"])
    yield 0.1
    screen = app.form_screen
    seen = {}
    for _ in range(12):
        for path, widget in screen.widgets.items():
            if widget.parent is not None:
                note = getattr(widget, "note", None)
                seen[path] = [type(widget).__name__, note.text if note is not None else ""]
        if screen.presenter.at_last_page():
            break
        press(screen.ids.next)
        yield 0
    RESULT["widgets"] = seen


def scenario_chooser(app, params):
    """Desktop devices as `python -m mobile` picks them: the photo and the GPS point come from a file
    chosen in the chooser popup."""
    from kivy.core.window import Window

    from mobile.ui.devices.desktop import PhotoChooser

    def chooser():
        return next((w for w in Window.children if isinstance(w, PhotoChooser)), None)

    RESULT["has_camera"] = app.devices.has_camera
    press(app.home_screen.buttons["form:small"])
    yield 0.1
    screen = app.form_screen
    assert screen.presenter.go_to("front")
    screen.show_page()
    yield 0
    widget = screen.widgets["front"]
    RESULT["button"] = widget.button.text
    press(widget.button)
    yield from wait_for(lambda: chooser() is not None, timeout=5)
    popup = chooser()
    popup.chooser.path = str(Path(params["photo"]).parent)
    popup.chooser.selection = [params["photo"]]
    press(popup.ok)
    yield from wait_for(lambda: bool(screen.presenter.session.get("front")), timeout=10)
    yield 0.1
    RESULT["photo_answer"] = screen.presenter.session.get("front")
    RESULT["thumbnail"] = screen.widgets["front"].thumb.source
    assert screen.presenter.go_to("location")
    screen.show_page()
    yield 0
    press(screen.widgets["location"].from_photo)
    yield from wait_for(lambda: chooser() is not None, timeout=5)
    popup = chooser()
    popup.chooser.selection = [params["photo"]]
    press(popup.ok)
    yield from wait_for(lambda: bool(screen.presenter.session.get("location")), timeout=10)
    RESULT["location"] = screen.presenter.session.get("location")
    RESULT["location_status"] = screen.widgets["location"].status.text
    press(screen.widgets["location"].gps)  # no GPS on the desktop
    yield 0
    RESULT["no_gps"] = screen.widgets["location"].status.text
    before = screen.presenter.index
    Window.dispatch("on_keyboard", 27, 0, None, [])  # Android's Back key
    yield 0
    RESULT["back_key"] = [before, screen.presenter.index, app.sm.current]


def scenario_after_review(app, params):
    """A signed-in phone syncs, shows the reviewer's request, reopens the survey and sends it again."""
    yield 0.1
    before = app.runner.last_result
    press(app.home_screen.ids.sync)
    yield from wait_for(lambda: app.runner.last_result is not before and not app.runner.running, timeout=120)
    yield 0.2
    home = app.home_screen
    RESULT["home_texts"] = [w.text for w in home.ids.content.walk() if hasattr(w, "text") and w.text]
    RESULT["drafts"] = [k for k in home.buttons if k.startswith("draft:")]
    mine = [d for d in app.home_presenter.view().drafts if params["comment"] in d.comment]
    RESULT["matching_drafts"] = len(mine)
    press(home.buttons[f"draft:{mine[0].draft_id}"])
    yield 0.1
    RESULT["heading"] = app.form_screen.ids.form_title.text
    press(app.form_screen.ids.review)
    yield 0.1
    RESULT["summary_ready"] = not app.summary_screen.ids.finish.disabled
    before = app.runner.last_result
    RESULT["refused"] = []
    for _attempt in range(6):
        press(app.summary_screen.ids.finish)  # Finish starts a sync when it accepts
        yield 0.05
        if app.sm.current != "summary":
            break
        # refused: tap what the summary lists, take the photo again, back to the summary
        RESULT["refused"].append([b.text for b in app.summary_screen.jumps.values()])
        field = next(iter(app.summary_screen.jumps))
        press(app.summary_screen.jumps[field])
        yield 0.05
        press(app.form_screen.widgets[field].button)
        yield from wait_for(lambda f=field: bool(app.form_screen.presenter.session.get(f))
                            and app.form_screen.presenter.photo_file(app.form_screen.presenter.session.get(f)))
        press(app.form_screen.ids.review)
        yield 0.05
    yield from wait_for(lambda: app.runner.last_result is not before and not app.runner.running, timeout=120)
    yield 0.2
    outbox = Outbox(app.store)
    RESULT["outbox"] = [{"instance_id": i.instance_id, "state": i.state, "house_id": i.house_id}
                        for i in outbox.items()]


class PhotoRoll(FileCamera):
    """The desktop camera, handing out the given photos in turn (the last one repeats)."""

    def __init__(self, paths):
        super().__init__()
        self.paths = [p for p in paths if p]
        self.next_path = self.paths[0] if self.paths else None

    def take_photo(self, dest_dir, on_done):
        super().take_photo(dest_dir, on_done)
        if len(self.paths) > 1:
            self.paths.pop(0)
            self.next_path = self.paths[0]


def scenario_auto_sync(app, params):
    outbox = Outbox(app.store)
    RESULT["before"] = [i.state for i in outbox.items()]
    yield from wait_for(lambda: all(i.state == "sent" for i in outbox.items()), timeout=120)
    yield from wait_for(lambda: not app.runner.running, timeout=60)
    RESULT["after"] = [{"instance_id": i.instance_id, "state": i.state} for i in outbox.items()]
    RESULT["sync_status"] = app.home_presenter.view().sync_status


SCENARIOS = {
    **field_scenarios.bind(sys.modules[__name__]),  # follow-up, outbox progress, layout, summary, typed GPS
    **screen_scenarios.bind(sys.modules[__name__]),  # the form screen's behaviours on the small test form
    "unsupported": scenario_unsupported,
    "auto_sync": scenario_auto_sync,
    "after_review": scenario_after_review,
    "chooser": scenario_chooser,
    "login_and_fill": lambda app, p: scenario_fill(app, p, with_server=True),
    "fill_local": lambda app, p: scenario_fill(app, p, with_server=False),
    "partial": scenario_partial,
    "login_error": scenario_login_error,
    "enrol": scenario_enrol,
    "reopen": scenario_reopen,
}


def main():
    name, data_dir = sys.argv[1], sys.argv[2]
    params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    camera = PhotoRoll(params.get("photos") or [params.get("photo")])
    location = None
    if params.get("fixes"):
        from mobile.core.devices import FixedLocation
        from mobile.core.location import GpsFix

        location = FixedLocation([GpsFix(*fix) for fix in params["fixes"]])
    devices = None if name == "chooser" else Devices(camera, location, False)  # None: chosen at start-up
    app = MaiAmApp(data_dir, devices=devices)
    if params.get("auto_sync_every"):
        app.auto_sync_every = float(params["auto_sync_every"])
    driver = Driver(app, lambda a: SCENARIOS[name](a, params))
    app.run()
    RESULT["error"] = driver.error
    print("RESULT " + json.dumps(RESULT, ensure_ascii=False, default=str), flush=True)
    return 1 if driver.error else 0


if __name__ == "__main__":
    sys.exit(main())
