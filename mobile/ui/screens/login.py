"""First run: language, server address, user name and password (the password is never stored); a new
password after a one-time one; or the set-up code of a QR code (pasted, or scanned with the camera)."""

import threading

from kivy.clock import mainthread
from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import Screen

from mobile.ui.screens import load_kv
from mobile.ui.widgets import ChoiceRow

load_kv(__file__)


class LoginScreen(Screen):
    show_new = BooleanProperty(False)  # the new-password fields (after a one-time password)

    def __init__(self, app, presenter, **kwargs):
        super().__init__(name="login", **kwargs)
        self.app = app
        self.presenter = presenter
        self.lang_rows = {}
        self.refresh(fill_inputs=True)

    def refresh(self, fill_inputs=False):
        view = self.presenter.view()
        ids = self.ids
        ids.app_title.text = "Mái Ấm"
        ids.title.text = view.title
        ids.server_label.text = view.server_label
        ids.username_label.text = view.username_label
        ids.password_label.text = view.password_label
        ids.language_label.text = view.language_label
        ids.error.text = view.error
        ids.submit.text = view.submit
        ids.submit.disabled = view.busy
        ids.new_password_label.text = view.new_password_label
        ids.new_password_again_label.text = view.new_password_again_label
        self.show_new = view.need_new_password
        ids.enrol_title.text = view.enrol_title
        ids.enrol_code.hint_text = view.enrol_hint
        ids.enrol_submit.text = view.enrol_submit
        ids.enrol_submit.disabled = view.busy
        # ids hold weak references: keep the scan button alive ourselves once it is taken off the screen
        if getattr(self, "_scan_button", None) is None:
            self._scan_button = ids.enrol_scan.__ref__() if hasattr(ids.enrol_scan, "__ref__") else ids.enrol_scan
        scan = self._scan_button
        scan.text = view.enrol_scan
        scan.disabled = view.busy
        if scan.parent is not None and not getattr(self.app.devices, "has_camera", False):
            scan.parent.remove_widget(scan)  # desktop: paste the code instead
        if fill_inputs:
            ids.server.text = view.server
            ids.username.text = view.username
        if not self.lang_rows:
            for code, label in view.languages:
                row = ChoiceRow(text=label, value=code, group="login-lang", allow_no_selection=False)
                row.bind(on_release=self._language)
                self.lang_rows[code] = row
                ids.languages.add_widget(row)
        for code, row in self.lang_rows.items():
            row.state = "down" if code == view.lang else "normal"

    def _language(self, row):
        self.presenter.set_language(row.value)
        self.app.set_language(row.value)
        self.refresh()

    def submit(self):
        if self.presenter.busy:
            return
        server, username, password = self.ids.server.text, self.ids.username.text, self.ids.password.text
        error = self.presenter.check(server, username, password)
        if error:
            self.presenter.error = error
            self.refresh()
            return
        self.presenter.busy = True
        self.presenter.error = ""
        self.refresh()
        threading.Thread(target=self._work, args=(server, username, password), daemon=True).start()

    def _work(self, server, username, password):
        ids = self.ids
        ok = self.presenter.submit(server, username, password, ids.new_password.text, ids.new_password_again.text)
        self._done(ok)

    def submit_code(self):
        """The pasted QR text or typed code (desktop), exchanged for a token in a worker thread."""
        self._start(self.presenter.submit_code, self.ids.enrol_code.text)

    def scan(self):
        """Android: the camera app takes a picture of the QR code; the core reads and redeems it."""
        folder = self.app.data_dir / "scans"
        self.app.devices.camera.take_photo(folder, lambda path: path and self._start(self.presenter.scanned, str(path)))

    def _start(self, action, text):
        if self.presenter.busy:
            return
        self.presenter.busy = True
        self.presenter.error = ""
        self.refresh()
        server, username = self.ids.server.text, self.ids.username.text
        threading.Thread(target=lambda: self._done(action(text, server, username)), daemon=True).start()

    @mainthread
    def _done(self, ok):
        self.presenter.busy = False
        for field in ("password", "new_password", "new_password_again", "enrol_code"):
            self.ids[field].text = ""
        self.refresh(fill_inputs=ok)
        if ok:
            self.app.logged_in()

