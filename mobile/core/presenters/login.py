"""First run: server address, login and language, or the set-up code of a QR code (docs/API.md).
The token is kept; the password never is.

A one-time password from an administrator is refused by the server with ``password_change_required``:
the screen then asks for a new password (twice) and signs in with it in one call. The set-up code is
pasted (desktop) or scanned (Android camera, ``mobile.core.enrolment.decode_image``) and exchanged once
for a token.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobile.core import enrolment
from mobile.core.i18n import error_text
from mobile.core.presenters.strings import tr
from mobile.core.store import LANGUAGE, SERVER_URL, TOKEN, USERNAME

DEFAULT_SERVER = "http://127.0.0.1:5000"
LANGUAGES = ("vi", "en")


class LoginRefused(Exception):
    """The server said no; ``code`` is its error code (bad_credentials, password_change_required ...)."""

    def __init__(self, code: str = "bad_credentials"):
        super().__init__(code)
        self.code = code


class ServerUnreachable(Exception):
    """No answer from the server (network down, wrong address)."""


@dataclass
class LoginView:
    title: str
    server_label: str
    username_label: str
    password_label: str
    language_label: str
    languages: list[tuple[str, str]]
    submit: str
    server: str
    username: str
    lang: str
    error: str
    busy: bool
    need_new_password: bool = False
    new_password_label: str = ""
    new_password_again_label: str = ""
    enrol_title: str = ""
    enrol_hint: str = ""
    enrol_submit: str = ""
    enrol_scan: str = ""


def _calling(work):
    """Run ``work()`` (a SyncClient call), turning its failures into LoginRefused / ServerUnreachable."""
    from mobile.core.api import ApiError
    from mobile.core.transport import BadResponse, TransportError

    try:
        work()
    except ApiError as exc:
        if exc.status in (400, 401, 403, 409, 410, 422, 429):
            raise LoginRefused(exc.code) from exc
        raise ServerUnreachable(exc.code) from exc
    except (TransportError, BadResponse) as exc:
        raise ServerUnreachable(str(exc)) from exc


def http_login(store):
    """The real sign-in: the phone core's `SyncClient.login` (POST /api/v1/auth/token), which keeps
    the server address, token and user in the store."""
    from mobile.core.sync_client import SyncClient

    def authenticate(server: str, username: str, password: str) -> None:
        _calling(lambda: SyncClient(store, timeout=15).login(server, username, password))

    return authenticate


def http_new_password(store):
    """POST /api/v1/auth/password: a new password for a one-time one, and the token."""
    from mobile.core.sync_client import SyncClient

    def change(server: str, username: str, password: str, new_password: str) -> None:
        _calling(lambda: SyncClient(store, timeout=15).login_with_new_password(server, username, password,
                                                                               new_password))

    return change


def http_enrol(store):
    """POST /api/v1/auth/enrol: the set-up code for the token."""
    from mobile.core.sync_client import SyncClient

    def enrol(link: enrolment.EnrolmentLink) -> None:
        _calling(lambda: enrolment.redeem(SyncClient(store, timeout=15), link))

    return enrol


class LoginPresenter:
    """`store` keeps the settings; `authenticate(server, username, password)` signs in and keeps the
    token (never the password), or raises LoginRefused / ServerUnreachable (default: `http_login`);
    `change_password(server, username, password, new)` and `enrol(link)` likewise."""

    def __init__(self, store, authenticate=None, change_password=None, enrol=None):
        self.store = store
        self.authenticate = authenticate or http_login(store)
        self.change_password = change_password or http_new_password(store)
        self.enrol = enrol or http_enrol(store)
        self.lang = store.get_setting(LANGUAGE) or "vi"
        self.server = store.get_setting(SERVER_URL) or DEFAULT_SERVER
        self.username = store.get_setting(USERNAME) or ""
        self.error = ""
        self.busy = False
        self.need_new_password = False
        self._one_time = ""  # the one-time password, in memory only, while the new one is asked for

    def view(self) -> LoginView:
        lang = self.lang
        submit = "login.busy" if self.busy else "login.set_new" if self.need_new_password else "login.submit"
        return LoginView(
            title=tr("login.title", lang),
            server_label=tr("login.server", lang),
            username_label=tr("login.username", lang),
            password_label=tr("login.password", lang),
            language_label=tr("login.language", lang),
            languages=[(code, tr(f"lang.{code}", lang)) for code in LANGUAGES],
            submit=tr(submit, lang),
            server=self.server,
            username=self.username,
            lang=lang,
            error=self.error,
            busy=self.busy,
            need_new_password=self.need_new_password,
            new_password_label=tr("login.new_password", lang),
            new_password_again_label=tr("login.new_password_again", lang),
            enrol_title=tr("login.enrol_title", lang),
            enrol_hint=tr("login.enrol_hint", lang),
            enrol_submit=tr("login.enrol_busy" if self.busy else "login.enrol_submit", lang),
            enrol_scan=tr("login.enrol_scan", lang),
        )

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES:
            self.lang = lang
            self.store.set_setting(LANGUAGE, lang)

    def check(self, server: str, username: str, password: str) -> str:
        """The error text for these inputs, or '' when they can be sent."""
        if not (server.strip() and username.strip() and (password or self.need_new_password)):
            return tr("login.need_all", self.lang)
        if not server.strip().startswith(("http://", "https://")):
            return tr("login.bad_server", self.lang)
        return ""

    def submit(self, server: str, username: str, password: str, new_password: str = "",
               new_password_again: str = "") -> bool:
        """Sign in (blocking: call it from a worker thread). True when the token is stored. After
        ``password_change_required`` the next submit sends the new password (typed twice)."""
        self.server, self.username = server.strip().rstrip("/"), username.strip()
        self.error = self.check(server, username, password)
        if self.error:
            return False
        if self.need_new_password and new_password != new_password_again:
            self.error = tr("login.passwords_differ", self.lang)
            return False
        try:
            if self.need_new_password:
                self.change_password(self.server, self.username, self._one_time, new_password)
            else:
                self.authenticate(self.server, self.username, password)
        except LoginRefused as exc:
            if exc.code == "password_change_required":
                self.need_new_password, self._one_time = True, password
            self.error = self._refusal(exc.code)
            return False
        except ServerUnreachable:
            self.error = tr("login.offline", self.lang)
            return False
        self.need_new_password, self._one_time = False, ""
        return True

    def submit_code(self, text: str, server: str, username: str) -> bool:
        """Set up with a pasted or scanned QR payload, or a typed code (blocking). True when the token is
        stored; the server address and username of a payload replace the typed ones."""
        try:
            link = enrolment.complete(enrolment.parse(text), server, username)
        except enrolment.EnrolmentTextError as exc:
            self.error = error_text(exc.code, self.lang)
            return False
        assert link.server and link.username
        self.server, self.username, self.error = link.server, link.username, ""
        try:
            self.enrol(link)
        except LoginRefused as exc:
            self.error = self._refusal(exc.code)
            return False
        except ServerUnreachable:
            self.error = tr("login.offline", self.lang)
            return False
        self.need_new_password, self._one_time = False, ""
        return True

    def scanned(self, picture_path: str, server: str, username: str) -> bool:
        """The camera's picture of a QR code (Android): read it, then as ``submit_code``."""
        text = enrolment.decode_image(picture_path)
        if not text:
            self.error = error_text("enrol_no_qr", self.lang)
            return False
        return self.submit_code(text, server, username)

    def _refusal(self, code: str) -> str:
        return tr("login.failed", self.lang) if code in ("bad_credentials", "unauthorized") else error_text(code, self.lang)

    def logged_in(self) -> bool:
        return bool(self.store.get_setting(TOKEN))
