"""First run: language, server address, user name and password (the password is never stored)."""

import threading

from kivy.clock import mainthread
from kivy.uix.screenmanager import Screen

from mobile.ui.screens import load_kv
from mobile.ui.widgets import ChoiceRow

load_kv(__file__)


class LoginScreen(Screen):
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
        ok = self.presenter.submit(server, username, password)
        self._done(ok)

    @mainthread
    def _done(self, ok):
        self.presenter.busy = False
        self.ids.password.text = ""
        self.refresh()
        if ok:
            self.app.logged_in()
