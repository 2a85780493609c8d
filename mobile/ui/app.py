"""The Kivy application: wires the store, devices, presenters and screens together (no logic here)."""

from __future__ import annotations

from pathlib import Path

from mobile.ui import quiet

quiet.install()  # before Kivy loads its input providers: optional devices it misses are not errors

from kivy.app import App  # noqa: E402
from kivy.clock import Clock, mainthread  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.lang import Builder  # noqa: E402
from kivy.uix.screenmanager import NoTransition, ScreenManager  # noqa: E402
from kivy.utils import platform  # noqa: E402

from mobile.core.autosync import TICK_SECONDS, AutoSync  # noqa: E402
from mobile.core.presenters.home import HomePresenter  # noqa: E402
from mobile.core.presenters.login import LoginPresenter  # noqa: E402
from mobile.core.presenters.outbox import OutboxPresenter  # noqa: E402
from mobile.core.store import LANGUAGE, TOKEN, Store  # noqa: E402
from mobile.core.sync_client import SyncClient  # noqa: E402
from mobile.core.sync_runner import SyncRunner  # noqa: E402
from mobile.ui import theme  # noqa: E402
from mobile.ui.devices import choose_devices  # noqa: E402

Builder.load_file(str(Path(__file__).with_name("widgets.kv")))

from mobile.ui.screens.form import FormScreen  # noqa: E402 - screens need widgets.kv loaded
from mobile.ui.screens.home import HomeScreen  # noqa: E402
from mobile.ui.screens.login import LoginScreen  # noqa: E402
from mobile.ui.screens.outbox import OutboxScreen  # noqa: E402
from mobile.ui.screens.summary import SummaryScreen  # noqa: E402


class MaiAmApp(App):
    title = "Mái Ấm"
    auto_sync_every = TICK_SECONDS  # seconds between the automatic-sync checks

    def __init__(self, data_dir: str | Path, devices=None, authenticate=None, transport=None, **kwargs):
        super().__init__(**kwargs)
        self.data_dir = Path(data_dir)
        self.devices = devices
        self.authenticate = authenticate
        self.transport = transport
        self.store = None
        self.lang = "vi"
        self.runner = None

    # ---- wiring -------------------------------------------------------------------------------
    def build(self):
        Window.clearcolor = theme.BG
        self.store = Store(self.data_dir)
        self.lang = self.store.get_setting(LANGUAGE) or "vi"
        self.devices = self.devices or choose_devices()
        self.home_presenter = HomePresenter(self.store, self.lang)
        self.sync_client = SyncClient(self.store, transport=self.transport, on_event=self._sync_event)
        self.runner = SyncRunner(self.sync_client)
        self.autosync = AutoSync(self.store, self.sync_client.outbox)
        Clock.schedule_interval(self._auto_sync, self.auto_sync_every)
        self.sm = ScreenManager(transition=NoTransition())
        self.login_screen = LoginScreen(self, LoginPresenter(self.store, self.authenticate))
        self.home_screen = HomeScreen(self, self.home_presenter)
        self.form_screen = FormScreen(self)
        self.summary_screen = SummaryScreen(self)
        self.outbox_screen = OutboxScreen(self, OutboxPresenter(self.store, self.lang))
        for screen in (self.login_screen, self.home_screen, self.form_screen, self.summary_screen, self.outbox_screen):
            self.sm.add_widget(screen)
        self.sm.current = "home" if self.store.get_setting(TOKEN) else "login"
        Window.bind(on_keyboard=self._key)
        return self.sm

    def _key(self, _window, key, *_args):
        """Android's Back key (27, also Escape on the desktop): one step back, never out of a survey."""
        if key != 27:
            return False
        current = self.sm.current
        if current == "form":
            if not self.form_screen.presenter.back():
                self.form_screen.go_home()
            else:
                self.form_screen.show_page()
            return True
        if current == "summary":
            self.show_form()
            return True
        if current == "outbox":
            self.show_home()
            return True
        return False

    # ---- Android: the background service syncs while the app is away -------------------------------
    def on_pause(self):
        self._background(True)
        return True  # keep the app's state: Android may resume it

    def on_resume(self):
        self._background(False)

    def on_start(self):
        self._background(False)

    def _background(self, run: bool):
        if platform != "android":
            return
        from mobile.ui.devices.android import start_sync_service, stop_sync_service

        if run:
            start_sync_service(self.data_dir)
        else:
            stop_sync_service()

    def on_stop(self):
        self._background(True)
        if self.runner is not None:
            self.runner.join(timeout=5)
        if self.store is not None:
            self.store.close()

    def set_language(self, lang: str):
        self.lang = lang
        self.home_presenter.lang = lang
        self.outbox_screen.presenter.lang = lang

    def meta(self) -> dict:
        user = self.store.get_setting("username") or ""
        return {"username": user, "deviceid": self.store.device_id()}

    # ---- navigation ---------------------------------------------------------------------------
    def logged_in(self):
        self.show_home()
        self.sync()

    def logout(self):
        self.sync_client.logout()
        self.login_screen.refresh(fill_inputs=True)
        self.sm.current = "login"

    def show_home(self):
        self.sm.current = "home"
        self.home_screen.refresh()

    def show_outbox(self):
        self.sm.current = "outbox"

    def new_survey(self, form_id: str):
        self.open_draft(self.home_presenter.new_draft(form_id))

    def follow_up(self, house_id: str):
        """«Báo cáo tiến độ» on a house: a new progress report about it."""
        self.open_draft(self.home_presenter.follow_up(house_id, self.meta()))

    def open_draft(self, draft_id: int):
        from mobile.core.presenters.form import FormPresenter

        presenter = FormPresenter(self.store, draft_id, lang=self.lang, meta=self.meta())
        self.form_screen.open(presenter)
        self.sm.current = "form"

    def show_form(self):
        self.form_screen.show_page(scroll_top=False)
        self.sm.current = "form"

    def show_summary(self, presenter):
        self.summary_screen.open(presenter)
        self.sm.current = "summary"

    def jump_to(self, field: str):
        self.sm.current = "form"
        self.form_screen.jump(field)

    def finished(self, message: str):
        self.home_presenter.sync_message = message
        self.show_home()
        self.sync()

    def choose_file(self, on_path):
        from mobile.ui.devices.desktop import choose_photo

        return choose_photo(on_path, self.lang)

    # ---- sync ---------------------------------------------------------------------------------
    def sync(self):
        if self.runner.start():
            self.autosync.attempted()
            self.home_screen.show_sync()

    def _auto_sync(self, _dt=None):
        """On the timer: sync by itself when surveys wait or decisions are due (mobile.core.autosync)."""
        if self.autosync.due(self.runner.running):
            self.sync()

    @mainthread
    def _sync_event(self, event):
        self.home_presenter.on_sync_event(event)
        if self.home_presenter.needs_login(event):
            self.store.set_setting(TOKEN, None)
        if self.sm.current == "home":
            if event.kind in ("finished", "forms", "pulled", "needs_login", "error"):
                self.home_screen.refresh()
            else:
                self.home_screen.show_sync()
        elif self.sm.current == "outbox":
            self.outbox_screen.refresh()  # every photo chunk the server acknowledged: bytes, bar, time left
