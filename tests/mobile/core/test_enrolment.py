"""The phone's side of the QR set-up (mobile/core/enrolment.py) and the sign-in screen's presenter:
payloads and bare codes, a QR picture decoded, one-time passwords replaced, refusals in the phone's
words. Against a fake server here; tests/e2e/test_browser_accounts.py redeems a real one."""

from __future__ import annotations

import pytest
import segno

from mobile.core import enrolment
from mobile.core.presenters.login import LoginPresenter, LoginRefused, ServerUnreachable
from mobile.core.store import SERVER_URL, TOKEN, USERNAME

PAYLOAD = "maiam://enrol?server=https%3A%2F%2Fmaiam.example.vn&username=lan&code=ABCD-EFGH-JKMN"


def test_a_payload_names_server_user_and_code():
    link = enrolment.parse(f"  {PAYLOAD}\n")
    assert link == enrolment.EnrolmentLink(code="ABCD-EFGH-JKMN", server="https://maiam.example.vn", username="lan")
    assert enrolment.complete(link, "http://ignored", "ignored") == link


@pytest.mark.parametrize("text", ["abcd-efgh-jkmn", "ABCDEFGHJKMN", "abcd efgh jkmn"])
def test_a_bare_code_takes_the_typed_server_and_username(text):
    link = enrolment.complete(enrolment.parse(text), "http://10.0.0.2:5000/", " lan ")
    assert (link.server, link.username, link.code.replace("-", "").replace(" ", "")) == \
        ("http://10.0.0.2:5000", "lan", "ABCDEFGHJKMN")


@pytest.mark.parametrize("text, code", [("", "enrol_unreadable"), ("hello", "enrol_unreadable"),
                                        ("maiam://enrol?server=ftp%3A%2F%2Fx&username=lan&code=ABCD-EFGH-JKMN",
                                         "enrol_unreadable"), ("maiam://enrol?username=lan", "enrol_unreadable")])
def test_unreadable_text(text, code):
    with pytest.raises(enrolment.EnrolmentTextError) as err:
        enrolment.parse(text)
    assert err.value.code == code


def test_a_bare_code_needs_the_server_and_username():
    with pytest.raises(enrolment.EnrolmentTextError, match="enrol_need_server"):
        enrolment.complete(enrolment.parse("ABCD-EFGH-JKMN"), "", "lan")


def test_a_picture_of_the_qr_code_is_read(tmp_path):
    path = tmp_path / "qr.png"
    segno.make(PAYLOAD, error="m").save(str(path), scale=6, border=4)
    assert enrolment.decode_image(str(path)) == PAYLOAD
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("RGB", (200, 200), "white").save(blank)
    assert enrolment.decode_image(str(blank)) is None


class FakeServer:
    """The three sign-in calls, keeping the token in the store as SyncClient does."""

    def __init__(self, store):
        self.store, self.passwords, self.codes = store, {"lan": "k7m4p2xq9h"}, {"ABCD-EFGH-JKMN": "lan"}
        self.one_time = {"lan"}

    def _keep(self, server, username):
        self.store.set_setting(SERVER_URL, server)
        self.store.set_setting(USERNAME, username)
        self.store.set_setting(TOKEN, f"token-of-{username}")

    def authenticate(self, server, username, password):
        if self.passwords.get(username) != password:
            raise LoginRefused("bad_credentials")
        if username in self.one_time:
            raise LoginRefused("password_change_required")
        self._keep(server, username)

    def change_password(self, server, username, password, new):
        if self.passwords.get(username) != password:
            raise LoginRefused("bad_credentials")
        if len(new) < 8:
            raise LoginRefused("weak_password")
        self.passwords[username] = new
        self.one_time.discard(username)
        self._keep(server, username)

    def enrol(self, link):
        if "offline" in link.server:
            raise ServerUnreachable("network")
        if self.codes.pop(link.code, None) != link.username:
            raise LoginRefused("enrolment_code_used")
        self._keep(link.server, link.username)


def _presenter(store):
    fake = FakeServer(store)
    return LoginPresenter(store, fake.authenticate, fake.change_password, fake.enrol), fake


def test_a_one_time_password_asks_for_a_new_one_then_signs_in(store):
    p, fake = _presenter(store)
    assert not p.submit("http://s", "lan", "k7m4p2xq9h")
    view = p.view()
    assert view.need_new_password and view.submit == "Đặt mật khẩu mới và đăng nhập"
    assert p.error == "Mật khẩu này chỉ dùng một lần. Hãy đặt mật khẩu mới."
    assert not p.submit("http://s", "lan", "", "mật khẩu mới", "mật khẩu khác")
    assert p.error == "Hai lần nhập mật khẩu mới không giống nhau."
    assert not p.submit("http://s", "lan", "", "ngắn", "ngắn")
    assert p.error.startswith("Mật khẩu quá yếu")
    assert p.submit("http://s", "lan", "", "mật khẩu mới", "mật khẩu mới")
    assert p.logged_in() and not p.view().need_new_password and fake.passwords["lan"] == "mật khẩu mới"
    assert "k7m4p2xq9h" not in str(store.query("SELECT value FROM settings"))


def test_the_code_sets_the_phone_up_once(store):
    p, _ = _presenter(store)
    assert p.submit_code(PAYLOAD, "http://typed", "")
    assert p.logged_in() and store.get_setting(SERVER_URL) == "https://maiam.example.vn"
    assert (p.server, p.username) == ("https://maiam.example.vn", "lan")
    assert not p.submit_code(PAYLOAD, "", "")
    assert p.error == "Mã cài đặt này đã được dùng. Hãy xin cán bộ phụ trách mã mới."


def test_code_refusals_in_the_phones_words(store):
    p, _ = _presenter(store)
    assert not p.submit_code("xin chào", "http://s", "lan")
    assert p.error.startswith("Không đọc được mã cài đặt")
    assert not p.submit_code("ABCD-EFGH-JKMN", "", "lan")
    assert p.error.startswith("Chỉ nhập mã thì cần điền cả địa chỉ máy chủ")
    assert not p.submit_code("ABCD-EFGH-JKMN", "http://offline", "lan")
    assert p.error.startswith("Không kết nối được máy chủ")
    assert not p.logged_in()
