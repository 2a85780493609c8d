"""First run: server address, login and language. The token is kept; the password never is."""

from __future__ import annotations

from dataclasses import dataclass

from mobile.core.presenters.strings import tr
from mobile.core.store import LANGUAGE, SERVER_URL, TOKEN, USERNAME

DEFAULT_SERVER = "http://127.0.0.1:5000"
LANGUAGES = ("vi", "en")


class LoginRefused(Exception):
    """The server said no (wrong user name or password)."""


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


def http_login(store):
    """The real sign-in: the phone core's `SyncClient.login` (POST /api/v1/auth/token), which keeps
    the server address, token and user in the store."""
    from mobile.core.api import ApiError
    from mobile.core.sync_client import SyncClient
    from mobile.core.transport import BadResponse, TransportError

    def authenticate(server: str, username: str, password: str) -> None:
        try:
            SyncClient(store, timeout=15).login(server, username, password)
        except ApiError as exc:
            if exc.status in (400, 401, 403, 422):
                raise LoginRefused(exc.code) from exc
            raise ServerUnreachable(exc.code) from exc
        except (TransportError, BadResponse) as exc:
            raise ServerUnreachable(str(exc)) from exc

    return authenticate


class LoginPresenter:
    """`store` keeps the settings; `authenticate(server, username, password)` signs in and keeps the
    token (never the password), or raises LoginRefused / ServerUnreachable (default: `http_login`)."""

    def __init__(self, store, authenticate=None):
        self.store = store
        self.authenticate = authenticate or http_login(store)
        self.lang = store.get_setting(LANGUAGE) or "vi"
        self.server = store.get_setting(SERVER_URL) or DEFAULT_SERVER
        self.username = store.get_setting(USERNAME) or ""
        self.error = ""
        self.busy = False

    def view(self) -> LoginView:
        lang = self.lang
        return LoginView(
            title=tr("login.title", lang),
            server_label=tr("login.server", lang),
            username_label=tr("login.username", lang),
            password_label=tr("login.password", lang),
            language_label=tr("login.language", lang),
            languages=[(code, tr(f"lang.{code}", lang)) for code in LANGUAGES],
            submit=tr("login.busy" if self.busy else "login.submit", lang),
            server=self.server,
            username=self.username,
            lang=lang,
            error=self.error,
            busy=self.busy,
        )

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES:
            self.lang = lang
            self.store.set_setting(LANGUAGE, lang)

    def check(self, server: str, username: str, password: str) -> str:
        """The error text for these inputs, or '' when they can be sent."""
        if not (server.strip() and username.strip() and password):
            return tr("login.need_all", self.lang)
        if not server.strip().startswith(("http://", "https://")):
            return tr("login.bad_server", self.lang)
        return ""

    def submit(self, server: str, username: str, password: str) -> bool:
        """Sign in (blocking: call it from a worker thread). True when the token is stored."""
        self.server, self.username = server.strip().rstrip("/"), username.strip()
        self.error = self.check(server, username, password)
        if self.error:
            return False
        try:
            self.authenticate(self.server, self.username, password)
        except LoginRefused:
            self.error = tr("login.failed", self.lang)
            return False
        except ServerUnreachable:
            self.error = tr("login.offline", self.lang)
            return False
        return True

    def logged_in(self) -> bool:
        return bool(self.store.get_setting(TOKEN))
